"""Where the expert heatmap's cells and axis labels lie: column and row edges in whole pixels, the
cell under a point, the columns in view when zoomed, and label steps that keep labels from touching.

Computed once per size, shape, zoom or scroll change, never per paint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QRect

# steps between axis labels: powers of two for expert counts that are multiples of 8 (0, 16, 32, ...
# for 128 experts), round decimal steps otherwise (layers, 60 experts)
BINARY_STEPS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
DECIMAL_STEPS = (1, 2, 5, 10, 20, 50, 100, 200)


def expert_steps(n_experts: int) -> Sequence[int]:
    return BINARY_STEPS if n_experts % 8 == 0 else DECIMAL_STEPS


def label_step(pitch: float, extent: float, count: int, steps: Sequence[int]) -> int:
    """The smallest step such that labels ``step`` cells of ``pitch`` pixels apart, each ``extent``
    pixels long (gap included), never touch; ``count`` (one label) when none does."""
    return next((step for step in steps if step * pitch >= extent), max(count, 1))


@dataclass
class Grid:
    """The cell grid in widget pixels. Columns scroll horizontally inside the view when zoomed.

    Attributes:
        left: x of column 0's left edge when not scrolled.
        top: y of row 0's top edge.
        cell_width, cell_height: pitch of a cell in pixels (fractional; edges are rounded).
        columns, rows: grid size.
        view: the visible part of the grid in widget pixels.
        scroll: pixels scrolled to the right (0 .. max_scroll).
    """

    left: float
    top: float
    cell_width: float
    cell_height: float
    columns: int
    rows: int
    view: QRect
    scroll: float = 0.0
    x_edges: np.ndarray = field(init=False)
    y_edges: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.y_edges = np.rint(self.top + np.arange(self.rows + 1) * self.cell_height).astype(int)
        self.set_scroll(self.scroll)

    @property
    def content_width(self) -> float:
        return self.columns * self.cell_width

    @property
    def max_scroll(self) -> int:
        return max(0, int(np.ceil(self.content_width - self.view.width())))

    def set_scroll(self, scroll: float) -> None:
        self.scroll = min(max(0.0, scroll), float(self.max_scroll))
        self.x_edges = np.rint(
            self.left - self.scroll + np.arange(self.columns + 1) * self.cell_width
        ).astype(int)

    def cell_rect(self, row: int, column: int) -> QRect:
        x, y = int(self.x_edges[column]), int(self.y_edges[row])
        return QRect(x, y, int(self.x_edges[column + 1]) - x, int(self.y_edges[row + 1]) - y)

    def image_rect(self) -> QRect:
        """Where the whole grid (one image pixel per cell) is drawn, scrolled part included."""
        x, y = int(self.x_edges[0]), int(self.y_edges[0])
        return QRect(x, y, int(self.x_edges[-1]) - x, int(self.y_edges[-1]) - y)

    def visible_columns(self) -> range:
        first = int(np.searchsorted(self.x_edges, self.view.left(), side="right")) - 1
        last = int(np.searchsorted(self.x_edges, self.view.right(), side="right"))
        return range(max(0, first), min(self.columns, last))

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, column) under a point in widget pixels, or None outside the visible grid."""
        if not self.columns or not self.rows or not self.view.contains(int(x), int(y)):
            return None
        column = int(np.searchsorted(self.x_edges, x, side="right")) - 1
        row = int(np.searchsorted(self.y_edges, y, side="right")) - 1
        if 0 <= row < self.rows and 0 <= column < self.columns:
            return row, column
        return None

    def scroll_showing(self, column: int) -> float:
        """The scroll position nearest to the current one that shows a column in full."""
        left = column * self.cell_width
        return min(max(self.scroll, left + self.cell_width - self.view.width()), left)

    def gap_rects(self, gap: int) -> list[QRect]:
        """Strips of ``gap`` pixels over the inner cell borders of the visible part."""
        if not gap:
            return []
        half = gap // 2
        view = self.view
        top, height = int(self.y_edges[0]), int(self.y_edges[-1] - self.y_edges[0])
        strips = [
            QRect(int(x) - half, top, gap, height)
            for x in self.x_edges[1:-1]
            if view.left() <= x <= view.right() + 1
        ]
        strips += [QRect(view.left(), int(y) - half, view.width(), gap) for y in self.y_edges[1:-1]]
        return strips


def expert_labels(
    grid: Grid, text_width: Callable[[str], int], height: int, bottom: int, padding: int, n_experts: int
) -> list[tuple[QRect, str]]:
    """Expert numbers above the columns in view, centred on their column, never touching."""
    widest = text_width(str(max(n_experts - 1, 0))) + padding
    step = label_step(grid.cell_width, widest, n_experts, expert_steps(n_experts))
    labels = []
    for column in range(0, n_experts, step):
        centre = (grid.x_edges[column] + grid.x_edges[column + 1]) / 2
        if not grid.view.left() <= centre <= grid.view.right():
            continue
        width = text_width(str(column))
        labels.append((QRect(round(centre - width / 2), bottom - height, width, height), str(column)))
    return labels


def layer_labels(
    grid: Grid, layers: Sequence[int], text_width: Callable[[str], int], height: int, right: int
) -> list[tuple[QRect, str]]:
    """Layer numbers left of the rows, right-aligned at ``right``, vertically centred, never touching."""
    step = label_step(grid.cell_height, height + 1, len(layers), DECIMAL_STEPS)
    labels = []
    for row in range(0, len(layers), step):
        text = str(layers[row])
        centre = (grid.y_edges[row] + grid.y_edges[row + 1]) / 2
        width = text_width(text)
        labels.append((QRect(right - width, round(centre - height / 2), width, height), text))
    return labels
