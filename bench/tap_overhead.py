"""Tap overhead: tokens/s with the expert tap installed, and with the tap also capturing the router's
scores over all experts, vs. no eval callback at all.

Same synthetic model (12 layers, 768 wide, 16 experts, top-2, F16, written by this script), same
prompt, greedy sampling, three contexts side by side in this one process. Rounds rotate which side
runs first so that drift (thermal, other load) falls on all. Prints each round, then the median
ratios (capture / baseline, capture+scores / baseline) as the last lines.

The model is loaded once in the engine process first, where a crash of llama.cpp's extra buffer types
is survived (app.core.engine.compat); both sides then use the mode that works on this processor, or
compatibility mode with ``--safe``.

    python bench/tap_overhead.py [--pairs 7] [--tokens 96] [--safe]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.engine.llama_driver import Engine  # noqa: E402
from app.core.engine.protocol import Generate  # noqa: E402
from app.core.engine.session import EngineSession  # noqa: E402
from app.core.models.demo import write_demo_model  # noqa: E402

PROMPT = "Mixture-of-Experts models route every token to a few experts. " * 2


def tokens_per_second(engine: Engine, n_tokens: int) -> float:
    engine.reset()
    request = Generate(prompt=PROMPT, max_tokens=n_tokens, temperature=0.0, repeat_penalty=1.0)
    result = engine.generate(request, lambda _event: None)
    if result.answer_tokens != n_tokens:
        raise RuntimeError(f"expected {n_tokens} tokens, got {result.answer_tokens} ({result.stop_reason})")
    return result.tokens_per_s


def needs_compatibility_mode(path: Path) -> bool:
    """Load the model in the engine process, where a crash is survived, and return the mode it ended in."""
    with EngineSession() as session:
        return session.load(str(path), n_ctx=512).safe


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=7, help="rounds, each running every side once")
    parser.add_argument("--tokens", type=int, default=96)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--safe", action="store_true", help="compatibility mode (no extra buffer types)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-moe.gguf"
        started = time.perf_counter()
        write_demo_model(path, arch="llama", layers=12, embd=768, ff=1024, heads=12, kv_heads=4,
                         experts=16, top_k=2, dtype="f16", seed=1)
        print(f"model: {path.stat().st_size / 1e9:.2f} GB written in {time.perf_counter() - started:.1f} s")
        print(f"machine: {platform.machine()}, {platform.processor() or platform.system()}, "
              f"python {platform.python_version()}, threads {args.threads}")
        safe = args.safe or needs_compatibility_mode(path)
        print(f"mode: {'compatibility (no extra buffer types)' if safe else 'fast (extra buffer types on)'}")
        sides = {"baseline": Engine(), "capture": Engine(), "capture+scores": Engine()}
        sides["baseline"].load(str(path), n_ctx=512, n_threads=args.threads, capture=False, safe=safe)
        sides["capture"].load(str(path), n_ctx=512, n_threads=args.threads, capture=True, safe=safe)
        sides["capture+scores"].load(str(path), n_ctx=512, n_threads=args.threads, capture=True, safe=safe,
                                     scores=True)
        for engine in sides.values():
            tokens_per_second(engine, 8)
        ratios: dict[str, list[float]] = {"capture": [], "capture+scores": []}
        names = list(sides)
        for pair in range(args.pairs):
            order = names[pair % len(names):] + names[:pair % len(names)]
            speeds = {name: tokens_per_second(sides[name], args.tokens) for name in order}
            for name in ratios:
                ratios[name].append(speeds[name] / speeds["baseline"])
            print(f"round {pair + 1}: " + ", ".join(f"{name} {speeds[name]:.1f} tok/s" for name in names)
                  + ", ratios " + ", ".join(f"{name} {values[-1]:.3f}" for name, values in ratios.items()))
        for name, values in ratios.items():
            print(f"median ratio {name}/baseline over {args.pairs} rounds: {statistics.median(values):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
