"""Main loop of the engine process: commands in on stdin, events out on the original stdout.

Started by engine_client as ``<python> -m app --engine-host`` (or ``<frozen exe> --engine-host``).
The network policy the parent exported is installed first (``app.core.locality.guard``); every connection
it refuses here is reported as a ``network_blocked`` event.

Everything llama.cpp might print goes to stderr: the protocol stream gets its own copy of the
stdout descriptor and descriptor 1 is pointed at stderr before llama.cpp is even imported.

A reader thread takes commands off stdin so that ``stop`` is seen while the work thread is busy
inside llama.cpp; every other command is queued and carried out in order on the work thread. A
``shutdown``, and the end of stdin (the window is gone), also end a running answer at once.

The work thread has a large stack: llama.cpp's tokenizer matches some pre-tokenizer patterns with
std::regex, which recurses once per character of a run, so a pasted run of some tens of thousands of
digits overflowed the usual 8 MiB main thread (SIGSEGV). WORK_STACK_BYTES is reserved address space;
only what a long run touches becomes memory.
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


class _EventWriter:
    """Writes protocol events to the private copy of stdout, one line each, from any thread."""

    def __init__(self, fd: int) -> None:
        self._stream = os.fdopen(fd, "wb", buffering=0)
        self._lock = threading.Lock()

    def __call__(self, event: dict) -> None:
        data = protocol.encode(event)
        with self._lock:
            self._stream.write(data)


def _read_commands(commands: queue.Queue, engine_stop: threading.Event) -> None:
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        try:
            command = protocol.decode(line)
        except ValueError:
            commands.put({"cmd": "_malformed"})
            continue
        if command.get("cmd") == "stop":
            engine_stop.set()
            continue
        if command.get("cmd") == "generate":
            engine_stop.clear()  # here, in arrival order, so a stop sent right after it is not lost
        if command.get("cmd") == "shutdown":
            engine_stop.set()
        commands.put(command)
    engine_stop.set()
    commands.put({"cmd": "shutdown"})


def run() -> int:
    """Serve commands until ``shutdown`` or the end of stdin; returns the process exit status."""
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

    from app.core.engine.llama_driver import Engine, EngineError, GenerationSettings

    engine = Engine()
    commands: queue.Queue = queue.Queue()
    threading.Thread(target=_read_commands, args=(commands, engine.stop_requested), daemon=True).start()
    emit({"event": "ready", "pid": os.getpid(), "version": __version__, "network_policy": policy.describe()})
    # After ``ready``, so that it stays the first event; attempts made before are replayed.
    policy.subscribe_attempts(lambda attempt: emit(attempt.to_event()), replay=True)

    while True:
        command = commands.get()
        name = command.get("cmd")
        if name == "shutdown":
            engine.unload()
            return 0
        try:
            if name == "load":
                info, seconds = engine.load(
                    command["path"],
                    n_ctx=int(command.get("n_ctx") or 2048),
                    n_threads=command.get("n_threads"),
                    experts_per_token=command.get("experts_per_token"),
                    safe=bool(command.get("safe")),
                    probe=bool(command.get("probe")),
                )
                emit({"event": "loaded", "info": info.to_dict(), "load_seconds": round(seconds, 3),
                      "n_ctx": engine.n_ctx, "safe": engine.safe})
            elif name == "generate":
                settings = GenerationSettings.from_command(command)
                if command.get("messages") is not None:
                    prompt, template_stops = engine.chat_prompt(command["messages"])
                    settings.stop = list(settings.stop) + template_stops
                else:
                    prompt = str(command.get("prompt", ""))
                emit(engine.generate(prompt, settings, emit))
            elif name == "unload":
                engine.unload()
                emit({"event": "unloaded"})
            else:
                raise EngineError("bad_request", f"Unknown command {name!r}.")
        except EngineError as exc:
            event = exc.to_event()
            if name == "load":
                event["still_loaded"] = engine.info.path if engine.info else None
            emit(event)
        except (KeyError, TypeError, ValueError) as exc:
            emit({"event": "error", "kind": "bad_request", "message": f"Malformed {name!r} command: {exc}"})
        except Exception as exc:  # the host must answer every command, whatever went wrong inside
            traceback.print_exc()
            emit({"event": "error", "kind": "internal", "message": f"{type(exc).__name__}: {exc}"})
