"""How document text and questions become search terms, the same way on both sides, German-friendly.

Folding: lower case; ä, ö, ü and ß written out as ae, oe, ue and ss (so "Mängel", "Maengel" and "MÄNGEL"
are one word); other accents dropped ("café" is "cafe"). The index stores the folded text; a question is
folded alike.

A question becomes an FTS5 query of its words joined by OR, ranked by BM25, so that a question in full
sentences finds passages holding its rarer words. Small words that carry no meaning (STOP_WORDS, German
and English) are left out. Words of PREFIX_LETTERS letters or more also match as the start of a longer
word: "Urlaub" finds "Urlaubsantrag". German compounds found by their inner or last part ("antrag" in
"Urlaubsantrag") need the second, trigram index (app.core.documents.store).
"""

from __future__ import annotations

import re
import unicodedata

PREFIX_LETTERS = 4
"""Words at least this long match longer words that start with them."""

TRIGRAM_LETTERS = 4
"""Words at least this long are also looked for inside longer words (trigram index)."""

_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_WORD = re.compile(r"\w+")

STOP_WORDS = frozenset("""
a an and are as at be but by can do does for from had has have how i if in is it its may of on or our
should so than that the their them then there these they this to was we were what when where which who
why will with would you your
aber als am an auch auf aus bei bin bis da dann das dass dem den der des die dies diese dieser dieses du
durch ein eine einem einen einer eines er es etwa fuer gibt hat hatte ich ihr im in ist ja kann koennen
man mit muss nach nicht noch nur ob oder sich sie sind so soll ueber um und uns unter vom von vor war
bitte wann warum was welche welcher welches wer weshalb wie wieso wir wird wo zu zum zur
""".split())


def fold(text: str) -> str:
    """``text`` as the index stores it: lower case, umlauts written out, other accents dropped."""
    lowered = text.lower().translate(_SPELLED_OUT)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def terms_of(question: str) -> list[str]:
    """The folded words of ``question`` that a search looks for, each once, stop words left out (all of
    them kept if nothing else is left)."""
    words = list(dict.fromkeys(_WORD.findall(fold(question))))
    meaningful = [word for word in words if word not in STOP_WORDS]
    return meaningful or words


def word_query(terms: list[str]) -> str:
    """The FTS5 query for the word index: any of ``terms``, long ones also as prefixes; "" for none."""
    return " OR ".join(f'"{term}"*' if len(term) >= PREFIX_LETTERS else f'"{term}"' for term in terms)


def trigram_query(terms: list[str]) -> str:
    """The FTS5 query for the trigram index: any of the long ``terms`` inside a word; "" for none."""
    return " OR ".join(f'"{term}"' for term in terms if len(term) >= TRIGRAM_LETTERS)
