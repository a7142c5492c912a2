"""One answer from a company server, chunk by chunk, as the protocol's Token events and a Finished event.

A server sends text, not tokens. Each chunk with text stands for as many tokens as its usage says were
generated since the last one (servers asked for continuous usage statistics say so in every chunk), else
for one; the chunk's text goes with the last of them. Text a server splits off as reasoning is put between
``<think>`` and ``</think>``, as a local model writes it, so the chat shows it as thinking.

Routed experts come only when the answer is complete (SGLang sends them in one chunk after the last text,
vLLM only in a non-streamed response), so while routing was asked for, the tokens are held back and sent,
each with its routing, once the answer is complete; without routing they are sent as they come. A token's
``pos`` is its place in the answer (the server does not say where the answer starts in its context), its
``token`` id -1 (servers do not send ids).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from app.core.engine import protocol
from app.core.engine.routing import EMPTY_ROUTING, Routing
from app.core.models.gguf import ModelInfo
from app.core.remote.errors import MALFORMED, RemoteError
from app.core.remote.wire import Chunk, RoutedBlock, decode_ids, moe_rows, nested_ids, row_routing, shape_ids

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
NO_ID = -1

_STOP_REASONS = {"length": protocol.STOP_LENGTH, "abort": protocol.STOP_STOPPED,
                 "cancelled": protocol.STOP_STOPPED}


class AnswerBuilder:
    """Collects one answer's chunks and emits its tokens (at once, or at the end with their routing).

    Args:
        emit: called with each Token event, in order.
        info: the model's layout, for routing (None, or not MoE: no routing).
        routed: routed experts were asked for: tokens are held until ``finish``.
        stops: the request's stop strings (a finish on one of them is STOP_SEQUENCE).
        sampling: the settings sent, for Finished.sampling.
    """

    def __init__(self, emit: Callable[[protocol.Token], None], info: ModelInfo | None, routed: bool,
                 stops: tuple[str, ...] = (), sampling: dict | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self._emit = emit
        self._info = info if info is not None and info.is_moe else None
        self._hold = routed and self._info is not None
        self._stops = stops
        self._sampling = dict(sampling or {})
        self._clock = clock
        self._started = clock()
        self._texts: list[str] = []
        self._times: list[float] = []
        self._sent = 0
        self._thinking = False
        self._counted = 0  # completion tokens the server counted up to the last chunk with text
        self._blocks: dict[str, RoutedBlock] = {}
        self._unsplit = False  # a whole answer came without its tokens' texts: routing cannot be matched
        self.prompt_tokens: int | None = None
        self.completion_tokens: int | None = None
        self.cached_tokens: int | None = None
        self.finish_reason: str | None = None
        self._matched_stop: object = None

    def add(self, chunk: Chunk) -> None:
        """Take one chunk (or a whole non-streamed answer)."""
        now = self._clock()
        usage = chunk.usage
        if usage is not None:
            self.prompt_tokens = usage.prompt_tokens if usage.prompt_tokens is not None else self.prompt_tokens
            self.cached_tokens = usage.cached_tokens if usage.cached_tokens is not None else self.cached_tokens
        texts = _token_texts(chunk)
        if texts is not None:
            self._take(texts, now)
        else:
            self._unsplit = self._unsplit or chunk.whole
            piece = self._piece(chunk)
            if piece:
                done = usage.completion_tokens if usage is not None and not chunk.whole else None
                count = max(1, done - self._counted) if done is not None else 1
                self._take([""] * (count - 1) + [piece], now)
        if usage is not None and usage.completion_tokens is not None:
            self.completion_tokens = usage.completion_tokens
            if self._piece_seen(chunk):
                self._counted = usage.completion_tokens
        for block in chunk.routed:
            self._blocks[block.scope] = block
        if chunk.finish_reason is not None:
            self.finish_reason = chunk.finish_reason
            self._matched_stop = chunk.matched_stop
        if not self._hold:
            self._release([EMPTY_ROUTING] * (len(self._texts) - self._sent))

    @staticmethod
    def _piece_seen(chunk: Chunk) -> bool:
        return bool(chunk.text or chunk.reasoning or chunk.token_texts)

    def _piece(self, chunk: Chunk) -> str:
        """The chunk's text, reasoning put between think tags."""
        piece = ""
        if chunk.reasoning:
            if not self._thinking:
                piece, self._thinking = THINK_OPEN, True
            piece += chunk.reasoning
        if chunk.text:
            if self._thinking:
                piece, self._thinking = piece + THINK_CLOSE, False
            piece += chunk.text
        return piece

    def _take(self, texts: list[str], now: float) -> None:
        self._texts.extend(texts)
        self._times.extend([now] * len(texts))

    def _release(self, routings: list[Routing]) -> None:
        for routing in routings:
            index = self._sent
            self._emit(protocol.Token(index, NO_ID, self._texts[index], protocol.ANSWER, routing))
            self._sent += 1

    def finish(self, stopped: bool) -> protocol.Finished:
        """The answer ended (``stopped``: MoEscope closed it): send what was held back, each token with its
        routing, and return the Finished event. Raises RemoteError(MALFORMED) after sending the tokens
        without routing when the routing sent cannot be matched to them."""
        held = len(self._texts) - self._sent
        try:
            routings = self._routings() if self._hold and not stopped else [EMPTY_ROUTING] * len(self._texts)
        except RemoteError:
            self._release([EMPTY_ROUTING] * held)
            raise
        self._release(routings[self._sent:])
        return self._finished(stopped)

    def _routings(self) -> list[Routing]:
        count = len(self._texts)
        sequence, answer = self._blocks.get("sequence"), self._blocks.get("answer")
        if count == 0 or (sequence is None and answer is None) or self._unsplit:
            return [EMPTY_ROUTING] * count
        info = self._info
        if sequence is not None:
            if self.prompt_tokens is None:
                raise RemoteError(MALFORMED, "The server sent routed experts but did not say how many tokens the "
                                  "prompt has, so they cannot be matched to the answer.")
            first = self.prompt_tokens
            generated = self.completion_tokens if self.completion_tokens is not None else count
            rows = moe_rows(shape_ids(decode_ids(sequence.encoded), info,
                                      (first + generated - 1, first + generated)), info)
        else:
            first, rows = 0, moe_rows(nested_ids(answer.nested), info)
        return [row_routing(rows[first + index], info) if first + index < len(rows) else EMPTY_ROUTING
                for index in range(count)]

    def _finished(self, stopped: bool) -> protocol.Finished:
        answer = self.completion_tokens if self.completion_tokens is not None else len(self._texts)
        prompt = self.prompt_tokens or 0
        first = self._times[0] if self._times else None
        last = self._times[-1] if self._times else None
        rate = (len(self._times) - 1) / (last - first) if first is not None and last > first else 0.0
        return protocol.Finished(
            prompt_tokens=prompt, answer_tokens=answer,
            ttft_s=round(first - self._started, 4) if first is not None else 0.0,
            tokens_per_s=round(rate, 2), stop_reason=self._stop_reason(stopped),
            context_used=prompt + answer, reused_tokens=self.cached_tokens or 0, sampling=self._sampling)

    def _stop_reason(self, stopped: bool) -> str:
        if stopped:
            return protocol.STOP_STOPPED
        if self.finish_reason in _STOP_REASONS:
            return _STOP_REASONS[self.finish_reason]
        if isinstance(self._matched_stop, str) and self._matched_stop in self._stops:
            return protocol.STOP_SEQUENCE
        return protocol.STOP_EOS


def _token_texts(chunk: Chunk) -> list[str] | None:
    """A whole answer's tokens' texts (from logprobs), cut to its text where the last ones name special tokens
    the text leaves out; None when there are none or they do not spell the text (or reasoning was split off)."""
    if chunk.token_texts is None or chunk.reasoning:
        return None
    texts, left = [], chunk.text
    for text in chunk.token_texts:
        kept = text if left.startswith(text) else ""
        if text and not kept and left:
            return None
        texts.append(kept)
        left = left[len(kept):]
    return texts if not left else None
