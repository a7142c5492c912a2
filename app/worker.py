"""EngineWorker: the GUI's one door to the engine process, living on its own QThread."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import deque
from pathlib import Path

from PySide6.QtCore import QLocale, QMetaObject, QObject, Qt, QThread, Signal, Slot

from app.core.engine.compat import SPEED_COST_PERCENT, CompatFallback
from app.core.engine.client import EngineClient, EngineStartError
from app.core.models.gguf import GGUFError
from app.ui.model_errors import model_error_text

log = logging.getLogger(__name__)

GENERATION_DEFAULTS = {
    "max_tokens": 256,
    "temperature": 0.7,
    "top_p": 0.95,
    "top_k": 40,
    "seed": None,
    "stop": [],
}
RESTART_LIMIT = 3
RESTART_WINDOW_S = 60.0


class EngineWorker(QObject):
    """Owns the EngineClient and turns its events into Qt signals; restarts a lost engine.

    Slots run on the worker's thread (call them through queued connections); ``stop()`` and
    ``kill()`` may also be called directly from any thread. Signals are emitted on the client's
    reader thread or the worker's thread, so receivers in the GUI get them queued.

    Attributes:
        pid: the engine's process id, or None while no engine runs; safe to read from any thread.
        loaded_path: the model loaded in the engine, or None.

    Signals:
        started(): the engine process is up (after ``start()``), ready for commands.
        loaded(dict): a model finished loading; the ``loaded`` event (info, load_seconds, n_ctx).
        promptRouting(list): the prompt was read; its tokens with their routing.
        token(dict): one answer token (pos, token, text, source, routing).
        finished(dict): an answer is complete or was stopped; its statistics.
        unloaded(): the model was unloaded on request (also when the engine died while unloading it).
        error(str, str): a command failed; kind and message in words. Kinds: the engine's
            ``protocol.ERROR_KINDS``, "engine_start" (no engine could be started) and "not_running"
            (a command found no engine).
        engineLost(str): the engine process died unexpectedly; sentences saying what happened and
            what MoEscope does about it.
        compatibilityMode(str): the engine crashed with the fast settings of the model being loaded
            or answering for the first time; the model is being loaded again in compatibility mode
            (and an interrupted first answer is asked again). A sentence for the user.
        engineRestarted(): a fresh engine replaced a lost one (a model it had is being reloaded).
        busyChanged(bool): the engine started or ended loading, generating or restarting.
        networkBlocked(int, dict): the engine's network policy saw an outgoing attempt (refused, or
            allowed with its outcome); the engine's pid and its ``network_blocked`` event. Emitted on
            the client's reader thread.
    """

    started = Signal()
    loaded = Signal(object)
    promptRouting = Signal(object)
    token = Signal(object)
    finished = Signal(object)
    unloaded = Signal()
    error = Signal(str, str)
    engineLost = Signal(str)
    compatibilityMode = Signal(str)
    engineRestarted = Signal()
    busyChanged = Signal(bool)
    networkBlocked = Signal(int, object)
    _restartRequested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loaded_path: str | None = None
        self._lock = threading.Lock()
        self._client: EngineClient | None = None
        self._phase = "idle"  # idle | loading | generating | unloading | restarting | closed
        self._busy = False
        self._load_request: tuple[str, int, int] | None = None
        self._loaded_request: tuple[str, int, int] | None = None
        self._generate_request: dict | None = None
        self._retry_generate: dict | None = None
        self._compat_request: tuple[str, int, int] | None = None
        self._fallback = CompatFallback()
        self._losses: deque[float] = deque(maxlen=RESTART_LIMIT)
        self._restartRequested.connect(self._restart, Qt.ConnectionType.QueuedConnection)

    @property
    def pid(self) -> int | None:
        with self._lock:
            client = self._client
        return client.pid if client is not None else None

    @Slot()
    def start(self) -> None:
        if self._start_client():
            self.started.emit()

    @Slot(str, int, int)
    def load(self, path: str, n_ctx: int, experts_per_token: int) -> None:
        """Load a model; ``experts_per_token`` 0 keeps the model's own number of active experts."""
        self._send_load((path, n_ctx, experts_per_token))

    @Slot(object)
    def generate(self, params: dict) -> None:
        """Answer ``params["messages"]``; other keys override GENERATION_DEFAULTS."""
        command = {"cmd": "generate", **GENERATION_DEFAULTS, **params}
        with self._lock:
            self._phase = "generating"
            self._generate_request = command
        self._set_busy(True)
        self._send(command)

    @Slot()
    def stop(self) -> None:
        """End the answer being written within a token; safe to call from any thread.

        Called from another thread, the stop goes to the engine at once and is queued to this thread as
        well: an answer asked for a moment before, whose request is still on its way here, is sent after
        that first stop (the engine forgets stops sent before an answer) and is ended by the second."""
        client = self._client
        if client is not None:
            client.stop_generation()
        if QThread.currentThread() is not self.thread():
            QMetaObject.invokeMethod(self, "stop", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def unload(self) -> None:
        with self._lock:
            self._phase = "unloading"
        self._set_busy(True)
        self._send({"cmd": "unload"})

    @Slot()
    def shutdown(self) -> None:
        """Close the engine gracefully and end the worker's thread."""
        with self._lock:
            self._phase = "closed"
            client, self._client = self._client, None
        if client is not None:
            client.close()
        self._set_busy(False)
        self.thread().quit()

    def kill(self) -> None:
        """End the engine at once, from any thread (used when a graceful shutdown hangs)."""
        with self._lock:
            self._phase = "closed"
            client = self._client
        if client is not None:
            client.kill()

    def _start_client(self) -> bool:
        client = EngineClient(lambda event: self._on_event(client, event))
        with self._lock:
            if self._phase == "closed":
                return False
            self._client = client
        try:
            client.start()
        except EngineStartError as exc:
            with self._lock:
                if self._client is client:
                    self._client = None
            self.error.emit(
                "engine_start", self.tr("The engine could not be started: {reason}").format(reason=exc)
            )
            return False
        return True

    def _send_load(self, request: tuple[str, int, int], after_crash: bool = False) -> None:
        path, n_ctx, experts = request
        with self._lock:
            self._phase = "loading"
            self._load_request = request
        self._set_busy(True)
        self._send(self._fallback.load_command(path, n_ctx, experts, after_crash=after_crash))

    def _send(self, command: dict) -> None:
        client = self._client
        try:
            if client is None:
                raise EngineStartError("no engine")
            client.send(command)
        except EngineStartError:
            with self._lock:
                self._phase = "idle"
            self._set_busy(False)
            self.error.emit(
                "not_running", self.tr("The engine is not running. Please try again in a moment.")
            )

    def _set_busy(self, busy: bool) -> None:
        with self._lock:
            changed = busy != self._busy
            self._busy = busy
        if changed:
            self.busyChanged.emit(busy)

    def _on_event(self, client: EngineClient, event: dict) -> None:
        """Runs on the client's reader thread for every event."""
        if client is not self._client:
            return
        kind = event.get("event")
        if kind == "token":
            if self._phase == "generating":  # not the end of an answer stopped for loading another model
                self._fallback.on_answer_progress()
            self.token.emit(event)
        elif kind == "prompt_routing":
            self.promptRouting.emit(event.get("tokens", []))
        elif kind == "loaded":
            self._fallback.on_loaded()
            with self._lock:
                self._loaded_request, self._load_request = self._load_request, None
                self.loaded_path = self._loaded_request[0] if self._loaded_request else None
                retry, self._retry_generate = self._retry_generate, None
                self._phase = "generating" if retry is not None else "idle"
            self.loaded.emit(event)
            if retry is not None:  # the first answer that crashed the engine, asked again
                with self._lock:
                    self._generate_request = retry
                self._send(retry)
            else:
                self._set_busy(False)
        elif kind == "finished":
            with self._lock:
                loading_next = self._phase == "loading"  # another model was asked for during the answer
                if not loading_next:
                    self._phase = "idle"
                self._generate_request = None
            if not loading_next:
                self._fallback.on_answer_progress()
                self._set_busy(False)
            self.finished.emit(event)
        elif kind == "unloaded":
            self._fallback.on_unloaded()
            with self._lock:
                self._phase = "idle"
                self._loaded_request = None
                self.loaded_path = None
            self._set_busy(False)
            self.unloaded.emit()
        elif kind == "error":
            with self._lock:
                if self._phase == "loading":  # the engine says which model, if any, it still has
                    still_loaded = event.get("still_loaded")
                    if not still_loaded or (self._loaded_request or ("",))[0] != still_loaded:
                        self._loaded_request = None
                    self.loaded_path = self._loaded_request[0] if self._loaded_request else None
                request, self._load_request = self._load_request, None
                self._generate_request = None
                self._phase = "idle"
            self._set_busy(False)
            message = str(event.get("message", ""))
            if event.get("reason") and request is not None:
                error = GGUFError(message, str(event["reason"]), dict(event.get("details") or {}))
                message = model_error_text(error, Path(request[0]).name)
            elif event.get("kind") == "context_full" and isinstance(event.get("details"), dict):
                message = self._too_long_text(event["details"]) or message
            elif event.get("kind") == "load_failed" and isinstance(event.get("details"), dict):
                message = self._load_failed_text(event["details"]) or message
            self.error.emit(str(event.get("kind", "internal")), message)
        elif kind == "lost":
            self._on_lost(event)
        elif kind == "network_blocked":
            self.networkBlocked.emit(client.pid or 0, event)

    def _on_lost(self, event: dict) -> None:
        log.warning("engine lost: %s", event.get("message"))
        with self._lock:
            if self._phase == "closed":
                return
            phase = self._phase
            self._client = None
            self._phase = "restarting"
        returncode = event.get("returncode")
        killed = _killed(returncode)
        compat = not killed and self._fallback.should_retry_safe(phase)
        with self._lock:
            if compat and phase == "loading":
                self._compat_request = self._load_request
            elif compat and phase == "generating":
                self._compat_request = self._loaded_request
                self._retry_generate = self._generate_request
            elif phase == "unloading":
                self._loaded_request = None
            self._generate_request = None
            self._load_request = None
            self.loaded_path = None
        self._set_busy(True)
        if compat:
            self.compatibilityMode.emit(self._compat_text(phase))
            self._restartRequested.emit("compat")
            return
        if phase == "unloading":  # the model is gone with the engine, as asked
            self._fallback.on_unloaded()
            self.unloaded.emit()
        self.engineLost.emit(self._lost_text(phase, returncode))
        if phase == "loading":
            self._restartRequested.emit("killed_loading" if killed else "crashed_loading")
        else:
            self._restartRequested.emit("reload")

    def _compat_text(self, phase: str) -> str:
        doing = self.tr("while loading this model") if phase == "loading" else self.tr(
            "while answering with this model")
        return self.tr(
            "The engine crashed {doing}: this processor trips over a fast setting of llama.cpp. MoEscope "
            "switched the model to compatibility mode and will use it from now on. The answers stay the "
            "same; they may come up to about {percent} % slower, and for many models no slower at all."
        ).format(doing=doing, percent=SPEED_COST_PERCENT)

    def _lost_text(self, phase: str, returncode: int | None) -> str:
        doing = {
            "loading": self.tr("while loading the model"),
            "generating": self.tr("while answering"),
            "unloading": self.tr("while unloading the model"),
        }.get(phase, self.tr("while it was waiting"))
        if returncode is None:
            what = self.tr("The engine stopped answering {doing}.").format(doing=doing)
        elif _killed(returncode):
            what = self.tr(
                "The engine was ended from outside {doing}, perhaps by the system because memory ran out."
            ).format(doing=doing)
        elif returncode < 0 and -returncode in (signal.SIGTERM, signal.SIGINT):
            what = self.tr("The engine was asked to quit from outside {doing}.").format(doing=doing)
        elif returncode < 0 or returncode >= 0xC0000000:
            what = self.tr("The engine crashed {doing}.").format(doing=doing)
        else:
            what = self.tr("The engine quit unexpectedly {doing} (error code {code}).").format(
                doing=doing, code=returncode)
        if phase == "loading" and _killed(returncode):
            return what + " " + self.tr(
                "The model may need more memory than is free: close other programs, or choose a smaller "
                "model in the Model library.")
        if phase == "loading":
            return what + " " + self.tr(
                "The model file may be damaged or not supported by this version of MoEscope. "
                "You can choose another model in the Model library.")
        return what + " " + self.tr("Your conversation is kept; MoEscope starts a fresh engine.")

    def _load_failed_text(self, details: dict) -> str:
        """Why llama.cpp refused a file it was given, in the user's words ("" for an unknown stage)."""
        if details.get("stage") == "model":
            return self.tr(
                "llama.cpp could not read the model into memory: there may not be enough free memory for it, "
                "or the file is damaged.")
        if details.get("stage") == "context" and isinstance(details.get("n_ctx"), int):
            return self.tr(
                "llama.cpp could not set aside its working memory for a context of {n_ctx} tokens, most "
                "likely because there is not enough free memory. Close other programs, or choose a smaller "
                "model."
            ).format(n_ctx=QLocale().toString(details["n_ctx"]))
        return ""

    def _too_long_text(self, details: dict) -> str:
        """The engine's ``context_full`` refusal in the user's words, or "" without its numbers."""
        tokens, n_ctx = details.get("tokens"), details.get("n_ctx")
        if not isinstance(tokens, int) or not isinstance(n_ctx, int):
            return ""
        locale = QLocale()
        text = self.tr(
            "This message is too long for the model: with it, the conversation has at least {tokens} tokens "
            "(pieces of words), but the model reads only {n_ctx} at a time (its context)."
        ) if details.get("at_least") else self.tr(
            "This message is too long for the model: with it, the conversation has {tokens} tokens "
            "(pieces of words), but the model reads only {n_ctx} at a time (its context)."
        )
        return text.format(tokens=locale.toString(tokens), n_ctx=locale.toString(n_ctx)) + " " + self.tr(
            "Shorten the message, or start a new chat.")

    @Slot(str)
    def _restart(self, how: str) -> None:
        """Start a fresh engine after a loss. ``how``: "compat" loads the model again in compatibility
        mode (and asks an interrupted first answer again), "reload" loads the model it had,
        "crashed_loading" (loading a model crashed it) and "killed_loading" (the engine was killed while
        loading, most likely because memory ran out) say so and load the model that was loaded before."""
        now = time.monotonic()
        self._losses.append(now)
        if len(self._losses) == RESTART_LIMIT and now - self._losses[0] < RESTART_WINDOW_S:
            with self._lock:
                self._phase = "idle"
                self._loaded_request = self._retry_generate = self._compat_request = None
            self._set_busy(False)
            self.error.emit(
                "engine_start",
                self.tr(
                    "The engine stopped {count} times within a minute, so it was not started again. "
                    "Please restart MoEscope."
                ).format(count=RESTART_LIMIT),
            )
            return
        if not self._start_client():
            with self._lock:
                self._phase = "idle"
                self._retry_generate = None
            self._set_busy(False)
            return
        self.engineRestarted.emit()
        with self._lock:
            request = self._loaded_request
        if how in ("crashed_loading", "killed_loading"):
            with self._lock:
                self._phase = "idle"
            self._set_busy(False)
            self.error.emit(
                "load_failed",
                self.tr(
                    "The engine stopped while loading this file. It may be damaged or not supported by this "
                    "version of MoEscope."
                ) if how == "crashed_loading" else self.tr(
                    "The engine was ended while loading this model, most likely because the computer ran "
                    "out of memory. Close other programs, or choose a smaller model."
                ),
            )
            if request is not None:  # the model that was loaded before keeps working
                self._send_load(request)
        elif how == "compat":
            with self._lock:
                request, self._compat_request = self._compat_request, None
            self._send_load(request, after_crash=True)
        elif request is not None:
            self._send_load(request)
        else:
            with self._lock:
                self._phase = "idle"
            self._set_busy(False)


def _killed(returncode: int | None) -> bool:
    """Whether the engine was ended by SIGKILL: from outside (the out-of-memory killer, a person), so
    never because of the model's fast settings."""
    return returncode is not None and returncode < 0 and -returncode == getattr(signal, "SIGKILL", -1)


def start_engine_thread() -> tuple[EngineWorker, QThread]:
    """Create an EngineWorker on a new QThread, start the thread and queue the engine's start."""
    thread = QThread()
    thread.setObjectName("engine-worker")
    worker = EngineWorker()
    worker.moveToThread(thread)
    thread.start()
    QMetaObject.invokeMethod(worker, "start", Qt.ConnectionType.QueuedConnection)
    return worker, thread


def stop_engine_thread(worker: EngineWorker, thread: QThread, timeout_ms: int = 10_000) -> None:
    """Shut the engine down gracefully and wait for the worker's thread; kill the engine if it hangs."""
    if not thread.isRunning():
        return
    QMetaObject.invokeMethod(worker, "shutdown", Qt.ConnectionType.QueuedConnection)
    if not thread.wait(timeout_ms):
        worker.kill()
        thread.quit()
        thread.wait(timeout_ms)
