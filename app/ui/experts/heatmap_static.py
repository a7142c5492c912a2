"""The expert heatmap's static layer and looks: background, empty grid, axis titles and labels, shared
expert columns and colour legend, painted into one pixmap that ExpertHeatmap keeps until its size,
shape, zoom, scroll, legend or style changes; and its looks: the light and dark theme's, and presentation.

The painting reads the heatmap's layout (fonts, grid, label rectangles, areas) as ExpertHeatmap
computed it; text goes through the "ExpertHeatmap" translation context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QCoreApplication, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QPen, QPixmap

from app.ui.theme import DARK, LIGHT, PROJECTOR, Theme, current

if TYPE_CHECKING:
    from app.ui.experts.heatmap import ExpertHeatmap

TICK = 4


class HeatmapTheme(NamedTuple):
    """Colours and type size of one look of the heatmap."""

    background: QColor
    text: QColor
    unchosen: QColor
    outline: QColor
    focus: QColor
    shared: QColor
    hatch: QColor
    font_scale: float


def _look(colours: Theme, font_scale: float) -> HeatmapTheme:
    return HeatmapTheme(background=QColor(colours.view), text=QColor(colours.view_text),
                        unchosen=QColor(colours.unchosen), outline=QColor(colours.outline),
                        focus=QColor(colours.marker), shared=QColor(colours.shared), hatch=QColor(colours.hatch),
                        font_scale=font_scale)


NORMAL_THEME = _look(LIGHT, 1.0)
DARK_THEME = _look(DARK, 1.0)
# dark and high-contrast with large type, to be read from the back of a room on a projector
PRESENTATION_THEME = _look(PROJECTOR, 1.5)


def heatmap_look(presentation: bool) -> HeatmapTheme:
    """The presentation look, else the one of the window's theme."""
    if presentation:
        return PRESENTATION_THEME
    return DARK_THEME if current().dark else NORMAL_THEME


def paint_static(heatmap: ExpertHeatmap) -> QPixmap:
    """Everything that does not change with the values: background, axes, shared columns, legend."""
    ratio = heatmap.devicePixelRatioF()
    pixmap = QPixmap(heatmap.size() * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(heatmap.theme.background)
    if not heatmap.grid.columns:
        return pixmap
    painter = QPainter(pixmap)
    painter.fillRect(heatmap.grid.view.intersected(heatmap.grid.image_rect()), heatmap.theme.unchosen)
    for strip in heatmap._gap_rects:
        painter.fillRect(strip, heatmap.theme.background)
    _paint_axes(heatmap, painter)
    _paint_shared(heatmap, painter)
    _paint_legend(heatmap, painter)
    painter.end()
    return pixmap


def _paint_axes(heatmap: ExpertHeatmap, painter: QPainter) -> None:
    view, title = heatmap.grid.view, heatmap._title_metrics
    painter.setPen(heatmap.theme.text)
    painter.setFont(heatmap._title_font)
    painter.drawText(
        QRect(view.left(), 2, view.width(), title.height()),
        Qt.AlignmentFlag.AlignCenter,
        QCoreApplication.translate("ExpertHeatmap", "Expert"),
    )
    painter.save()
    painter.translate(2, view.center().y())
    painter.rotate(-90)
    painter.drawText(
        QRectF(-view.height() / 2, 0, view.height(), title.height()),
        Qt.AlignmentFlag.AlignCenter,
        QCoreApplication.translate("ExpertHeatmap", "Layer"),
    )
    painter.restore()
    painter.setFont(heatmap._label_font)
    flags = Qt.AlignmentFlag.AlignCenter
    for rect, text in heatmap.expert_labels:
        painter.drawText(rect, flags, text)
        x = rect.center().x()
        painter.drawLine(x, view.top() - TICK, x, view.top() - 1)
    for rect, text in heatmap.layer_labels:
        painter.drawText(rect, flags, text)
        y = rect.center().y()
        painter.drawLine(view.left() - TICK, y, view.left() - 1, y)


def _paint_shared(heatmap: ExpertHeatmap, painter: QPainter) -> None:
    """The shared experts: hatched, the same in every row, since no router decides about them."""
    if not heatmap.n_shared:
        return
    area, label = heatmap._shared.toRect(), heatmap._label_metrics
    painter.setFont(heatmap._label_font)
    painter.setPen(heatmap.theme.text)
    painter.drawText(
        QRect(area.left() - 20, area.top() - label.height() - TICK, area.width() + 40, label.height()),
        Qt.AlignmentFlag.AlignCenter,
        QCoreApplication.translate("ExpertHeatmap", "S"),
    )
    width = area.width() / heatmap.n_shared
    for row in range(heatmap.grid.rows):
        top, bottom = int(heatmap.grid.y_edges[row]), int(heatmap.grid.y_edges[row + 1])
        for column in range(heatmap.n_shared):
            cell = QRect(round(area.left() + column * width), top, round(width), bottom - top)
            gap = heatmap._gap
            _fill_shared(heatmap, painter, cell.adjusted(gap // 2, gap // 2, -gap, -gap))


def _fill_shared(heatmap: ExpertHeatmap, painter: QPainter, cell: QRect) -> None:
    """A shared expert's cell: hatched, unlike any colour of the scale."""
    painter.fillRect(cell, heatmap.theme.shared)
    painter.fillRect(cell, QBrush(heatmap.theme.hatch, Qt.BrushStyle.BDiagPattern))


def _paint_legend(heatmap: ExpertHeatmap, painter: QPainter) -> None:
    """The title, the colour bar with its figures (not for choices without weights), the swatches, and
    when the engine reports no weights, a sentence that says so."""
    bar, label, title = heatmap._legend_bar, heatmap._label_metrics, heatmap._title_metrics
    painter.setFont(heatmap._title_font)
    painter.setPen(heatmap.theme.text)
    width = title.horizontalAdvance(heatmap.legend_title)
    painter.drawText(
        QRect(min(bar.left(), heatmap.width() - heatmap._pad - width), 2, width, title.height()),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        heatmap.legend_title,
    )
    painter.setFont(heatmap._label_font)
    swatches_top = bar.top() if heatmap.chosen_only else _paint_colour_bar(heatmap, painter) + label.height()
    fills = [heatmap._scale.colours[255]] if heatmap.chosen_only else []
    fills.append(heatmap.theme.unchosen)
    bottom = swatches_top
    for index, text in enumerate(heatmap._swatch_texts()):
        top = swatches_top + index * (label.height() + 6)
        if top + label.height() > heatmap.height():
            return
        swatch = QRect(bar.left(), top, bar.width(), label.height())
        if index < len(fills):
            painter.fillRect(swatch, fills[index])
        else:
            _fill_shared(heatmap, painter, swatch)
        painter.setPen(QPen(heatmap.theme.text, 1))
        painter.drawRect(swatch.adjusted(0, 0, -1, -1))
        painter.drawText(
            QRect(bar.right() + 7, top, 400, label.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
        bottom = top + label.height()
    if not heatmap.weights_reported:
        _paint_no_weights(heatmap, painter, bottom + label.height())


def _paint_colour_bar(heatmap: ExpertHeatmap, painter: QPainter) -> int:
    """The colour scale with its figures; returns its bottom."""
    bar, label = heatmap._legend_bar, heatmap._label_metrics
    gradient = QLinearGradient(QPointF(0, bar.bottom()), QPointF(0, bar.top()))
    for index in range(0, 256, 15):
        gradient.setColorAt(index / 255, heatmap._scale.colours[index])
    gradient.setColorAt(1.0, heatmap._scale.colours[255])
    painter.fillRect(bar, gradient)
    painter.setPen(QPen(heatmap.theme.text, 1))
    painter.drawRect(bar.adjusted(0, 0, -1, -1))
    for fraction, text in zip((0.0, 0.25, 0.5, 0.75, 1.0), heatmap._legend_texts()):
        y = round(bar.bottom() - fraction * (bar.height() - 1))
        painter.drawLine(bar.right(), y, bar.right() + TICK, y)
        painter.drawText(
            QRect(bar.right() + 7, y - label.height() // 2, 400, label.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
    return bar.bottom()


def _paint_no_weights(heatmap: ExpertHeatmap, painter: QPainter, top: int) -> None:
    """The legend's plain sentence that the engine reports choices, not weights, where it fits."""
    left = heatmap._legend_bar.left()
    room = QRect(left, top, heatmap.width() - heatmap._pad - left, heatmap.height() - heatmap._pad - top)
    words = QCoreApplication.translate("ExpertHeatmap", "This engine reports which experts were chosen, not their weights.")
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    needed = heatmap._label_metrics.boundingRect(room, flags, words)
    if room.width() > 0 and needed.height() <= room.height() and needed.width() <= room.width():
        painter.setPen(heatmap.theme.text)
        painter.drawText(room, flags, words)
