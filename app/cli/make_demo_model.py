"""``moescope make-demo-model``: write a small synthetic GGUF file with random weights, for trying the app and
for tests: a MoE or dense text model (app.core.models.demo), or with ``--arch bert`` an embedding model
(app.core.models.demo_embedding).

Sizes left out take each writer's own defaults. The options that shape experts or text (``--experts``,
``--top-k``, ``--dense-leading``, ``--shared-experts``, ``--dtype f16``, ``--readable``) are refused for
``bert`` rather than ignored, so that nobody believes they shaped the file.
"""

from __future__ import annotations

import argparse
import sys

from app.core.models.demo import DEMO_ARCHS, write_demo_model
from app.core.models.demo_embedding import EMBEDDING_DEMO_ARCH, write_embedding_model

ARCHS = (*DEMO_ARCHS, EMBEDDING_DEMO_ARCH)
SIZES = ("layers", "embd", "ff")
TEXT_MODEL_OPTIONS = ("experts", "top_k", "dense_leading", "shared_experts", "dtype")


def run_make_demo_model(args: argparse.Namespace) -> int:
    """Write the model ``args`` describe to ``args.path`` and print its path; 0 on success, 2 for settings
    that make no model or a file that cannot be written."""
    sizes = {name: getattr(args, name) for name in SIZES if getattr(args, name) is not None}
    options = {name: getattr(args, name) for name in TEXT_MODEL_OPTIONS if getattr(args, name) is not None}
    try:
        if args.arch not in ARCHS:
            raise ValueError(f"unknown architecture {args.arch!r}; choose one of {', '.join(ARCHS)}")
        if args.arch == EMBEDDING_DEMO_ARCH:
            _refuse_text_model_options(options, args.readable)
            path = write_embedding_model(args.path, seed=args.seed, **sizes)
        else:
            path = write_demo_model(args.path, arch=args.arch, seed=args.seed, transparent=args.transparent,
                                    readable=args.readable, **sizes, **options)
    except (ValueError, OSError) as exc:
        print(f"moescope: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0


def _refuse_text_model_options(options: dict, readable: bool) -> None:
    """ValueError naming the given options an embedding model has no use for (f32, its only type, is fine)."""
    if options.get("dtype") == "f32":
        del options["dtype"]
    refused = [f"--{name.replace('_', '-')}" for name in options] + (["--readable"] if readable else [])
    if refused:
        raise ValueError(f"{', '.join(refused)} cannot be used with --arch {EMBEDDING_DEMO_ARCH}: an embedding "
                         "model has no experts, writes no text and is always f32")
