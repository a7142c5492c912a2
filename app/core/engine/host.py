"""Main loop of the engine process: commands in on stdin, events out on the original stdout.

Started by EngineClient (client.py) as ``<python> -m app --engine-host`` (or ``<frozen exe> --engine-host``).
The network policy the parent exported is installed first (``app.core.locality.guard``); every connection
it refuses here is reported as a NetworkBlocked event.

Everything llama.cpp might print goes to stderr: the protocol stream gets its own copy of the
stdout descriptor and descriptor 1 is pointed at stderr before llama.cpp is even imported.

A reader thread takes commands off stdin (app.core.engine.protocol) so that Stop is seen while the
work thread is busy inside llama.cpp; every other command is queued and carried out in order on the
work thread, and a line that is no command is answered with an Error event. A Shutdown, and the end
of stdin (the window is gone), also end a running answer at once.

The work thread has a large stack: llama.cpp's tokenizer matches some pre-tokenizer patterns with
std::regex, which recurses once per character of a run, so a pasted run of some tens of thousands of
digits overflowed the usual 8 MiB main thread (SIGSEGV). WORK_STACK_BYTES is reserved address space;
only what a long run touches becomes memory.

Fault injection for tests: MOESCOPE_INJECT_STALL=N makes every answer hang after its N-th answer token,
as if stuck inside llama.cpp, until the process is ended (the window's stall watchdog, app.worker).
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import traceback

from app import __version__
from app.core.engine import protocol
from app.core.locality.guard import install_policy

WORK_STACK_BYTES = 512 * 1024 * 1024
"""Stack of the thread that runs llama.cpp: enough for a run of more than a million digits."""

STALL_ENV = "MOESCOPE_INJECT_STALL"


class _EventWriter:
    """Writes protocol events to the private copy of stdout, one line each, from any thread."""

    def __init__(self, fd: int) -> None:
        self._stream = os.fdopen(fd, "wb", buffering=0)
        self._lock = threading.Lock()

    def __call__(self, event: protocol.Event) -> None:
        data = protocol.encode(event)
        with self._lock:
            self._stream.write(data)


def injected_stall() -> int | None:
    """After how many answer tokens an answer hangs (STALL_ENV), or None: no stall is injected."""
    raw = os.environ.get(STALL_ENV, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def _stalling(emit, after: int):
    """``emit``, except that it never returns once it has sent the ``after``-th answer token."""
    answered = 0

    def stalling_emit(event: protocol.Event) -> None:
        nonlocal answered
        emit(event)
        if isinstance(event, protocol.Token) and event.source == protocol.ANSWER:
            answered += 1
            if answered >= after:
                threading.Event().wait()

    return stalling_emit


def _read_commands(commands: queue.Queue, engine_stop: threading.Event) -> None:
    """Queue every command from stdin (a line that is none: its Error event); a Stop only sets ``engine_stop``."""
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        try:
            command = protocol.decode_command(line)
        except protocol.ProtocolError as exc:
            commands.put(protocol.Error(protocol.BAD_REQUEST, str(exc)))
            continue
        if isinstance(command, protocol.Stop):
            engine_stop.set()
            continue
        if isinstance(command, (protocol.Generate, protocol.Embed)):
            engine_stop.clear()  # here, in arrival order, so a stop sent right after it is not lost
        if isinstance(command, protocol.Shutdown):
            engine_stop.set()
        commands.put(command)
    engine_stop.set()
    commands.put(protocol.Shutdown())


def run() -> int:
    """Serve commands until Shutdown or the end of stdin; returns the process exit status."""
    status: list[int] = []
    threading.stack_size(WORK_STACK_BYTES)
    try:
        worker = threading.Thread(target=lambda: status.append(_serve()), name="engine-work", daemon=True)
        worker.start()
    finally:
        threading.stack_size(0)
    worker.join()
    return status[0] if status else 1


def _serve() -> int:
    policy = install_policy()  # the parent's policy, from the environment; before llama.cpp is imported
    protocol_fd = os.dup(1)
    os.dup2(2, 1)
    emit = _EventWriter(protocol_fd)

    from app.core.engine.llama_driver import Engine
    from app.core.engine.protocol import EngineError

    engine = Engine()
    stall_after = injected_stall()
    commands: queue.Queue = queue.Queue()
    threading.Thread(target=_read_commands, args=(commands, engine.stop_requested), daemon=True).start()
    emit(protocol.Ready(pid=os.getpid(), version=__version__, network_policy=policy.describe()))
    # After Ready, so that it stays the first event; attempts made before are replayed.
    policy.subscribe_attempts(lambda attempt: emit(protocol.NetworkBlocked(attempt)), replay=True)

    while True:
        command = commands.get()
        if isinstance(command, protocol.Shutdown):
            engine.unload()
            return 0
        try:
            if isinstance(command, protocol.Load):
                info, seconds = engine.load(command.path, n_ctx=command.n_ctx, n_threads=command.n_threads,
                                            experts_per_token=command.experts_per_token, safe=command.safe,
                                            probe=command.probe, scores=command.scores,
                                            embedding=command.embedding)
                chat = engine.chat_format
                emit(protocol.Loaded(info, round(seconds, 3), engine.n_ctx, engine.safe, chat.source,
                                     chat.thinking_switch, chat.problem))
            elif isinstance(command, protocol.Generate):
                emit(engine.generate(command, emit if stall_after is None else _stalling(emit, stall_after)))
            elif isinstance(command, protocol.Embed):
                emit(engine.embed(command.texts))
            elif isinstance(command, protocol.Unload):
                engine.unload()
                emit(protocol.Unloaded())
            elif isinstance(command, protocol.Forget):
                engine.reset()
                emit(protocol.Forgotten())
            else:  # a line that was no command: its refusal
                emit(command)
        except EngineError as exc:
            loading = isinstance(command, protocol.Load)
            emit(exc.to_event(still_loaded=engine.info.path if loading and engine.info else None))
        except Exception as exc:  # the host must answer every command, whatever went wrong inside
            traceback.print_exc()
            emit(protocol.Error(protocol.INTERNAL, f"{type(exc).__name__}: {exc}"))
