"""How the expert view names tokens, the same in the token strip, the replay bar and the speaker's figures:
"Answer token 12" (numbered from 1 at the first answer token), "Prompt token 40" (by position in the
conversation, from 1), ranges of them, and the short text a token's chip shows."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.talks.timeline import Timeline
from app.ui.formatting import visible_token

MAX_CHIP_CHARS = 14


def token_name(timeline: Timeline, index: int) -> str:
    """"Answer token 12" or "Prompt token 40": the token's number as the strip and the view show it."""
    if timeline.is_answer[index]:
        return QCoreApplication.translate("TokenNames", "Answer token {n}").format(n=timeline.number(index))
    return QCoreApplication.translate("TokenNames", "Prompt token {n}").format(n=timeline.number(index))


def range_name(timeline: Timeline, lo: int, hi: int) -> str:
    """The tokens ``lo``..``hi`` in words: "Answer tokens 3–17", or from a prompt to an answer token."""
    if lo == hi:
        return token_name(timeline, lo)
    first, last = timeline.number(lo), timeline.number(hi)
    if timeline.is_answer[lo] == timeline.is_answer[hi]:
        if timeline.is_answer[lo]:
            return QCoreApplication.translate("TokenNames", "Answer tokens {first}–{last}").format(
                first=first, last=last)
        return QCoreApplication.translate("TokenNames", "Prompt tokens {first}–{last}").format(
            first=first, last=last)
    return QCoreApplication.translate("TokenNames", "Prompt token {first} to answer token {last}").format(
        first=first, last=last)


def chip_text(text: str) -> str:
    """What a chip shows: whitespace made visible, long tokens shortened, "–" for no visible text."""
    shown = visible_token(text) or "–"
    return shown if len(shown) <= MAX_CHIP_CHARS else shown[: MAX_CHIP_CHARS - 1] + "…"
