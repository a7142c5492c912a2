"""Reasoning sections split from streamed answers: <think> tags and gpt-oss's harmony channels, with
tags split across pieces at every position."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.chat.reasoning import HARMONY_TAGS, THINK_CLOSE, THINK_OPEN, ReasoningSplitter

R1 = "<think>\nFirst I add 2 and 2.\nThat is 4.\n</think>\n\nThe answer is **4**."
HARMONY = ("<|channel|>analysis<|message|>User asks 2+2. Simple.<|end|>"
           "<|start|>assistant<|channel|>final<|message|>2 + 2 = 4.<|return|>")
ALL_TAGS = (THINK_OPEN, THINK_CLOSE, *HARMONY_TAGS)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def split(pieces, **options) -> ReasoningSplitter:
    splitter = ReasoningSplitter(**options)
    for piece in pieces:
        splitter.feed(piece)
    splitter.finish()
    return splitter


def states(pieces, **options) -> list[tuple[str, str]]:
    """(thinking, answer) after every piece, and at the end."""
    splitter = ReasoningSplitter(**options)
    seen = []
    for piece in pieces:
        splitter.feed(piece)
        seen.append((splitter.thinking, splitter.answer))
    splitter.finish()
    seen.append((splitter.thinking, splitter.answer))
    return seen


def assert_no_partial_tags(seen: list[tuple[str, str]]) -> None:
    """Every state on the way is a start of the final one: nothing shown is taken back, so no part
    of a tag was ever shown."""
    final_thinking, final_answer = seen[-1]
    for thinking, answer in seen:
        assert final_thinking.startswith(thinking), (thinking, final_thinking)
        assert final_answer.startswith(answer), (answer, final_answer)


def test_think_tags_split_the_reasoning_from_the_answer():
    splitter = split([R1])
    assert splitter.thinking == "First I add 2 and 2.\nThat is 4.\n"
    assert splitter.answer == "The answer is **4**."
    assert splitter.has_thinking and not splitter.is_thinking


@pytest.mark.parametrize("text", [R1, HARMONY])
def test_a_tag_split_at_every_position_gives_the_same_result(text):
    whole = split([text])
    for cut in range(1, len(text)):
        seen = states([text[:cut], text[cut:]])
        assert seen[-1] == (whole.thinking, whole.answer), cut
        assert_no_partial_tags(seen)


@pytest.mark.parametrize("text", [R1, HARMONY])
def test_one_character_at_a_time(text):
    seen = states(list(text))
    assert seen[-1] == states([text])[-1]
    assert_no_partial_tags(seen)
    assert not any("<" in thinking + answer for thinking, answer in seen)


def test_harmony_analysis_is_thinking_and_final_is_the_answer():
    splitter = split([HARMONY])
    assert splitter.thinking == "User asks 2+2. Simple."
    assert splitter.answer == "2 + 2 = 4."


def test_harmony_headers_and_constrain_are_never_shown():
    text = ("<|channel|>analysis<|message|>Need a tool.<|end|>"
            "<|start|>assistant<|channel|>commentary to=functions.get <|constrain|>json<|message|>{}<|call|>"
            "<|start|>assistant<|channel|>final<|message|>Done.")
    splitter = split([text])
    assert splitter.thinking == "Need a tool.\n\n{}"
    assert splitter.answer == "Done."


def test_a_prompt_that_opened_the_section_starts_inside_it():
    splitter = split(["Let me see", ". 4.\n</think>\n\n", "It is 4."], thinking=True)
    assert splitter.thinking == "Let me see. 4.\n"
    assert splitter.answer == "It is 4."


def test_a_lone_closing_tag_turns_what_came_before_into_thinking():
    splitter = ReasoningSplitter()
    splitter.feed("Let me see. 4.\n")
    assert splitter.answer == "Let me see. 4.\n" and splitter.thinking == ""
    splitter.feed("</think>\n\nIt is 4.")
    assert splitter.thinking == "Let me see. 4.\n"
    assert splitter.answer == "It is 4."


def test_think_tags_inside_an_answer_are_text():
    splitter = split(["<think>a</think>b ", "<think>c</think> d"])
    assert splitter.thinking == "a"
    assert splitter.answer == "b <think>c</think> d"


def test_think_tag_only_opens_at_the_start():
    splitter = split(["Use the ", "<think>", " tag."])
    assert splitter.thinking == "" and splitter.answer == "Use the <think> tag."


def test_an_empty_section_is_no_thinking():
    """Qwen3 with thinking switched off writes an empty section first."""
    splitter = split(["<think>\n\n</think>\n\n", "Hello"])
    assert not splitter.has_thinking and splitter.answer == "Hello"


def test_a_held_back_tag_start_is_text_at_the_end():
    splitter = ReasoningSplitter()
    splitter.feed("x <")
    assert splitter.answer == "x "
    splitter.finish()
    assert splitter.answer == "x <"


def test_thinking_is_timed_from_its_start_to_its_end():
    clock = Clock()
    splitter = ReasoningSplitter(clock=clock)
    assert splitter.thinking_seconds is None
    splitter.feed("<think>")
    clock.now += 2.5
    splitter.feed("hmm")
    assert splitter.is_thinking and splitter.thinking_seconds == pytest.approx(2.5)
    clock.now += 1.5
    splitter.feed("</think>Answer")
    clock.now += 10
    splitter.feed(" goes on")
    splitter.finish()
    assert splitter.thinking_seconds == pytest.approx(4.0)


def test_an_interrupted_section_counts_until_the_last_piece():
    clock = Clock()
    splitter = ReasoningSplitter(thinking=True, clock=clock)
    splitter.feed("thinking")
    clock.now += 3
    splitter.feed(" more")
    clock.now += 60
    splitter.finish()
    assert splitter.is_thinking and splitter.thinking_seconds == pytest.approx(3.0)


def test_harmony_thinking_is_timed():
    clock = Clock()
    splitter = ReasoningSplitter(clock=clock)
    splitter.feed("<|channel|>analysis<|message|>a")
    clock.now += 2
    splitter.feed("b<|end|>")
    clock.now += 5
    splitter.feed("<|start|>assistant<|channel|>final<|message|>c")
    assert splitter.thinking_seconds == pytest.approx(2.0)


_words = st.text(alphabet="ab <>/|\n", max_size=8)
_parts = st.lists(st.one_of(_words, st.sampled_from(ALL_TAGS + ("analysis", "final"))), max_size=12)


@settings(max_examples=300, deadline=None)
@given(parts=_parts, cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=12),
       thinking=st.booleans())
def test_any_split_of_any_text_gives_the_result_of_the_whole(parts, cuts, thinking):
    text = "".join(parts)
    points = sorted({cut % (len(text) + 1) for cut in cuts})
    pieces = [text[start:end] for start, end in zip([0, *points], [*points, len(text)])]
    assert states(pieces, thinking=thinking)[-1] == states([text], thinking=thinking)[-1]


@settings(max_examples=200, deadline=None)
@given(thinking_text=st.text(max_size=30).filter(lambda t: "<" not in t),
       answer_text=st.text(max_size=30).filter(lambda t: "<" not in t),
       cuts=st.lists(st.integers(min_value=0, max_value=100), max_size=8))
def test_streamed_think_sections_are_split_without_partial_tags(thinking_text, answer_text, cuts):
    text = f"<think>{thinking_text}</think>{answer_text}"
    points = sorted({cut % (len(text) + 1) for cut in cuts})
    pieces = [text[start:end] for start, end in zip([0, *points], [*points, len(text)])]
    seen = states(pieces)
    assert seen[-1] == (thinking_text.lstrip(), answer_text.lstrip())
    assert_no_partial_tags(seen)
