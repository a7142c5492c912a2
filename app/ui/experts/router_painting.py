"""The router diagram's look and its painting: colours, the layout it is drawn into, the animation's
stages, and ``Scene``, which paints one moment of the diagram with QPainter (no child widgets).

Split from app/ui/experts/router_diagram.py, the widget, which keeps the state, input and geometry.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QEasingCurve, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from app.ui.formatting import format_decimal, visible_token
from app.ui.theme import Theme

# the share of the animation each part takes (start, end): they overlap a little, so it flows
TOKEN, BARS, LIGHT, FLOW, OUT = (0.0, 0.25), (0.15, 0.5), (0.45, 0.65), (0.6, 0.88), (0.85, 1.0)
LABEL_EACH_BAR_UP_TO = 16
VECTOR_CELLS = 10
UNWEIGHED_LEVEL = 0.6
"""How strongly an expert is drawn, against the strongest weight (1), when the engine reports no weights."""
_EASE = QEasingCurve(QEasingCurve.Type.OutCubic)


@dataclass
class DiagramLayout:
    """Where everything goes, for one size, model and style."""

    body: QRectF = field(default_factory=QRectF)
    titles: list[tuple[QRectF, int, str]] = field(default_factory=list)
    token: QRectF = field(default_factory=QRectF)
    router: QRectF = field(default_factory=QRectF)
    chart: QRectF = field(default_factory=QRectF)
    gating: QRectF = field(default_factory=QRectF)
    cells: list[QRectF] = field(default_factory=list)
    shared: list[QRectF] = field(default_factory=list)
    shared_caption: QRectF = field(default_factory=QRectF)
    dense: QRectF = field(default_factory=QRectF)
    sigma: QPointF = field(default_factory=QPointF)
    radius: float = 0.0
    out_start: QPointF = field(default_factory=QPointF)
    out_end: QPointF = field(default_factory=QPointF)
    out_label: QRectF = field(default_factory=QRectF)
    bar_width: float = 0.0
    cell_text: bool = False


def phase(progress: float, span: tuple[float, float]) -> float:
    """How far (0..1, eased) one part of the animation is at ``progress`` of the whole."""
    start, end = span
    return _EASE.valueForProgress(min(max((progress - start) / (end - start), 0.0), 1.0))


def vector_of(text: str) -> list[float]:
    """A token's picture of a vector: ten shades, the same for the same text (a symbol, not its values)."""
    seed = zlib.crc32(text.encode("utf-8"))
    return [((seed >> (3 * i)) & 7) / 7 for i in range(VECTOR_CELLS)]


@dataclass
class Scene:
    """What the router diagram shows at one moment, and the painting of it.

    The widget (app/ui/experts/router_diagram.py) keeps the state and the layout; a Scene is made for
    each paint from them and draws, nothing else.

    Attributes:
        layout, style, fonts: where, in which colours and type (fonts by role: text, small, title,
            value, token, sigma).
        showing: ``"nothing"``, ``"moe"`` or ``"dense"``.
        text, vector: the token's text and its vector's picture (``vector_of``).
        scores, heights: the router's scores (None when not reported) and the bars' heights now.
        chosen, lit: the chosen experts with their weights (NaN: not reported), and those lit now.
        progress: 0..1 through the token's animation.
        n_experts, presentation, note: as the widget's.
        words: the translated words: ``gating``, ``shared``, ``dense``, ``out``.
    """

    layout: DiagramLayout
    style: Theme
    fonts: dict[str, QFont]
    showing: str
    text: str
    vector: list[float]
    scores: np.ndarray | None
    heights: np.ndarray
    chosen: dict[int, float]
    lit: dict[int, float]
    progress: float
    n_experts: int
    presentation: bool
    note: str
    words: dict[str, str]

    def font(self, name: str) -> QFont:
        return self.fonts[name]

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        """The whole diagram into ``rect`` (the widget's), background first."""
        painter.fillRect(rect, QColor(self.style.view))
        if self.showing == "nothing":
            return
        geometry = self.layout
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_titles(painter, geometry)
        self._paint_token(painter, geometry)
        if self.showing == "dense":
            self._paint_dense(painter, geometry)
        else:
            self._paint_router(painter, geometry)
            self._paint_experts(painter, geometry)
            self._paint_sum(painter, geometry)
        self._paint_out(painter, geometry)

    def _paint_titles(self, painter: QPainter, geometry: DiagramLayout) -> None:
        style = self.style
        painter.setFont(self.font("title"))
        metrics = QFontMetricsF(self.font("title"))
        for rect, number, title in geometry.titles:
            diameter = metrics.height() * 1.1
            width = diameter + 8 + metrics.horizontalAdvance(title)
            left = rect.center().x() - width / 2
            badge = QRectF(left, rect.center().y() - diameter / 2, diameter, diameter)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(style.token))
            painter.drawEllipse(badge)
            painter.setPen(QColor(style.token_text))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(number))
            painter.setPen(QColor(style.view_text))
            painter.drawText(QRectF(badge.right() + 8, rect.top(), width, rect.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)

    def _paint_token(self, painter: QPainter, geometry: DiagramLayout) -> None:
        style = self.style
        entered = phase(self.progress, TOKEN)
        box = geometry.token.translated(-(1 - entered) * geometry.token.width() * 0.6, 0)
        target = geometry.dense.left() if self.showing == "dense" else geometry.router.left()
        _arrow(painter, QPointF(geometry.token.right(), box.center().y()), QPointF(target, box.center().y()),
               QColor(style.view_muted), 2.5)
        painter.setOpacity(0.25 + 0.75 * entered)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(style.token))
        painter.drawRoundedRect(box, 8, 8)
        token_metrics = QFontMetricsF(self.font("token"))
        cells_height = QFontMetricsF(self.font("text")).height() * 0.6
        text_rect = QRectF(box.left() + 6, box.top() + 4, box.width() - 12, box.height() - cells_height - 12)
        painter.setFont(self.font("token"))
        painter.setPen(QColor(style.token_text))
        shown = visible_token(self.text) or "–"
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter,
                         token_metrics.elidedText(shown, Qt.TextElideMode.ElideRight, text_rect.width()))
        cell_width = (box.width() - 16) / VECTOR_CELLS
        lit = QColor(style.lit)
        for index, level in enumerate(self.vector or [0.0] * VECTOR_CELLS):
            colour = QColor(lit)
            colour.setAlphaF(0.25 + 0.75 * level if self.vector else 0.15)
            painter.fillRect(QRectF(box.left() + 8 + index * cell_width, box.bottom() - cells_height - 8,
                                    cell_width - 1, cells_height), colour)
        painter.setOpacity(1.0)

    def _paint_router(self, painter: QPainter, geometry: DiagramLayout) -> None:
        style = self.style
        router, chart = geometry.router, geometry.chart
        painter.setPen(QPen(QColor(style.box_border), 1.5))
        painter.setBrush(QColor(style.box))
        painter.drawRoundedRect(router, 10, 10)
        _arrow(painter, QPointF(router.right(), router.center().y()),
               QPointF(geometry.cells[0].left() - 6 if geometry.cells else router.right() + 20,
                       router.center().y()), QColor(style.view_muted), 2.5)
        painter.setFont(self.font("text"))
        painter.setPen(QColor(style.view_muted))
        gating = self.words["gating"]
        painter.drawText(geometry.gating, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, gating)
        if self.scores is None:
            if self.note:
                painter.setPen(QColor(style.view_text))
                painter.drawText(router.adjusted(16, 16, -16, -16),
                                 Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.note)
            return
        heights = self.heights
        top = float(self.scores.max(initial=0.0)) or 1.0
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        width = geometry.bar_width
        gap = 1.0 if width >= 4 else 0.0
        bar, lit = QColor(style.bar), QColor(style.lit)
        for expert, value in enumerate(heights.tolist()):
            height = chart.height() * value / top
            painter.fillRect(QRectF(chart.left() + expert * width, chart.bottom() - height, width - gap, height),
                             lit if expert in self.chosen else bar)
        for expert in self.chosen:  # at least 3 px wide, so a chosen bar stands out among 256
            height = chart.height() * heights[expert] / top
            centre = chart.left() + (expert + 0.5) * width
            painter.fillRect(QRectF(centre - max(width - gap, 3) / 2, chart.bottom() - height, max(width - gap, 3),
                                    height), lit)
        painter.setPen(QPen(QColor(style.view_muted), 1))
        painter.drawLine(QPointF(chart.left(), chart.bottom()), QPointF(chart.right(), chart.bottom()))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_bar_labels(painter, geometry, heights, top)

    def _paint_bar_labels(self, painter: QPainter, geometry: DiagramLayout, heights: np.ndarray, top: float) -> None:
        style, chart, width = self.style, geometry.chart, geometry.bar_width
        small = QFontMetricsF(self.font("small"))
        below = QRectF(chart.left(), chart.bottom() + 2, chart.width(), small.height())
        painter.setFont(self.font("small"))
        if self.n_experts <= LABEL_EACH_BAR_UP_TO:
            for expert, value in enumerate(heights.tolist()):
                x = chart.left() + expert * width
                chosen = expert in self.chosen
                painter.setPen(QColor(style.lit if chosen else style.view_muted))
                painter.drawText(QRectF(x, below.top(), width, below.height()), Qt.AlignmentFlag.AlignCenter,
                                 str(expert))
                y = chart.bottom() - chart.height() * value / top - small.height()
                painter.setPen(QColor(style.view_text if chosen else style.view_muted))
                painter.drawText(QRectF(x - 10, y, width + 20, small.height()), Qt.AlignmentFlag.AlignCenter,
                                 format_decimal(float(self.scores[expert]), 2))
            return
        painter.setPen(QColor(style.view_muted))
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft, "0")
        painter.drawText(below, Qt.AlignmentFlag.AlignRight, str(self.n_experts - 1))
        # the chosen bars' labels above the chart, in as many rows as they need not to overlap
        ends: list[float] = []
        for expert in sorted(self.chosen):
            label = f"{expert}: {format_decimal(float(self.scores[expert]), 2)}"
            label_width = small.horizontalAdvance(label) + 6
            centre = chart.left() + (expert + 0.5) * width
            left = min(max(centre - label_width / 2, geometry.router.left() + 2),
                       geometry.router.right() - label_width - 2)
            row = next((r for r, end in enumerate(ends) if end <= left), len(ends))
            if row == len(ends):
                ends.append(0.0)
            ends[row] = left + label_width
            y = chart.top() - (row + 1) * small.height() * 1.15 - 2
            bar_top = chart.bottom() - chart.height() * heights[expert] / top
            painter.setPen(QPen(QColor(style.lit), 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(centre, y + small.height()), QPointF(centre, bar_top))
            painter.setPen(QColor(style.view_text))
            painter.drawText(QRectF(left, y, label_width, small.height()), Qt.AlignmentFlag.AlignCenter, label)

    def _paint_experts(self, painter: QPainter, geometry: DiagramLayout) -> None:
        style = self.style
        lit = self.lit
        light = phase(self.progress, LIGHT)
        flow = phase(self.progress, FLOW)
        levels = _levels(lit)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        cell_colour, lit_colour = QColor(style.unchosen), QColor(style.lit)
        for rect in geometry.cells:
            painter.fillRect(rect, cell_colour)
        for expert in lit:
            colour = QColor(lit_colour)
            colour.setAlphaF(light * (0.45 + 0.55 * levels[expert]))
            painter.fillRect(geometry.cells[expert], colour)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for index, rect in enumerate(geometry.shared):
            _fill_shared(painter, rect, style)
            _flow_line(painter, QPointF(rect.right(), rect.center().y()), geometry, 1.0,
                       QPen(QColor(style.shared), 2, Qt.PenStyle.DashLine))
        if geometry.shared:
            painter.setFont(self.font("small"))
            painter.setPen(QColor(style.view_text))
            painter.drawText(geometry.shared_caption, Qt.AlignmentFlag.AlignCenter, self.words["shared"])
        for expert in lit:
            rect = geometry.cells[expert]
            colour = QColor(lit_colour)
            colour.setAlphaF(0.8)
            pen = QPen(colour, 1.5 + 6 * levels[expert])
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            _flow_line(painter, QPointF(rect.right(), rect.center().y()), geometry, flow, pen)
        self._paint_expert_labels(painter, geometry, lit, light)

    def _paint_expert_labels(self, painter: QPainter, geometry: DiagramLayout, lit: dict[int, float], light: float) -> None:
        style = self.style
        small = QFontMetricsF(self.font("small"))
        numbered = bool(geometry.cells) and small.horizontalAdvance(str(self.n_experts - 1)) + 4 <= geometry.cells[0].width()
        painter.setFont(self.font("small"))
        if numbered:
            painter.setPen(QColor(style.view_muted))
            for expert, rect in enumerate(geometry.cells):
                if expert not in lit:
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(expert))
        painter.setOpacity(light)
        unweighed = [expert for expert, weight in lit.items() if math.isnan(weight)]
        if numbered:  # no weight to show on these: their numbers instead
            painter.setPen(QColor(style.lit_text))
            for expert in unweighed:
                painter.drawText(geometry.cells[expert], Qt.AlignmentFlag.AlignCenter, str(expert))
        weighed = {expert: weight for expert, weight in lit.items() if not math.isnan(weight)}
        value = QFontMetricsF(self.font("value"))
        placed = [geometry.cells[expert] for expert in lit]  # tags cover no lit expert, nor each other
        for expert, weight in sorted(weighed.items(), key=lambda item: -item[1]):
            rect, label = geometry.cells[expert], format_decimal(weight, 2)
            if geometry.cell_text:
                painter.setFont(self.font("value"))
                painter.setPen(QColor(style.lit_text))
                if rect.height() >= value.height() * 2.2:
                    painter.setFont(self.font("small"))
                    painter.drawText(rect.adjusted(0, 3, 0, 0), Qt.AlignmentFlag.AlignHCenter
                                     | Qt.AlignmentFlag.AlignTop, str(expert))
                    painter.setFont(self.font("value"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
                continue
            tag = self._place_tag(rect, value.horizontalAdvance(label) + 8, value.height() + 2, placed)
            placed.append(tag)
            painter.setPen(QPen(QColor(style.lit), 1.5))
            painter.setBrush(QColor(style.view))
            painter.drawRoundedRect(tag, 3, 3)
            painter.setFont(self.font("value"))
            painter.setPen(QColor(style.view_text))
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, label)
        painter.setOpacity(1.0)

    def _place_tag(self, cell: QRectF, width: float, height: float, placed: list[QRectF]) -> QRectF:
        """A weight's tag next to its cell: above, below, left or right, wherever no other tag is."""
        centre = cell.center()
        candidates = [
            QRectF(centre.x() - width / 2, cell.top() - height - 1, width, height),
            QRectF(centre.x() - width / 2, cell.bottom() + 1, width, height),
            QRectF(cell.left() - width - 1, centre.y() - height / 2, width, height),
            QRectF(cell.right() + 1, centre.y() - height / 2, width, height),
        ]
        return next((c for c in candidates if not any(c.intersects(p) for p in placed)), candidates[0])

    def _paint_sum(self, painter: QPainter, geometry: DiagramLayout) -> None:
        style = self.style
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(style.token))
        radius = geometry.radius
        painter.drawEllipse(geometry.sigma, radius, radius)
        painter.setFont(self.font("sigma"))
        painter.setPen(QColor(style.token_text))
        painter.drawText(QRectF(geometry.sigma.x() - radius, geometry.sigma.y() - radius, 2 * radius, 2 * radius),
                         Qt.AlignmentFlag.AlignCenter, "Σ")

    def _paint_dense(self, painter: QPainter, geometry: DiagramLayout) -> None:
        style = self.style
        box = geometry.dense
        painter.setPen(QPen(QColor(style.box_border), 1.5))
        painter.setBrush(QColor(style.box))
        painter.drawRoundedRect(box, 10, 10)
        text = QFontMetricsF(self.font("text"))
        inner = box.adjusted(box.width() * 0.08, box.height() * 0.12, -box.width() * 0.08,
                             -(box.height() * 0.12 + text.height() * 2.6))
        colour = QColor(style.lit)
        colour.setAlphaF(0.3 + 0.6 * phase(self.progress, LIGHT))
        columns, rows = 24, 6
        width, height = inner.width() / columns, inner.height() / rows
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for index in range(columns * rows):
            painter.fillRect(QRectF(inner.left() + (index % columns) * width, inner.top() + (index // columns) * height,
                                    width - 2, height - 2), colour)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self.font("text"))
        painter.setPen(QColor(style.view_text))
        painter.drawText(QRectF(box.left() + 12, inner.bottom() + 6, box.width() - 24, text.height() * 2.4),
                         Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                         self.words["dense"])

    def _paint_out(self, painter: QPainter, geometry: DiagramLayout) -> None:
        style = self.style
        _arrow(painter, geometry.out_start, geometry.out_end, QColor(style.view_muted), 3)
        leaving = phase(self.progress, OUT)
        if self.chosen or self.showing == "dense":
            end = geometry.out_start + (geometry.out_end - geometry.out_start) * leaving
            _arrow(painter, geometry.out_start, end, QColor(style.lit), 5)
        words = self.words["out"]
        painter.setFont(self.font("text"))
        painter.setPen(QColor(style.view_text))
        painter.drawText(geometry.out_label, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, words)



def _levels(lit: dict[int, float]) -> dict[int, float]:
    """Each lit expert's weight against the strongest's (0..1); UNWEIGHED_LEVEL for one without a weight."""
    strongest = max((weight for weight in lit.values() if not math.isnan(weight)), default=1.0) or 1.0
    return {expert: UNWEIGHED_LEVEL if math.isnan(weight) else weight / strongest for expert, weight in lit.items()}


def _arrow(painter: QPainter, start: QPointF, end: QPointF, colour: QColor, width: float) -> None:
    """A straight arrow with a filled head, the head's size following the line's width."""
    length = math.hypot(end.x() - start.x(), end.y() - start.y())
    if length < 1:
        return
    ux, uy = (end.x() - start.x()) / length, (end.y() - start.y()) / length
    head = min(4 + width * 2.5, length)
    base = QPointF(end.x() - ux * head, end.y() - uy * head)
    painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    painter.drawLine(start, base)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    half = head * 0.55
    painter.drawPolygon(QPolygonF([end, QPointF(base.x() - uy * half, base.y() + ux * half),
                                   QPointF(base.x() + uy * half, base.y() - ux * half)]))


def _flow_line(painter: QPainter, start: QPointF, geometry: DiagramLayout, fraction: float, pen: QPen) -> None:
    """A curve from an expert into Σ, drawn ``fraction`` of its way."""
    if fraction <= 0:
        return
    end = QPointF(geometry.sigma.x() - geometry.radius, geometry.sigma.y())
    path = QPainterPath(start)
    middle = (start.x() + end.x()) / 2
    path.cubicTo(QPointF(middle, start.y()), QPointF(middle, end.y()), end)
    if fraction < 1:
        cut = QPainterPath(start)
        for step in range(1, 17):
            cut.lineTo(path.pointAtPercent(fraction * step / 16))
        path = cut
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


def _fill_shared(painter: QPainter, cell: QRectF, style: Theme) -> None:
    """A shared expert: the heatmap's hatched look, in this style's colours."""
    painter.fillRect(cell, QColor(style.shared))
    painter.fillRect(cell, QBrush(QColor(style.hatch), Qt.BrushStyle.BDiagPattern))
