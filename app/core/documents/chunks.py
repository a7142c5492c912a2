"""Cutting a document's sections into chunks: passages of about CHUNK_WORDS words that a search finds and a
prompt quotes, each with the page and heading it comes from.

A chunk never spans two pages or two headings, so that its source can be named exactly. Consecutive
short sections under the same heading and page are joined; a long one is cut at sentence ends where it
can be, with OVERLAP_WORDS words repeated at the start of the next chunk, so that a sentence cut apart is
still found whole in one of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.core.documents.formats import Section

CHUNK_WORDS = 160
"""About how many words a chunk holds: small enough that several fit in a prompt, big enough to answer."""

OVERLAP_WORDS = 30
"""Words of a long section that stand at the end of one chunk and again at the start of the next."""

_SENTENCE_END = re.compile(r"[.!?:;]['\"”“»«)]*$")


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: its text, the page it is on (None without pages) and its heading."""

    text: str
    page: int | None
    heading: str


def chunk_sections(sections: Iterable[Section], words: int = CHUNK_WORDS,
                   overlap: int = OVERLAP_WORDS) -> Iterator[Chunk]:
    """The chunks of ``sections``, in order; holds one chunk's words at a time. ``overlap`` must be under
    half of ``words``."""
    if not 0 <= overlap < words // 2:
        raise ValueError(f"overlap {overlap} must be under half of {words} words")
    pending: list[str] = []
    where: tuple[int | None, str] | None = None
    for section in sections:
        place = (section.page, section.heading)
        if where is not None and place != where and pending:
            yield Chunk(" ".join(pending), *where)
            pending = []
        where = place
        pending.extend(section.text.split())
        while len(pending) >= words + overlap // 2:
            cut = _cut(pending, words)
            yield Chunk(" ".join(pending[:cut]), *place)
            pending = pending[cut - overlap:]
    if pending and where is not None:
        yield Chunk(" ".join(pending), *where)


def _cut(words: list[str], size: int) -> int:
    """Where to end a chunk of about ``size`` words: after the last sentence end in its second half, else
    at ``size``."""
    for index in range(size, size // 2, -1):
        if _SENTENCE_END.search(words[index - 1]):
            return index
    return size
