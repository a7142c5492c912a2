"""A reasoning section split from an answer while it streams: ``<think>…</think>`` (DeepSeek R1
distills, Qwen3) and gpt-oss's harmony channels (``<|channel|>analysis<|message|>…<|end|>`` is
thinking, ``<|start|>assistant<|channel|>final<|message|>…`` the answer).

Text arrives in pieces as the model writes it, and a tag may be split across pieces. A piece that
ends with what may be the start of a tag is held back until the next piece decides, so no part of a
tag ever shows. Where it is recognised:

- ``<think>`` only at the start of the answer (nothing but white space before it);
- ``</think>`` inside such a section, or, when no section was opened, anywhere in the answer: some
  templates (the R1 distills') put ``<think>`` into the prompt, so the model's text starts inside
  the section; what came before ``</think>`` was thinking. Where the template is known to do so,
  ``ReasoningSplitter(thinking=True)`` starts inside the section at once;
- harmony's markers anywhere: they are special tokens that ordinary text never spells. Header text
  (role, channel, ``<|constrain|>`` format) is never shown; the ``analysis`` and ``commentary``
  channels are thinking, every other channel the answer.

Leading white space of the answer and of the thinking text is dropped. Qt-free.
"""

from __future__ import annotations

import time
from collections.abc import Callable

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
HARMONY_START = "<|start|>"
HARMONY_CHANNEL = "<|channel|>"
HARMONY_CONSTRAIN = "<|constrain|>"
HARMONY_MESSAGE = "<|message|>"
HARMONY_ENDS = ("<|end|>", "<|return|>", "<|call|>")
HARMONY_TAGS = (HARMONY_START, HARMONY_CHANNEL, HARMONY_CONSTRAIN, HARMONY_MESSAGE, *HARMONY_ENDS)
THINKING_CHANNELS = ("analysis", "commentary")

_ANSWER = "answer"
_THINKING = "thinking"
_HEADER = "header"  # harmony's role and channel: never shown


class ReasoningSplitter:
    """Splits an answer's text, fed piece by piece, into its thinking and its answer.

    Attributes (read them after each ``feed``; they only grow, except once when a lone ``</think>``
    turns what was shown as the answer into thinking):
        thinking: the reasoning text so far.
        answer: the answer text so far.
    """

    def __init__(self, *, thinking: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        """``thinking``: the prompt already opened a ``<think>`` section (the text starts inside it).
        ``clock`` gives the times the thinking duration is measured with, in seconds."""
        self.thinking = ""
        self.answer = ""
        self._clock = clock
        self._where = _THINKING if thinking else _ANSWER
        self._by_think_tag = thinking  # the section open now ends with </think>
        self._had_section = thinking
        self._harmony = False
        self._header = ""
        self._held = ""
        self._first_fed: float | None = None
        self._last_fed: float | None = None
        self._thinking_since: float | None = None
        self._thinking_until: float | None = None

    @property
    def is_thinking(self) -> bool:
        """Whether the text arriving now belongs to the reasoning section."""
        return self._where == _THINKING

    @property
    def has_thinking(self) -> bool:
        """Whether a reasoning section with any text in it was seen."""
        return bool(self.thinking.strip())

    @property
    def thinking_seconds(self) -> float | None:
        """How long the model thought: from the first thinking text's arrival to the end of the last
        section (or, while it still thinks, to the latest piece); None without a section."""
        if self._thinking_since is None:
            return None
        until = self._last_fed if self.is_thinking or self._thinking_until is None else self._thinking_until
        return max(0.0, (until or self._thinking_since) - self._thinking_since)

    def feed(self, text: str) -> None:
        """Take the next piece of the model's text."""
        now = self._clock()
        if self._first_fed is None:
            self._first_fed = now
            if self._where == _THINKING:
                self._thinking_since = now
        self._last_fed = now
        buffer = self._held + text
        while True:
            found = self._next_tag(buffer)
            if found is None:
                break
            index, tag = found
            self._emit(buffer[:index])
            buffer = buffer[index + len(tag):]
            self._on_tag(tag, now)
        held = _partial_tag_length(buffer, self._tags())
        self._emit(buffer[:len(buffer) - held])
        self._held = buffer[len(buffer) - held:]

    def finish(self) -> None:
        """The answer ended: text held back as a possible tag start is text after all."""
        held, self._held = self._held, ""
        self._emit(held)
        if self._where == _THINKING:
            self._thinking_until = self._last_fed

    def _tags(self) -> tuple[str, ...]:
        tags = HARMONY_TAGS
        if self._harmony:
            return tags
        if self._where == _THINKING and self._by_think_tag:
            return (*tags, THINK_CLOSE)
        if self._where == _ANSWER and not self._had_section:
            return (*tags, THINK_CLOSE, THINK_OPEN) if not self.answer else (*tags, THINK_CLOSE)
        return tags

    def _next_tag(self, buffer: str) -> tuple[int, str] | None:
        best: tuple[int, str] | None = None
        for tag in self._tags():
            index = buffer.find(tag)
            if tag == THINK_OPEN and buffer[:index].strip():
                continue  # only at the start of the answer
            if index >= 0 and (best is None or index < best[0]):
                best = (index, tag)
        return best

    def _emit(self, text: str) -> None:
        if not text:
            return
        if self._where == _ANSWER:
            self.answer += text.lstrip() if not self.answer else text
        elif self._where == _THINKING:
            self.thinking += text.lstrip() if not self.thinking else text
        else:
            self._header += text

    def _on_tag(self, tag: str, now: float) -> None:
        if tag == THINK_OPEN:
            self._enter_thinking(now, by_think_tag=True)
        elif tag == THINK_CLOSE:
            if self._where == _ANSWER:  # the prompt opened the section: all so far was thinking
                self.thinking, self.answer = self.answer, ""
                self._thinking_since = self._first_fed
            self._leave(now, _ANSWER)
        elif tag in (HARMONY_START, HARMONY_CHANNEL):
            self._harmony = True
            self._leave(now, _HEADER)
            self._header = ""
        elif tag == HARMONY_MESSAGE:
            words = self._header.split()
            if words and words[0] in THINKING_CHANNELS:
                if self.thinking:
                    self.thinking += "\n\n"
                self._enter_thinking(now, by_think_tag=False)
            else:
                self._leave(now, _ANSWER)
        elif tag in HARMONY_ENDS:
            self._leave(now, _ANSWER)
        # HARMONY_CONSTRAIN: more header follows (the format), which stays unshown

    def _enter_thinking(self, now: float, *, by_think_tag: bool) -> None:
        self._where = _THINKING
        self._by_think_tag = by_think_tag
        self._had_section = True
        if self._thinking_since is None:
            self._thinking_since = now

    def _leave(self, now: float, where: str) -> None:
        if self._where == _THINKING:
            self._thinking_until = now
        self._where = where
        self._by_think_tag = False
        self._had_section = self._had_section or self._thinking_since is not None


def _partial_tag_length(text: str, tags: tuple[str, ...]) -> int:
    """Length of the longest end of ``text`` that is the start of one of ``tags`` (0: none)."""
    longest = min(len(text), max(len(tag) for tag in tags) - 1)
    for length in range(longest, 0, -1):
        end = text[-length:]
        if any(tag.startswith(end) for tag in tags):
            return length
    return 0
