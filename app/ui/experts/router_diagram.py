"""RouterDiagram: one layer's router at work on one token, drawn in the brochure's four parts.

Left to right: (1) the token's vector enters, (2) the router scores every expert (bars, softmax or
sigmoid), (3) the top-k experts light up among all the others with their gate weights, (4) their
outputs meet in the weighted sum Σ, which leaves towards the next layer. Shared experts stand apart,
always on; a dense layer shows one feed-forward block and no router. An engine that reports neither
scores nor weights (a company server) gets its chosen experts lit alike, and a sentence saying so.

A new token is animated in about a fifth of a second, one repaint per frame. A token that comes while
one is animating, or soon after one, is shown at once: the diagram never falls behind the model.
The geometry is computed here once per size, model and style; app/ui/experts/router_painting.py
draws it.
"""

from __future__ import annotations

import math
import time

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QToolButton, QVBoxLayout, QWidget

from app.ui.experts.router_painting import (
    BARS,
    LABEL_EACH_BAR_UP_TO,
    LIGHT,
    DiagramLayout,
    Scene,
    phase,
    vector_of,
)
from app.ui.formatting import format_decimal
from app.ui.theme import PROJECTOR, current

DURATION_MS = 220


class RouterDiagram(QWidget):
    """The router of one layer for one token: token → router's scores → experts → Σ → next layer.

    ``set_model`` gives the shape, ``set_layer`` the layer shown, ``set_token`` the data of that layer
    for one token. The header's spin box and the Up/Down keys step through the layers; every change of
    layer, from there or from ``set_layer``, is signalled with ``layer_changed`` and clears the
    routing shown until the next ``set_token``.

    Attributes:
        n_experts, k, n_shared, gating: the model's routed experts, experts chosen per token, shared
            (always-on) experts per layer, and ``"softmax"`` or ``"sigmoid"``.
        layers, dense_layers: the MoE layers and the dense layers.
        presentation: dark, high-contrast style with large type for projectors.
        note: words shown in place of the score bars ("" while the bars are shown).
    """

    layer_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.n_experts = 0
        self.k = 0
        self.n_shared = 0
        self.gating = "softmax"
        self.layers: list[int] = []
        self.dense_layers: list[int] = []
        self.presentation = False
        self.note = ""
        self._layer: int | None = None
        self._text = ""
        self._scores: np.ndarray | None = None
        self._chosen: dict[int, float] = {}
        self._vector: list[float] = []
        self._progress = 1.0
        self._last_token_at = -math.inf
        self._style = current()
        self._geometry: DiagramLayout | None = None
        self._fonts: dict[str, QFont] = {}

        self._animation = QVariantAnimation(self)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setDuration(DURATION_MS)
        self._animation.valueChanged.connect(self._on_frame)

        self._layer_caption = QLabel(self.tr("Layer"))
        self._spin = QSpinBox()
        self._spin.setAccessibleName(self.tr("Layer"))
        self._spin.setKeyboardTracking(False)
        self._spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._spin.valueChanged.connect(self._on_spin)
        self._down = QToolButton()
        self._down.setText("▼")
        self._down.setToolTip(self.tr("Previous layer (Down key)"))
        self._down.clicked.connect(lambda: self.step_layer(-1))
        self._up = QToolButton()
        self._up.setText("▲")
        self._up.setToolTip(self.tr("Next layer (Up key)"))
        self._up.clicked.connect(lambda: self.step_layer(1))
        self._summary = QLabel()
        self._summary.setWordWrap(True)  # a narrow dock wraps it rather than growing wider
        header = QHBoxLayout()
        header.setSpacing(4)
        header.addWidget(self._layer_caption)
        header.addWidget(self._down)
        header.addWidget(self._spin)
        header.addWidget(self._up)
        header.addSpacing(16)
        header.addWidget(self._summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(header)
        layout.addStretch(1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Router diagram"))
        self._apply_style()

    def sizeHint(self) -> QSize:
        return QSize(960, 540)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, 260)

    # ---- what the pane calls

    @property
    def layer(self) -> int | None:
        return self._layer

    @property
    def showing(self) -> str:
        """``"nothing"`` (no model or layer yet), ``"moe"`` (router and experts) or ``"dense"``."""
        if self._layer is None:
            return "nothing"
        return "dense" if self._layer in self.dense_layers else "moe"

    @property
    def animating(self) -> bool:
        return self._animation.state() == QVariantAnimation.State.Running

    def set_model(self, n_experts: int, k: int, n_shared: int, gating: str, layers: list[int],
                  dense_layers: list[int]) -> None:
        """The model's shape; shows its first MoE layer (or its first layer, if it has no MoE layer)."""
        if gating not in ("softmax", "sigmoid"):
            raise ValueError(f"gating must be 'softmax' or 'sigmoid', not {gating!r}")
        self.n_experts, self.k, self.n_shared, self.gating = n_experts, k, n_shared, gating
        self.layers, self.dense_layers = sorted(layers), sorted(dense_layers)
        every = self._all_layers()
        self._spin.blockSignals(True)
        self._spin.setRange(every[0] if every else 0, every[-1] if every else 0)
        self._spin.blockSignals(False)
        self._spin.setEnabled(len(every) > 1)
        self._text = ""
        self._vector = []
        self._layer = None
        first = self.layers[0] if self.layers else (every[0] if every else None)
        if first is None:
            self._clear_routing()
            self._refresh_header()
        else:
            self.set_layer(first)

    def set_layer(self, layer: int) -> None:
        """Show ``layer`` (one of the model's layers); the routing shown is cleared until ``set_token``."""
        if layer not in self._all_layers():
            raise ValueError(f"layer {layer} is not a layer of the model")
        if layer == self._layer:
            return
        self._layer = layer
        self._clear_routing()
        self._refresh_header()
        self.layer_changed.emit(layer)

    def step_layer(self, step: int) -> None:
        """Show the layer ``step`` places up (positive) or down (negative) from this one, within the model."""
        every = self._all_layers()
        if not every or self._layer is None:
            return
        index = min(max(every.index(self._layer) + step, 0), len(every) - 1)
        self.set_layer(every[index])

    def set_token(self, text: str, scores: np.ndarray | None, experts: np.ndarray, weights: np.ndarray | None,
                  animate: bool = True) -> None:
        """One token's routing in the layer shown: ``scores`` [n_experts] the router's probabilities
        (None when the engine did not report them), ``experts`` [k] the chosen ids (-1: none),
        ``weights`` [k] their gate weights (None when the engine did not report them: NaN in ``lit_experts``).

        Animated when ``animate`` and the previous token came at least one animation earlier;
        otherwise (also for a token during an animation) the final state is shown at once."""
        if scores is not None and len(scores) != self.n_experts:
            raise ValueError(f"{len(scores)} scores for {self.n_experts} experts")
        self._text = text
        self._vector = vector_of(text)
        self._scores = None if scores is None else np.asarray(scores, dtype=np.float64).copy()
        ids = np.asarray(experts).tolist()
        weighed = np.asarray(weights).tolist() if weights is not None else [math.nan] * len(ids)
        self._chosen = {int(expert): float(weight) for expert, weight in zip(ids, weighed, strict=False)
                        if 0 <= expert < self.n_experts}
        self._refresh_note()
        now = time.monotonic()
        calm = now - self._last_token_at >= DURATION_MS / 1000
        self._last_token_at = now
        self._animation.stop()
        if animate and calm and self.showing != "nothing":
            self._progress = 0.0
            self._animation.start()
        else:
            self._progress = 1.0
        self.update()

    def set_presentation(self, on: bool) -> None:
        """Dark, high-contrast style with large type (projectors), or the window theme's."""
        self.presentation = on
        self._apply_style()

    def bar_values(self) -> np.ndarray:
        """The score bars' heights as drawn now (empty without bars: no scores, dense layer, no model)."""
        if self._scores is None or self.showing != "moe":
            return np.zeros(0)
        return self._scores * phase(self._progress, BARS)

    def lit_experts(self) -> dict[int, float]:
        """The experts lit now, with the weights shown on them (NaN: not reported, none shown)."""
        if self.showing != "moe" or self._progress < LIGHT[0]:
            return {}
        return dict(self._chosen)

    def expert_rect(self, expert: int) -> QRectF:
        """Where routed expert ``expert`` is drawn (widget coordinates)."""
        return QRectF(self._layout().cells[expert])

    def shared_rect(self, index: int) -> QRectF:
        """Where shared expert ``index`` (0 .. n_shared-1) is drawn."""
        return QRectF(self._layout().shared[index])

    # ---- state and input

    def _all_layers(self) -> list[int]:
        return sorted(set(self.layers) | set(self.dense_layers))

    def _clear_routing(self) -> None:
        self._animation.stop()
        self._progress = 1.0
        self._scores = None
        self._chosen = {}
        self._refresh_note()
        self.update()

    def _refresh_note(self) -> None:
        missing = self.showing == "moe" and self._scores is None and bool(self._chosen)
        if missing and any(math.isnan(weight) for weight in self._chosen.values()):
            self.note = self.tr("This engine reports which experts were chosen, not their weights.")
        elif missing:
            self.note = self.tr("The engine did not report the router's full scores here: only the chosen "
                                "experts and their weights are shown.")
        else:
            self.note = ""

    def _refresh_header(self) -> None:
        every = self._all_layers()
        if self._layer is not None:
            self._spin.blockSignals(True)
            self._spin.setValue(self._layer)
            self._spin.blockSignals(False)
        self._down.setEnabled(bool(every) and self._layer != every[0])
        self._up.setEnabled(bool(every) and self._layer != every[-1])
        if self.showing == "moe":
            self._summary.setText(self.tr("MoE layer: the router picks {k} of {n} experts for each token").format(
                k=self.k, n=self.n_experts))
        elif self.showing == "dense":
            self._summary.setText(self.tr("Dense layer"))
        else:
            self._summary.setText("")
        self._geometry = None

    def _on_spin(self, value: int) -> None:
        every = self._all_layers()
        if value in every or self._layer is None:
            if value in every:
                self.set_layer(value)
            return
        later = value > self._layer
        candidates = [layer for layer in every if (layer > value if later else layer < value)]
        target = (candidates[0] if later else candidates[-1]) if candidates else self._layer
        self._spin.blockSignals(True)
        self._spin.setValue(target)
        self._spin.blockSignals(False)
        self.set_layer(target)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        steps = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}
        if event.key() in steps:
            self.step_layer(steps[event.key()])
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_frame(self, value: float) -> None:
        self._progress = float(value)
        self.update()

    def _apply_style(self) -> None:
        self._style = PROJECTOR if self.presentation else current()
        style = self._style
        control = (f"color: {style.view_text}; background: {style.box}; border: 1px solid {style.box_border};"
                   " border-radius: 4px; padding: 1px 8px;")
        for widget in (self._spin, self._down, self._up):
            widget.setStyleSheet(f"{type(widget).__name__} {{ {control} }}"
                                 f" QToolButton:disabled {{ color: {style.box_border}; }}"
                                 # the buttons beside do the stepping (NoButtons with a style sheet
                                 # leaves the number no room in Qt 6)
                                 " QSpinBox::up-button, QSpinBox::down-button { width: 0px; border: none; }")
        self._layer_caption.setStyleSheet(f"color: {style.view_text};")
        self._summary.setStyleSheet(f"color: {style.view_muted};")
        self._geometry = None
        self._make_fonts()
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._geometry = None
        self._make_fonts()
        super().resizeEvent(event)

    # ---- geometry

    def _font(self, name: str) -> QFont:
        return self._fonts[name]

    def _make_fonts(self) -> None:
        width, height = self.width(), self.height()
        if self.presentation:
            pixels = min(max(min(width / 64, height / 36), 14), 36)
        else:
            pixels = min(max(min(width / 90, height / 50), 11), 24)
        specs = {"text": (1.0, False), "small": (0.8, False), "title": (1.2, True), "value": (0.9, True),
                 "token": (1.5, True), "sigma": (2.2, True)}
        self._fonts = {}
        for name, (scale, bold) in specs.items():
            font = QFont(self.font())
            font.setPixelSize(max(9, round(pixels * scale)))
            font.setBold(bold)
            self._fonts[name] = font
        self._fonts["token"].setFamilies(["DejaVu Sans Mono", "Consolas", "Menlo", "monospace"])
        self._layer_caption.setFont(self._fonts["title"])
        for widget in (self._spin, self._spin.lineEdit(), self._down, self._up):
            widget.setFont(self._fonts["title"])
        self._spin.setMinimumWidth(round(QFontMetricsF(self._fonts["title"]).horizontalAdvance("000") + 28))
        self._summary.setFont(self._fonts["text"])

    def _layout(self) -> DiagramLayout:
        if self._geometry is not None:
            return self._geometry
        geometry = DiagramLayout()
        header_bottom = self.layout().itemAt(0).geometry().bottom() + 8
        margin = max(12.0, self.width() * 0.015)
        body = QRectF(margin, header_bottom, self.width() - 2 * margin, self.height() - header_bottom - margin)
        geometry.body = body
        text = QFontMetricsF(self._font("text"))
        title_height = QFontMetricsF(self._font("title")).height() * 1.4
        top = body.top() + title_height + text.height() * 0.5
        content = QRectF(body.left(), top, body.width(), body.bottom() - top)

        def column(start: float, end: float) -> QRectF:
            return QRectF(body.left() + start * body.width(), content.top(), (end - start) * body.width(),
                          content.height())

        token_column, out_column = column(0.0, 0.12), column(0.89, 1.0)
        centre_y = content.center().y()
        token_height = QFontMetricsF(self._font("token")).height() * 1.6 + text.height()
        geometry.token = QRectF(token_column.left(), centre_y - token_height / 2, token_column.width(),
                                token_height)
        if self.showing == "dense":
            dense = column(0.17, 0.82)
            height = min(content.height() * 0.6, dense.width() * 0.5)
            geometry.dense = QRectF(dense.left(), centre_y - height / 2, dense.width(), height)
            geometry.out_start = QPointF(dense.right(), centre_y)
            parts = [(token_column, self.tr("Token")), (dense, self.tr("Dense feed-forward block"))]
        else:
            router, experts, sigma = column(0.16, 0.47), column(0.53, 0.79), column(0.83, 0.89)
            self._layout_router(geometry, router, centre_y, text)
            self._layout_experts(geometry, experts, text)
            geometry.radius = min(sigma.width() / 2, content.height() * 0.08)
            geometry.sigma = QPointF(sigma.center().x(), centre_y)
            geometry.out_start = QPointF(geometry.sigma.x() + geometry.radius, centre_y)
            parts = [(token_column, self.tr("Token")), (router, self.tr("Router")),
                     (experts, self.tr("Experts")), (sigma, self.tr("Weighted sum"))]
        geometry.out_end = QPointF(out_column.right(), centre_y)
        geometry.out_label = QRectF(geometry.out_start.x() + 4, centre_y + text.height() * 0.4,
                                    out_column.right() - geometry.out_start.x() - 4, text.height() * 2.4)
        drawn = [geometry.token, geometry.router, geometry.dense] + geometry.cells[:1]
        tags = 0.0 if geometry.cell_text else QFontMetricsF(self._font("value")).height() + 4  # weights above
        titles_top = max(body.top(), min(r.top() for r in drawn if not r.isEmpty()) - title_height * 1.6 - tags)
        for number, (rect, title) in enumerate(parts, start=1):
            width = max(rect.width(), QFontMetricsF(self._font("title")).horizontalAdvance(title) + title_height)
            geometry.titles.append((QRectF(rect.center().x() - width / 2, titles_top, width, title_height),
                                    number, title))
        self._geometry = geometry
        return geometry

    def _layout_router(self, geometry: DiagramLayout, column: QRectF, centre_y: float, text: QFontMetricsF) -> None:
        small = QFontMetricsF(self._font("small"))
        height = min(column.height() * 0.72, column.width() * 0.9)
        geometry.router = QRectF(column.left(), centre_y - height / 2, column.width(), height)
        labels_above = 1 if self.n_experts <= LABEL_EACH_BAR_UP_TO else 3
        pad = small.height() * 0.6
        chart = geometry.router.adjusted(pad, pad + labels_above * small.height() * 1.25, -pad,
                                         -(pad + small.height() * 1.3))
        geometry.chart = chart
        geometry.bar_width = chart.width() / max(self.n_experts, 1)
        geometry.gating = QRectF(column.left(), geometry.router.bottom() + text.height() * 0.3, column.width(),
                                 text.height() * 2.4)

    def _layout_experts(self, geometry: DiagramLayout, column: QRectF, text: QFontMetricsF) -> None:
        small = QFontMetricsF(self._font("small"))
        value = QFontMetricsF(self._font("value"))
        shared_band = (small.height() * 4.2) if self.n_shared else 0.0
        headroom = max(column.height() * 0.06, value.height() + 4)  # for the weights' tags above the top row
        area = QRectF(column.left(), column.top() + headroom, column.width(),
                      column.height() - 2 * headroom - shared_band)
        n = max(self.n_experts, 1)
        best = (0.0, 1)
        for columns in range(1, n + 1):
            size = min(area.width() / columns, area.height() / math.ceil(n / columns))
            if size > best[0]:
                best = (size, columns)
        size = min(best[0], value.height() * 4.5)
        columns = best[1]
        rows = math.ceil(n / columns)
        gap = max(1.0, size * 0.12)
        grid_height = rows * size
        total = grid_height + shared_band
        top = column.center().y() - total / 2
        left = area.center().x() - columns * size / 2
        geometry.cells = [QRectF(left + (e % columns) * size + gap / 2, top + (e // columns) * size + gap / 2,
                                 size - gap, size - gap) for e in range(self.n_experts)]
        geometry.cell_text = value.horizontalAdvance(format_decimal(0.88, 2)) + 4 <= size - gap
        if self.n_shared:
            shared_size = min(max(size, small.height() * 1.8), small.height() * 2.6)
            shared_top = top + grid_height + small.height() * 0.8
            shared_left = area.center().x() - (self.n_shared * (shared_size + gap) - gap) / 2
            geometry.shared = [QRectF(shared_left + i * (shared_size + gap), shared_top, shared_size, shared_size)
                               for i in range(self.n_shared)]
            geometry.shared_caption = QRectF(column.left() - column.width() * 0.1, shared_top + shared_size + 2,
                                             column.width() * 1.2, small.height() * 1.2)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        if self.showing == "nothing":
            painter.fillRect(self.rect(), QColor(self._style.view))
            return
        following = (self._layer or 0) + 1
        gating = (self.tr("softmax: scores sum to 1") if self.gating == "softmax"
                  else self.tr("sigmoid: each score between 0 and 1 on its own"))
        words = {
            "gating": gating,
            "shared": self.tr("shared - always on"),
            "dense": self.tr("dense layer: no router, every parameter works"),
            "out": (self.tr("to layer {number}").format(number=following) if following <= self._all_layers()[-1]
                    else self.tr("to the output")),
        }
        Scene(layout=self._layout(), style=self._style, fonts=self._fonts, showing=self.showing, text=self._text,
              vector=self._vector, scores=self._scores, heights=self.bar_values(), chosen=self._chosen,
              lit=self.lit_experts(), progress=self._progress, n_experts=self.n_experts,
              presentation=self.presentation, note=self.note, words=words).paint(painter, QRectF(self.rect()))
