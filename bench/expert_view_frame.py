"""Expert view frame time: ExpertHeatmap rendered at 1920 × 1080 for a replayed trace, now vs. before.

For each shape (48 layers × 128 experts and 58 × 256 with top-8 routing, the 4 × 8 demo with top-2,
and 48 × 128 in "whole answer" mode, where every cell holds a share) the script replays random
routing token by token: one frame is ``set_values`` and a render of the whole widget into a
1920 × 1080 QImage. The implementation at git HEAD (``git show HEAD:app/ui/experts/heatmap.py``,
loaded as a module of its own) runs in the same process on the same data, frame by frame in
alternating order, so that drift falls on both; the ratio of medians is the result, not an absolute
time. Paint events are counted per frame in the render, and for a shown widget (``set_values`` then
one pass of the event loop), where at most one paint per frame is the aim.

    python bench/expert_view_frame.py [--frames 200] [--size 1920x1080] [--before REV]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

import numpy as np  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.ui.experts.heatmap import ExpertHeatmap  # noqa: E402
from app.ui.style import apply_style  # noqa: E402
from paint_counter import PaintCounter  # noqa: E402

SHAPES = (
    # name, layers, experts, experts per token, shared experts, whole-answer mode
    ("48 × 128, top-8", 48, 128, 8, 0, False),
    ("58 × 256, top-8 + 1 shared", 58, 256, 8, 1, False),
    ("4 × 8 demo, top-2", 4, 8, 2, 0, False),
    ("48 × 128, whole answer", 48, 128, 8, 0, True),
)




def load_before(revision: str):
    """The heatmap (and its colour map) as they were at ``revision``, as modules of their own."""

    def source(path: str) -> str:
        return subprocess.run(
            ["git", "show", f"{revision}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout

    colormap = types.ModuleType("heatmap_before_colormap")
    exec(compile(source("app/ui/experts/colormap.py"), "colormap@" + revision, "exec"), colormap.__dict__)
    sys.modules[colormap.__name__] = colormap
    heatmap_source = source("app/ui/experts/heatmap.py").replace(
        "from app.ui.experts.colormap import", "from heatmap_before_colormap import"
    )
    module = types.ModuleType("heatmap_before")
    exec(compile(heatmap_source, "heatmap@" + revision, "exec"), module.__dict__)
    return module.ExpertHeatmap


def replay(rng, frames: int, rows: int, experts: int, top_k: int, whole_answer: bool):
    """Per token: (values, maximum, as_percent, legend title), as the expert pane hands them over."""
    totals = np.zeros((rows, experts))
    for _ in range(frames):
        chosen = np.argsort(rng.random((rows, experts)), axis=1)[:, :top_k]
        logits = rng.normal(size=(rows, top_k))
        weights = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        current = np.zeros((rows, experts))
        np.put_along_axis(current, chosen, weights, axis=1)
        if not whole_answer:
            yield current, 1.0, False, "Gate weight"
            continue
        totals += current
        shares = totals / totals.sum(axis=1, keepdims=True)
        yield shares, 0.2 if shares.max() <= 0.2 else 1.0, True, "Share of weight"


def make(widget_class, size, rows, experts, shared):
    widget = widget_class()
    widget.resize(*size)
    widget.set_shape(list(range(rows)), experts, shared)
    return widget


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure_render(widgets, data, size):
    """Per implementation: ms per frame (set_values + render into an image) and paints per frame."""
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
    counters = [PaintCounter(widget) for widget in widgets]
    times = [[] for _ in widgets]
    for frame, values in enumerate(data):
        order = range(len(widgets)) if frame % 2 == 0 else reversed(range(len(widgets)))
        for index in order:
            widget = widgets[index]
            started = time.perf_counter()
            widget.set_values(*values)
            widget.render(image)
            times[index].append((time.perf_counter() - started) * 1000)
    return times, [counter.paints / len(data) for counter in counters]


def measure_shown(widget, data, app):
    """Paints per frame and ms per frame for a shown widget: set_values, then one pass of the event loop."""
    widget.show()
    app.processEvents()
    counter = PaintCounter(widget)
    times = []
    for values in data:
        started = time.perf_counter()
        widget.set_values(*values)
        app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
    widget.hide()
    return times, counter.paints / len(data)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--before", default="HEAD", help="git revision of the reference implementation")
    args = parser.parse_args()
    size = tuple(int(part) for part in args.size.split("x"))
    app = QApplication.instance() or QApplication([])
    apply_style(app)
    try:
        before = load_before(args.before)
    except (subprocess.CalledProcessError, OSError) as error:
        print(f"no reference implementation at {args.before}: {error}")
        before = None

    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{args.frames} frames at {size[0]}×{size[1]}, reference: {args.before if before else 'none'}"
    )
    print(
        f"{'shape':<28} {'now median':>10} {'p95':>7} {'paints':>6} │ {'before':>8} {'p95':>7} "
        f"{'paints':>6} │ {'ratio':>6} │ {'shown: paints':>13} {'ms':>6}"
    )
    for name, rows, experts, top_k, shared, whole_answer in SHAPES:
        data = list(replay(np.random.default_rng(7), args.frames + 5, rows, experts, top_k, whole_answer))
        classes = [ExpertHeatmap] + ([before] if before else [])
        widgets = [make(widget_class, size, rows, experts, shared) for widget_class in classes]
        measure_render(widgets, data[:5], size)  # warm-up: caches, fonts
        times, paints = measure_render(widgets, data[5:], size)
        shown_times, shown_paints = measure_shown(widgets[0], data[5:], app)
        now = statistics.median(times[0])
        line = f"{name:<28} {now:>10.2f} {percentile(times[0], 0.95):>7.2f} {paints[0]:>6.2f} │ "
        if before:
            old = statistics.median(times[1])
            line += f"{old:>8.2f} {percentile(times[1], 0.95):>7.2f} {paints[1]:>6.2f} │ {now / old:>6.3f} │ "
        else:
            line += f"{'':>8} {'':>7} {'':>6} │ {'':>6} │ "
        print(line + f"{shown_paints:>13.2f} {statistics.median(shown_times):>6.2f}")
        for widget in widgets:
            widget.deleteLater()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
