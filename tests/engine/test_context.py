"""The context window through the real engine: the oldest turns go when the history no longer fits, the
system prompt never; a question that cannot fit at all is refused; the KV cache carries over from one turn to
the next; and the model's own sampling defaults apply where a request leaves a setting open."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import defaults
from app.core.engine import protocol
from app.core.engine.llama_driver import ANSWER_ROOM_SHARE
from app.core.engine.protocol import ASSISTANT, SYSTEM, USER, ChatMessage, Finished, Generate, PromptRouting, Token
from app.core.engine.session import EngineSession, SessionError
from app.core.models.demo import write_demo_model

pytestmark = pytest.mark.slow  # every test here runs llama.cpp

N_CTX = 256
MODEL_SAMPLING = {"temperature": 0.0, "top_k": 5, "min_p": 0.25}


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    return write_demo_model(tmp_path_factory.mktemp("models") / "context.gguf", arch="qwen3moe", seed=5,
                            sampling=MODEL_SAMPLING)


def prompt_text(events) -> str:
    routing = next(event for event in events if isinstance(event, PromptRouting))
    return "".join(token.text for token in routing.tokens)


def answer_text(events) -> str:
    return "".join(event.text for event in events if isinstance(event, Token))


def long_history(turns: int) -> list[ChatMessage]:
    history = [ChatMessage(SYSTEM, "SYSTEMPROMPT stays.")]
    for i in range(turns):
        history += [ChatMessage(USER, f"question{i} words"), ChatMessage(ASSISTANT, "answer words")]
    return history


def test_oldest_turns_are_dropped_and_the_system_prompt_kept(model):
    history = (*long_history(20), ChatMessage(USER, "LASTQUESTION"))
    with EngineSession() as session:
        session.load(str(model), n_ctx=N_CTX)
        events = list(session.generate(Generate(messages=history, max_tokens=32)))
    finished = events[-1]
    prompt = prompt_text(events)
    assert isinstance(finished, Finished)
    assert finished.dropped_messages > 0 and finished.dropped_messages % 2 == 0
    assert prompt.startswith("system: SYSTEMPROMPT stays.") and prompt.endswith("LASTQUESTION\nassistant: ")
    kept_first = finished.dropped_messages // 2
    assert kept_first < 20 and f"question{kept_first} " in prompt and f"question{kept_first - 1} " not in prompt
    assert finished.context_used == finished.prompt_tokens + finished.answer_tokens


def test_dropping_leaves_room_for_turns_to_come_and_the_next_turn_reuses_the_cache(model):
    """The fewest turns go that leave room for the answer and another quarter of the context; the next
    turn leaves out the same messages, so its prompt starts as the last one did and the cache carries over."""
    room, spare = min(32, N_CTX // ANSWER_ROOM_SHARE), N_CTX // ANSWER_ROOM_SHARE
    first_turn = (*long_history(20), ChatMessage(USER, "next"))
    with EngineSession() as session:
        session.load(str(model), n_ctx=N_CTX)
        first_events = list(session.generate(Generate(messages=first_turn, max_tokens=32)))
        first = first_events[-1]
        second_turn = (*first_turn, ChatMessage(ASSISTANT, answer_text(first_events)), ChatMessage(USER, "more"))
        second = list(session.generate(Generate(messages=second_turn, max_tokens=32)))[-1]
        one_turn_fewer = first_turn[:1] + first_turn[1 + first.dropped_messages - 2:]
        session.load(str(model), n_ctx=4 * N_CTX)  # room enough to measure it whole
        measured = list(session.generate(Generate(messages=one_turn_fewer, max_tokens=1)))[-1]
    assert first.dropped_messages > 0 and first.prompt_tokens + room + spare <= N_CTX
    assert measured.dropped_messages == 0 and measured.prompt_tokens + room + spare > N_CTX
    assert second.dropped_messages == first.dropped_messages
    assert second.reused_tokens >= first.prompt_tokens - 1


def test_a_last_question_that_cannot_fit_is_refused_and_the_engine_goes_on(model):
    long_question = ChatMessage(USER, "word " * 400)
    with EngineSession() as session:
        session.load(str(model), n_ctx=N_CTX)
        with pytest.raises(SessionError, match="context holds 256"):
            list(session.generate(Generate(messages=(ChatMessage(SYSTEM, "s"), long_question), max_tokens=8)))
        events = list(session.generate(Generate(messages=(ChatMessage(USER, "hi"),), max_tokens=2)))
    assert isinstance(events[-1], Finished) and events[-1].dropped_messages == 0


def test_a_follow_up_turn_reuses_the_cache(model):
    first_turn = (ChatMessage(SYSTEM, "Be brief."), ChatMessage(USER, "Guten Morgen, wie geht es?"))
    with EngineSession() as session:
        session.load(str(model), n_ctx=N_CTX)
        first = list(session.generate(Generate(messages=first_turn, max_tokens=8)))
        answer = answer_text(first)
        second_turn = (*first_turn, ChatMessage(ASSISTANT, answer), ChatMessage(USER, "Und morgen?"))
        second = list(session.generate(Generate(messages=second_turn, max_tokens=8)))
    one, two = first[-1], second[-1]
    assert one.reused_tokens == 0 and one.context_used == one.prompt_tokens + one.answer_tokens
    assert two.reused_tokens >= one.prompt_tokens - 1
    assert two.prompt_tokens - two.reused_tokens < two.prompt_tokens - one.prompt_tokens + 2


def test_sampling_comes_from_the_request_else_the_model_else_the_defaults(model):
    with EngineSession() as session:
        loaded = session.load(str(model), n_ctx=N_CTX)
        from_model = list(session.generate(Generate(prompt="Hallo", max_tokens=2, seed=3)))[-1]
        asked = list(session.generate(Generate(prompt="Hallo", max_tokens=2, temperature=0.5, top_k=7, seed=4)))[-1]
    assert loaded.info.sampling == MODEL_SAMPLING
    assert from_model.sampling == {"temperature": 0.0, "top_p": defaults.TOP_P, "top_k": 5, "min_p": 0.25,
                                   "repeat_penalty": defaults.REPEAT_PENALTY, "seed": 3}
    assert asked.sampling["temperature"] == 0.5 and asked.sampling["top_k"] == 7 and asked.sampling["min_p"] == 0.25


def test_a_grammar_llama_cpp_cannot_parse_is_refused(model):
    with EngineSession() as session:
        session.load(str(model), n_ctx=N_CTX)
        with pytest.raises(SessionError, match="grammar"):
            list(session.generate(Generate(prompt="Hallo", max_tokens=2, grammar="root ::= (")))
        events = list(session.generate(Generate(prompt="Hallo", max_tokens=2)))
    assert isinstance(events[-1], Finished) and events[-1].stop_reason in protocol.STOP_REASONS
