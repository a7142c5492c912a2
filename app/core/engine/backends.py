"""Load llama.cpp's CPU backend when it is built as run-time loadable variants.

A release llama-cpp-python is built with GGML_BACKEND_DL=ON and GGML_CPU_ALL_VARIANTS=ON
(installer/README.md): the CPU backend is not linked into libggml but shipped as one library per
instruction-set level (libggml-cpu-x64.so ... libggml-cpu-sapphirerapids.so, ggml-cpu-*.dll on
Windows) in llama_cpp/lib, and ggml picks the best one for this processor. llama_backend_init()
looks for them only beside the executable (python, or the frozen moescope) and in the working
folder, so they must be loaded from llama_cpp/lib before it runs; otherwise llama.cpp has no
backend at all and every model load fails. Builds with the CPU backend linked in have no such
files: then this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path


def load_cpu_backends() -> str | None:
    """Registers the best CPU variant from llama_cpp/lib; returns that folder, or None if none is there."""
    from llama_cpp import llama_cpp as ll

    lib_dir = Path(ll._base_path)  # llama_cpp/lib, or $LLAMA_CPP_LIB_PATH
    pattern = "ggml-cpu-*.dll" if sys.platform == "win32" else "libggml-cpu-*.so"
    if not any(lib_dir.glob(pattern)):
        return None
    if sys.platform == "win32":
        ggml = ctypes.CDLL(str(lib_dir / "ggml.dll"))
    elif sys.platform == "darwin":
        ggml = ctypes.CDLL(str(lib_dir / "libggml.dylib"))
    else:
        # By soname: the libggml libllama already loaded. The wheel's libggml.so is a copy, not a
        # link: opening it by path would load a second libggml with its own (empty) registry.
        ggml = ctypes.CDLL("libggml.so.0")
    ggml.ggml_backend_reg_count.restype = ctypes.c_size_t
    if ggml.ggml_backend_reg_count() == 0:
        ggml.ggml_backend_load_all_from_path.argtypes = [ctypes.c_char_p]
        ggml.ggml_backend_load_all_from_path(os.fsencode(lib_dir))
    return str(lib_dir)
