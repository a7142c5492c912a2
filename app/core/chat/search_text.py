"""What a search for conversations looks for: the FTS5 query for the words a person typed, and the snippet
of a message around the first of them.

The index (app.core.chat.schema) finds words by their start, in any case, accents ignored ("uber" finds
"Über"); the snippet looks for the words the same way in the message's own text, so a hit shows as the
person wrote it.
"""

from __future__ import annotations

import re
import unicodedata

SNIPPET_BEFORE = 40
"""Characters of a snippet before the hit (up to the start of a word)."""

SNIPPET_AFTER = 100
"""Characters of a snippet from the hit on (up to the end of a word)."""


def words_of(text: str) -> list[str]:
    """The words of a search: what whitespace separates, if it holds a letter or digit."""
    return [word for word in text.split() if any(char.isalnum() for char in word)]


def match_query(text: str) -> str:
    """An FTS5 query for ``text``: every word, each as a quoted prefix, all required; empty for none."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words_of(text))


class _Fold(dict):
    """A ``str.translate`` table: every character to one character, lower case without accents, so that
    positions in the folded text are positions in the original."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        folded = base if len(base) == 1 else char
        self[code] = folded
        return folded


_FOLD = _Fold()


def snippet(content: str, text: str) -> str:
    """The part of ``content`` around the first word start that matches a word of the search ``text``
    (whitespace collapsed, "…" where cut); the start of ``content`` if none does."""
    terms = [term for word in words_of(text) for term in re.findall(r"\w+", word)]
    lowered = content.lower()  # quick, and enough unless accents differ or lower case changes the length
    position = _first(lowered, [term.lower() for term in terms]) if len(lowered) == len(content) else None
    if position is None:
        position = _first(content.translate(_FOLD), [term.translate(_FOLD) for term in terms])
    return _around(content, position or 0)


def _first(haystack: str, terms: list[str]) -> int | None:
    found = [match.start() for term in terms if (match := re.search(r"(?<!\w)" + re.escape(term), haystack))]
    return min(found) if found else None


def _around(content: str, position: int) -> str:
    start, end = max(0, position - SNIPPET_BEFORE), min(len(content), position + SNIPPET_AFTER)
    if start > 0:
        space = content.find(" ", start, position)
        start = space + 1 if space >= 0 else start
    if end < len(content):
        space = content.rfind(" ", position, end)
        end = space if space > position else end
    text = " ".join(content[start:end].split())
    return ("…" if start > 0 else "") + text + ("…" if end < len(content) else "")
