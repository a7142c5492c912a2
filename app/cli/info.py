"""``moescope info``: print what a GGUF file is, as JSON; a file that is not a usable model is refused in
words on stderr."""

from __future__ import annotations

import argparse
import sys

from app.core.models.gguf import GGUFError, format_info_json, inspect_gguf


def run_info(args: argparse.Namespace) -> int:
    """Print the header of ``args.path`` as JSON; 0 on success, 2 for a file that cannot be read."""
    try:
        print(format_info_json(inspect_gguf(args.path)))
    except GGUFError as exc:
        print(f"moescope: {exc}", file=sys.stderr)
        return 2
    return 0
