"""The whole expert view replaying a big model's trace at 1920 × 1080: time per frame, paints, widgets.

The ExpertsPane is shown (offscreen) at 1920 × 1080 with a stored trace of random top-8 routing over 48
MoE layers × 128 experts (the shape of Qwen3-30B-A3B), and the replay steps through it token by token
as fast as it can: one frame is moving the selection to the next token (what the replay timer does)
plus the event-loop pass that paints the token strip, the big token and the heatmap (or the router
diagram). Per frame the script counts the heatmap's paints (at most one is the aim) and, over the run,
the widgets under the pane (none may be created per token). As the reference in the same script, the
same replay runs on the 4 × 8 demo shape; the ratio of medians is the result.

    python bench/expert_view_replay.py [--tokens 600] [--presentation]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.core.models.gguf import ModelInfo  # noqa: E402
from app.ui.experts.pane import ExpertsPane  # noqa: E402
from app.ui.style import apply_style  # noqa: E402
from paint_counter import PaintCounter  # noqa: E402
from talk_traces import random_trace  # noqa: E402

SHAPES = (("48 × 128, top-8", 48, 128, 8), ("4 × 8 demo, top-2 (reference)", 4, 8, 2))




def model(layers: int, experts: int, k: int) -> ModelInfo:
    """A made-up MoE of this shape (MoE layers numbered from 1, layer 0 dense) for the view."""
    return ModelInfo(path="/bench/moe.gguf", file_size=0, architecture="qwen3moe", name="bench MoE", size_label="",
                     quantization="F16", n_layers=layers + 1, n_embd=2048, context_length=4096, n_experts=experts,
                     n_experts_used=k, n_dense_leading=1, n_shared_experts=0, moe_layers=list(range(1, layers + 1)),
                     total_params=30_500_000_000, active_params=3_300_000_000, gating="softmax")


def replay(app: QApplication, layers: int, experts: int, k: int, tokens: int, view: str,
           presentation: bool) -> dict:
    pane = ExpertsPane()
    pane.resize(1920, 1080)
    pane.set_presentation(presentation)
    pane.show()
    pane.set_model(model(layers, experts, k))
    pane.set_view(view)
    trace = random_trace(prompt=40, answer=tokens, layers=layers, experts=experts, k=k, seed=1, first_position=0)
    assert pane.show_trace(trace, 40.0)
    pane.set_colour_layer(layers // 2)
    app.processEvents()
    widgets_before = len(pane.findChildren(QWidget))
    heatmap_paints = PaintCounter(pane.heatmap)
    timeline = pane.timeline
    frames, paints = [], []
    for index in range(len(timeline)):
        before = heatmap_paints.paints
        started = time.perf_counter()
        timeline.select(index)
        pane.strip.sync_selection()
        app.processEvents()
        frames.append((time.perf_counter() - started) * 1000)
        paints.append(heatmap_paints.paints - before)
    widgets_after = len(pane.findChildren(QWidget))
    pane.close()
    pane.deleteLater()
    app.processEvents()
    frames.sort()
    return {"median": statistics.median(frames), "p95": frames[int(0.95 * (len(frames) - 1))],
            "max_paints": max(paints), "widgets": (widgets_before, widgets_after), "frames": len(frames)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=600)
    parser.add_argument("--presentation", action="store_true")
    args = parser.parse_args()
    app = QApplication(sys.argv)
    apply_style(app)
    print(f"machine: {platform.machine()}, {platform.processor() or platform.system()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {'presentation' if args.presentation else 'normal'} style, 1920 × 1080")
    print("| shape | view | median ms / frame | p95 | heatmap paints per frame (max) | widgets before → after |")
    print("|---|---|---|---|---|---|")
    results = {}
    for view in ("heatmap", "router"):
        for name, layers, experts, k in SHAPES:
            result = replay(app, layers, experts, k, args.tokens, view, args.presentation)
            results[(view, name)] = result
            print(f"| {name} | {view} | {result['median']:.2f} | {result['p95']:.2f} | {result['max_paints']} "
                  f"| {result['widgets'][0]} → {result['widgets'][1]} |")
    for view in ("heatmap", "router"):
        big, small = (results[(view, name)]["median"] for name, *_ in SHAPES)
        print(f"{view}: 48 × 128 / 4 × 8 = {big / small:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
