"""``moescope download``: download a model from the Hub into the models folder with a progress bar on the
terminal; Ctrl-C keeps the partial file, and the same command resumes it."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TextIO

from app.core.hub.access import HubAccess
from app.core.hub.errors import HubError
from app.core.hub.request import DownloadRequest
from app.core.hub.token_store import TokenStore
from app.core.hub.transfer import Progress, download
from app.core.locality.guard import install_policy
from app.core.paths import models_dir
from app.core.units import format_duration, format_size


def format_progress(p: Progress, width: int = 30) -> str:
    """One line for a terminal: bar, percent, bytes, speed and time left."""
    filled = int(p.fraction * width)
    part = f" part {p.file_index}/{p.file_count}" if p.file_count > 1 else ""
    line = (f"[{'#' * filled}{'.' * (width - filled)}] {p.fraction * 100:5.1f}% "
            f"{format_size(p.done_bytes)} of {format_size(p.total_bytes)}{part}")
    if p.phase == "downloading" and p.speed_bps > 0:
        line += f"  {format_size(int(p.speed_bps))}/s"
        if p.eta_s is not None:
            line += f"  {format_duration(p.eta_s)} left"
    elif p.phase in ("checking", "verifying"):
        line += f"  {p.phase}"
    return line


def run_cli_download(args: argparse.Namespace, stream: TextIO | None = None) -> int:
    """Download ``args.filename`` from ``args.repo`` at ``args.revision`` with a progress bar on ``stream``
    (stderr); prints the model's path and returns 0 on success, 2 on failure.

    The token comes from HF_TOKEN, else from the keyring (as stored by the window); the endpoint is
    huggingface_hub's (``HF_ENDPOINT``). Each connection is allowed by the network policy for its own
    host only, while it is open.
    """
    token = os.environ.get("HF_TOKEN") or TokenStore().get()
    folder = args.download_models_dir or args.models_dir or models_dir()
    policy = install_policy()  # each connection is allowed only for its own host, while it is open

    def scope(host: str):
        return policy.allow_action("download", host, what="the model file")

    stream = stream or sys.stderr
    interactive = stream.isatty()
    last_line = [""]
    last_print = [0.0]

    def show(p: Progress) -> None:
        line = format_progress(p)
        if interactive:
            stream.write("\r" + line.ljust(len(last_line[0])))
        elif time.monotonic() - last_print[0] >= 10 or p.phase == "done":
            stream.write(line + "\n")
            last_print[0] = time.monotonic()
        last_line[0] = line
        stream.flush()

    request = DownloadRequest(args.repo, args.filename, args.revision)
    try:
        path = download(request, folder, HubAccess(token=token, network_scope=scope), on_progress=show)
    except HubError as exc:
        stream.write(("\n" if interactive and last_line[0] else "") + f"moescope: {exc.message}\n")
        return 2
    except KeyboardInterrupt:
        stream.write("\nmoescope: interrupted; the part downloaded so far is kept. Run the same command "
                     "again to resume.\n")
        return 2
    if interactive:
        stream.write("\n")
    print(path)
    return 0
