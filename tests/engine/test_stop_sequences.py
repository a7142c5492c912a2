"""Stop sequences: answer text that could be the start of one is held back, then shown in order or cut.

The engine's hold-back is three pure functions of app.core.engine.stops (no llama.cpp needed); ``stream``
feeds them token texts the way Engine.generate does.
"""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from app.core.engine.protocol import ANSWER, Token
from app.core.engine.stops import overlap, release_before_stop, release_safe

USER = "\nUser:"


def token(pos: int, text: str) -> Token:
    return Token(pos, pos, text, ANSWER)


def joined(events: list[Token]) -> str:
    return "".join(event.text for event in events)


def stream(pieces: list[str], stops: list[str]) -> tuple[list[str], list[Token]]:
    """Token texts through the hold-back, ending at the earliest stop sequence in the text.

    Returns the text shown after each token and the token events shown in the end (an answer that
    ends without a stop shows what was still held).
    """
    shown: list[Token] = []
    after_each: list[str] = []
    held: list[Token] = []
    text = ""
    for pos, piece in enumerate(pieces):
        text += piece
        held.append(token(pos, piece))
        found = [stop for stop in stops if stop in text]
        if found:
            shown += release_before_stop(held, text, min(found, key=text.index))
            after_each.append(joined(shown))
            return after_each, shown
        held = release_safe(held, text, stops, shown.append)
        after_each.append(joined(shown))
    return after_each, shown + held


@pytest.mark.parametrize(
    "text, stop, expected",
    [
        ("", USER, 0),
        ("Paris.", USER, 0),
        ("Paris.\n", USER, 1),
        ("Paris.\nUs", USER, 3),
        ("Paris.\nUser", USER, 5),
        ("\nUser:", USER, 0),  # the whole stop is no proper prefix
        ("aba", "abab", 3),
        ("aab", "abab", 2),
        ("x", "x", 0),  # a stop of one character is never held
        ("Grüße aus Kö", "Köln", 2),
        ("🚀", "🚀!", 1),
    ],
)
def test_overlap_is_the_longest_end_of_the_text_that_starts_the_stop(text, stop, expected):
    assert overlap(text, stop) == expected


def test_without_stops_every_held_token_is_released_in_order():
    held = [token(0, "\nUs"), token(1, "er:")]
    shown = []
    assert release_safe(held, "\nUser:", [], shown.append) == []
    assert shown == [token(0, "\nUs"), token(1, "er:")]


def test_release_keeps_only_the_tokens_that_could_start_a_stop():
    held = [token(0, "Hello"), token(1, " wor"), token(2, "ld\nU")]
    shown = []
    assert release_safe(held, "Hello world\nU", [USER], shown.append) == [token(2, "ld\nU")]
    assert shown == [token(0, "Hello"), token(1, " wor")]


def test_release_before_stop_cuts_the_token_the_stop_starts_in():
    held = [token(4, "Yes"), token(5, ". \nUs"), token(6, "er: next")]
    assert release_before_stop(held, "Sure. Yes. \nUser: next", USER) == [token(4, "Yes"), token(5, ". ")]


def test_text_that_cannot_start_a_stop_is_shown_at_once():
    after_each, shown = stream(["Hello", " world", "!"], [USER])
    assert after_each == ["Hello", "Hello world", "Hello world!"]
    assert shown == [token(0, "Hello"), token(1, " world"), token(2, "!")]


def test_without_stops_every_token_is_shown_at_once():
    after_each, shown = stream(["\nUs", "er:", " x"], [])
    assert after_each == ["\nUs", "\nUser:", "\nUser: x"]
    assert shown == [token(0, "\nUs"), token(1, "er:"), token(2, " x")]


def test_a_stop_split_across_tokens_is_never_shown():
    after_each, shown = stream(["Paris.", "\nUs", "er", ":", " more"], [USER])
    assert after_each == ["Paris."] * 4  # the answer ends with the token that completes the stop
    assert shown == [token(0, "Paris.")]


def test_a_partial_match_that_is_no_stop_is_released_in_order():
    after_each, shown = stream(["Hi", "\nUs", "age", "!"], [USER])
    assert after_each == ["Hi", "Hi", "Hi\nUsage", "Hi\nUsage!"]
    assert shown == [token(0, "Hi"), token(1, "\nUs"), token(2, "age"), token(3, "!")]


def test_text_held_when_the_answer_ends_is_shown():
    after_each, shown = stream(["Hi", "\nUs"], [USER])
    assert after_each == ["Hi", "Hi"]
    assert shown == [token(0, "Hi"), token(1, "\nUs")]


def test_each_of_several_stops_holds_back_its_own_start():
    stops = [USER, "\nAssistant:"]
    after_each, shown = stream(["OK", "\n", "A", "ss", "istant", ":", " no"], stops)
    assert after_each == ["OK"] * 6
    assert shown == [token(0, "OK")]
    after_each, _ = stream(["OK", "\nU", "h"], stops)
    assert after_each == ["OK", "OK", "OK\nUh"]


def test_a_stop_at_the_very_start_shows_nothing():
    assert stream([USER, " Hallo"], [USER]) == ([""], [])
    assert stream(["\nUser: Hallo"], [USER]) == ([""], [])


def test_a_token_with_text_before_and_after_the_stop_keeps_only_the_text_before():
    after_each, shown = stream(["Yes", ". \nUser: next question"], [USER])
    assert after_each == ["Yes", "Yes. "]
    assert shown == [token(0, "Yes"), token(1, ". ")]


def test_multi_byte_characters_are_held_and_cut_as_characters():
    # An incomplete UTF-8 character decodes to "" until its last byte arrives (the engine's decoder).
    after_each, shown = stream(["Grüße aus K", "", "öln: ja"], ["Köln:"])
    assert after_each == ["", "", "Grüße aus "]
    assert shown == [token(0, "Grüße aus ")]  # token 1 is the first byte of the stop's "ö"
    after_each, shown = stream(["a🚀", "?"], ["🚀!"])
    assert after_each == ["", "a🚀?"]
    assert shown == [token(0, "a🚀"), token(1, "?")]


def _answer_until_stop(pieces: list[str], stops: list[str]) -> str:
    """What the answer must show: the text up to the earliest stop, once the first stop is complete."""
    text = ""
    for piece in pieces:
        text += piece
        found = [text.index(stop) for stop in stops if stop in text]
        if found:
            return text[: min(found)]
    return text


def _could_start_a_stop(text: str, stops: list[str]) -> bool:
    """Whether the text ends with a proper beginning of a stop."""
    return any(text.endswith(stop[:size]) for stop in stops for size in range(1, len(stop)) if size <= len(text))


PIECES = st.lists(st.text(alphabet="ab\nö🚀", max_size=4), max_size=8)
STOPS = st.lists(st.text(alphabet="ab\nö🚀", min_size=1, max_size=3), max_size=3)


@given(PIECES, STOPS)
def test_the_hold_back_shows_exactly_the_text_before_the_stop_in_order(pieces, stops):
    after_each, shown = stream(pieces, stops)
    assert joined(shown) == _answer_until_stop(pieces, stops)
    assert [event.pos for event in shown] == list(range(len(shown)))
    assert all(pieces[event.pos].startswith(event.text) for event in shown)
    ended_by_stop = any(stop in "".join(pieces[:len(after_each)]) for stop in stops)
    for count, text_shown in enumerate(after_each[:-1] if ended_by_stop else after_each, start=1):
        text = "".join(pieces[:count])
        assert text.startswith(text_shown)
        assert text_shown == text or _could_start_a_stop(text, stops), "held back without reason"
