"""How much memory a process holds: its resident set size (RSS), the one number the kiosk's memory guard
(app.worker) and its admin screen go by, for the engine process and for the window's own."""

from __future__ import annotations

import psutil


def rss_bytes(pid: int | None) -> int | None:
    """The resident memory of process ``pid`` in bytes, or None when there is no such process (any more)
    or it may not be read."""
    if pid is None:
        return None
    try:
        return int(psutil.Process(pid).memory_info().rss)
    except (psutil.Error, OSError):
        return None
