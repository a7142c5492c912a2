"""Which turns of a conversation are left out when it no longer fits: never a system prompt, never the last turn."""

from __future__ import annotations

import pytest

from app.core.engine.history import Turns, fewest_to_drop, turns_to_drop
from app.core.engine.protocol import ASSISTANT, SYSTEM, USER, ChatMessage


def conversation(*roles: str) -> tuple[ChatMessage, ...]:
    return tuple(ChatMessage(role, f"{role} {i}") for i, role in enumerate(roles))


def test_turns_start_at_user_messages_after_the_system_prompt():
    messages = conversation(SYSTEM, USER, ASSISTANT, USER, ASSISTANT, USER)
    turns = Turns(messages)
    assert turns.droppable == 2
    assert turns.without(0) == messages
    assert turns.without(1) == (messages[0], *messages[3:])
    assert turns.without(2) == (messages[0], messages[5])
    assert [turns.dropped_messages(n) for n in range(3)] == [0, 2, 4]


def test_messages_before_the_first_question_are_a_turn_of_their_own():
    messages = conversation(ASSISTANT, USER, ASSISTANT, USER)
    turns = Turns(messages)
    assert turns.droppable == 2
    assert turns.without(1) == messages[1:] and turns.without(2) == messages[3:]


@pytest.mark.parametrize("messages", [
    conversation(USER), conversation(SYSTEM, USER), conversation(SYSTEM, SYSTEM), (),
    conversation(SYSTEM, USER, ASSISTANT),
])
def test_a_single_turn_and_the_system_prompt_are_never_dropped(messages):
    turns = Turns(messages)
    assert turns.droppable == 0 and turns.without(0) == messages


def test_fewest_to_drop_bisects_to_the_smallest_that_fits():
    asked = []

    def fits(n: int) -> bool:
        asked.append(n)
        return n >= 37

    assert fewest_to_drop(fits, 100) == 37
    assert asked[0] == 0 and len(asked) <= 9
    assert fewest_to_drop(lambda n: True, 100) == 0
    assert fewest_to_drop(lambda n: False, 100) == 100
    assert fewest_to_drop(lambda n: n >= 1, 1) == 1


def test_the_same_messages_stay_out_while_the_conversation_fits_that_way():
    messages = conversation(SYSTEM, USER, ASSISTANT, USER, ASSISTANT, USER, ASSISTANT, USER)
    turns = Turns(messages)
    assert turns.left_out(2) == messages[1:5] and turns.leaving_out(messages[1:5]) == 2
    assert turns.leaving_out(messages[1:4]) is None and turns.leaving_out(conversation(USER)) is None

    def fits_when(fewest: int, fewest_with_spare: int):
        return lambda n, spare: n >= (fewest_with_spare if spare else fewest)

    assert turns_to_drop(turns, fits_when(0, 0), 10, messages[1:5]) == 0
    assert turns_to_drop(turns, fits_when(1, 3), 10, messages[1:5]) == 2  # as before, though 1 would do
    assert turns_to_drop(turns, fits_when(1, 3), 10, ()) == 3  # fewest with room to spare
    assert turns_to_drop(turns, fits_when(3, 3), 10, messages[1:5]) == 3  # as before no longer fits
