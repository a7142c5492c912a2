"""Token strip frame time: scrolling and selecting in a strip of 10,000 tokens, against the same strip
with 100 tokens as the reference.

Routing made up in the shape of Qwen3-30B-A3B (48 MoE layers, 128 experts, top-8), 2,000 prompt and
8,000 answer tokens, the chips coloured by the top-1 expert of layer 24 (the costlier mode), window
900 × 400, offscreen. A frame is one user action and the repaint it causes, measured two ways:

- image: the action, then the strip's viewport rendered into a QImage (what a frame costs end to end);
- paint: the action, then a synchronous repaint of the shown widget (its paint event included).

Scrolling moves one row per frame from top to bottom and back; selecting picks random tokens (the strip
scrolls to each, as it does for a click far away or a replay step). Prints median and p95 per case and
style, the ratio 10,000 / 100 tokens, and the one-off costs of showing a timeline and of a resize.

    QT_QPA_PLATFORM=offscreen python bench/token_strip_frame.py [--frames 300]
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

from app.core.chat.model import RoutingTrace  # noqa: E402
from app.core.engine import protocol  # noqa: E402
from app.core.talks.timeline import Timeline  # noqa: E402
from app.ui.experts.token_strip import TokenStrip  # noqa: E402
from app.ui.style import apply_style  # noqa: E402

WORDS = (" the", " router", " picks", " a", " few", " experts", " for", " each", " token", ".", "\n",
         " Mixture", "-of", "-Experts", " models", " are", " sparse")


def made_up_trace(n: int, layers: int = 48, experts: int = 128, k: int = 8, seed: int = 0) -> RoutingTrace:
    rng = np.random.default_rng(seed)
    prompt = n // 5
    popular = rng.zipf(1.6, size=(n, layers, k)) % experts  # a few experts take most tokens, as in models
    return RoutingTrace(
        positions=np.arange(n, dtype=np.int32), tokens=rng.integers(0, 150_000, n).astype(np.int32),
        texts=tuple(WORDS[i] for i in rng.integers(0, len(WORDS), n)),
        sources=(protocol.PROMPT,) * prompt + (protocol.ANSWER,) * (n - prompt),
        layers=np.arange(1, layers + 1, dtype=np.int32), experts=popular.astype(np.int32),
        weights=np.full((n, layers, k), 1.0 / k, dtype=np.float32))


class TimedStrip(TokenStrip):
    """A TokenStrip that keeps how long each of its paint events took."""

    def __init__(self) -> None:
        super().__init__()
        self.paint_ms: list[float] = []

    def paintEvent(self, event) -> None:
        started = time.perf_counter()
        super().paintEvent(event)
        self.paint_ms.append((time.perf_counter() - started) * 1000)


def scroll_actions(strip: TokenStrip, frames: int):
    bar = strip.verticalScrollBar()
    step = max(int(strip._row_height), 1)
    values = [min(i * step, bar.maximum()) for i in range(frames // 2)]
    for value in values + values[::-1]:
        yield lambda value=value: bar.setValue(value)


def select_actions(strip: TokenStrip, frames: int):
    rng = np.random.default_rng(1)
    for index in rng.integers(0, len(strip.timeline), frames):
        yield lambda index=int(index): strip.select(index)


def measure(strip: TimedStrip, make, frames: int, image: QImage) -> tuple[list[float], list[float]]:
    """Per frame of ``make(strip, frames)``: action + render into ``image`` (ms); then the same frames
    again: action + the paintEvent of a synchronous repaint (ms)."""
    frame_ms, paint_ms = [], []
    for action in make(strip, frames):
        started = time.perf_counter()
        action()
        strip.viewport().render(image)
        frame_ms.append((time.perf_counter() - started) * 1000)
    for action in make(strip, frames):
        strip.paint_ms.clear()
        started = time.perf_counter()
        action()
        strip.viewport().repaint()
        paint_ms.append((time.perf_counter() - started) * 1000 if strip.paint_ms else 0.0)
    return frame_ms, paint_ms


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def run(n: int, presentation: bool, frames: int) -> dict:
    strip = TimedStrip()
    strip.set_presentation(presentation)
    strip.resize(900, 400)
    strip.show()
    QApplication.processEvents()
    timeline = Timeline.from_trace(made_up_trace(n), n_experts=128, tokens_per_s=60.0)
    started = time.perf_counter()
    strip.set_timeline(timeline)
    strip.set_colour_layer(24)
    show_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    strip.resize(700, 400)
    QApplication.processEvents()
    resize_ms = (time.perf_counter() - started) * 1000
    image = QImage(strip.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    results = {"show_ms": show_ms, "resize_ms": resize_ms}
    for case, make in (("scroll", scroll_actions), ("select", select_actions)):
        frame_ms, paint_ms = measure(strip, make, frames, image)
        results[case] = (statistics.median(frame_ms), p95(frame_ms),
                         statistics.median(paint_ms), p95(paint_ms))
    strip.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    apply_style(app)
    print(f"frames per case: {args.frames}; ms: median / p95 (image = action + render into a QImage, "
          "paint = action + a synchronous repaint of the shown strip)")
    for presentation in (False, True):
        style = "presentation" if presentation else "normal"
        reference = run(100, presentation, args.frames)
        large = run(10_000, presentation, args.frames)
        print(f"\n{style} style: showing the timeline {large['show_ms']:.0f} ms for 10,000 tokens "
              f"({reference['show_ms']:.1f} ms for 100), a resize {large['resize_ms']:.1f} ms "
              f"({reference['resize_ms']:.1f} ms)")
        for case in ("scroll", "select"):
            big, small = large[case], reference[case]
            print(f"  {case:6} 10,000 tokens: image {big[0]:.2f} / {big[1]:.2f}, "
                  f"paint {big[2]:.2f} / {big[3]:.2f}   100 tokens: image {small[0]:.2f} / {small[1]:.2f}, "
                  f"paint {small[2]:.2f} / {small[3]:.2f}"
                  f"   ratio of medians (image): {big[0] / small[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
