"""Parent side of the engine process: start it, send commands, receive events, notice its death.

The engine is a separate OS process so that a crash or an ``abort()`` inside llama.cpp ends only
that process. The client sends typed commands and reads the engine's events on a thread of its own
(app.core.engine.protocol), handing each one to ``on_event``; when the event stream ends it waits for
the exit status and reports a synthesised Lost event saying why the process ended (EngineExit) and
its last words. A new client (or ``start()`` again) gives a fresh engine.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from app.core.engine import protocol
from app.core.engine.exits import EngineExit


class EngineStartError(RuntimeError):
    """The engine process could not be started or did not say it was ready."""


ENGINE_HOST_FLAG = "--engine-host"
"""The argument that makes MoEscope's executable an engine process."""


def engine_command() -> list[str]:
    """How to start the engine host: the frozen executable itself, or this Python with ``-m app``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, ENGINE_HOST_FLAG]
    return [sys.executable, "-m", "app", ENGINE_HOST_FLAG]


def engine_environment() -> dict[str, str]:
    """The engine's environment: this process's, with ggml's crash backtrace off. Otherwise an abort in
    llama.cpp starts gdb to print one, which takes seconds and leaves gdb's chatter, not llama.cpp's
    message, as the engine's last words."""
    return {**os.environ, "GGML_NO_BACKTRACE": "1"}


class EngineClient:
    """Owns one engine process and the pipes to it.

    Attributes:
        on_event: called on the client's reader thread with every protocol event, ending with a
            Lost event if the process goes away without being asked to.
        pid: the engine's process id while it runs.
    """

    def __init__(self, on_event: Callable[[protocol.Event], None]) -> None:
        self.on_event = on_event
        self._process: subprocess.Popen | None = None
        self._write_lock = threading.Lock()
        self._ready = threading.Event()
        self._ended = threading.Event()
        self._closing = False
        self._stderr_tail: collections.deque[str] = collections.deque(maxlen=20)
        self._stderr_thread: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 60.0) -> None:
        """Start a fresh engine process and wait until it reports Ready."""
        self._closing = False
        self._ready.clear()
        self._ended.clear()
        self._stderr_tail.clear()
        creationflags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        try:
            process = subprocess.Popen(
                engine_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                creationflags=creationflags, env=engine_environment(),
            )
        except OSError as exc:
            raise EngineStartError(f"The engine process could not be started: {exc}") from exc
        self._process = process
        threading.Thread(target=self._read_events, args=(process,), name="engine-events", daemon=True).start()
        self._stderr_thread = threading.Thread(target=self._read_stderr, args=(process,), name="engine-stderr",
                                               daemon=True)
        self._stderr_thread.start()
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.05):
            if self._ended.is_set() or time.monotonic() > deadline:
                self.kill()
                why = "ended at start" if self._ended.is_set() else f"did not start within {timeout:.0f} s"
                raise EngineStartError(f"The engine process {why}. {self.last_words()}".strip())

    def send(self, command: protocol.Command) -> None:
        """Send one command; thread-safe. Raises EngineStartError if there is no running engine."""
        process = self._process
        if process is None or process.stdin is None:
            raise EngineStartError("The engine is not running.")
        data = protocol.encode(command)
        with self._write_lock:
            try:
                process.stdin.write(data)
                process.stdin.flush()
            except (BrokenPipeError, OSError, ValueError) as exc:
                raise EngineStartError("The engine is not running.") from exc

    def stop_generation(self) -> None:
        try:
            self.send(protocol.Stop())
        except EngineStartError:
            pass

    def close(self, timeout: float = 5.0) -> None:
        """Ask the engine to shut down, and kill it if it has not gone within ``timeout`` seconds."""
        process = self._process
        if process is None:
            return
        self._closing = True
        try:
            self.send(protocol.Shutdown())
            process.stdin.close()
        except (EngineStartError, OSError):
            pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        """End the engine at once, without a Lost event."""
        process = self._process
        if process is None:
            return
        self._closing = True
        process.kill()
        process.wait()

    def abort(self) -> None:
        """End the engine at once, as a crash would: its Lost event follows (the stall watchdog)."""
        process = self._process
        if process is not None:
            process.kill()

    def last_words(self) -> str:
        """The engine's last line on stderr, for error messages ('' if it said nothing)."""
        if self._stderr_thread is not None and self._ended.is_set():
            self._stderr_thread.join(timeout=1.0)
        lines = [line for line in self._stderr_tail if line.strip()]
        return lines[-1].strip() if lines else ""

    def _read_events(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            try:
                event = protocol.decode_event(line)
            except protocol.ProtocolError:
                continue
            if isinstance(event, protocol.Ready):
                self._ready.set()
            self.on_event(event)
        returncode = process.wait()
        if process is self._process:
            self._ended.set()
        if self._closing or process is not self._process or not self._ready.is_set():
            return
        self.on_event(protocol.Lost(EngineExit(returncode), self.last_words()))

    def _read_stderr(self, process: subprocess.Popen) -> None:
        for raw in process.stderr:
            text = raw.decode("utf-8", errors="replace").rstrip()
            self._stderr_tail.append(text)
            if os.environ.get("MOESCOPE_ENGINE_STDERR"):
                print(f"[engine] {text}", file=sys.stderr)
