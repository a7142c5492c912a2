"""Paint cost of the router diagram: one 1920x1080 frame for a 128-expert model (``--experts``), rendered offscreen.

Renders the RouterDiagram (app/ui/experts/router_diagram.py) into a QImage at evenly spaced points of
its token animation, many times, and prints the median and the 95th percentile milliseconds per frame.
Fails (exit status 1) when the median is 8 ms or more: the animation repaints once per frame, and a
frame must leave the GUI thread time for everything else.

    .venv/bin/python bench/router_diagram_frame.py [--frames 400] [--experts 128] [--presentation]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.ui.experts.router_diagram import RouterDiagram  # noqa: E402
from app.ui.style import apply_style  # noqa: E402

BUDGET_MS = 8.0
K, N_SHARED = 8, 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=400)
    parser.add_argument("--experts", type=int, default=128)
    parser.add_argument("--presentation", action="store_true")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    apply_style(app)
    diagram = RouterDiagram()
    diagram.resize(1920, 1080)
    diagram.set_presentation(args.presentation)
    diagram.set_model(args.experts, K, N_SHARED, "softmax", list(range(1, 48)), [0])
    rng = np.random.default_rng(7)
    logits = rng.normal(0, 1.5, args.experts)
    scores = np.exp(logits) / np.exp(logits).sum()
    experts = np.argsort(-scores)[:K]
    weights = scores[experts] / scores[experts].sum()
    diagram.set_token(" router", scores, experts, weights, animate=False)
    image = QImage(1920, 1080, QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for frame in range(args.frames):
        diagram._progress = (frame % 20 + 1) / 20  # every stage of the animation, the final state included
        started = time.perf_counter()
        diagram.render(image)
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    style = "presentation" if args.presentation else "light"
    print(f"{args.experts} experts, 1920x1080, {style}: median {median:.2f} ms, p95 {p95:.2f} ms per frame "
          f"({args.frames} frames)")
    if median >= BUDGET_MS:
        print(f"FAIL: median over the {BUDGET_MS:.0f} ms budget")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
