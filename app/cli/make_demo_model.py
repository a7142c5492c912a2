"""``moescope make-demo-model``: write a small synthetic MoE GGUF file with random weights (for trying the
app and for tests)."""

from __future__ import annotations

import argparse
import sys

from app.core.models.demo import write_demo_model


def run_make_demo_model(args: argparse.Namespace) -> int:
    """Write the model ``args`` describe to ``args.path`` and print its path; 0 on success, 2 for settings
    that make no model or a file that cannot be written."""
    try:
        path = write_demo_model(
            args.path, arch=args.arch, layers=args.layers, experts=args.experts, top_k=args.top_k,
            embd=args.embd, ff=args.ff, dense_leading=args.dense_leading, shared_experts=args.shared_experts,
            dtype=args.dtype, seed=args.seed, transparent=args.transparent, readable=args.readable,
        )
    except (ValueError, OSError) as exc:
        print(f"moescope: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0
