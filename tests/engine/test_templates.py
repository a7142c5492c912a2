"""Chat templates: the model's own through the sandboxed Jinja formatter, llama.cpp's built-ins, the plain
fallback, and hostile templates that must end in a clear error within the time limit.

The Jinja formatter comes from llama-cpp-python, whose import loads llama.cpp, so the fast tests render in a
child process (``render_in_child``); the slow ones go through the real engine on demo models.
"""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.core.engine import protocol
from app.core.engine.client import EngineClient
from app.core.engine.protocol import ASSISTANT, SYSTEM, USER, ChatMessage, Finished, Generate, PromptRouting, Token
from app.core.engine.session import EngineSession, SessionError
from app.core.engine.templates import (
    FAILED,
    PLAIN_STOPS,
    PLAIN_SYSTEM,
    RENDER_SECONDS,
    TIMEOUT,
    TOO_LONG,
    ChatFormat,
    TemplateError,
    time_limit,
)
from app.core.models.demo import BPE_MERGES, CHAT_TEMPLATE, REASONING_TEMPLATE, THINK_GRAMMAR, write_demo_model

ROOT = Path(__file__).resolve().parents[2]
BOS = 256 + len(BPE_MERGES)  # the demo vocabulary: 256 bytes, the merges, then BOS and EOS
EOS = BOS + 1
CONVERSATION = (ChatMessage(SYSTEM, "Be brief."), ChatMessage(USER, "Hi"), ChatMessage(ASSISTANT, "Hello"),
                ChatMessage(USER, "Grüße 🚀"))

NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
EXPONENTIAL_MACROS = ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
                      "{{ f(60) }}")
ENDLESS_RECURSION = "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"
BILLION_ROUNDS = "{% for i in range(10**9) %}{{ i }}{% endfor %}"
SANDBOX_ESCAPE = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
HOSTILE = {
    "nested-loops": (NESTED_LOOPS, TIMEOUT),
    "exponential-macros": (EXPONENTIAL_MACROS, TIMEOUT),
    "endless-recursion": (ENDLESS_RECURSION, FAILED),
    "billion-rounds": (BILLION_ROUNDS, FAILED),
    "sandbox-escape": (SANDBOX_ESCAPE, FAILED),
    "raise-exception": ("{{ raise_exception('Conversation roles must alternate') }}", FAILED),
    "syntax-error": ("{% for message in %}", FAILED),
    "two-megabytes": ("{{ messages }}" * 150_000, TOO_LONG),
}

CHILD = """
import json, sys, time
from app.core.engine.protocol import ChatMessage
from app.core.engine.templates import JinjaFormat, TemplateError
results = []
for case in json.load(sys.stdin):
    started = time.monotonic()
    try:
        chat = JinjaFormat(case["template"], case["bos"], case["eos"], case["strip_bos"])
        messages = tuple(ChatMessage(role, content) for role, content in case["messages"])
        prompt, stops = chat.render(messages, case["thinking"])
        results.append({"prompt": prompt, "stops": stops, "switch": chat.thinking_switch})
    except TemplateError as exc:
        results.append({"problem": exc.problem, "message": str(exc)})
    results[-1]["seconds"] = time.monotonic() - started
print(json.dumps(results))
"""


def render_in_child(*cases: dict) -> list[dict]:
    """Render each case (template, and optionally messages, thinking, bos, eos, strip_bos) with JinjaFormat
    in a child process; a dict with prompt, stops and switch, or problem and message, and seconds, for each."""
    full = [{"messages": [(m.role, m.content) for m in CONVERSATION], "thinking": None, "bos": "<s>",
             "eos": "</s>", "strip_bos": True, **case} for case in cases]
    result = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, input=json.dumps(full), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


# --- fast ----------------------------------------------------------------------------------------


def spin() -> None:
    """Loop for ever (the time limit traces frames that start inside it, as a template's do)."""
    while True:
        pass


def test_plain_fallback_is_the_conversation_as_lines_with_turn_markers_as_stops():
    prompt, stops = ChatFormat().render(CONVERSATION, thinking=True)
    assert prompt == f"{PLAIN_SYSTEM}\n\nSystem: Be brief.\nUser: Hi\nAssistant: Hello\nUser: Grüße 🚀\nAssistant:"
    assert stops == list(PLAIN_STOPS)
    assert ChatFormat().source == protocol.TEMPLATE_PLAIN and not ChatFormat().thinking_switch


def test_time_limit_stops_python_code_and_restores_the_trace_function():
    before = sys.gettrace()
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught, time_limit(0.2):
        spin()
    assert caught.value.problem == TIMEOUT and "0.2 s" in str(caught.value)
    assert time.monotonic() - started < 1.0
    assert sys.gettrace() is before


def test_time_limit_is_per_thread():
    """The trace function checks only the thread that renders; another thread's work past the deadline goes on."""
    finished = []

    def count() -> None:
        end = time.monotonic() + 0.5
        while time.monotonic() < end:
            pass
        finished.append(True)

    other = threading.Thread(target=count)
    with pytest.raises(TemplateError), time_limit(0.1):
        other.start()
        other.join()
        spin()
    assert finished == [True]


def test_model_template_renders_roles_bos_eos_and_generation_prompt():
    plain, reasoning, kept_bos = render_in_child(
        {"template": CHAT_TEMPLATE}, {"template": REASONING_TEMPLATE},
        {"template": REASONING_TEMPLATE, "strip_bos": False})
    assert plain["prompt"] == "system: Be brief.\nuser: Hi\nassistant: Hello\nuser: Grüße 🚀\nassistant: "
    assert plain["stops"] == [] and plain["switch"] is False
    assert reasoning["prompt"] == ("<|system|>Be brief.</s>\n<|user|>Hi</s>\n<|assistant|>Hello</s>\n"
                                   "<|user|>Grüße 🚀</s>\n<|assistant|><think>\n")
    assert kept_bos["prompt"] == "<s>" + reasoning["prompt"]


def test_thinking_switch_reaches_templates_that_have_one():
    default, on, off, ignored = render_in_child(
        {"template": REASONING_TEMPLATE}, {"template": REASONING_TEMPLATE, "thinking": True},
        {"template": REASONING_TEMPLATE, "thinking": False}, {"template": CHAT_TEMPLATE, "thinking": False})
    assert default["switch"] and default["prompt"].endswith("<|assistant|><think>\n")
    assert on["prompt"] == default["prompt"]
    assert off["prompt"].endswith("<|assistant|><think>\n\n</think>\n\n")
    assert ignored["prompt"].endswith("assistant: ")


def test_hostile_templates_end_in_a_clear_error_within_the_time_limit():
    results = render_in_child(*({"template": template} for template, _ in HOSTILE.values()))
    for (name, (_, problem)), result in zip(HOSTILE.items(), results):
        assert result.get("problem") == problem, (name, result)
        assert result["message"].startswith("The chat template ") and result["message"].endswith("."), result
        assert result["seconds"] < RENDER_SECONDS + 1.5, (name, result)
    by_name = dict(zip(HOSTILE, results))
    assert "Conversation roles must alternate" in by_name["raise-exception"]["message"]
    assert "unsafe" in by_name["sandbox-escape"]["message"]


# --- slow: through the engine ------------------------------------------------------------------------


def _next_of(events: queue.Queue, *kinds: type, timeout: float = 60.0) -> protocol.Event:
    while True:
        event = events.get(timeout=timeout)
        if isinstance(event, kinds):
            return event


def _prompt_and_answer(events) -> tuple[str, str]:
    routing = next(event for event in events if isinstance(event, PromptRouting))
    return ("".join(token.text for token in routing.tokens),
            "".join(event.text for event in events if isinstance(event, Token)))


@pytest.fixture(scope="module")
def reasoning_model(tmp_path_factory) -> Path:
    return write_demo_model(tmp_path_factory.mktemp("models") / "reasoning.gguf", arch="qwen3moe",
                            chat_template=REASONING_TEMPLATE, seed=3)


@pytest.mark.slow
def test_reasoning_template_and_grammar_drive_think_markup_through_the_engine(reasoning_model):
    question = (ChatMessage(USER, "Why?"),)
    with EngineSession() as session:
        loaded = session.load(str(reasoning_model), n_ctx=512)
        thinking = list(session.generate(Generate(messages=question, max_tokens=64, temperature=0.0,
                                                  grammar=THINK_GRAMMAR)))
        quick = list(session.generate(Generate(messages=question, max_tokens=4, temperature=0.0, thinking=False)))
    assert loaded.template == protocol.TEMPLATE_MODEL and loaded.thinking_switch and loaded.template_problem == ""
    prompt, answer = _prompt_and_answer(thinking)
    assert prompt.endswith("<|user|>Why?\n<|assistant|><think>\n"), prompt  # the EOS token's text is not shown
    prompt_tokens = [token.token for token in next(e for e in thinking if isinstance(e, PromptRouting)).tokens]
    assert prompt_tokens.count(BOS) == 1 and prompt_tokens[0] == BOS and EOS in prompt_tokens
    assert re.fullmatch(r"[a-z ]{1,24}</think>[a-z ]{1,24}", answer), answer
    assert thinking[-1].stop_reason == protocol.STOP_EOS
    assert _prompt_and_answer(quick)[0].endswith("<|assistant|><think>\n\n</think>\n\n")


@pytest.mark.slow
def test_model_without_template_gets_the_plain_prompt(tmp_path):
    model = write_demo_model(tmp_path / "bare.gguf", chat_template=None)
    with EngineSession() as session:
        loaded = session.load(str(model), n_ctx=256)
        events = list(session.generate(Generate(messages=(ChatMessage(USER, "hi"),), max_tokens=2)))
    assert (loaded.template, loaded.thinking_switch, loaded.template_problem) == (protocol.TEMPLATE_PLAIN, False, "")
    assert _prompt_and_answer(events)[0].startswith(PLAIN_SYSTEM)


@pytest.mark.slow
def test_unusable_templates_fall_back_to_a_builtin_or_plain_and_say_why(tmp_path):
    looping = write_demo_model(tmp_path / "looping.gguf", chat_template=NESTED_LOOPS)
    chatml = write_demo_model(tmp_path / "chatml.gguf",
                              chat_template="<|im_start|>{{ messages }}<|im_end|>" + SANDBOX_ESCAPE)
    question = (ChatMessage(USER, "hi"),)
    with EngineSession() as session:
        started = time.monotonic()
        loaded_looping = session.load(str(looping), n_ctx=256)
        load_seconds = time.monotonic() - started
        plain = list(session.generate(Generate(messages=question, max_tokens=2)))
        loaded_chatml = session.load(str(chatml), n_ctx=256)
        builtin = list(session.generate(Generate(messages=question, max_tokens=2)))
    assert loaded_looping.template == protocol.TEMPLATE_PLAIN and "longer than" in loaded_looping.template_problem
    assert load_seconds < RENDER_SECONDS + 20
    assert _prompt_and_answer(plain)[0].startswith(PLAIN_SYSTEM)
    assert loaded_chatml.template == "builtin:chatml" and "unsafe" in loaded_chatml.template_problem
    assert _prompt_and_answer(builtin)[0] == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"


@pytest.mark.slow
def test_template_that_fails_on_a_conversation_is_an_error_and_the_engine_goes_on(tmp_path):
    picky = ("{% if messages | length == 2 %}{{ raise_exception('Only one message, please') }}{% endif %}"
             "{% if messages | length > 2 %}" + NESTED_LOOPS + "{% endif %}" + CHAT_TEMPLATE)
    model = write_demo_model(tmp_path / "picky.gguf", chat_template=picky)
    two = (ChatMessage(USER, "a"), ChatMessage(ASSISTANT, "b"))
    with EngineSession() as session:
        assert session.load(str(model), n_ctx=256).template == protocol.TEMPLATE_MODEL
        for messages in (two, (*two, ChatMessage(USER, "c"))):
            with pytest.raises(SessionError):
                list(session.generate(Generate(messages=messages, max_tokens=2)))
        events = list(session.generate(Generate(messages=(ChatMessage(USER, "hi"),), max_tokens=2)))
    assert isinstance(events[-1], Finished)


@pytest.mark.slow
def test_template_errors_say_what_failed_on_the_wire(tmp_path):
    """The Error event itself: kind, reason and details the window turns into words."""
    picky = "{% if messages | length > 1 %}" + EXPONENTIAL_MACROS + "{% endif %}" + CHAT_TEMPLATE
    model = write_demo_model(tmp_path / "picky.gguf", chat_template=picky)
    events: queue.Queue = queue.Queue()
    client = EngineClient(events.put)
    client.start()
    try:
        client.send(protocol.Load(str(model), n_ctx=256))
        assert isinstance(_next_of(events, protocol.Loaded, protocol.Error), protocol.Loaded)
        started = time.monotonic()
        client.send(Generate(messages=(ChatMessage(USER, "a"), ChatMessage(ASSISTANT, "b")), max_tokens=2))
        error = _next_of(events, protocol.Error, Finished)
        seconds = time.monotonic() - started
    finally:
        client.close()
    assert (error.kind, error.reason) == (protocol.BAD_REQUEST, protocol.TEMPLATE_FAILED)
    assert error.details == {"source": protocol.TEMPLATE_MODEL, "problem": TIMEOUT}
    assert error.message == f"The chat template took longer than {RENDER_SECONDS:g} s."
    assert seconds < RENDER_SECONDS + 5
