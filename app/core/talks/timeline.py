"""The tokens of one answer as a timeline to select in and replay: built from a stored RoutingTrace (after a
restart too) or appended to token by token while the answer is written.

A Timeline holds every prompt and answer token with its routing, the selection (a cursor and the anchor of
a shift-selected range), and answers the questions the expert view asks of a selection: the share of
routing weight per (layer, expert) over a range, how many times each expert was chosen, and each token's
top-1 expert in a layer. Sums over a range cost at most two blocks of tokens whatever the range's length
(prefix sums per block of BLOCK tokens), so dragging a range over 10,000 tokens stays cheap.

Replay moves the same cursor through the tokens at the answer's own token rate times a speed: prompt
tokens were read as one batch, so they pass at once, as they did live; answer tokens follow one every
``1 / (tokens_per_s × speed)`` seconds.

Token numbers, the same everywhere: an answer token is numbered from 1 at the first answer token of the
timeline; a prompt token by its position in the conversation, from 1.

Routing without weights (a company server reports which experts were chosen, not their gate weights):
the timeline's ``weights_reported`` turns False, and each chosen expert counts 1/k, so that every "share
of weight" below is the expert's share of its layer's choices. ``to_trace`` writes NaN for those weights
(how a stored trace keeps the fact), and ``from_trace`` reads NaN weights back the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from app.core.chat.model import RoutingTrace
from app.core.engine import protocol

SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0)
"""Replay speeds, slowest first; 1.0 replays at the speed the answer was written."""

DEFAULT_TOKENS_PER_S = 10.0
"""Replay rate of an answer whose rate is unknown (no figures kept, fewer than two tokens seen live)."""

BLOCK = 256
"""Tokens per block of the prefix sums behind ``range_weights`` and ``range_counts``."""

_FIRST_CAPACITY = 64


class Timeline:
    """Prompt and answer tokens in order, with routing, selection and replay state. A live answer starts
    from ``Timeline(model's MoE layers, k, n_experts)`` and grows by ``append``.

    Attributes:
        layers: the MoE layers of the routing, one row each in every per-layer array.
        k: experts chosen per token and layer.
        n_experts: routed experts per layer (columns of the per-expert arrays).
        anchor, cursor: the selection is the tokens from ``min(anchor, cursor)`` to ``max(...)``,
            both included; the cursor is the token shown (-1, -1: nothing selected, empty timeline).
        replay: the Replay that moves the cursor.
        weights_reported: False once a token came without gate weights (then each chosen expert weighs 1/k).
    """

    def __init__(self, layers: Sequence[int], k: int, n_experts: int) -> None:
        self.layers = tuple(int(layer) for layer in layers)
        self.k = int(k)
        self.n_experts = int(n_experts)
        self.anchor = -1
        self.cursor = -1
        self.replay = Replay(self)
        self.weights_reported = True
        self._n = 0
        self._positions = np.zeros(_FIRST_CAPACITY, dtype=np.int32)
        self._token_ids = np.zeros(_FIRST_CAPACITY, dtype=np.int32)
        self._answer = np.zeros(_FIRST_CAPACITY, dtype=bool)
        self._experts = np.full((_FIRST_CAPACITY, len(self.layers), self.k), -1, dtype=np.int32)
        self._weights = np.zeros((_FIRST_CAPACITY, len(self.layers), self.k), dtype=np.float32)
        self._scores: np.ndarray | None = None  # [capacity, layers, n_experts], NaN where not captured
        self.texts: list[str] = []
        self._first_answer: int | None = None
        self._rate: float | None = None
        self._answer_times: list[float] = []
        cells = len(self.layers) * self.n_experts
        self._prefix_weights = [np.zeros(cells)]  # [b]: sum over tokens [0, b * BLOCK)
        self._prefix_counts = [np.zeros(cells)]

    # --- building --------------------------------------------------------------------------------

    @classmethod
    def from_trace(cls, trace: RoutingTrace, n_experts: int | None = None,
                   tokens_per_s: float | None = None) -> Timeline:
        """A timeline of a stored answer; ``n_experts`` from the model (else the highest expert seen + 1),
        ``tokens_per_s`` from the answer's figures (AnswerStats), used by replay."""
        seen = int(trace.experts.max(initial=-1)) + 1
        timeline = cls(trace.layers.tolist(), int(trace.experts.shape[2]), max(n_experts or 0, seen))
        answer = np.array([source == protocol.ANSWER for source in trace.sources], dtype=bool)
        scores = trace.scores if trace.scores is not None and trace.scores.shape[2] == timeline.n_experts else None
        weights = trace.weights
        if np.isnan(weights).any():
            timeline.weights_reported = False
            weights = timeline._uniform(trace.experts)
        timeline._add(trace.positions, answer, trace.experts, weights, trace.texts, scores, trace.tokens)
        timeline.set_tokens_per_s(tokens_per_s)
        return timeline

    def append(self, tokens: Iterable[protocol.Token], at: float | None = None) -> None:
        """Add live tokens (a PromptRouting's, or one Token); ``at``: when they arrived (a monotonic clock,
        seconds), from which the answer's token rate is measured until ``set_tokens_per_s``. A token
        without routing, or routed over other layers, is kept with expert -1 (not captured); one whose
        routing has no weights turns ``weights_reported`` off."""
        tokens = list(tokens)
        n, width = len(tokens), len(self.layers)
        experts = np.full((n, width, self.k), -1, dtype=np.int32)
        weights = np.zeros((n, width, self.k), dtype=np.float32)
        for index, token in enumerate(tokens):
            routing = token.routing
            if routing.layers == self.layers and routing.experts.shape[1] == self.k:
                experts[index] = routing.experts
                if routing.weights_reported:
                    weights[index] = routing.weights
                else:
                    self.weights_reported = False
                    weights[index] = self._uniform(routing.experts)
        scores = None
        if any(token.routing.scores is not None for token in tokens):
            scores = np.full((n, width, self.n_experts), np.nan, dtype=np.float32)
            for index, token in enumerate(tokens):
                routing = token.routing
                if routing.scores is not None and routing.layers == self.layers \
                        and routing.scores.shape == scores.shape[1:]:
                    scores[index] = routing.scores
        answer = np.array([token.source == protocol.ANSWER for token in tokens], dtype=bool)
        self._add(np.array([token.pos for token in tokens], dtype=np.int32), answer, experts, weights,
                  [token.text for token in tokens], scores, np.array([token.token for token in tokens], dtype=np.int32))
        if at is not None:
            self._answer_times.extend([at] * int(answer.sum()))

    def _add(self, positions: np.ndarray, answer: np.ndarray, experts: np.ndarray, weights: np.ndarray,
             texts: Sequence[str], scores: np.ndarray | None, token_ids: np.ndarray) -> None:
        start, count = self._n, len(texts)
        self._reserve(start + count)
        end = start + count
        self._token_ids[start:end] = token_ids
        if scores is not None:
            if self._scores is None:
                self._scores = np.full((self._positions.shape[0], len(self.layers), self.n_experts), np.nan,
                                       dtype=np.float32)
            self._scores[start:end] = scores
        self._positions[start:end] = positions
        self._answer[start:end] = answer
        if self.layers and self.k:
            self._experts[start:end] = experts
            self._weights[start:end] = weights
        self.texts.extend(texts)
        self._n = end
        if self._first_answer is None and answer.any():
            self._first_answer = start + int(np.argmax(answer))
        while len(self._prefix_weights) <= end // BLOCK:
            block = len(self._prefix_weights) - 1
            weights_sum, counts_sum = self._block_sums(block * BLOCK, (block + 1) * BLOCK)
            self._prefix_weights.append(self._prefix_weights[-1] + weights_sum)
            self._prefix_counts.append(self._prefix_counts[-1] + counts_sum)

    def _uniform(self, experts: np.ndarray) -> np.ndarray:
        """Weights of 1/k for the chosen experts (0 where not captured): routing reported without weights."""
        return np.where(experts >= 0, 1.0 / self.k if self.k else 0.0, 0.0).astype(np.float32)

    def _reserve(self, size: int) -> None:
        """Room for ``size`` tokens, at least twice the room there was, so that appending stays cheap."""
        capacity = self._positions.shape[0]
        if size <= capacity:
            return
        capacity = max(size, 2 * capacity)
        self._positions = _grown(self._positions, capacity, 0)
        self._token_ids = _grown(self._token_ids, capacity, 0)
        self._answer = _grown(self._answer, capacity, False)
        self._experts = _grown(self._experts, capacity, -1)
        self._weights = _grown(self._weights, capacity, 0)
        if self._scores is not None:
            self._scores = _grown(self._scores, capacity, np.nan)

    def set_tokens_per_s(self, rate: float | None) -> None:
        """The answer's token rate as the engine measured it (Finished, AnswerStats); None: measure it
        from the arrival times given to ``append``."""
        self._rate = rate if rate and rate > 0 else None

    # --- reading ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n

    @property
    def positions(self) -> np.ndarray:
        """``[n]`` positions in the conversation (int32)."""
        return self._positions[: self._n]

    @property
    def is_answer(self) -> np.ndarray:
        """``[n]`` whether each token is an answer token (else a prompt token)."""
        return self._answer[: self._n]

    @property
    def experts(self) -> np.ndarray:
        """``[n, layers, k]`` chosen experts, highest score first; -1 where not captured."""
        return self._experts[: self._n]

    @property
    def weights(self) -> np.ndarray:
        """``[n, layers, k]`` gate weights of the chosen experts (1/k each where not reported)."""
        return self._weights[: self._n]

    @property
    def first_answer(self) -> int | None:
        """Index of the first answer token; None while there is none."""
        return self._first_answer

    @property
    def answer_count(self) -> int:
        return 0 if self._first_answer is None else int(self.is_answer[self._first_answer :].sum())

    @property
    def tokens_per_s(self) -> float:
        """The answer's token rate: as set, else as measured live, else DEFAULT_TOKENS_PER_S."""
        if self._rate is not None:
            return self._rate
        times = self._answer_times
        if len(times) >= 2 and times[-1] > times[0]:
            return (len(times) - 1) / (times[-1] - times[0])
        return DEFAULT_TOKENS_PER_S

    def number(self, index: int) -> int:
        """The token's number as shown everywhere: answer tokens from 1 at the first answer token, prompt
        tokens by position in the conversation, from 1."""
        if self._answer[index] and self._first_answer is not None:
            return index - self._first_answer + 1
        return int(self._positions[index]) + 1

    def to_trace(self) -> RoutingTrace:
        """The timeline's tokens as a RoutingTrace (for export): what ``from_trace`` reads back; NaN weights
        for chosen experts when the weights were not reported."""
        n = self._n
        weights = self._weights[:n].copy()
        if not self.weights_reported:
            weights[self._experts[:n] >= 0] = np.nan
        return RoutingTrace(
            positions=self._positions[:n].copy(), tokens=self._token_ids[:n].copy(), texts=tuple(self.texts),
            sources=tuple(protocol.ANSWER if answer else protocol.PROMPT for answer in self._answer[:n]),
            layers=np.array(self.layers, dtype=np.int32), experts=self._experts[:n].copy(),
            weights=weights, scores=None if self._scores is None else self._scores[:n].copy())

    def scores(self, index: int, layer: int) -> np.ndarray | None:
        """``[n_experts]`` the router's scores over all experts for token ``index`` in MoE layer ``layer``;
        None where they were not captured."""
        if self._scores is None:
            return None
        row = self._scores[index, self.row_of(layer)]
        return None if np.isnan(row).any() else row

    def row_of(self, layer: int) -> int:
        """The row of MoE layer ``layer`` in the per-layer arrays; ValueError for a layer without experts."""
        return self.layers.index(layer)

    def top1(self, layer: int) -> np.ndarray:
        """``[n]`` each token's top-1 expert in MoE layer ``layer`` (-1: not captured)."""
        if not self.k:
            return np.full(self._n, -1, dtype=np.int32)
        return self._experts[: self._n, self.row_of(layer), 0]

    def top1_all(self, lo: int, hi: int) -> np.ndarray:
        """``[hi - lo + 1, layers]`` the top-1 experts of tokens ``lo``..``hi`` in every MoE layer."""
        if not self.k:
            return np.full((hi - lo + 1, len(self.layers)), -1, dtype=np.int32)
        return self._experts[lo : hi + 1, :, 0]

    def token_weights(self, index: int) -> np.ndarray:
        """``[layers, n_experts]`` token ``index``'s gate weight per (layer, expert): 0 where not chosen."""
        values = np.zeros((len(self.layers), self.n_experts))
        experts, weights = self._experts[index], self._weights[index]
        rows = np.broadcast_to(np.arange(len(self.layers))[:, None], experts.shape)
        valid = (experts >= 0) & (experts < self.n_experts)
        values[rows[valid], experts[valid]] = weights[valid]
        return values

    def range_weights(self, lo: int, hi: int) -> np.ndarray:
        """``[layers, n_experts]`` gate weight summed over tokens ``lo``..``hi`` (both included)."""
        return self._range(lo, hi, self._prefix_weights, 0)

    def range_counts(self, lo: int, hi: int) -> np.ndarray:
        """``[layers, n_experts]`` how many of tokens ``lo``..``hi`` chose each expert, per layer."""
        return self._range(lo, hi, self._prefix_counts, 1)

    def range_share(self, lo: int, hi: int) -> np.ndarray:
        """``[layers, n_experts]`` each expert's share of its layer's routing weight over tokens
        ``lo``..``hi``: rows sum to 1 (0 for a layer without routing in the range). For the "whole answer"
        view while replaying: ``range_share(first_answer, cursor)``."""
        totals = self.range_weights(lo, hi)
        sums = totals.sum(axis=1, keepdims=True)
        return np.divide(totals, sums, out=np.zeros_like(totals), where=sums > 0)

    def _range(self, lo: int, hi: int, prefix: list[np.ndarray], which: int) -> np.ndarray:
        lo, hi = max(lo, 0), min(hi, self._n - 1)
        shape = (len(self.layers), self.n_experts)
        if hi < lo:
            return np.zeros(shape)
        total = self._prefix(hi + 1, prefix, which) - self._prefix(lo, prefix, which)
        return total.reshape(shape)

    def _prefix(self, end: int, prefix: list[np.ndarray], which: int) -> np.ndarray:
        """Sum over tokens [0, end): the block prefix plus the tokens of ``end``'s own block."""
        block = end // BLOCK
        if block * BLOCK == end:
            return prefix[block]
        return prefix[block] + self._block_sums(block * BLOCK, end)[which]

    def _block_sums(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        cells = len(self.layers) * self.n_experts
        experts = self._experts[lo:hi]
        valid = (experts >= 0) & (experts < self.n_experts)
        rows = np.broadcast_to(np.arange(len(self.layers), dtype=np.int64)[None, :, None], experts.shape)
        flat = (rows * self.n_experts + experts)[valid]
        weights = np.bincount(flat, weights=self._weights[lo:hi][valid], minlength=cells)
        counts = np.bincount(flat, minlength=cells).astype(np.float64)
        return weights[:cells], counts[:cells]

    # --- selection -------------------------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int]:
        """``(lo, hi)``: the selected tokens, both included; (-1, -1) when nothing is selected."""
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    @property
    def is_range(self) -> bool:
        return self.anchor != self.cursor

    def select(self, index: int, extend: bool = False) -> bool:
        """Put the cursor on token ``index`` (clamped to the timeline); ``extend`` keeps the anchor, so
        the selection becomes the range between them. Returns whether the selection changed."""
        if not self._n:
            return False
        index = min(max(index, 0), self._n - 1)
        before = (self.anchor, self.cursor)
        self.cursor = index
        if not extend or self.anchor < 0:
            self.anchor = index
        return (self.anchor, self.cursor) != before

    def move(self, steps: int, extend: bool = False) -> bool:
        """Move the cursor by ``steps`` tokens (see ``select``)."""
        return self.select(self.cursor + steps if self.cursor >= 0 else 0, extend)

    def answer_range(self) -> tuple[int, int]:
        """``(lo, hi)`` of the answer tokens; the whole timeline while there are none."""
        return (self._first_answer if self._first_answer is not None else 0), self._n - 1

    def figures_range(self) -> tuple[int, int]:
        """The tokens a speaker's numbers are about: the selected range, else the answer so far."""
        return self.selection if self.is_range else self.answer_range()


def _grown(array: np.ndarray, capacity: int, fill) -> np.ndarray:
    """``array`` with room for ``capacity`` rows, the new rows set to ``fill``."""
    grown = np.empty((capacity, *array.shape[1:]), dtype=array.dtype)
    grown[: array.shape[0]] = array
    grown[array.shape[0] :] = fill
    return grown


class Replay:
    """Plays a Timeline's cursor forward at the answer's own rate times ``speed``.

    The caller's clock drives it: ``advance(elapsed)`` after each tick moves the cursor over every token
    that became due (several per tick at high token rates), so that the replay keeps the rate whatever
    the tick. Reaching the last token stops it.

    Attributes:
        playing: whether the cursor moves on by itself.
        speed: one of SPEEDS.
    """

    def __init__(self, timeline: Timeline) -> None:
        self._timeline = timeline
        self.playing = False
        self.speed = 1.0
        self._owed = 0.0

    @property
    def at_end(self) -> bool:
        return self._timeline.cursor >= len(self._timeline) - 1

    def play(self) -> bool:
        """Start playing; from the last token, start over at the first. Returns whether the cursor moved."""
        timeline = self._timeline
        if not len(timeline):
            return False
        moved = timeline.select(0) if self.at_end or timeline.cursor < 0 else timeline.select(timeline.cursor)
        self.playing = True
        self._owed = 0.0
        return moved

    def pause(self) -> None:
        self.playing = False
        self._owed = 0.0

    def toggle(self) -> bool:
        """Play or pause; returns whether the cursor moved."""
        if self.playing:
            self.pause()
            return False
        return self.play()

    def step(self, steps: int) -> bool:
        """Pause and move the cursor by ``steps`` tokens; returns whether it moved."""
        self.pause()
        return self._timeline.move(steps)

    def to_start(self) -> bool:
        self.pause()
        return self._timeline.select(0)

    def to_end(self) -> bool:
        self.pause()
        return self._timeline.select(len(self._timeline) - 1)

    def set_speed(self, speed: float) -> None:
        if speed not in SPEEDS:
            raise ValueError(f"replay speed {speed} is not one of {SPEEDS}")
        self.speed = speed

    def faster(self, steps: int = 1) -> None:
        """The next speed up (``steps`` < 0: down), staying within SPEEDS."""
        index = min(max(SPEEDS.index(self.speed) + steps, 0), len(SPEEDS) - 1)
        self.speed = SPEEDS[index]

    def delay_to_next(self) -> float:
        """Seconds from the cursor's token to the next one at this speed: 0 within the prompt (read as one
        batch), ``1 / (tokens_per_s × speed)`` for an answer token."""
        timeline = self._timeline
        following = timeline.cursor + 1
        if following >= len(timeline) or not timeline.is_answer[following]:
            return 0.0
        return 1.0 / (timeline.tokens_per_s * self.speed)

    def due_in(self) -> float:
        """Seconds until the next token is due (0: now), counting the time already passed."""
        return max(self.delay_to_next() - self._owed, 0.0)

    def advance(self, elapsed: float) -> bool:
        """``elapsed`` seconds have passed while playing: move over the tokens that became due. Returns
        whether the cursor moved."""
        if not self.playing:
            return False
        timeline = self._timeline
        self._owed += elapsed
        moved = False
        while not self.at_end:
            delay = self.delay_to_next()
            if delay > self._owed:
                break
            self._owed -= delay
            moved = timeline.select(timeline.cursor + 1) or moved
        if self.at_end:
            self.pause()
        return moved
