"""Why the engine process ended, from its exit status: a kind the window words in its own language
(app/ui/engine_words.py), and an English description for logs, exceptions and the command line."""

from __future__ import annotations

import signal
from dataclasses import dataclass

NO_STATUS = "no_status"  # it stopped answering and left no exit status
KILLED = "killed"  # SIGKILL: from outside (the out-of-memory killer, a person), never the model's fault
TERMINATED = "terminated"  # SIGTERM or SIGINT: asked to quit from outside
ABORTED = "aborted"  # SIGABRT: llama.cpp gave up (GGML_ASSERT, an uncaught C++ exception)
CRASHED = "crashed"  # SIGSEGV, or an exception code on Windows
SIGNALLED = "signalled"  # ended by another signal
EXITED = "exited"  # exited by itself with a status
EXIT_KINDS = (NO_STATUS, KILLED, TERMINATED, ABORTED, CRASHED, SIGNALLED, EXITED)

_BY_SIGNAL = {"SIGKILL": KILLED, "SIGTERM": TERMINATED, "SIGINT": TERMINATED, "SIGABRT": ABORTED,
              "SIGSEGV": CRASHED}
_WINDOWS_EXCEPTION = 0xC0000000


@dataclass(frozen=True)
class EngineExit:
    """The end of the engine process: ``returncode`` as ``subprocess`` reports it (negative: the
    signal; None: no status), with its ``kind`` (EXIT_KINDS) and ``signal`` name."""

    returncode: int | None

    @property
    def signal(self) -> str | None:
        """The signal's name ("SIGABRT"), or None when the process was not ended by a signal."""
        if self.returncode is None or self.returncode >= 0:
            return None
        try:
            return signal.Signals(-self.returncode).name
        except ValueError:
            return f"signal {-self.returncode}"

    @property
    def kind(self) -> str:
        if self.returncode is None:
            return NO_STATUS
        if self.returncode < 0:
            return _BY_SIGNAL.get(self.signal, SIGNALLED)
        return CRASHED if self.returncode >= _WINDOWS_EXCEPTION else EXITED

    @property
    def killed(self) -> bool:
        """Ended by SIGKILL: from outside, so never because of the model's fast settings."""
        return self.kind == KILLED

    def describe(self) -> str:
        """The end in English words: 'was killed (SIGKILL)', 'aborted (SIGABRT)', 'exited with status 3'."""
        kind, name = self.kind, self.signal
        if kind == NO_STATUS:
            return "stopped answering"
        if kind == ABORTED:
            return f"aborted ({name})"
        if kind == CRASHED:
            return f"crashed ({name})" if name else f"crashed (exception 0x{self.returncode:08X})"
        if name:
            return f"was killed ({name})"
        return f"exited with status {self.returncode}"
