"""The document collections in the user's words: why a file was skipped, where a passage is (and an
answer's sources as the links under it), and the answer when nothing matches."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from PySide6.QtCore import QCoreApplication

from app.core.chat.model import Source
from app.core.documents.formats import DAMAGED, ENCRYPTED, NO_TEXT

translate = QCoreApplication.translate


def skip_reason(kind: str, reason: str) -> str:
    """Why a file could not be read (its Unreadable kind; ``reason``, in English, for anything else)."""
    if kind == ENCRYPTED:
        return translate("DocumentWords", "protected with a password")
    if kind == DAMAGED:
        return translate("DocumentWords", "damaged, or not the kind of file its name says")
    if kind == NO_TEXT:
        return translate("DocumentWords", "holds no text, only images (a scanned document?)")
    return translate("DocumentWords", "cannot be read: {reason}").format(reason=reason)


def source_label(source: Source, heading: bool = True) -> str:
    """Where a passage is: "Handbuch.pdf, page 4, Urlaub" (without its heading: "Handbuch.pdf, page 4")."""
    parts = [PurePath(source.path).name]
    if source.page is not None:
        parts.append(translate("DocumentWords", "page {page}").format(page=source.page))
    if heading and source.heading:
        parts.append(source.heading)
    return ", ".join(parts)


def source_links(sources: Sequence[Source]) -> list[tuple[str, tuple[int, Source]]]:
    """An answer's sources as the transcript's links under it: (label, (number, source)), numbered from 1."""
    return [(source_label(source), (number, source)) for number, source in enumerate(sources, start=1)]


def nothing_found(names: list[str]) -> str:
    """The answer when no passage of the chosen collections matches the question."""
    return translate("DocumentWords", "Nothing in the documents “{names}” matches this question, so the model was "
                     "not asked: it would only guess. Try other words, or switch the documents off for this "
                     "question.").format(names="”, “".join(names))
