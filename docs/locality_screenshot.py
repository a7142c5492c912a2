"""Make docs/locality-panel.png: the data-locality panel after a download, a search that failed and a blocked
attempt that waits to be acknowledged.

Staged, and never online: the entries are written into a fresh audit log as the policy and the monitor
would have written them (addresses from the documentation ranges, RFC 5737), and the storage paths are
those of a typical Linux desktop. Settings and data go to a temporary folder.

    .venv/bin/python docs/locality_screenshot.py [--lang de] [--out docs/locality-panel.png]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from screenshot_setup import arguments, start_app  # noqa: I001 (first: sets up the environment)


from app.core.locality.audit import AuditEntry, AuditLog  # noqa: E402
from app.core.locality.outcome import CONNECTED, FAILED, REFUSED, RESOLVED  # noqa: E402
from app.core.locality.policy import ALLOWED, BLOCKED, NetworkPolicy  # noqa: E402
from app.ui.locality.indicator import LocalityGuard  # noqa: E402
from app.ui.locality.panel import LocalityPanel  # noqa: E402

HOME = "/home/anna"
WINDOW, ENGINE = 19019, 4311
DOWNLOAD, SEARCH = "download huggingface.co", "search huggingface.co"


def staged_entries(start: float) -> list[AuditEntry]:
    """A model download, a search whose connection timed out, and a library phoning home from the engine."""
    def at(seconds: float, pid: int, kind: str, host: str, verdict: str, action: str | None, outcome: str,
           detail: str, error: str | None = None) -> AuditEntry:
        return AuditEntry(start + seconds, pid, "gui" if pid == WINDOW else "engine", kind, host, 443,
                          verdict, action, detail, outcome, error)

    return [
        at(0.0, WINDOW, "attempt", "huggingface.co", ALLOWED, DOWNLOAD, RESOLVED,
           f"A name lookup of huggingface.co:443 for the {DOWNLOAD}: name resolved."),
        at(0.1, WINDOW, "attempt", "203.0.113.16", ALLOWED, DOWNLOAD, CONNECTED,
           f"A connection to 203.0.113.16:443 for the {DOWNLOAD}: connected."),
        at(0.6, WINDOW, "attempt", "cdn-lfs.hf.co", ALLOWED, DOWNLOAD, RESOLVED,
           f"A name lookup of cdn-lfs.hf.co:443 for the {DOWNLOAD}: name resolved."),
        at(0.7, WINDOW, "attempt", "203.0.113.80", ALLOWED, DOWNLOAD, CONNECTED,
           f"A connection to 203.0.113.80:443 for the {DOWNLOAD}: connected."),
        at(52.0, WINDOW, "attempt", "203.0.113.16", ALLOWED, SEARCH, FAILED,
           f"A connection to 203.0.113.16:443 for the {SEARCH}: failed (timed out).", "timed out"),
        at(95.0, ENGINE, "attempt", "telemetry.example.com", BLOCKED, None, REFUSED,
           "MoEscope blocked a name lookup of telemetry.example.com:443: it connects to another computer "
           "only for a download or search you start, and none is running."),
    ]


def main() -> int:
    args = arguments("locality-panel.png")
    app = start_app(args.lang)

    audit = AuditLog(Path(os.environ["MOESCOPE_DATA_DIR"]) / "audit")
    guard = LocalityGuard(lambda: None, policy=NetworkPolicy(), audit=audit)
    for entry in staged_entries(time.mktime((2025, 3, 14, 19, 43, 10, 0, 0, -1))):
        guard.monitor.record(entry)
    panel = LocalityPanel(guard, Path(HOME) / ".local/share/MoEscope/models")
    staged_paths = {"settings": f"{HOME}/.config/MoEscope/MoEscope.conf",
                    "data": f"{HOME}/.local/share/MoEscope", "audit": f"{HOME}/.local/share/MoEscope/audit"}
    for key, where in staged_paths.items():
        panel.storage_labels[key].setText(where)
    panel.show()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    panel.session_table.scrollToBottom()
    app.processEvents()
    panel.grab().save(str(args.out))
    print(args.out)
    guard.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
