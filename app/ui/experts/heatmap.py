"""ExpertHeatmap: the router's choices painted as a layer × expert grid with a colour legend."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QImage, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.ui.experts.colormap import ColourScale
from app.ui.formatting import format_decimal, format_percent

_UNCHOSEN = QColor("#e4e7eb")
_SHARED = QColor("#5b6675")
_OUTLINE = QColor("#111111")
_AXIS_TEXT = QColor("#333333")
_LABEL_STEPS = (1, 2, 4, 5, 8, 10, 16, 20, 32, 50, 64, 100, 128)
_MAX_CELL_WIDTH = 88
_MAX_CELL_HEIGHT = 54


class ExpertHeatmap(QWidget):
    """One row per MoE layer, one column per routed expert; a cell's colour is its weight.

    Cells the router did not choose are light grey. Chosen cells get a viridis colour and, where
    the cell is wide enough, their value printed inside; for a single token they are also outlined,
    so the choice can be read without telling colours apart. Shared experts (DeepSeek, Qwen2-MoE),
    which run for every token without the router, stand in hatched columns of their own to the
    right. A colour bar on the right gives the scale in numbers.

    Attributes:
        layers: layer indices shown as rows, top to bottom.
        n_experts: experts shown as columns.
        n_shared: shared experts per layer, shown as always-on columns after the routed ones.
        values: array (rows × experts) of values between 0 and ``maximum``; 0 means not chosen.
        maximum: the value at the top of the colour scale.
        as_percent: whether values and legend read as percentages (shares) instead of weights.
        legend_title: words above the colour bar.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layers: list[int] = []
        self.n_experts = 0
        self.n_shared = 0
        self.values = np.zeros((0, 0))
        self.maximum = 1.0
        self.as_percent = False
        self.legend_title = ""
        self._scale = ColourScale()
        self._image = QImage()
        self._grid = QRectF()
        self._shared = QRectF()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setAccessibleName(self.tr("Expert heatmap"))

    def sizeHint(self) -> QSize:
        return QSize(520, 320)

    def minimumSizeHint(self) -> QSize:
        return QSize(280, 180)

    def set_shape(self, layers: list[int], n_experts: int, n_shared: int = 0) -> None:
        self.layers = list(layers)
        self.n_experts = n_experts
        self.n_shared = n_shared
        self.set_values(np.zeros((len(self.layers), n_experts)), 1.0, self.as_percent, self.legend_title)

    def set_values(self, values: np.ndarray, maximum: float, as_percent: bool, legend_title: str) -> None:
        """New values to show; the colours are computed here once, not in every paint."""
        self.values = values
        self.maximum = maximum if maximum > 0 else 1.0
        self.as_percent = as_percent
        self.legend_title = legend_title
        if values.size:
            self._image = self._scale.image(values, self.maximum, _UNCHOSEN)
        self.update()

    def format_value(self, value: float) -> str:
        return format_percent(value) if self.as_percent else format_decimal(value, 2)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.layers or not self.n_experts:
            return
        label_font = QFont(self.font())
        label_font.setPointSizeF(self.font().pointSizeF() * 0.9)
        label_metrics = QFontMetrics(label_font)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_metrics = QFontMetrics(title_font)
        widest_layer = label_metrics.horizontalAdvance(str(max(self.layers)))
        legend_width = (
            max(
                28 + 8 + label_metrics.horizontalAdvance(self.format_value(self.maximum)),
                28 + 8 + max(label_metrics.horizontalAdvance(text) for text in self._swatch_texts()),
                title_metrics.horizontalAdvance(self.legend_title) // 2,
            )
            + 24
        )
        left = title_metrics.height() + 10 + widest_layer + 8
        top = title_metrics.height() + label_metrics.height() + 12
        bottom = 12
        available_width = self.width() - left - legend_width - 16
        available_height = self.height() - top - bottom - title_metrics.height()
        rows, columns = len(self.layers), self.n_experts
        shared_columns = self.n_shared + 0.5 if self.n_shared else 0.0  # half a cell apart
        cell_width = max(1.0, min(available_width / (columns + shared_columns), _MAX_CELL_WIDTH))
        cell_height = max(1.0, min(available_height / rows, _MAX_CELL_HEIGHT))
        grid_width, grid_height = cell_width * columns, cell_height * rows
        offset = max(0.0, (available_width - grid_width - shared_columns * cell_width) / 2)
        self._grid = QRectF(left + offset, top + title_metrics.height(), grid_width, grid_height)
        self._shared = QRectF(self._grid.right() + cell_width / 2, self._grid.top(),
                              self.n_shared * cell_width, grid_height)

        self._paint_axes(
            painter, label_font, label_metrics, title_font, title_metrics, cell_width, cell_height
        )
        self._paint_cells(painter, label_font, label_metrics, cell_width, cell_height)
        self._paint_shared(painter, label_font, label_metrics, cell_width, cell_height)
        self._paint_legend(painter, label_font, label_metrics, title_font, title_metrics)

    def _swatch_texts(self) -> list[str]:
        texts = [self.tr("not chosen")]
        if self.n_shared:
            texts.append(self.tr("shared: always on"))
        return texts

    def _paint_shared(self, painter, label_font, label_metrics, cell_width, cell_height):
        """The shared experts: hatched, the same in every row, since no router decides about them."""
        if not self.n_shared:
            return
        area = self._shared
        gap = 2.0 if min(cell_width, cell_height) >= 10 else 0.0
        painter.setFont(label_font)
        painter.setPen(_AXIS_TEXT)
        painter.drawText(
            QRectF(area.left() - 20, area.top() - label_metrics.height() - 4, area.width() + 40,
                   label_metrics.height()),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("S"),
        )
        for row in range(len(self.layers)):
            for column in range(self.n_shared):
                cell = QRectF(area.left() + column * cell_width + gap / 2, area.top() + row * cell_height + gap / 2,
                              cell_width - gap, cell_height - gap)
                _fill_shared(painter, cell)

    def _paint_axes(
        self, painter, label_font, label_metrics, title_font, title_metrics, cell_width, cell_height
    ):
        grid = self._grid
        painter.setPen(_AXIS_TEXT)
        painter.setFont(title_font)
        painter.drawText(
            QRectF(grid.left(), 4, grid.width(), title_metrics.height()),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("Expert"),
        )
        painter.save()
        painter.translate(4, grid.center().y())
        painter.rotate(-90)
        painter.drawText(
            QRectF(-grid.height() / 2, 0, grid.height(), title_metrics.height()),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("Layer"),
        )
        painter.restore()

        painter.setFont(label_font)
        widest_expert = label_metrics.horizontalAdvance(str(self.n_experts - 1)) + 6
        expert_step = next((s for s in _LABEL_STEPS if s * cell_width >= widest_expert), self.n_experts)
        label_top = grid.top() - label_metrics.height() - 4
        for expert in range(0, self.n_experts, expert_step):
            x = grid.left() + expert * cell_width
            painter.drawText(
                QRectF(x + cell_width / 2 - 40, label_top, 80, label_metrics.height()),
                Qt.AlignmentFlag.AlignCenter,
                str(expert),
            )
        layer_step = next(
            (s for s in _LABEL_STEPS if s * cell_height >= label_metrics.height()), len(self.layers)
        )
        for row in range(0, len(self.layers), layer_step):
            y = grid.top() + row * cell_height
            painter.drawText(
                QRectF(grid.left() - 108, y, 100, cell_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(self.layers[row]),
            )

    def _paint_cells(self, painter, label_font, label_metrics, cell_width, cell_height):
        grid = self._grid
        painter.drawImage(grid, self._image)
        gap = 2.0 if min(cell_width, cell_height) >= 10 else 0.0
        if gap:
            painter.setPen(QPen(self.palette().base().color(), gap))
            for column in range(1, self.n_experts):
                x = grid.left() + column * cell_width
                painter.drawLine(QPointF(x, grid.top()), QPointF(x, grid.bottom()))
            for row in range(1, len(self.layers)):
                y = grid.top() + row * cell_height
                painter.drawLine(QPointF(grid.left(), y), QPointF(grid.right(), y))
        outline = not self.as_percent and gap > 0
        sample = label_metrics.horizontalAdvance(self.format_value(self.maximum)) + 6
        show_text = cell_width >= sample and cell_height >= label_metrics.height() + 2
        if not outline and not show_text:
            return
        painter.setFont(label_font)
        for row, column in np.argwhere(self.values > 0):
            cell = QRectF(
                grid.left() + column * cell_width + gap / 2,
                grid.top() + row * cell_height + gap / 2,
                cell_width - gap,
                cell_height - gap,
            )
            value = float(self.values[row, column])
            if outline:
                painter.setPen(QPen(_OUTLINE, 2))
                painter.drawRect(cell.adjusted(1, 1, -1, -1))
            if show_text:
                painter.setPen(self._scale.text_colour(self._scale.colour(value / self.maximum)))
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, self.format_value(value))

    def _paint_legend(self, painter, label_font, label_metrics, title_font, title_metrics):
        grid = self._grid
        right = self._shared.right() if self.n_shared else grid.right()
        bar = QRectF(right + 24, grid.top(), 20, max(grid.height(), 80.0))
        painter.setFont(title_font)
        painter.setPen(_AXIS_TEXT)
        painter.drawText(
            QRectF(bar.left() - 60, 4, self.width() - bar.left() + 56, title_metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            self.legend_title,
        )
        gradient = QLinearGradient(QPointF(0, bar.bottom()), QPointF(0, bar.top()))
        for index in range(0, 256, 15):
            gradient.setColorAt(index / 255, self._scale.colours[index])
        gradient.setColorAt(1.0, self._scale.colours[255])
        painter.fillRect(bar, gradient)
        painter.setPen(QPen(_AXIS_TEXT, 1))
        painter.drawRect(bar)
        painter.setFont(label_font)
        for fraction in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = bar.bottom() - fraction * bar.height()
            painter.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y))
            painter.drawText(
                QRectF(bar.right() + 7, y - label_metrics.height() / 2, 200, label_metrics.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.format_value(fraction * self.maximum),
            )
        swatch_top = bar.bottom() + label_metrics.height()
        for index, text in enumerate(self._swatch_texts()):
            top = swatch_top + index * (label_metrics.height() + 6)
            if top + label_metrics.height() > self.height():
                break
            swatch = QRectF(bar.left(), top, bar.width(), label_metrics.height())
            if index == 0:
                painter.fillRect(swatch, _UNCHOSEN)
            else:
                _fill_shared(painter, swatch)
            painter.setPen(QPen(_AXIS_TEXT, 1))
            painter.drawRect(swatch)
            painter.drawText(
                QRectF(bar.right() + 7, top, 400, label_metrics.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, expert) under a point in widget coordinates, or None outside the grid."""
        if not self._grid.contains(QPointF(x, y)) or not self.n_experts:
            return None
        column = int((x - self._grid.left()) / (self._grid.width() / self.n_experts))
        row = int((y - self._grid.top()) / (self._grid.height() / len(self.layers)))
        return min(row, len(self.layers) - 1), min(column, self.n_experts - 1)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            cell = self.cell_at(event.pos().x(), event.pos().y())
            if cell is None and self.n_shared and self._shared.contains(QPointF(event.pos())):
                QToolTip.showText(event.globalPos(), self.tr("Shared expert: works on every token, no router "
                                                             "decides about it"), self)
            elif cell is None:
                QToolTip.hideText()
            else:
                row, expert = cell
                value = float(self.values[row, expert])
                text = self.tr("Layer {layer} · expert {expert}: {value}").format(
                    layer=self.layers[row],
                    expert=expert,
                    value=self.format_value(value) if value > 0 else self.tr("not chosen"),
                )
                QToolTip.showText(event.globalPos(), text, self)
            return True
        return super().event(event)


def _fill_shared(painter: QPainter, cell: QRectF) -> None:
    """A shared expert's cell: dark with light diagonal hatching, unlike any colour of the scale."""
    painter.fillRect(cell, _SHARED)
    painter.fillRect(cell, QBrush(QColor("#ffffff"), Qt.BrushStyle.BDiagPattern))
