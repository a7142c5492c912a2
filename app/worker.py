"""EngineWorker: the GUI's one door to the engine process, living on its own QThread.

A Qt adapter: it owns the EngineClient, turns requests (slots) into the commands of an
EngineSupervisor (app.core.engine.supervisor, which takes every decision: phases, restarts, the
compatibility fallback, what to load again), sends them, reports the client's events to the
supervisor and passes them on as signals, and starts a fresh engine on its own thread after a loss.
It says nothing in words: the window turns the supervisor's Problem and Loss into sentences
(app.ui.engine_words).

A company server (``use_server``) takes the engine process's place: the worker then drives a RemoteClient
(app.core.remote.client) with the same commands and events, loads the server's model at once, and never
restarts it (a server's failures are Error events, not losses).

The kiosk sets guards (``set_guards``): then restarts never give up but wait longer (the supervisor's
back-off), a watchdog on this thread ends an answer that stalls, and every MEMORY_CHECK_MS, and after each
answer, the engine's resident memory is read and, past the limit, the engine replaced by a fresh one with
the same model once no answer runs. The timers live here; the decisions are the supervisor's.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, QTimer, Signal, Slot

from app.core.defaults import DEFAULT_CONTEXT
from app.core.engine import protocol
from app.core.engine.client import EngineClient, EngineStartError
from app.core.engine.process_memory import rss_bytes
from app.core.engine.supervisor import GENERATING, RESTARTING, UNLOADING, EngineSupervisor, LoadRequest
from app.core.remote.client import RemoteClient
from app.core.remote.layout import model_path
from app.core.remote.profiles import ServerProfile

log = logging.getLogger(__name__)

WATCHDOG_MS = 500
"""How often the stall watchdog looks: an answer is ended within its stall time and this much."""
MEMORY_CHECK_MS = 5000
"""How often the memory guard reads the engine's resident memory (and after every answer)."""


class EngineWorker(QObject):
    """Owns the EngineClient and turns its events into Qt signals; restarts a lost engine.

    Slots run on the worker's thread (call them through queued connections); ``stop()`` and
    ``kill()`` may also be called directly from any thread. Signals are emitted on the client's
    reader thread or the worker's thread, so receivers in the GUI get them queued.

    Attributes:
        pid: the engine's process id, or None while no engine runs (or a company server answers); safe to
            read from any thread.
        loaded_path: the model loaded in the engine, or None (a server's model: its ``model_path``).
        server: the company server in use (a ServerProfile), or None: the engine process on this computer.

    Signals:
        started(): the engine process is up (after ``start()``), ready for commands.
        loaded(Loaded): a model finished loading.
        promptRouting(PromptRouting): the prompt was read; its tokens with their routing.
        token(Token): one answer token.
        finished(Finished): an answer is complete or was stopped; its statistics.
        unloaded(): the model was unloaded on request (also when the engine died while unloading it, and when
            ``use_server`` switched away from the engine or server that had a model).
        error(Problem): a request was not carried out: the engine refused it, no engine could be
            started (or none is started any more), a command found no engine, or a load was lost
            with the engine.
        engineLost(Loss): the engine process died unexpectedly; a fresh one is started.
        compatibilityMode(Loss): the engine crashed with the fast settings of the model being loaded
            or answering for the first time; the model is being loaded again in compatibility mode
            (and an interrupted first answer is asked again).
        engineRestarted(): a fresh engine replaced a lost one (a model it had is being reloaded).
        forgotten(): the engine dropped its KV cache after ``forget()``: nothing of earlier answers is left.
        stalled(): the stall watchdog found an answer without progress for the stall time; the engine is
            ended. The answer ends as at any death of the engine: engineLost(Loss) follows (phase
            GENERATING, the process killed), no Finished; then a fresh engine and the model again.
        memoryReload(int): the engine held this many bytes, more than the memory limit; it is replaced by
            a fresh one, and the model loaded again (loaded follows). No engineLost, no engineRestarted.
        engineMemory(int): the engine's resident memory in bytes, at every check of the memory guard.
        busyChanged(bool): the engine started or ended loading, generating or restarting.
        networkBlocked(int, NetworkAttempt): the engine's network policy saw an outgoing attempt
            (refused, or allowed with its outcome); the engine's pid and the attempt. Emitted on the
            client's reader thread.
    """

    started = Signal()
    loaded = Signal(object)
    promptRouting = Signal(object)
    token = Signal(object)
    finished = Signal(object)
    unloaded = Signal()
    error = Signal(object)
    engineLost = Signal(object)
    compatibilityMode = Signal(object)
    engineRestarted = Signal()
    busyChanged = Signal(bool)
    networkBlocked = Signal(int, object)
    forgotten = Signal()
    stalled = Signal()
    memoryReload = Signal("qint64")
    engineMemory = Signal("qint64")
    _restartRequested = Signal()
    _guardsRequested = Signal(float, "qint64")
    _serverRequested = Signal(object, object)
    _memoryCheckRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._supervisor = EngineSupervisor()
        self._lock = threading.Lock()
        self._client: EngineClient | RemoteClient | None = None
        self._busy = False
        self._guards = (0.0, 0)
        self.server: ServerProfile | None = None
        self._api_key: str | None = None
        self.capture_scores = False  # loads also read the router's scores over all experts (the window sets it)
        self.last_loaded: protocol.Loaded | None = None  # the model loaded now, for a window made later
        self._restartRequested.connect(self._restart, Qt.ConnectionType.QueuedConnection)
        self._guardsRequested.connect(self.set_guards, Qt.ConnectionType.QueuedConnection)
        self._serverRequested.connect(self.use_server, Qt.ConnectionType.QueuedConnection)
        self._memoryCheckRequested.connect(self._check_memory, Qt.ConnectionType.QueuedConnection)
        self._watchdog = self._timer(WATCHDOG_MS, self._check_stall)
        self._memory_timer = self._timer(MEMORY_CHECK_MS, self._check_memory)
        self._restart_timer = self._timer(0, self._start_fresh)
        self._restart_timer.setSingleShot(True)

    def _timer(self, interval_ms: int, slot) -> QTimer:
        """A timer of this object, so that it moves to the worker's thread with it."""
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        return timer

    @property
    def pid(self) -> int | None:
        with self._lock:
            client = self._client
        return client.pid if client is not None else None

    @property
    def loaded_path(self) -> str | None:
        return self._supervisor.loaded_path

    @Slot()
    def start(self) -> None:
        if self._start_client():
            self.started.emit()

    @Slot(str, int, int)
    def load(self, path: str, n_ctx: int, experts_per_token: int) -> None:
        """Load a model; ``experts_per_token`` 0 keeps the model's own number of active experts. With a
        company server in use, ``path`` is its model's (``model_path``); it is never probed or remembered
        in the compatibility store (``safe``: a server has no buffer types of ours)."""
        self._send_load(LoadRequest(path, n_ctx, experts_per_token or None, safe=self.server is not None,
                                    scores=self.capture_scores))

    @Slot(object, object)
    def use_server(self, profile: ServerProfile | None, api_key: str | None) -> None:
        """Answer with ``profile``'s company server from now on (None: the engine process on this computer),
        ``api_key`` its key. The current engine or server is closed (an answer being written ends; unloaded
        follows if it had a model), the new one started at once (started follows) and, for a server, its
        model loaded (loaded, or error). Safe to call from any thread."""
        if QThread.currentThread() is not self.thread():
            self._serverRequested.emit(profile, api_key)
            return
        if self._supervisor.closed:
            return
        with self._lock:
            client, self._client = self._client, None
        had_model = self.last_loaded is not None or self._supervisor.loaded_path is not None
        self._supervisor.close()
        self._supervisor = EngineSupervisor()
        self._supervisor.set_guards(*self._guards)
        self._restart_timer.stop()
        self.last_loaded = None
        if client is not None:
            client.close()
        self.server, self._api_key = profile, api_key
        self._sync_busy()
        if had_model:
            self.unloaded.emit()
        self.start()
        if profile is not None and self._client is not None:
            self.load(model_path(profile), DEFAULT_CONTEXT, 0)

    @Slot(object)
    def generate(self, request: protocol.Generate) -> None:
        """Answer ``request`` (its messages, with its settings)."""
        command = self._supervisor.generate(request)
        self._sync_busy()
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
        command = self._supervisor.unload()
        self._sync_busy()
        self._send(command)

    @Slot()
    def forget(self) -> None:
        """Drop the engine's KV cache and remembered prompt (a visitor has gone): an answer still being
        written is stopped first, and the next answer evaluates its whole prompt. ``forgotten`` follows,
        at once when no engine runs (a fresh one remembers nothing)."""
        client = self._client
        if client is None or self._supervisor.phase == RESTARTING:
            self.forgotten.emit()
            return
        if self._supervisor.phase == GENERATING:
            client.stop_generation()
        try:
            client.send(protocol.Forget())
        except EngineStartError:  # it just died: its Lost event comes, and a fresh engine
            self.forgotten.emit()

    @Slot(float, "qint64")
    def set_guards(self, stall_seconds: float, memory_limit_bytes: int) -> None:
        """The kiosk's guards, 0 turning one off: answers without progress for ``stall_seconds`` are ended
        (stalled), an engine grown past ``memory_limit_bytes`` is replaced (memoryReload); while either is
        on, lost engines are restarted with back-off instead of giving up. Safe to call from any thread."""
        if QThread.currentThread() is not self.thread():
            self._guardsRequested.emit(stall_seconds, memory_limit_bytes)
            return
        self._guards = (stall_seconds, memory_limit_bytes)
        self._supervisor.set_guards(stall_seconds, memory_limit_bytes)
        for timer in (self._watchdog, self._memory_timer):
            if self._supervisor.unattended:
                timer.start()
            else:
                timer.stop()

    @Slot()
    def shutdown(self) -> None:
        """Close the engine gracefully and end the worker's thread."""
        self._supervisor.close()
        for timer in (self._watchdog, self._memory_timer, self._restart_timer):
            timer.stop()
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()
        self._sync_busy()
        self.thread().quit()

    def kill(self) -> None:
        """End the engine at once, from any thread (used when a graceful shutdown hangs)."""
        self._supervisor.close()
        with self._lock:
            client = self._client
        if client is not None:
            client.kill()

    def _start_client(self) -> bool:
        if self.server is not None:
            client = RemoteClient(lambda event: self._on_event(client, event), self.server, self._api_key)
        else:
            client = EngineClient(lambda event: self._on_event(client, event))
        with self._lock:
            if self._supervisor.closed:
                return False
            self._client = client
        try:
            client.start()
        except EngineStartError as exc:
            with self._lock:
                if self._client is client:
                    self._client = None
            self.error.emit(self._supervisor.start_failed(str(exc)))
            return False
        return True

    def _send_load(self, request: LoadRequest, after_crash: bool = False) -> None:
        command = self._supervisor.load(request, after_crash)
        self._sync_busy()
        self._send(command)

    def _send(self, command: protocol.Command) -> None:
        client = self._client
        try:
            if client is None:
                raise EngineStartError("no engine")
            client.send(command)
        except EngineStartError:
            problem = self._supervisor.not_running()
            self._sync_busy()
            self.error.emit(problem)

    def _sync_busy(self) -> None:
        """Emit busyChanged if the supervisor's phase made the engine busy or idle since the last call."""
        with self._lock:
            busy = self._supervisor.busy
            changed = busy != self._busy
            self._busy = busy
        if changed:
            self.busyChanged.emit(busy)

    def _on_event(self, client: EngineClient | RemoteClient, event: protocol.Event) -> None:
        """Runs on the client's reader thread for every event."""
        if client is not self._client:
            return
        if isinstance(event, protocol.Token):
            self._supervisor.on_token()
            self.token.emit(event)
        elif isinstance(event, protocol.PromptRouting):
            self._supervisor.on_prompt_read()
            self.promptRouting.emit(event)
        elif isinstance(event, protocol.Loaded):
            self.last_loaded = event
            retry = self._supervisor.on_loaded()
            self.loaded.emit(event)
            if retry is not None:  # the first answer that crashed the engine, asked again
                self._send(retry)
            else:
                self._sync_busy()
        elif isinstance(event, protocol.Finished):
            self._supervisor.on_finished()
            self._sync_busy()
            if self._supervisor.unattended:  # before the window's next request can arrive
                self._memoryCheckRequested.emit()
            self.finished.emit(event)
        elif isinstance(event, protocol.Unloaded):
            self.last_loaded = None
            self._supervisor.on_unloaded()
            self._sync_busy()
            self.unloaded.emit()
        elif isinstance(event, protocol.Forgotten):
            self.forgotten.emit()
        elif isinstance(event, protocol.Error):
            problem = self._supervisor.on_error(event)
            self._sync_busy()
            self.error.emit(problem)
        elif isinstance(event, protocol.Lost):
            self._on_lost(event)
        elif isinstance(event, protocol.NetworkBlocked):
            self.networkBlocked.emit(client.pid or 0, event.attempt)

    def _on_lost(self, event: protocol.Lost) -> None:
        log.warning("engine lost: %s", event.message)
        self.last_loaded = None
        loss = self._supervisor.on_lost(event)
        if loss is None:  # closing anyway
            return
        with self._lock:
            self._client = None
        self._sync_busy()
        if loss.compat:
            self.compatibilityMode.emit(loss)
        else:
            if loss.phase == UNLOADING:  # the model is gone with the engine, as asked
                self.unloaded.emit()
            self.engineLost.emit(loss)
        self._restartRequested.emit()

    @Slot()
    def _restart(self) -> None:
        """Start a fresh engine after a loss (unattended: after the supervisor's back-off delay)."""
        gave_up = self._supervisor.begin_restart()
        if gave_up is not None:
            self._sync_busy()
            self.error.emit(gave_up)
            return
        delay = self._supervisor.restart_delay_s
        if delay > 0:
            log.warning("engine restart in %.0f s (back-off)", delay)
            self._restart_timer.start(round(delay * 1000))
        else:
            self._start_fresh()

    def _start_fresh(self, after_loss: bool = True) -> None:
        """Start a fresh engine, and load in it what the supervisor says; unattended, a failed start is
        tried again."""
        if not self._start_client():
            if self._supervisor.phase == RESTARTING:
                self._restartRequested.emit()
            self._sync_busy()
            return
        if after_loss:
            self.engineRestarted.emit()
        restart = self._supervisor.restarted()
        if restart.problem is not None:
            self._sync_busy()
            self.error.emit(restart.problem)
        if restart.reload is not None:
            self._send_load(restart.reload, after_crash=restart.after_crash)
        else:
            self._sync_busy()


    def _check_stall(self) -> None:
        if not self._supervisor.stall_due():
            return
        client = self._client
        log.warning("answer stalled; ending the engine")
        self.stalled.emit()
        if client is not None:
            client.abort()

    def _check_memory(self) -> None:
        rss = rss_bytes(self.pid)
        if rss is None:
            return
        self.engineMemory.emit(rss)
        if not self._supervisor.memory_reload_due(rss):
            return
        log.warning("engine holds %d bytes, past the limit; replacing it", rss)
        self._supervisor.renew()
        self.last_loaded = None
        with self._lock:
            client, self._client = self._client, None
        self._sync_busy()
        self.memoryReload.emit(rss)
        if client is not None:
            client.close()
        self._start_fresh(after_loss=False)


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
