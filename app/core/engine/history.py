"""Which part of a conversation the prompt keeps when all of it no longer fits the context.

The leading system messages always stay. The rest is cut into turns, each starting at a user message (and
the messages before the first one, if any, as a turn of their own); the oldest turns are left out first, and
the last turn never. ``fewest_to_drop`` finds how many must go with as few trial renderings as possible.

Each turn left out changes the prompt right after the system prompt, so the KV cache of everything after
it is lost. The engine therefore leaves out more than the fewest when it must leave out any (room for some
turns to come) and keeps leaving out the same messages while the conversation still fits that way
(``Turns.leaving_out``): the prompt then grows turn by turn and the cache carries over.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.engine.protocol import SYSTEM, USER, ChatMessage


class Turns:
    """A conversation cut into turns after its leading system messages.

    Attributes:
        messages: the whole conversation.
        droppable: how many turns may be left out (all but the last).
    """

    def __init__(self, messages: tuple[ChatMessage, ...]) -> None:
        self.messages = messages
        head = 0
        while head < len(messages) and messages[head].role == SYSTEM:
            head += 1
        self._head = head
        self._starts = [head] + [i for i in range(head + 1, len(messages)) if messages[i].role == USER]
        self.droppable = max(0, len(self._starts) - 1) if head < len(messages) else 0

    def without(self, turns: int) -> tuple[ChatMessage, ...]:
        """The conversation with its oldest ``turns`` turns left out (0 <= turns <= droppable)."""
        return self.messages[:self._head] + self.messages[self._starts[turns]:]

    def dropped_messages(self, turns: int) -> int:
        """How many messages leaving out ``turns`` turns leaves out."""
        return self._starts[turns] - self._head

    def left_out(self, turns: int) -> tuple[ChatMessage, ...]:
        """The messages leaving out ``turns`` turns leaves out."""
        return self.messages[self._head:self._starts[turns]]

    def leaving_out(self, messages: tuple[ChatMessage, ...]) -> int | None:
        """How many turns to leave out to leave out exactly ``messages`` (the oldest after the system
        prompt), or None when this conversation does not start with them at a turn's start."""
        for turns in range(self.droppable + 1):
            if self.left_out(turns) == messages:
                return turns
        return None


def fewest_to_drop(fits: Callable[[int], bool], most: int) -> int:
    """The smallest n in 0..most with ``fits(n)`` (fits must not turn false as n grows); ``most`` when none fits.

    Asks ``fits(0)`` first, then bisects: about log2(most) calls.
    """
    if fits(0):
        return 0
    low, high = 0, most
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle
    return high


def turns_to_drop(turns: Turns, fits: Callable[[int, int], bool], spare: int,
                  left_out_before: tuple[ChatMessage, ...]) -> int:
    """How many turns to leave out, where ``fits(turns, spare)`` says whether the prompt without that many
    turns leaves room for the answer and ``spare`` more tokens: none if all of it fits; the turns whose
    messages the last prompt left out (``left_out_before``) if that fits; else the fewest that fit with
    ``spare`` to spare (``turns.droppable`` when none does)."""
    if fits(0, 0):
        return 0
    as_before = turns.leaving_out(left_out_before) if left_out_before else None
    if as_before is not None and fits(as_before, 0):
        return as_before
    return fewest_to_drop(lambda n: fits(n, spare), turns.droppable)
