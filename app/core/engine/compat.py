"""Compatibility mode: which llama.cpp settings a model file runs with on this processor.

llama.cpp can move a model's weights into "extra buffer types" while loading (weight repacking, and
the AMX tiles of recent Intel Xeons). That is faster, but on some processors it crashes the engine
for some models: an abort while the context is created, or a segmentation fault in the first
batch. MoEscope survives that by loading such a model again in *compatibility mode* (extra buffer
types off) and remembering the choice here, per model file and per processor, so the next load
goes straight to the setting that works.

The first load of a model that this processor has not run before is *probed*: the engine evaluates
one full prompt micro-batch and one answer token right after loading (see ``Engine.load``), so a
crash in the first batch happens while loading, where it is cheap to retry, and not in the middle of
someone's first answer.

The store is a small JSON file in the data folder; a damaged or unreadable one counts as empty (the
worst case is one more probe), and it is written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

from app.core import paths
from app.core.engine import protocol

STORE_NAME = "compatibility.json"
STORE_VERSION = 1

FAST = "fast"  # extra buffer types on (llama.cpp's default); the probe passed
SAFE = "safe"  # extra buffer types off: compatibility mode

# Measured with bench/compat_cost.py (bench/RESULTS.md): where fast mode works, compatibility mode gave
# 0.66-0.80 of its answer tokens/s on a model of 4-bit (Q4_0) weights, 0.78-0.88 on Q4_K_M, and no
# difference on Gemma 3 270M or F16 models. Shown to users as the worst case, "up to about N % slower".
SPEED_COST_PERCENT = 35

# Fault injection for tests: MOESCOPE_INJECT_CRASH=stage[,stage…] makes the engine crash at that
# stage of loading while extra buffer types are on, exactly as the llama.cpp bug does.
INJECT_ENV = "MOESCOPE_INJECT_CRASH"
INJECT_STAGES = ("load", "context", "first-batch")


def injected_crash_stages() -> frozenset[str]:
    """The stages named in MOESCOPE_INJECT_CRASH (unknown names are ignored)."""
    raw = os.environ.get(INJECT_ENV, "")
    return frozenset(part.strip() for part in raw.split(",") if part.strip() in INJECT_STAGES)


def cpu_signature() -> str:
    """A short, stable name for this kind of processor: vendor, model and instruction-set flags."""
    parts = [platform.machine(), platform.processor()]
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if key.strip() in ("vendor_id", "model name", "flags", "Features", "CPU implementer", "CPU part"):
                    parts.append(" ".join(sorted(value.split())) if key.strip() in ("flags", "Features")
                                 else value.strip())
                if not line.strip() and len(parts) > 2:
                    break  # the first processor describes them all
    except OSError:
        pass
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def model_key(path: str | os.PathLike) -> str:
    """Identifies one model file: its resolved path, size and modification time."""
    resolved = os.path.realpath(path)
    try:
        stat = os.stat(resolved)
    except OSError:
        return resolved
    return f"{resolved}|{stat.st_size}|{stat.st_mtime_ns}"


@dataclass(frozen=True)
class Choice:
    """How to load one model: ``mode`` FAST or SAFE, and whether to probe it while loading."""

    mode: str
    probe: bool

    @property
    def safe(self) -> bool:
        return self.mode == SAFE


class CompatStore:
    """Remembers, per processor and model file, whether the model needs compatibility mode."""

    def __init__(self, path: Path | None = None, cpu: str | None = None) -> None:
        self.path = Path(path) if path is not None else paths.data_dir() / STORE_NAME
        self.cpu = cpu or cpu_signature()

    def choice(self, model_path: str | os.PathLike) -> Choice:
        """What the next load of ``model_path`` should do: the remembered mode, or a probed fast load."""
        mode = self._entries().get(self._key(model_path), {}).get("mode")
        if mode in (FAST, SAFE):
            return Choice(mode, probe=False)
        return Choice(FAST, probe=True)

    def remember(self, model_path: str | os.PathLike, mode: str, why: str = "") -> None:
        """Record that ``model_path`` works in ``mode`` on this processor."""
        entries = self._entries()
        key = self._key(model_path)
        if entries.get(key, {}).get("mode") == mode:
            return
        entries[key] = {"mode": mode, "why": why, "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
        self._write(entries)

    def forget(self, model_path: str | os.PathLike) -> None:
        entries = self._entries()
        if entries.pop(self._key(model_path), None) is not None:
            self._write(entries)

    def _key(self, model_path: str | os.PathLike) -> str:
        return f"{self.cpu}|{model_key(model_path)}"

    def _entries(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != STORE_VERSION:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def _write(self, entries: dict) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(self.path.name + ".tmp")
            temporary.write_text(json.dumps({"version": STORE_VERSION, "entries": entries}, indent=1),
                                 encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only or full data folder costs one more probe next time, nothing else


class CompatFallback:
    """Decides, for one engine, how to load each model and when a crash means "retry it in
    compatibility mode". Qt-free; EngineSupervisor consults it for the window and for EngineSession.

    A crash counts as the extra buffer types' fault while the model is being loaded in fast mode,
    or while it evaluates its first prompt in fast mode (before its first answer token, which is
    also its first single-token batch, or the end of its first answer): then the model is remembered
    as needing compatibility mode, and the caller loads it again once with
    ``load_command(..., after_crash=True)``. A crash after that is something else (a killed process,
    memory running out) and is handled as such. The decisions around it (a killed process is never
    the model's fault, what to load again, the question to ask again) are
    app.core.engine.supervisor's.
    """

    def __init__(self, store: CompatStore | None = None) -> None:
        self.store = store if store is not None else CompatStore()
        self._path: str | None = None
        self._choice: Choice | None = None
        self._proven = False

    def load_command(self, path: str, n_ctx: int, experts_per_token: int | None,
                     n_threads: int | None = None, safe: bool = False,
                     after_crash: bool = False) -> protocol.Load:
        """The Load command for ``path``, with the mode this processor needs for it.

        ``safe``: compatibility mode because the user asked for it (nothing is probed or remembered).
        ``after_crash``: compatibility mode after a crash in fast mode, with a probe: a model that
        crashes the engine even then is broken, and says so while loading rather than at every answer.
        """
        if after_crash:
            choice = Choice(SAFE, probe=True)
        elif safe:
            choice = Choice(SAFE, probe=False)
        else:
            choice = self.store.choice(path)
        self._path, self._choice, self._proven = path, choice, False
        return protocol.Load(path, n_ctx, n_threads, experts_per_token or None, choice.safe, choice.probe)

    def on_loaded(self) -> None:
        """The load succeeded; a probed load is remembered as working in its mode."""
        if self._choice is not None and self._choice.probe and self._path is not None:
            self.store.remember(self._path, self._choice.mode, "the probe after loading passed")

    def on_answer_progress(self) -> None:
        """An answer token arrived or an answer finished: the model's first batches ran."""
        self._proven = True

    def on_unloaded(self) -> None:
        self._path, self._choice, self._proven = None, None, False

    def should_retry_safe(self, loading: bool = False, generating: bool = False) -> bool:
        """The engine crashed while ``loading`` the model, while ``generating`` an answer, or neither
        (waiting, unloading): retry this model in compatibility mode?

        True means the caller should start a fresh engine and load the model again with
        ``after_crash=True``; the store already remembers that this model needs it.
        """
        if self._path is None or self._choice is None:
            return False
        if self._choice.safe:
            if self._choice.probe and loading:  # broken in any mode: probe it again next time
                self.store.forget(self._path)
            return False
        if loading or (generating and not self._proven):
            doing = "loading" if loading else "generating"
            self.store.remember(self._path, SAFE, f"the engine crashed while {doing} with extra buffer types on")
            return True
        return False

    @property
    def path(self) -> str | None:
        """The model this fallback is about: the one loaded or being loaded."""
        return self._path
