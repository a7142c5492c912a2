"""ComparisonRun: asks the same question twice, with two numbers of experts per token, through the
engine worker, and gives the model back its own number afterwards.

The run is a sequence of worker requests, each started when the event the one before waits for has
come: load the model with ``k`` of the first side (skipped when it already has that many), answer;
load with the second ``k``, answer the same request with the same seed; load with the model's own
``k`` again. The events carry no request id, so nothing else may ask the worker for anything while a
run is under way (the window blocks its chat and its model library meanwhile, see ``runningChanged``).

Stopping ends the answer being written (it is kept, as far as it got) or waits for the load under way,
then gives the model back its own ``k``. A failed request is told in words (app.ui.engine_words) and
the model is given back as well; after a lost engine the worker loads the model again by itself, with
the overridden ``k``, and the run gives it back its own once that load has come.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.core.engine import protocol
from app.core.engine.supervisor import ENGINE_START, NOT_RUNNING, Loss, Problem
from app.core.models.gguf import ModelInfo
from app.core.talks.timeline import Timeline
from app.ui.engine_words import compat_text, lost_text, problem_text
from app.worker import EngineWorker

IDLE = "idle"
LOADING = "loading"
ANSWERING = "answering"
RESTORING = "restoring"

DONE = "done"
STOPPED = "stopped"
FAILED = "failed"

OWN = 0
"""The load request's experts per token that keeps the model's own number (the worker's convention)."""
_UNKNOWN = -1
"""What the engine's model has after a failed load: not known, so it is loaded again in any case."""


def active_params_at(info: ModelInfo, k: int) -> int:
    """The parameters that work on one token of ``info``'s model with ``k`` experts per token, from its
    counts at its own k: every routed expert adds the same share of the experts' parameters (the
    engine's count after a load, ``Side.info.active_params``, may differ by rounding)."""
    own, n = info.n_experts_used, info.n_experts
    if n <= own:
        return info.active_params
    per_expert = (info.total_params - info.active_params) / (n - own)
    return round(info.active_params + (k - own) * per_expert)


@dataclass
class Side:
    """One of the two answers.

    Attributes:
        k: the experts per token asked for.
        info: the model as loaded with ``k`` (its ``active_params`` count ``k`` experts), None until then.
        timeline: the prompt and answer tokens with their routing, None until the model is loaded.
        text: the answer's text so far.
        routed_k: experts per token the router actually chose (from the first routed token; 0 before);
            differs from ``k`` where llama.cpp ignores the override.
        finished: the engine's figures of the answer, None until it ended.
    """

    k: int
    info: ModelInfo | None = None
    timeline: Timeline | None = None
    text: str = ""
    routed_k: int = 0
    finished: protocol.Finished | None = None

    def begin(self, info: ModelInfo) -> None:
        """The model is loaded for this side (again, after a crash): start from an empty answer."""
        self.info = info
        self.timeline = Timeline(info.moe_layers, info.n_experts_used, info.n_experts)
        self.text = ""
        self.routed_k = 0
        self.finished = None

    def add(self, tokens: tuple[protocol.Token, ...]) -> None:
        if self.timeline is None:
            return
        self.timeline.append(tokens, at=time.monotonic())
        for token in tokens:
            if token.source == protocol.ANSWER:
                self.text += token.text
            if not self.routed_k and token.routing:
                self.routed_k = int(token.routing.experts.shape[1])


class ComparisonRun(QObject):
    """Drives the worker through one comparison at a time (see the module docstring).

    Attributes:
        phase: IDLE, LOADING, ANSWERING or RESTORING.
        sides: the two Sides of the current (or last) run.
        current: the index in ``sides`` being loaded or answered, or None.
        outcome: how the last run ended: DONE, STOPPED or FAILED ("" before the first has ended).
        problem: what went wrong, in words ("" when nothing did).
        notice: what else happened that changes the figures, in words (compatibility mode; "" for nothing).
        info: the model as it was when the run started (its own ``k``).

    Signals:
        loadRequested(str, int, int), generateRequested(Generate): connected to the worker's slots.
        runningChanged(bool): a run started or ended (the model is back at its own ``k``).
        phaseChanged(): ``phase`` or ``current`` changed.
        ended(str): the run ended with this outcome.
    """

    loadRequested = Signal(str, int, int)
    generateRequested = Signal(object)
    runningChanged = Signal(bool)
    phaseChanged = Signal()
    ended = Signal(str)

    def __init__(self, worker: EngineWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.phase = IDLE
        self.sides: list[Side] = []
        self.current: int | None = None
        self.outcome = ""
        self.problem = ""
        self.notice = ""
        self.info: ModelInfo | None = None
        self._n_ctx = 0
        self._request = protocol.Generate()
        self._loaded = OWN  # the experts-per-token override the engine's model has now
        self._stopping = False
        self._give_back_after_reload = False
        self.loadRequested.connect(worker.load)
        self.generateRequested.connect(worker.generate)
        worker.loaded.connect(self._on_loaded)
        worker.promptRouting.connect(self._on_prompt_routing)
        worker.token.connect(self._on_token)
        worker.finished.connect(self._on_finished)
        worker.error.connect(self._on_error)
        worker.engineLost.connect(self._on_engine_lost)
        worker.compatibilityMode.connect(self._on_compatibility_mode)

    @property
    def running(self) -> bool:
        return self.phase != IDLE

    def start(self, info: ModelInfo, n_ctx: int, request: protocol.Generate, ks: tuple[int, int]) -> bool:
        """Answer ``request`` with each k of ``ks``, ``info`` being the model loaded now with its own k and
        ``n_ctx`` its context. Returns False (and does nothing) while a run is under way."""
        if self.running:
            return False
        self.info, self._n_ctx, self._request = info, n_ctx, request
        self.sides = [Side(int(k)) for k in ks]
        self.outcome = self.problem = self.notice = ""
        self._loaded = OWN
        self._stopping = False
        self._give_back_after_reload = False
        self.runningChanged.emit(True)
        self._next_side(0)
        return True

    def stop(self) -> None:
        """End the run early: the answer being written ends where it is, then the model gets its own k back."""
        if self.phase in (LOADING, ANSWERING):
            self._stopping = True
            if self.phase == ANSWERING:
                self.worker.stop()

    # --- the sequence --------------------------------------------------------------------------------

    def _override(self, k: int) -> int:
        return OWN if self.info is not None and k == self.info.n_experts_used else k

    def _next_side(self, index: int) -> None:
        if self._stopping or index >= len(self.sides):
            self._give_back()
            return
        self.current = index
        side, wanted = self.sides[index], self._override(self.sides[index].k)
        if wanted == self._loaded:
            side.begin(self._side_info(side))
            self._answer()
        else:
            self._load(LOADING, wanted)

    def _side_info(self, side: Side) -> ModelInfo:
        """The model as loaded now, for a side whose k it already has."""
        for other in self.sides:
            if other is not side and other.info is not None and other.k == side.k:
                return other.info
        return self.info

    def _load(self, phase: str, override: int) -> None:
        self._set_phase(phase)
        self.loadRequested.emit(self.info.path, self._n_ctx, override)

    def _answer(self) -> None:
        self._set_phase(ANSWERING)
        request = self._request
        first = self.sides[0].finished
        if self.current and first is not None and request.seed is None and "seed" in first.sampling:
            request = dataclasses.replace(request, seed=int(first.sampling["seed"]))
        self.generateRequested.emit(request)

    def _give_back(self) -> None:
        self.current = None
        if self._loaded == OWN:
            self._end()
        else:
            self._load(RESTORING, OWN)

    def _end(self) -> None:
        self._set_phase(IDLE)
        self.current = None
        self.outcome = FAILED if self.problem else STOPPED if self._stopping else DONE
        self.runningChanged.emit(False)
        self.ended.emit(self.outcome)

    def _fail(self, words: str) -> None:
        self.problem = f"{self.problem}\n{words}" if self.problem else words

    def _set_phase(self, phase: str) -> None:
        self.phase = phase
        self.phaseChanged.emit()

    # --- the worker's events ------------------------------------------------------------------------

    def _is_ours(self, info: ModelInfo) -> bool:
        return self.info is not None and info.path == self.info.path

    def _on_loaded(self, event: protocol.Loaded) -> None:
        info = event.info
        if self._give_back_after_reload and self._is_ours(info):
            self._give_back_after_reload = False
            if info.n_experts_used != self.info.n_experts_used:
                self.loadRequested.emit(self.info.path, self._n_ctx, OWN)
            return
        if not self._is_ours(info):
            return
        if self.phase == LOADING:
            self._loaded = self._override(self.sides[self.current].k)
            self.sides[self.current].begin(info)
            if self._stopping:
                self._give_back()
            else:
                self._answer()
        elif self.phase == ANSWERING:  # loaded again in compatibility mode; the answer is asked again
            self.sides[self.current].begin(info)
        elif self.phase == RESTORING:
            self._loaded = OWN
            self._end()

    def _on_prompt_routing(self, event: protocol.PromptRouting) -> None:
        if self.phase == ANSWERING:
            self.sides[self.current].add(event.tokens)

    def _on_token(self, token: protocol.Token) -> None:
        if self.phase == ANSWERING:
            self.sides[self.current].add((token,))

    def _on_finished(self, finished: protocol.Finished) -> None:
        if self.phase != ANSWERING:
            return
        side = self.sides[self.current]
        side.finished = finished
        if side.timeline is not None:
            side.timeline.set_tokens_per_s(finished.tokens_per_s)
        self._next_side(self.current + 1)

    def _on_error(self, problem: Problem) -> None:
        if not self.running:
            return
        self._fail(problem_text(problem))
        if problem.kind in (ENGINE_START, NOT_RUNNING) or self.phase == RESTORING:
            self._end()
        else:
            self._stopping = True
            if self.phase == LOADING:
                self._loaded = _UNKNOWN
            self._give_back()

    def _on_engine_lost(self, loss: Loss) -> None:
        """The worker starts a fresh engine and loads the model again as last asked (with the overridden
        k): the run ends, and gives the model its own k back once that load has come."""
        if not self.running:
            return
        if self.phase == LOADING:  # compatibility mode, if tried, was not the cure either
            self.notice = ""
            self._fail(QCoreApplication.translate(
                "ComparisonRun",
                "The engine crashed while loading the model with {k} experts per token. llama.cpp sets aside "
                "room for a fixed number of computation steps per model, and many experts per token can "
                "outgrow it. Try a smaller k.").format(k=self.sides[self.current].k))
        else:
            self._fail(lost_text(loss))
        self._give_back_after_reload = True
        self._end()

    def _on_compatibility_mode(self, loss: Loss) -> None:
        """The model is loaded again in compatibility mode and an interrupted answer asked again: the
        run goes on by itself; the speeds it measures are those of compatibility mode."""
        if self.running:
            self.notice = compat_text(loss)
