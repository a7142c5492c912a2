"""ExpertHeatmap: the router's choices painted as a layer × expert grid with a colour legend.

Built to follow every token of a 48-layer × 128-expert model at 1920 × 1080: axes, legend, shared
columns and the empty grid are painted once into a cached pixmap (``heatmap_static``, renewed on
resize, shape, zoom, scroll, legend or style change). A frame draws that pixmap and the chosen cells
over it: one token's few cells as filled rectangles with an outline ring, a whole answer's many as one
image (one pixel per cell) scaled without smoothing; only the grid is repainted when nothing else
changed. Geometry lives in ``heatmap_geometry``.

Longer than 500 lines because painting, hover, keyboard focus and zoom all work on one widget's grid,
values and legend; the static layer and the geometry are split out already.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QScrollBar, QSizePolicy, QToolTip, QWidget

from app.ui.experts.colormap import ColourScale
from app.ui.experts.heatmap_geometry import Grid, expert_labels, layer_labels
from app.ui.experts.heatmap_static import TICK, heatmap_look, paint_static
from app.ui.formatting import format_decimal, format_percent

ZOOM_LEVELS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0)
_MAX_CELL_WIDTH = 88
_MAX_CELL_HEIGHT = 54
_MAX_ZOOMED_CELL_WIDTH = 160
_FEW_CELLS = 1024  # up to this many chosen cells in view are painted one by one, more as one image


class ExpertHeatmap(QWidget):
    """One row per MoE layer, one column per routed expert; a cell's colour is its weight.

    Cells the router did not choose are grey. Chosen cells get a viridis colour and, where the cell
    is wide enough, their value printed inside; for a single token they are also outlined, so the
    choice can be read without telling colours apart. When the engine reports no weights (a company
    server), one token's chosen cells all have the scale's top colour and the legend says so; shares over
    a range are then shares of the choices. Shared experts (DeepSeek, Qwen2-MoE), which run
    for every token without the router, stand in hatched columns of their own to the right. A colour
    bar on the right gives the scale in numbers.

    Hovering a cell, or moving the keyboard focus cell with the arrow keys (Home/End: first/last
    expert, Ctrl+Home/End: first/last cell), tells its layer, expert and value in a tooltip, in
    ``detailsChanged`` and, for the focus cell, in the accessible description. Ctrl+wheel or +/−
    zoom the expert axis (0 resets); a zoomed grid scrolls sideways (wheel, scroll bar).

    Attributes:
        layers: layer indices shown as rows, top to bottom.
        n_experts: experts shown as columns.
        n_shared: shared experts per layer, shown as always-on columns after the routed ones.
        values: array (rows × experts) of values between 0 and ``maximum``; 0 means not chosen.
        maximum: the value at the top of the colour scale.
        as_percent: whether values and legend read as percentages (shares) instead of weights.
        legend_title: words above the colour bar, also used in the details ("Gate weight: 0.31").
        weights_reported: False when the engine reports which experts were chosen but not their weights.
        zoom: the expert axis' zoom factor, one of ZOOM_LEVELS.
        presentation: whether the dark, large-type presentation style is on.
        focus_cell: (row, expert) of the keyboard focus cell, or None.
        hover_cell: (row, expert) under the mouse, or None.
        grid: the cell geometry (heatmap_geometry.Grid).
        expert_labels, layer_labels: (rectangle, text) of each axis label drawn, none touching another.

    Signals:
        detailsChanged(str): words for the hovered or focused cell ("" when there is none).
        zoomChanged(float): the new zoom factor.
    """

    detailsChanged = Signal(str)
    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layers: list[int] = []
        self.n_experts = 0
        self.n_shared = 0
        self.values = np.zeros((0, 0))
        self.maximum = 1.0
        self.as_percent = False
        self.legend_title = ""
        self.weights_reported = True
        self.zoom = 1.0
        self.presentation = False
        self.focus_cell: tuple[int, int] | None = None
        self.hover_cell: tuple[int, int] | None = None
        self.grid = Grid(0, 0, 1, 1, 0, 0, QRect())
        self.theme = heatmap_look(False)
        self._scale = ColourScale()
        self._image = QImage()
        self._static: QPixmap | None = None
        self._shared = QRectF()
        self._legend_bar = QRect()
        self._gap = 0
        self._gap_rects: list[QRect] = []
        self.expert_labels: list[tuple[QRect, str]] = []
        self.layer_labels: list[tuple[QRect, str]] = []
        self._details = ""
        self._pad = 8
        self._fonts()
        self._scrollbar = QScrollBar(Qt.Orientation.Horizontal, self)
        self._scrollbar.hide()
        self._scrollbar.valueChanged.connect(self._on_scrolled)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName(self.tr("Expert heatmap"))

    def sizeHint(self) -> QSize:
        return QSize(520, 320)

    def minimumSizeHint(self) -> QSize:
        return QSize(280, 180)

    # --- data ---------------------------------------------------------------------------------------

    def set_shape(self, layers: list[int], n_experts: int, n_shared: int = 0) -> None:
        self.layers = list(layers)
        self.n_experts = n_experts
        self.n_shared = n_shared
        self.focus_cell = (0, 0) if self.hasFocus() and self.layers and n_experts else None
        self.hover_cell = None
        self.values = np.zeros((len(self.layers), n_experts))
        self._image = QImage()
        self._relayout()
        self.set_values(self.values, 1.0, self.as_percent, self.legend_title)

    def set_values(self, values: np.ndarray, maximum: float, as_percent: bool, legend_title: str,
                   weights_reported: bool = True) -> None:
        """New values to show (``weights_reported`` False: one token's values only say chosen or not); the
        colours are computed here once, and only the grid is repainted unless the legend changed."""
        maximum = maximum if maximum > 0 else 1.0
        legend = (maximum, as_percent, legend_title, weights_reported)
        legend_changed = legend != (self.maximum, self.as_percent, self.legend_title, self.weights_reported)
        self.values = values
        self.maximum, self.as_percent, self.legend_title, self.weights_reported = legend
        if values.size:
            self._image = self._scale.image(values, maximum, self.theme.unchosen)
        if legend_changed:
            self._relayout()
            self.update()
        else:
            self.update(self.grid.view.adjusted(-TICK, -TICK, TICK, TICK))
        self._tell_details()

    @property
    def chosen_only(self) -> bool:
        """One token's choices without weights: every chosen cell alike, no numbers."""
        return not self.weights_reported and not self.as_percent

    def format_value(self, value: float) -> str:
        return format_percent(value) if self.as_percent else format_decimal(value, 2)

    def cell_details(self, row: int, expert: int) -> str:
        """The words for one cell: layer, expert, and its value or that it was not chosen."""
        value = float(self.values[row, expert]) if self.values.size else 0.0
        if value <= 0:
            return self.tr("Layer {layer} · expert {expert} · not chosen").format(
                layer=self.layers[row], expert=expert
            )
        if self.chosen_only:
            return self.tr("Layer {layer} · expert {expert} · chosen · gate weight: —").format(
                layer=self.layers[row], expert=expert)
        return self.tr("Layer {layer} · expert {expert} · {what}: {value}").format(
            layer=self.layers[row], expert=expert, what=self.legend_title, value=self.format_value(value)
        )

    # --- style and zoom -----------------------------------------------------------------------------

    def set_presentation(self, on: bool) -> None:
        """The dark, high-contrast style with large type for projectors, or the window theme's."""
        self.presentation = on
        self.theme = heatmap_look(on)
        self._fonts()
        if self.values.size:
            self._image = self._scale.image(self.values, self.maximum, self.theme.unchosen)
        self._relayout()
        self.update()

    def set_zoom(self, zoom: float, anchor_x: float | None = None) -> None:
        """Zoom the expert axis, keeping the expert at ``anchor_x`` (default: the view's centre) in place."""
        zoom = min(max(zoom, ZOOM_LEVELS[0]), self._max_zoom())
        if zoom == self.zoom:
            return
        grid = self.grid
        anchor = grid.view.center().x() if anchor_x is None else anchor_x
        anchored = (anchor - grid.left + grid.scroll) / grid.cell_width if grid.columns else 0.0
        self.zoom = zoom
        self._relayout(scroll=lambda new: anchored * new.cell_width - (anchor - new.left))
        self.update()
        self.zoomChanged.emit(zoom)

    def zoom_in(self, anchor_x: float | None = None) -> None:
        self.set_zoom(next((z for z in ZOOM_LEVELS if z > self.zoom), self.zoom), anchor_x)

    def zoom_out(self, anchor_x: float | None = None) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_LEVELS) if z < self.zoom), ZOOM_LEVELS[0]), anchor_x)

    def _max_zoom(self) -> float:
        unzoomed = self.grid.cell_width / self.zoom if self.grid.columns else 1.0
        fitting = [z for z in ZOOM_LEVELS if unzoomed * z <= _MAX_ZOOMED_CELL_WIDTH]
        return fitting[-1] if fitting else ZOOM_LEVELS[0]

    # --- layout -------------------------------------------------------------------------------------

    def _fonts(self) -> None:
        scale = self.theme.font_scale
        self._label_font = QFont(self.font())
        self._label_font.setPointSizeF(self.font().pointSizeF() * 0.9 * scale)
        self._title_font = QFont(self.font())
        self._title_font.setPointSizeF(self.font().pointSizeF() * scale)
        self._title_font.setBold(True)
        self._label_metrics = QFontMetrics(self._label_font)
        self._title_metrics = QFontMetrics(self._title_font)

    def _legend_texts(self) -> list[str]:
        if self.chosen_only:
            return []
        return [self.format_value(fraction * self.maximum) for fraction in (0.0, 0.25, 0.5, 0.75, 1.0)]

    def _swatch_texts(self) -> list[str]:
        texts = [self.tr("chosen"), self.tr("not chosen")] if self.chosen_only else [self.tr("not chosen")]
        if self.n_shared:
            texts.append(self.tr("shared: always on"))
        return texts

    def _relayout(self, scroll=None) -> None:
        """Place grid, labels, shared columns, legend and scroll bar for the current size, shape,
        zoom and style; ``scroll`` maps the new grid to its scroll position (default: kept)."""
        self._static = None
        label, title = self._label_metrics, self._title_metrics
        pad = self._pad = round(8 * self.theme.font_scale)
        rows, columns = len(self.layers), self.n_experts
        if not rows or not columns:
            self.grid = Grid(0, 0, 1, 1, 0, 0, QRect())
            self._scrollbar.hide()
            return
        bar_width = round(20 * self.theme.font_scale)
        legend_width = (
            bar_width
            + 8
            + max(label.horizontalAdvance(t) for t in self._legend_texts() + self._swatch_texts())
        )
        left = title.height() + pad + max(label.horizontalAdvance(str(layer)) for layer in self.layers) + pad
        top = title.height() + label.height() + TICK + pad
        available_width = self.width() - left - legend_width - 2 * pad
        shared_columns = self.n_shared + 0.5 if self.n_shared else 0.0  # half a cell apart
        scale = self.theme.font_scale
        base_width = max(1.0, min(available_width / (columns + shared_columns), _MAX_CELL_WIDTH * scale))
        cell_width = base_width * self.zoom
        view_width = max(
            1, min(round(base_width * columns), round(available_width - shared_columns * base_width))
        )
        scrolling = cell_width * columns > view_width + 0.5
        bar_height = self._scrollbar.sizeHint().height() + 4 if scrolling else 0
        available_height = self.height() - top - pad - bar_height
        cell_height = max(1.0, min(available_height / rows, _MAX_CELL_HEIGHT * scale))
        offset = (
            0
            if scrolling
            else max(0, round((available_width - view_width - shared_columns * base_width) / 2))
        )
        view = QRect(left + offset, top, view_width, round(cell_height * rows))
        old = self.grid
        self.grid = Grid(view.left(), top, cell_width, cell_height, columns, rows, view)
        self.grid.set_scroll(scroll(self.grid) if scroll else old.scroll)
        shared_left = view.right() + 1 + round(base_width / 2)
        self._shared = QRectF(QRect(shared_left, top, round(self.n_shared * base_width), view.height()))
        right = round(self._shared.right()) if self.n_shared else view.right() + 1
        self._legend_bar = QRect(right + 2 * pad, top, bar_width, max(view.height(), 80))
        small = min(cell_width, cell_height)
        self._gap = 2 if small >= 10 else 1 if small >= 5 else 0
        self._scrollbar.setVisible(scrolling)
        if scrolling:
            self._scrollbar.setGeometry(view.left(), view.bottom() + 5, view.width(), bar_height - 4)
            self._scrollbar.blockSignals(True)
            self._scrollbar.setRange(0, self.grid.max_scroll)
            self._scrollbar.setPageStep(view.width())
            self._scrollbar.setSingleStep(max(1, round(cell_width)))
            self._scrollbar.setValue(round(self.grid.scroll))
            self._scrollbar.blockSignals(False)
        self._place_labels()

    def _place_labels(self) -> None:
        grid, label = self.grid, self._label_metrics
        self._gap_rects = grid.gap_rects(self._gap)
        self.expert_labels = expert_labels(
            grid,
            label.horizontalAdvance,
            label.height(),
            grid.view.top() - TICK,
            label.horizontalAdvance("  "),
            self.n_experts,
        )
        self.layer_labels = layer_labels(
            grid, self.layers, label.horizontalAdvance, label.height(), grid.view.left() - TICK - 2
        )

    def _on_scrolled(self, value: int) -> None:
        self.grid.set_scroll(value)
        self._static = None
        self._place_labels()
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._relayout()
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.FontChange:
            self._fonts()
            self._relayout()
        super().changeEvent(event)

    # --- painting -----------------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        if self._static is None or self._static.deviceIndependentSize().toSize() != self.size():
            self._static = paint_static(self)
        area = event.rect()
        ratio = self._static.devicePixelRatio()
        painter.drawPixmap(
            area, self._static, QRectF(QPointF(area.topLeft()) * ratio, area.size() * ratio).toRect()
        )
        if not self.grid.columns or not self.values.size:
            return
        view = self.grid.view
        painter.setClipRect(view)
        self._paint_cells(painter)
        painter.setClipRect(view.adjusted(-TICK, -TICK, TICK, TICK))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.hover_cell is not None:
            painter.setPen(QPen(self.theme.text, 2))
            painter.drawRect(self._cell_outline(self.hover_cell, 1))
        if self.focus_cell is not None and self.hasFocus():
            painter.setPen(QPen(self.theme.focus, 3))
            painter.drawRect(self._cell_outline(self.focus_cell, 2))

    def _cell_outline(self, cell: tuple[int, int], outside: int) -> QRect:
        return self.grid.cell_rect(*cell).adjusted(-outside, -outside, outside - 1, outside - 1)

    def _paint_cells(self, painter: QPainter) -> None:
        """The chosen cells in view over the empty grid of the static layer: few of them (one token)
        each filled on its own, outlined by a ring of the outline colour; many (a whole answer) as the
        one-pixel-per-cell image scaled without smoothing, with the gaps drawn over it."""
        grid, gap = self.grid, self._gap
        visible = grid.visible_columns()
        rows, columns = np.nonzero(self.values[:, visible.start : visible.stop] > 0)
        columns = columns + visible.start
        x, y = grid.x_edges, grid.y_edges
        lefts, tops = (x[columns] + gap // 2).tolist(), (y[rows] + gap // 2).tolist()
        widths, heights = (x[columns + 1] - x[columns] - gap).tolist(), (y[rows + 1] - y[rows] - gap).tolist()
        indices = (
            np.clip(np.rint(self.values[rows, columns] * (255 / self.maximum)), 0, 255).astype(int).tolist()
        )
        colours = self._scale.colours
        if len(indices) > _FEW_CELLS:
            painter.drawImage(grid.image_rect(), self._image)
            for strip in self._gap_rects:
                painter.fillRect(strip, self.theme.background)
        elif not self.as_percent and gap:
            ring, outline = gap, self.theme.outline
            for left, top, width, height, index in zip(lefts, tops, widths, heights, indices):
                painter.fillRect(left, top, width, height, outline)
                painter.fillRect(left + ring, top + ring, width - 2 * ring, height - 2 * ring, colours[index])
        else:
            for left, top, width, height, index in zip(lefts, tops, widths, heights, indices):
                painter.fillRect(left, top, width, height, colours[index])
        if not self.shows_numbers():
            return
        painter.setFont(self._label_font)
        text_colours = self._scale.text_colours
        for row, column, left, top, width, height, index in zip(
            rows.tolist(), columns.tolist(), lefts, tops, widths, heights, indices
        ):
            painter.setPen(text_colours[index])
            painter.drawText(
                QRect(left, top, width, height),
                Qt.AlignmentFlag.AlignCenter,
                self.format_value(float(self.values[row, column])),
            )

    def shows_numbers(self) -> bool:
        """Whether the cells are large enough (at this size and zoom) for their values in figures, and
        have values to show (not when only the choices are known)."""
        if self.chosen_only:
            return False
        label = self._label_metrics
        sample = label.horizontalAdvance(self.format_value(self.maximum)) + 6
        return self.grid.cell_width >= sample + self._gap and self.grid.cell_height >= label.height() + 2

    # --- hover, keyboard, wheel ---------------------------------------------------------------------

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, expert) under a point in widget coordinates, or None outside the visible grid."""
        return self.grid.cell_at(x, y)

    def _details_now(self) -> str:
        cell = (
            self.hover_cell if self.hover_cell is not None else self.focus_cell if self.hasFocus() else None
        )
        return "" if cell is None else self.cell_details(*cell)

    def _tell_details(self) -> None:
        details = self._details_now()
        if details != self._details:
            self._details = details
            self.detailsChanged.emit(details)
        if self.focus_cell is not None:
            self.setAccessibleDescription(self.cell_details(*self.focus_cell))

    def _update_cell(self, cell: tuple[int, int] | None) -> None:
        if cell is not None:
            self.update(self._cell_outline(cell, 2).adjusted(-2, -2, 2, 2))

    def _set_hover(self, cell: tuple[int, int] | None) -> None:
        if cell == self.hover_cell:
            return
        self._update_cell(self.hover_cell)
        self.hover_cell = cell
        self._update_cell(cell)
        self._tell_details()

    def move_focus(self, row: int, expert: int) -> None:
        """Put the focus cell at (row, expert), clamped to the grid, scrolled into view, and tell its details."""
        if not self.grid.columns:
            return
        cell = (min(max(row, 0), self.grid.rows - 1), min(max(expert, 0), self.grid.columns - 1))
        self._update_cell(self.focus_cell)
        self.focus_cell = cell
        self._scrollbar.setValue(round(self.grid.scroll_showing(cell[1])))
        self._update_cell(cell)
        self._tell_details()
        if self.isVisible():
            rect = self.grid.cell_rect(*cell)
            QToolTip.showText(self.mapToGlobal(rect.bottomRight() + QPoint(4, 4)), self._details, self, rect)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        key, ctrl = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        row, expert = self.focus_cell or (0, 0)
        moves = {
            Qt.Key.Key_Left: (row, expert - 1),
            Qt.Key.Key_Right: (row, expert + 1),
            Qt.Key.Key_Up: (row - 1, expert),
            Qt.Key.Key_Down: (row + 1, expert),
            Qt.Key.Key_Home: (0 if ctrl else row, 0),
            Qt.Key.Key_End: (self.grid.rows - 1 if ctrl else row, self.grid.columns - 1),
        }
        focus_x = self.grid.cell_rect(row, expert).center().x() if self.grid.columns else None
        if key in moves and self.grid.columns:
            self.move_focus(*moves[key])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in(focus_x)
        elif key == Qt.Key.Key_Minus:
            self.zoom_out(focus_x)
        elif key == Qt.Key.Key_0:
            self.set_zoom(ZOOM_LEVELS[0])
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        if self.focus_cell is None and self.grid.columns:
            self.focus_cell = (0, 0)
        self._update_cell(self.focus_cell)
        self._tell_details()

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self._update_cell(self.focus_cell)
        self._tell_details()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._set_hover(self.cell_at(event.position().x(), event.position().y()))
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        cell = self.cell_at(event.position().x(), event.position().y())
        if cell is not None:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.move_focus(*cell)
        super().mousePressEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._set_hover(None)
        super().leaveEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt override)
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and delta.y():
            (self.zoom_in if delta.y() > 0 else self.zoom_out)(event.position().x())
            event.accept()
        elif self.grid.max_scroll:
            step = delta.x() if delta.x() else delta.y()
            self._scrollbar.setValue(round(self.grid.scroll - step / 120 * 3 * self.grid.cell_width))
            event.accept()
        else:
            super().wheelEvent(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            cell = self.cell_at(event.pos().x(), event.pos().y())
            if cell is None and self.n_shared and self._shared.contains(QPointF(event.pos())):
                QToolTip.showText(
                    event.globalPos(),
                    self.tr("Shared expert: works on every token, no router decides about it"),
                    self,
                )
            elif cell is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.cell_details(*cell), self)
            return True
        return super().event(event)
