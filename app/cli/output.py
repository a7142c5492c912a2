"""What every command prints when it cannot do its work."""

from __future__ import annotations

import sys


def fail(message: str) -> int:
    """Prints ``moescope: <message>`` on standard error; returns the exit status 2, for the caller to return."""
    print(f"moescope: {message}", file=sys.stderr)
    return 2
