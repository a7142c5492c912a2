"""How a conversation becomes a prompt: the model's own chat template, llama.cpp's built-in ones, or plain text.

Runs in the engine process only. ``chat_format`` picks, once per loaded model, the first of:

- ``model``: the Jinja template the GGUF carries (``tokenizer.chat_template``), rendered by llama-cpp-python's
  ``Jinja2ChatFormatter`` (jinja2's ImmutableSandboxedEnvironment) with the model's BOS and EOS text and the
  generation prompt, and ``enable_thinking`` when a request sets it and the template reads it (Qwen3's switch);
- ``builtin:<name>``: when that template cannot be used, the built-in llama.cpp recognises it as by its markers;
- ``plain``: "User: … / Assistant:" lines under a one-line system prompt, with those turn markers as stop
  sequences (base models, and models without a template such as the packaged Gemma).

A template is code from a downloaded file. The sandbox keeps it from Python's internals; ``time_limit`` stops
one that runs too long (a loop of 10**9 rounds, macros that call each other without end): while it renders, a
trace function checks a deadline at every Python call and every line of the compiled template and raises
TemplateError past it, so rendering stops inside the engine's own thread. A template is tried on a one-line
conversation while the model loads; one that fails there, or leaves the conversation out, is not used, and
``ChatFormat.problem`` says why.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
import time
from collections.abc import Iterator

from app.core.engine import protocol
from app.core.engine.protocol import TEMPLATE_BUILTIN, TEMPLATE_MODEL, TEMPLATE_PLAIN, ChatMessage

RENDER_SECONDS = 3.0
"""Longest a template may take to compile or render (a real one takes milliseconds)."""

MAX_TEMPLATE_CHARS = 1 << 20
"""Longer templates are not compiled at all (the longest real ones have some tens of thousands)."""

MAX_PROMPT_CHARS = 16 << 20
"""A rendered prompt longer than this is refused: far more than any context holds."""

THINKING_VARIABLE = "enable_thinking"

PROBE_CONVERSATION = (ChatMessage(protocol.USER, "Hello, MoEscope"),)

TIMEOUT = "timeout"
FAILED = "failed"
TOO_LONG = "too_long"

PLAIN_SYSTEM = "The following is a conversation between a user and a helpful assistant."
PLAIN_STOPS = ("\nUser:", "\nuser:", "\nAssistant:")
_PLAIN_ROLES = {protocol.USER: "User", protocol.ASSISTANT: "Assistant", protocol.SYSTEM: "System"}


class TemplateError(Exception):
    """A chat template that could not be used; ``problem`` is TIMEOUT, FAILED or TOO_LONG, the text an English
    sentence ("The chat template took longer than 3 s.")."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TemplateError(TIMEOUT) inside the block's Python code once ``seconds`` have passed.

    Installs a trace function in the calling thread (and puts back the one it had): the deadline is checked
    at every Python call, and at every line of the functions called inside the block (a template's compiled
    code, jinja2's own), not of the frame that is already running. A single long C call is not interrupted.
    """
    deadline = time.monotonic() + seconds

    def check(frame, event, arg):
        if time.monotonic() > deadline:
            raise TemplateError(TIMEOUT, f"The chat template took longer than {seconds:g} s.")
        return check

    previous = sys.gettrace()
    sys.settrace(check)
    try:
        yield
    finally:
        sys.settrace(previous)


class ChatFormat:
    """One way of turning a conversation into a prompt.

    Attributes:
        source: TEMPLATE_MODEL, TEMPLATE_BUILTIN + a llama.cpp template name, or TEMPLATE_PLAIN.
        thinking_switch: whether ``render`` honours ``thinking`` (the template reads enable_thinking).
        problem: why the model's own template is not used, in English ("" when it is, or has none).
    """

    source = TEMPLATE_PLAIN
    thinking_switch = False

    def __init__(self, problem: str = "") -> None:
        self.problem = problem

    def render(self, messages: tuple[ChatMessage, ...], thinking: bool | None = None) -> tuple[str, list[str]]:
        """The prompt for ``messages``, ready for an answer, and the stop sequences that end that answer."""
        lines = [PLAIN_SYSTEM, ""]
        for message in messages:
            lines.append(f"{_PLAIN_ROLES.get(message.role, 'User')}: {message.content.strip()}")
        lines.append("Assistant:")
        return "\n".join(lines), list(PLAIN_STOPS)


class JinjaFormat(ChatFormat):
    """The model's own Jinja template through llama-cpp-python's sandboxed formatter, time-limited.

    ``strip_bos``: the tokenizer adds BOS itself, so a prompt that starts with the BOS text loses it
    (as llama.cpp's own chat code does); otherwise the model would see BOS twice.
    """

    source = TEMPLATE_MODEL

    def __init__(self, template: str, bos: str, eos: str, strip_bos: bool) -> None:
        super().__init__()
        if len(template) > MAX_TEMPLATE_CHARS:
            raise TemplateError(TOO_LONG, f"The chat template is {len(template)} characters long, more than the "
                                          f"{MAX_TEMPLATE_CHARS} allowed.")
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self._bos = bos if strip_bos else ""
        self.thinking_switch = THINKING_VARIABLE in template
        try:
            with time_limit(RENDER_SECONDS):
                self._formatter = Jinja2ChatFormatter(template, eos_token=eos, bos_token=bos,
                                                      add_generation_prompt=True)
        except TemplateError:
            raise
        except Exception as exc:  # a syntax error, or whatever the template's code raised
            raise TemplateError(FAILED, f"The chat template does not compile: {_said(exc)}") from exc

    def render(self, messages: tuple[ChatMessage, ...], thinking: bool | None = None) -> tuple[str, list[str]]:
        extra = {THINKING_VARIABLE: thinking} if thinking is not None and self.thinking_switch else {}
        turns = [{"role": message.role, "content": message.content} for message in messages]
        try:
            with time_limit(RENDER_SECONDS):
                prompt = self._formatter(messages=turns, **extra).prompt
        except TemplateError:
            raise
        except Exception as exc:  # raise_exception(), a sandbox refusal, RecursionError, MemoryError ...
            raise TemplateError(FAILED, f"The chat template stopped with an error: {_said(exc)}") from exc
        if not isinstance(prompt, str) or len(prompt) > MAX_PROMPT_CHARS:
            raise TemplateError(TOO_LONG, f"The chat template made a prompt of more than {MAX_PROMPT_CHARS} "
                                          "characters.")
        if self._bos and prompt.startswith(self._bos):
            prompt = prompt[len(self._bos):]
        return prompt, []


class BuiltinFormat(ChatFormat):
    """One of llama.cpp's built-in chat formats, by name (``llama_chat_builtin_templates``)."""

    def __init__(self, ll, name: str, problem: str) -> None:
        super().__init__(problem)
        self._ll = ll
        self._name = name.encode()
        self.source = TEMPLATE_BUILTIN + name

    def render(self, messages: tuple[ChatMessage, ...], thinking: bool | None = None) -> tuple[str, list[str]]:
        prompt = _apply_builtin(self._ll, self._name, messages)
        if prompt is None:
            raise TemplateError(FAILED, f"llama.cpp's {self.source[len(TEMPLATE_BUILTIN):]} chat format failed.")
        return prompt, []


def chat_format(ll, model, vocab) -> ChatFormat:
    """The format for a loaded model: its own template if it renders a one-line conversation into a prompt
    that holds it, else the built-in llama.cpp recognises in it, else plain text."""
    raw = ll.llama_model_chat_template(model, None)
    if not raw:
        return ChatFormat()
    template = raw.decode("utf-8", errors="replace")
    try:
        own = JinjaFormat(template, _special_text(ll, vocab, ll.llama_vocab_bos(vocab)),
                          _special_text(ll, vocab, ll.llama_vocab_eos(vocab)), ll.llama_vocab_get_add_bos(vocab))
        if PROBE_CONVERSATION[0].content in own.render(PROBE_CONVERSATION)[0]:
            return own
        problem = "The chat template leaves the conversation out of the prompt."
    except TemplateError as exc:
        problem = str(exc)
    name = _builtin_name(ll, raw)
    return BuiltinFormat(ll, name, problem) if name else ChatFormat(problem)


def _said(exc: BaseException) -> str:
    """An exception as the end of a sentence: its own text (at most 200 characters), else its class name."""
    text = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
    return (text[:200] + "…" if len(text) > 200 else text) + "."


def _special_text(ll, vocab, token: int) -> str:
    if token < 0:
        return ""
    buffer = ctypes.create_string_buffer(256)
    size = ll.llama_token_to_piece(vocab, token, buffer, len(buffer), 0, True)
    return buffer.raw[:max(size, 0)].decode("utf-8", errors="replace")


def _apply_builtin(ll, template: bytes, messages: tuple[ChatMessage, ...]) -> str | None:
    """llama_chat_apply_template with a template name or text; None when llama.cpp does not know it."""
    chat = (ll.llama_chat_message * max(1, len(messages)))()
    encoded = [(m.role.encode(), m.content.encode()) for m in messages]
    for item, (role, content) in zip(chat, encoded):
        item.role, item.content = role, content
    size = ll.llama_chat_apply_template(template, chat, len(messages), True, None, 0)
    if size <= 0:
        return None
    buffer = ctypes.create_string_buffer(size + 1)
    ll.llama_chat_apply_template(template, chat, len(messages), True, buffer, size + 1)
    return buffer.raw[:size].decode("utf-8", errors="replace")


_BUILTIN_PROBE = (ChatMessage(protocol.SYSTEM, "S"), ChatMessage(protocol.USER, "U"),
                  ChatMessage(protocol.ASSISTANT, "A"), ChatMessage(protocol.USER, "V"))


def _builtin_name(ll, template: bytes) -> str | None:
    """The name of the built-in format llama.cpp recognises in a template's text (by its markers), or None:
    the first built-in whose rendering of a short conversation is the same."""
    detected = _apply_builtin(ll, template, _BUILTIN_PROBE)
    if detected is None:
        return None
    count = ll.llama_chat_builtin_templates(None, 0)
    names = (ctypes.c_char_p * count)()
    ll.llama_chat_builtin_templates(names, count)
    for name in names:
        if name and _apply_builtin(ll, name, _BUILTIN_PROBE) == detected:
            return name.decode()
    return None
