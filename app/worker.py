"""EngineWorker: the GUI's one door to the engine process, living on its own QThread."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import deque
from pathlib import Path

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot

from app.core.engine_client import EngineClient, EngineStartError
from app.core.gguf_info import GGUFError
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
        unloaded(): the model was unloaded on request.
        error(str, str): a command failed; kind and message in words. Kinds: the engine's
            ``protocol.ERROR_KINDS``, "engine_start" (no engine could be started) and "not_running"
            (a command found no engine).
        engineLost(str): the engine process died unexpectedly; a sentence saying how.
        engineRestarted(): a fresh engine replaced a lost one (a model it had is being reloaded).
        busyChanged(bool): the engine started or ended loading, generating or restarting.
        networkBlocked(int, dict): the engine's network policy refused a connection; the engine's pid
            and its ``network_blocked`` event. Emitted on the client's reader thread.
    """

    started = Signal()
    loaded = Signal(object)
    promptRouting = Signal(object)
    token = Signal(object)
    finished = Signal(object)
    unloaded = Signal()
    error = Signal(str, str)
    engineLost = Signal(str)
    engineRestarted = Signal()
    busyChanged = Signal(bool)
    networkBlocked = Signal(int, object)
    _restartRequested = Signal(bool, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loaded_path: str | None = None
        self._lock = threading.Lock()
        self._client: EngineClient | None = None
        self._phase = "idle"  # idle | loading | generating | restarting | closed
        self._busy = False
        self._load_request: tuple[str, int, int] | None = None
        self._loaded_request: tuple[str, int, int] | None = None
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
        with self._lock:
            self._phase = "generating"
        self._set_busy(True)
        self._send({"cmd": "generate", **GENERATION_DEFAULTS, **params})

    @Slot()
    def stop(self) -> None:
        """End the answer being written within a token; safe to call from any thread."""
        client = self._client
        if client is not None:
            client.stop_generation()

    @Slot()
    def unload(self) -> None:
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

    def _send_load(self, request: tuple[str, int, int]) -> None:
        path, n_ctx, experts = request
        with self._lock:
            self._phase = "loading"
            self._load_request = request
        self._set_busy(True)
        self._send(
            {
                "cmd": "load",
                "path": path,
                "n_ctx": n_ctx,
                "n_threads": None,
                "experts_per_token": experts or None,
            }
        )

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
            self.token.emit(event)
        elif kind == "prompt_routing":
            self.promptRouting.emit(event.get("tokens", []))
        elif kind == "loaded":
            with self._lock:
                self._phase = "idle"
                self._loaded_request, self._load_request = self._load_request, None
                self.loaded_path = self._loaded_request[0] if self._loaded_request else None
            self._set_busy(False)
            self.loaded.emit(event)
        elif kind == "finished":
            with self._lock:
                self._phase = "idle"
            self._set_busy(False)
            self.finished.emit(event)
        elif kind == "unloaded":
            with self._lock:
                self._phase = "idle"
                self._loaded_request = None
                self.loaded_path = None
            self._set_busy(False)
            self.unloaded.emit()
        elif kind == "error":
            with self._lock:
                if self._phase == "loading":  # a failed load may have unloaded the model before it
                    self._loaded_request = None
                    self.loaded_path = None
                request, self._load_request = self._load_request, None
                self._phase = "idle"
            self._set_busy(False)
            message = str(event.get("message", ""))
            if event.get("reason") and request is not None:
                error = GGUFError(message, str(event["reason"]), dict(event.get("details") or {}))
                message = model_error_text(error, Path(request[0]).name)
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
            crashed_loading = self._phase == "loading"
            reload = not crashed_loading and self._loaded_request is not None
            if crashed_loading:
                self._loaded_request = None
            self._load_request = None
            self.loaded_path = None
            self._client = None
            self._phase = "restarting"
        self._set_busy(True)
        self.engineLost.emit(
            self.tr("The engine stopped unexpectedly ({how}).").format(
                how=self._describe_exit(event.get("returncode"))
            )
        )
        self._restartRequested.emit(reload, crashed_loading)

    def _describe_exit(self, returncode: int | None) -> str:
        if returncode is None:
            return self.tr("it stopped answering")
        if returncode < 0:
            try:
                name = signal.Signals(-returncode).name
            except ValueError:
                name = str(-returncode)
            return self.tr("it was ended by the operating system, {name}").format(name=name)
        return self.tr("it quit with error code {code}").format(code=returncode)

    @Slot(bool, bool)
    def _restart(self, reload: bool, crashed_loading: bool) -> None:
        """Start a fresh engine after a loss; reload the model it had unless loading that model crashed it."""
        now = time.monotonic()
        self._losses.append(now)
        if len(self._losses) == RESTART_LIMIT and now - self._losses[0] < RESTART_WINDOW_S:
            with self._lock:
                self._phase = "idle"
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
            self._set_busy(False)
            return
        self.engineRestarted.emit()
        if crashed_loading:
            with self._lock:
                self._phase = "idle"
            self._set_busy(False)
            self.error.emit(
                "load_failed",
                self.tr(
                    "The engine stopped while loading this file. It may be damaged or not supported by this "
                    "version of MoEscope."
                ),
            )
        elif reload:
            with self._lock:
                request = self._loaded_request
            self._send_load(request)
        else:
            with self._lock:
                self._phase = "idle"
            self._set_busy(False)


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
