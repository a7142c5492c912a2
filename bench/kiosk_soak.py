"""Kiosk soak: a day of visitors, compressed. Simulated visitors (tests/support/kiosk_visitors.py: an example
or a typed question, sometimes a follow-up, then leaving; the idle countdown or Start over wipes) use the
real kiosk window offscreen over a real engine on the first-start demo MoE, one after another, with the
idle time and countdown shortened. Recorded: the resident memory of both processes over time, engines
lost (crashes), Python errors in the window, engine restarts, and what changed under the data folder and
in the settings file. Prints Markdown tables for bench/RESULTS.md.

    .venv/bin/python bench/kiosk_soak.py [--conversations 2000] [--minutes M] [--samples 20]
        [--max-tokens 48] [--idle 0.2] [--countdown 0.3] [--out FILE.md]

``--minutes`` ends it earlier if the conversations take longer. Settings and data go to temporary folders.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="moescope-soak-config-")
os.environ["MOESCOPE_DATA_DIR"] = tempfile.mkdtemp(prefix="moescope-soak-data-")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.models.demo_setup import DEMO_MOE_FILE, ensure_demo_models  # noqa: E402
from app.core.paths import data_dir, models_dir  # noqa: E402
from app.ui.style import apply_style  # noqa: E402
from kiosk_visitors import Sample, SoakResult, kiosk_config, open_kiosk, soak  # noqa: E402

MIB = 1024 * 1024


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=2000)
    parser.add_argument("--minutes", type=float, help="stop after this long even if not all are done")
    parser.add_argument("--samples", type=int, default=20, help="memory samples over the run")
    parser.add_argument("--max-tokens", type=int, default=48, help="answer length limit of the kiosk")
    parser.add_argument("--idle", type=float, default=0.2, help="seconds without input before the countdown")
    parser.add_argument("--countdown", type=float, default=0.3, help="seconds the countdown runs")
    parser.add_argument("--out", type=Path, help="also write the Markdown here")
    return parser.parse_args()


def markdown(result: SoakResult, args: argparse.Namespace) -> str:
    log, first, last = result.log, result.samples[0], result.samples[-1]
    lines = [
        f"Machine: {platform.node()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}. Demo MoE ({DEMO_MOE_FILE}), answers "
        f"of at most {args.max_tokens} tokens, idle time {args.idle} s and countdown {args.countdown} s "
        "(instead of 90 s and 15 s).",
        "",
        "| conversations | wiped by the countdown / Start over | questions | time | GUI RSS | engine RSS "
        "| engines lost | Python errors | engine restarts | bytes written under the data folder | settings file |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {log.visitors} | {log.wipes_by_idle} / {log.wipes_by_button} | {log.questions} "
        f"| {result.seconds / 60:.1f} min "
        f"| {first.gui_bytes / MIB:.1f} → {last.gui_bytes / MIB:.1f} MiB ({100 * result.growth('gui_bytes'):+.2f} %) "
        f"| {first.engine_bytes / MIB:.1f} → {last.engine_bytes / MIB:.1f} MiB "
        f"({100 * result.growth('engine_bytes'):+.2f} %) "
        f"| {result.engine_losses} | {result.errors} | {result.restarts} "
        f"| {result.written_bytes} ({len(result.changed_files)} files changed) "
        f"| {'changed' if result.settings_changed else 'unchanged'} |",
        "",
        "| minute | conversations | GUI RSS (MiB) | engine RSS (MiB) |",
        "|---|---|---|---|",
    ]
    lines += [f"| {point.seconds / 60:.1f} | {point.conversations} | {point.gui_bytes / MIB:.1f} "
              f"| {point.engine_bytes / MIB:.1f} |" for point in result.samples]
    if result.changed_files:
        lines += ["", "Changed: " + ", ".join(result.changed_files)]
    return "\n".join(lines) + "\n"


def main() -> int:
    args = arguments()
    app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("MoEscope")
    QCoreApplication.setApplicationName("MoEscope soak")
    apply_style(app)
    folder = models_dir()
    model = next(path for path in ensure_demo_models(folder) if path.name == DEMO_MOE_FILE)
    config = kiosk_config(model, max_answer_tokens=args.max_tokens)

    def progress(point: Sample) -> None:
        print(f"{point.seconds / 60:6.1f} min  {point.conversations:5d} conversations  GUI "
              f"{point.gui_bytes / MIB:7.1f} MiB  engine {point.engine_bytes / MIB:7.1f} MiB", flush=True)

    with open_kiosk(config, folder) as session:
        result = soak(session, args.conversations, data_dir(), minutes=args.minutes,
                      sample_every=max(1, args.conversations // args.samples), idle_s=args.idle,
                      countdown_s=args.countdown, progress=progress)
    text = markdown(result, args)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
