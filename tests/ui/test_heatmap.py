"""The expert heatmap at the sizes of real models (8, 128, 256 experts): cells where they are drawn,
details on hover and keyboard focus, axis labels that never overlap, zoom, one paint per frame, and
the presentation style."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from app.ui.experts.colormap import ColourScale
from app.ui.experts.heatmap import ExpertHeatmap
from app.ui.experts.heatmap_static import NORMAL_THEME, PRESENTATION_THEME
from app.ui.formatting import format_decimal
from paint_counter import PaintCounter

SHAPES = {8: (list(range(4)), 2), 128: (list(range(48)), 8), 256: (list(range(3, 61)), 8)}




def token_values(rng, rows, experts, top_k):
    values = np.zeros((rows, experts))
    for row in range(rows):
        chosen = rng.choice(experts, top_k, replace=False)
        weights = rng.random(top_k) + 0.05
        values[row, chosen] = weights / weights.sum()
    return values


def shown_heatmap(qtbot, experts, size=(1920, 1080), seed=0):
    layers, top_k = SHAPES[experts]
    heatmap = ExpertHeatmap()
    qtbot.addWidget(heatmap)
    heatmap.resize(*size)
    heatmap.set_shape(layers, experts)
    values = token_values(np.random.default_rng(seed), len(layers), experts, top_k)
    heatmap.set_values(values, 1.0, False, "Gate weight")
    heatmap.show()
    qtbot.waitExposed(heatmap)
    return heatmap, values


def hover(heatmap, point: QPoint) -> None:
    QApplication.sendEvent(
        heatmap,
        QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(point),
            QPointF(heatmap.mapToGlobal(point)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )


@pytest.mark.parametrize("experts", [8, 128, 256])
def test_each_cell_is_drawn_where_hit_testing_finds_it_in_its_colour(qtbot, experts):
    heatmap, values = shown_heatmap(qtbot, experts)
    image = heatmap.grab().toImage()
    scale = ColourScale()
    rows, columns = np.nonzero(values > 0)
    chosen = list(zip(rows.tolist(), columns.tolist()))[:: max(1, len(rows) // 40)]
    for row, column in chosen + [(0, 0), (len(heatmap.layers) - 1, experts - 1)]:
        rect = heatmap.grid.cell_rect(row, column)
        centre = rect.center()
        assert heatmap.cell_at(centre.x(), centre.y()) == (row, column)
        value = values[row, column]
        expected = scale.colour(value) if value > 0 else NORMAL_THEME.unchosen
        # inside the outline ring, above any number printed in the cell
        inside = QPoint(centre.x(), rect.top() + heatmap._gap // 2 + heatmap._gap + 1)
        assert image.pixelColor(inside).name() == expected.name(), (row, column)
        details = heatmap.cell_details(row, column)
        assert f"Layer {heatmap.layers[row]} · expert {column}" in details
        assert (format_decimal(value, 2) if value > 0 else "not chosen") in details


def test_hovering_a_cell_tells_its_layer_expert_and_weight(qtbot):
    heatmap, values = shown_heatmap(qtbot, 128)
    told = []
    heatmap.detailsChanged.connect(told.append)
    row, column = (int(index) for index in np.argwhere(values > 0)[17])
    hover(heatmap, heatmap.grid.cell_rect(row, column).center())
    assert heatmap.hover_cell == (row, column)
    assert (
        told[-1]
        == f"Layer {heatmap.layers[row]} · expert {column} · Gate weight: {format_decimal(values[row, column], 2)}"
    )
    hover(heatmap, QPoint(2, 2))
    assert heatmap.hover_cell is None and told[-1] == ""


@pytest.mark.parametrize("experts", [8, 128, 256])
@pytest.mark.parametrize("size", [(520, 320), (900, 600), (1920, 1080)])
def test_axis_labels_never_overlap(qtbot, experts, size):
    heatmap, _ = shown_heatmap(qtbot, experts, size)
    for labels, along in ((heatmap.expert_labels, "x"), (heatmap.layer_labels, "y")):
        assert len(labels) >= 2
        rects = [rect for rect, _ in labels]
        for first, second in zip(rects, rects[1:]):
            assert not first.intersects(second)
            assert (first.right() < second.left()) if along == "x" else (first.bottom() < second.top())
        assert all(heatmap.rect().contains(rect) for rect in rects)
    texts = [text for _, text in heatmap.expert_labels]
    assert texts[0] == "0" and (experts < 100 or int(texts[-1]) >= experts * 3 // 4)


def test_61_layers_get_readable_layer_labels(qtbot):
    heatmap = ExpertHeatmap()
    qtbot.addWidget(heatmap)
    heatmap.resize(1920, 1080)
    heatmap.set_shape(list(range(61)), 256, 1)
    labels = heatmap.layer_labels
    assert 6 <= len(labels) <= 61
    assert all(a.bottom() < b.top() for (a, _), (b, _) in zip(labels, labels[1:]))


def test_arrow_keys_move_the_focus_cell_and_tell_its_details(qtbot):
    heatmap, values = shown_heatmap(qtbot, 128)
    told = []
    heatmap.detailsChanged.connect(told.append)
    heatmap.setFocus()
    qtbot.waitUntil(heatmap.hasFocus)
    assert heatmap.focus_cell == (0, 0)
    qtbot.keyClick(heatmap, Qt.Key.Key_Right)
    qtbot.keyClick(heatmap, Qt.Key.Key_Right)
    qtbot.keyClick(heatmap, Qt.Key.Key_Down)
    assert heatmap.focus_cell == (1, 2)
    assert told[-1] == heatmap.cell_details(1, 2) and heatmap.accessibleDescription() == told[-1]
    qtbot.keyClick(heatmap, Qt.Key.Key_End)
    assert heatmap.focus_cell == (1, 127)
    qtbot.keyClick(heatmap, Qt.Key.Key_Home)
    assert heatmap.focus_cell == (1, 0)
    qtbot.keyClick(heatmap, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert heatmap.focus_cell == (47, 127)
    qtbot.keyClick(heatmap, Qt.Key.Key_Down)
    assert heatmap.focus_cell == (47, 127)
    image = heatmap.grab().toImage()
    outline = heatmap.grid.cell_rect(47, 127).adjusted(-2, -2, 0, 0).topLeft()
    assert image.pixelColor(outline).name() == NORMAL_THEME.focus.name()


def test_zoom_widens_cells_scrolls_and_shows_numbers(qtbot):
    heatmap, values = shown_heatmap(qtbot, 128, (1600, 1000))
    width = heatmap.grid.cell_width
    assert not heatmap.shows_numbers() and heatmap.grid.max_scroll == 0
    heatmap.set_zoom(2.0)
    assert heatmap.grid.cell_width == pytest.approx(2 * width)
    assert heatmap.grid.max_scroll > 0
    heatmap.setFocus()
    qtbot.keyClick(heatmap, Qt.Key.Key_Plus)
    assert heatmap.zoom == 3.0
    centre = QPointF(heatmap.grid.view.center())
    wheel = QWheelEvent(
        centre,
        QPointF(heatmap.mapToGlobal(centre.toPoint())),
        QPoint(),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(heatmap, wheel)
    assert heatmap.zoom == 4.0 and heatmap.shows_numbers()
    # the expert under the mouse stays under it while zooming
    anchored = heatmap.cell_at(centre.x(), centre.y())
    heatmap.set_zoom(6.0, centre.x())
    assert heatmap.cell_at(centre.x(), centre.y()) == anchored
    # keyboard focus far right scrolls it into view
    qtbot.keyClick(heatmap, Qt.Key.Key_End)
    assert heatmap.grid.scroll == heatmap.grid.max_scroll
    assert heatmap.grid.view.contains(heatmap.grid.cell_rect(*heatmap.focus_cell).center())
    qtbot.keyClick(heatmap, Qt.Key.Key_0)
    assert heatmap.zoom == 1.0 and heatmap.grid.cell_width == pytest.approx(width)


def test_one_paint_per_set_values(qtbot):
    heatmap, _ = shown_heatmap(qtbot, 128)
    qtbot.wait(20)
    counter = PaintCounter(heatmap)
    rng = np.random.default_rng(3)
    for _ in range(5):
        heatmap.set_values(token_values(rng, 48, 128, 8), 1.0, False, "Gate weight")
        heatmap.set_values(token_values(rng, 48, 128, 8), 1.0, False, "Gate weight")
        QApplication.processEvents()
    assert counter.paints == 5


def test_presentation_style_is_dark_with_larger_type(qtbot):
    heatmap, _ = shown_heatmap(qtbot, 8, (900, 600))
    normal = heatmap.grab().toImage()
    label_height = heatmap.layer_labels[0][0].height()
    heatmap.set_presentation(True)
    dark = heatmap.grab().toImage()
    assert normal.pixelColor(1, 1).name() == NORMAL_THEME.background.name()
    assert dark.pixelColor(1, 1).name() == PRESENTATION_THEME.background.name()
    unchosen = heatmap.grid.cell_rect(0, int(np.flatnonzero(heatmap.values[0] == 0)[0])).center()
    assert dark.pixelColor(unchosen).name() == PRESENTATION_THEME.unchosen.name()
    assert heatmap.layer_labels[0][0].height() > 1.3 * label_height
    heatmap.set_presentation(False)
    assert heatmap.grab().toImage().pixelColor(1, 1).name() == NORMAL_THEME.background.name()


def test_chosen_cells_of_one_token_are_outlined(qtbot):
    heatmap, values = shown_heatmap(qtbot, 128)
    image = heatmap.grab().toImage()
    row, column = (int(index) for index in np.argwhere(values > 0)[0])
    rect = heatmap.grid.cell_rect(row, column)
    ring = rect.topLeft() + QPoint(heatmap._gap // 2, rect.height() // 2)
    assert image.pixelColor(ring).name() == NORMAL_THEME.outline.name()
