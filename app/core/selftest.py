"""``moescope --self-test``: does this installation work, here, without a network?

Run by the installers' tests and the release workflow on the installed program (frozen or not), and
by people who want to know whether an installation works. It

1. starts the engine process the way the window does (``<frozen exe> --engine-host`` when frozen);
2. loads a synthetic Mixture-of-Experts model written to a temporary folder, generates a few tokens
   and checks that the router's choice was captured for every MoE layer of every token;
3. loads each model of the offline bundle (``app.core.models.bundle``), if the build carries one, and
   generates a few tokens with it;
4. builds the main window offscreen (``window_check``, given by ``app.main``: this module imports no
   Qt), with its own engine started through the worker;
5. watches every process of the app during all of this with the locality monitor and fails if any
   of them had a connection to another computer or tried to open one (``NetworkWatch``).

It prints one line per check (``OK``/``FAIL`` and why), writes the same to ``--report FILE`` if given
(a Windows GUI executable has no console to print to), and returns 0 if every check passed, else 1.
Nothing is written outside a temporary folder: ``MOESCOPE_DATA_DIR`` points there for the test.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__

if TYPE_CHECKING:  # imported where used, so that a broken installation is a failed check, not a crash
    from app.core.engine.protocol import Finished, Loaded, Token
    from app.core.engine.session import EngineSession
    from app.core.models.gguf import ModelInfo

PROMPT = "MoEscope self-test: which experts does the router pick?"
SYNTHETIC = {"arch": "llama", "layers": 4, "experts": 8, "top_k": 2, "embd": 64, "ff": 128, "seed": 5}


class SelfTestFailure(Exception):
    """A check failed; the message says why, in words."""


@dataclass
class CheckResult:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


# --- outgoing connections -------------------------------------------------------------------------


class NetworkWatch:
    """The locality monitor (app.core.locality.monitor) on this process and all its descendants, every 50 ms.

    Its audit log goes to the data folder in force when the watch starts (the self-test's temporary
    one). ``extra_pids`` are watched too (processes not started as children). ``stop()`` ends the
    watch and returns every audit entry that did not stay within this computer, in words.

    Attributes:
        watched: every process id looked at.
        samples: how many times the processes' sockets were listed.
    """

    def __init__(self, interval: float = 0.05, policy=None) -> None:
        from app.core.locality.audit import AuditLog
        from app.core.locality.monitor import ConnectionMonitor

        self.extra_pids: set[int] = set()
        self.watched: set[int] = set()
        self.monitor = ConnectionMonitor(self._pids, interval, policy=policy, audit=AuditLog(),
                                         own_role="selftest")

    @property
    def samples(self) -> int:
        return self.monitor.polls

    def start(self) -> NetworkWatch:
        self.monitor.start()
        return self

    def stop(self) -> list[str]:
        from app.core.locality.policy import LOCAL

        self.monitor.stop()
        self.monitor.poll()
        return [
            f"{entry.role} (pid {entry.pid}): {entry.kind} {entry.host}:{entry.port} ({entry.verdict})"
            for entry in self.monitor.audit.entries()
            if entry.verdict != LOCAL
        ]

    def _pids(self) -> dict[int, str]:
        import psutil

        me = psutil.Process()
        pids = {me.pid: "selftest", **{pid: "engine" for pid in self.extra_pids}}
        try:
            pids.update({child.pid: "engine" for child in me.children(recursive=True)})
        except psutil.Error:
            pass
        self.watched.update(pids)
        return pids


# --- engine and routing ---------------------------------------------------------------------------


def check_routing(tokens: list[Token], info: ModelInfo) -> str:
    """Raise SelfTestFailure unless every token has a valid routing entry for every MoE layer."""
    layers = list(info.moe_layers)
    k, n = info.n_experts_used, info.n_experts
    if not tokens:
        raise SelfTestFailure("the engine reported no tokens")
    for token in tokens:
        routing = token.routing
        where = f"token {token.pos} ({token.source})"
        missing = [str(layer) for layer in layers if layer not in routing.layers]
        if missing:
            raise SelfTestFailure(f"{where} has no routing for MoE layer(s) {', '.join(missing)}")
        for layer in layers:
            row = routing.layers.index(layer)
            chosen, weights = routing.experts[row].tolist(), routing.weights[row].tolist()
            if len(chosen) != k:
                raise SelfTestFailure(f"{where}, layer {layer}: {len(chosen)} experts instead of {k}")
            for expert, weight in zip(chosen, weights):
                if not 0 <= expert < n:
                    raise SelfTestFailure(f"{where}, layer {layer}: expert {expert} does not exist")
                if not (math.isfinite(weight) and weight >= 0):
                    raise SelfTestFailure(f"{where}, layer {layer}: gate weight {weight} is not a weight")
            if len(set(chosen)) != k:
                raise SelfTestFailure(f"{where}, layer {layer}: the same expert was chosen twice")
    return f"every token routed in all {len(layers)} MoE layer(s), {k} of {n} experts each"


def run_model(session: EngineSession, path: Path, max_tokens: int) -> tuple[Loaded, list[Token], Finished]:
    """Load ``path`` in an EngineSession and generate; returns (its Loaded event, the prompt and answer
    tokens, the Finished event)."""
    from app.core.engine import protocol

    loaded = session.load(str(path), n_ctx=512)
    events = list(session.generate(protocol.Generate(prompt=PROMPT, max_tokens=max_tokens, seed=0, temperature=0.0)))
    tokens = list(protocol.prompt_and_answer(events))
    finished = events[-1]
    if not any(token.source == protocol.ANSWER for token in tokens):
        raise SelfTestFailure(
            f"{path.name}: the model loaded but generated no token (stop reason {finished.stop_reason!r})"
        )
    return loaded, tokens, finished


def _describe_model(path: Path, loaded: Loaded, tokens: list[Token], finished: Finished, switched: bool) -> str:
    from app.core.engine.protocol import ANSWER

    info = loaded.info
    answer = sum(1 for token in tokens if token.source == ANSWER)
    kind = "dense"
    if info.is_moe:
        kind = f"MoE, {len(info.moe_layers)} routed layers x {info.n_experts} experts, top-{info.n_experts_used}"
    mode = ""
    if switched:
        mode = " in compatibility mode (llama.cpp's extra buffer types crashed the engine on this processor)"
    elif loaded.safe:
        mode = " in compatibility mode (remembered for this processor)"
    return (
        f"{path.name} ({kind}): loaded{mode} in {loaded.load_seconds:.2f} s, "
        f"{len(tokens) - answer} prompt + {answer} answer tokens at {finished.tokens_per_s} tokens/s"
    )


def _engine_checks(
    models_dir: Path, max_tokens: int, watch: NetworkWatch, extra_models: list[Path]
) -> list[CheckResult]:
    from app.core.models.bundle import bundled_models, bundled_models_dir
    from app.core.models.demo import write_demo_model
    from app.core.engine.client import engine_command
    from app.core.engine.session import EngineSession, SessionError

    results = []
    try:
        session = EngineSession().__enter__()
    except SessionError as exc:
        return [CheckResult("engine", False, f"the engine process did not start: {exc}")]
    try:
        pid = session.client.pid
        if pid is not None:
            watch.extra_pids.add(pid)
        results.append(CheckResult("engine", True, f"started as {' '.join(engine_command())!r} (pid {pid})"))

        def attempt(name: str, body: Callable[[], str]) -> None:
            try:
                results.append(CheckResult(name, True, body()))
            except (SelfTestFailure, SessionError, OSError, ValueError, KeyError) as exc:
                results.append(CheckResult(name, False, str(exc) or type(exc).__name__))
            if session.client.pid is not None:  # a fresh engine after a switch to compatibility mode
                watch.extra_pids.add(session.client.pid)

        def synthetic() -> str:
            path = write_demo_model(models_dir / "selftest-moe.gguf", **SYNTHETIC)
            loaded, tokens, finished = run_model(session, path, max_tokens)
            detail = _describe_model(path, loaded, tokens, finished, session.compat_switched)
            return f"{detail}; {check_routing(tokens, loaded.info)}"

        attempt("routing", synthetic)

        def run_and_check(path: Path) -> Callable[[], str]:
            def body() -> str:
                loaded, tokens, finished = run_model(session, path, max_tokens)
                detail = _describe_model(path, loaded, tokens, finished, session.compat_switched)
                if loaded.info.is_moe:
                    return f"{detail}; {check_routing(tokens, loaded.info)}"
                return f"{detail}; a dense model has no routing to capture"

            return body

        if not bundled_models():
            results.append(CheckResult("bundled model", True, f"none in this build ({bundled_models_dir()})"))
        for path in bundled_models():
            attempt(f"bundled model {path.name}", run_and_check(path))
        for path in extra_models:
            attempt(f"model {path.name}", run_and_check(path))
    finally:
        session.__exit__(None, None, None)
    return results


def _first_line(exc: BaseException) -> str:
    """The message of an exception, or of its cause when it has none (numpy's import errors)."""
    for candidate in (exc, exc.__cause__):
        text = str(candidate or "").strip()
        if text:
            return text.splitlines()[0]
    return type(exc).__name__


# --- the whole test -------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moescope --self-test", description="Check that this installation of MoEscope works, offline."
    )
    parser.add_argument(
        "--model",
        type=Path,
        action="append",
        default=[],
        help="also load and run this GGUF file (may be given more than once)",
    )
    parser.add_argument(
        "--tokens", type=int, default=4, help="answer tokens to generate per model (default 4)"
    )
    parser.add_argument("--no-window", action="store_true", help="leave out the window check")
    parser.add_argument("--report", type=Path, help="also write the report to this file")
    return parser


WindowCheck = Callable[[Path, Path], str]


def run_self_test(argv: list[str] | None = None, window_check: WindowCheck | None = None) -> int:
    """Run every check, print the report, return the exit status (0: all passed, 1: a check failed).

    Args:
        argv: the arguments after ``--self-test``.
        window_check: ``f(models_dir, model_path) -> detail`` that builds the main window offscreen
            and raises on failure (``app.selftest_window.check_window``); None reports the window
            as not checked, which is a failure unless ``--no-window`` was given.
    """
    args = _parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.monotonic()
    frozen = bool(getattr(sys, "frozen", False))
    header = (
        f"MoEscope {__version__} self-test ({'frozen' if frozen else 'Python ' + sys.version.split()[0]}: "
        f"{sys.executable})"
    )
    print(header, flush=True)
    results: list[CheckResult] = []

    def report(result: CheckResult) -> None:
        results.append(result)
        print(result.line(), flush=True)

    data_dir_before = os.environ.get("MOESCOPE_DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="moescope-selftest-") as tmp:
        os.environ["MOESCOPE_DATA_DIR"] = str(Path(tmp) / "data")
        watch = NetworkWatch().start()
        models_dir = Path(tmp) / "data" / "models"
        models_dir.mkdir(parents=True)
        try:
            engine_results = _engine_checks(models_dir, args.tokens, watch, list(args.model))
        # A broken installation fails here (a library that does not load, say): a finding, not a crash.
        except Exception as exc:  # noqa: BLE001
            engine_results = [CheckResult("engine", False, f"{type(exc).__name__}: {_first_line(exc)}")]
        for result in engine_results:
            report(result)
        if args.no_window:
            report(CheckResult("window", True, "not checked (--no-window)"))
        elif window_check is None:
            report(CheckResult("window", False, "no window check available"))
        else:
            model = models_dir / "selftest-moe.gguf"
            try:
                report(CheckResult("window", True, window_check(models_dir, model)))
            except Exception as exc:  # noqa: BLE001 - whatever breaks in the window is a finding, not a crash
                report(CheckResult("window", False, f"{type(exc).__name__}: {exc}"))
        seen = watch.stop()
        if data_dir_before is None:
            os.environ.pop("MOESCOPE_DATA_DIR", None)
        else:
            os.environ["MOESCOPE_DATA_DIR"] = data_dir_before
    if seen:
        report(CheckResult("network", False, "connection(s) to another computer: " + "; ".join(seen)))
    else:
        report(
            CheckResult(
                "network",
                True,
                f"no connection to another computer ({len(watch.watched)} processes "
                f"watched, {watch.samples} samples)",
            )
        )
    failed = [result for result in results if not result.ok]
    summary = (
        f"self-test {'FAILED' if failed else 'passed'}: {len(results) - len(failed)} of {len(results)} "
        f"checks OK in {time.monotonic() - started:.1f} s"
    )
    print(summary, flush=True)
    if args.report:
        args.report.write_text(
            "\n".join([header, *(r.line() for r in results), summary]) + "\n", encoding="utf-8"
        )
    return 1 if failed else 0
