"""Stop sequences: answer text that could be the start of one is held back, then shown in order or cut.

Engine.generate keeps the Token events of an answer that might still turn out to begin a stop
sequence (``release_safe``) and, once one is complete, sends only the text before it
(``release_before_stop``). Pure functions of the texts, so they are tested without llama.cpp.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from app.core.engine.protocol import Token


def release_safe(held: list[Token], text: str, stops: list[str], emit: Callable[[Token], None]) -> list[Token]:
    """Emit held token events unless their text could be the start of a stop sequence; returns the rest."""
    if not stops:
        for event in held:
            emit(event)
        return []
    keep = max((overlap(text, s) for s in stops), default=0)
    pending_chars = sum(len(e.text) for e in held)
    while held and pending_chars - len(held[0].text) >= keep:
        pending_chars -= len(held[0].text)
        emit(held.pop(0))
    if keep == 0:
        for event in held:
            emit(event)
        return []
    return held


def overlap(text: str, stop: str) -> int:
    """Length of the longest suffix of text that is a proper prefix of stop."""
    for size in range(min(len(stop) - 1, len(text)), 0, -1):
        if stop.startswith(text[-size:]):
            return size
    return 0


def release_before_stop(held: list[Token], text: str, stop: str) -> list[Token]:
    """The held events whose text lies before the stop sequence, the last one cut at its start."""
    cut = text.index(stop)
    offset = len(text) - sum(len(e.text) for e in held)
    released = []
    for event in held:
        if offset >= cut:
            break
        keep = event.text[: cut - offset]
        offset += len(event.text)
        released.append(replace(event, text=keep))
    return released
