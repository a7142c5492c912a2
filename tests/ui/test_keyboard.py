"""Keyboard-only walk through every pane: Tab reaches each visible, enabled control of the library, the
chat and the experts view, in the order they stand on screen, and each one has a name a screen reader
can say."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QThread, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox,
                               QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget)

from app.core.engine.protocol import ANSWER, STOP_LENGTH, Finished, Loaded, Routing, Token
from app.core.models.demo import write_demo_model
from app.core.models.gguf import ModelInfo
from app.ui.experts.heatmap import ExpertHeatmap
from app.ui.experts.router_diagram import RouterDiagram
from app.ui.experts.token_strip import TokenStrip
from app.ui.main_window import MainWindow
from app.worker import EngineWorker

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox,
            QAbstractItemView, TokenStrip, ExpertHeatmap, RouterDiagram)
MAX_PRESSES = 120


def small_moe_info(path: str) -> ModelInfo:
    return ModelInfo(path=path, file_size=1_000_000, architecture="llama", name="Demo MoE", size_label="1M",
                     quantization="F32", n_layers=4, n_embd=64, context_length=2048, n_experts=8,
                     n_experts_used=2, n_dense_leading=0, n_shared_experts=0, moe_layers=[0, 1, 2, 3],
                     has_chat_template=True, total_params=1_000_000, active_params=300_000)


@pytest.fixture
def window(qtbot, tmp_path):
    """The window, docks side by side on a wide window, a MoE model "loaded" and one short answer shown;
    its worker's thread never runs, so nothing reaches an engine."""
    model = write_demo_model(tmp_path / "demo-moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3)
    thread = QThread()
    worker = EngineWorker()
    worker.moveToThread(thread)
    main_window = MainWindow(worker, tmp_path)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitUntil(lambda: not main_window.library.scanning)
    main_window.resize(1600, 1000)
    docks = (main_window.library_dock, main_window.chat_dock, main_window.experts_dock)
    for dock in docks:
        main_window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    main_window.splitDockWidget(docks[0], docks[1], Qt.Orientation.Horizontal)
    main_window.splitDockWidget(docks[1], docks[2], Qt.Orientation.Horizontal)
    main_window.resizeDocks(list(docks), [360, 700, 520], Qt.Orientation.Horizontal)

    worker.loaded.emit(Loaded(small_moe_info(str(model)), load_seconds=1.0, n_ctx=2048, safe=False))
    qtbot.keyClicks(main_window.chat.input, "Hello")
    qtbot.keyClick(main_window.chat.input, Qt.Key.Key_Return)
    rng = np.random.default_rng(0)
    for pos in range(6):
        experts = np.array([rng.choice(8, 2, replace=False) for _layer in range(4)], dtype=np.int32)
        weights = rng.dirichlet(np.ones(2), size=4).astype(np.float32)
        worker.token.emit(Token(pos, pos, f" word{pos}", ANSWER, Routing(tuple(range(4)), experts, weights)))
    worker.finished.emit(Finished(3, 6, 0.1, 50.0, STOP_LENGTH))
    qtbot.waitUntil(lambda: not main_window.chat.generating and main_window.experts.answer_tokens == 6)
    main_window.activateWindow()
    qtbot.waitUntil(lambda: main_window.experts.strip.isVisible())
    return main_window


def docks_in_order(window: MainWindow):
    return window.library_dock, window.chat_dock, window.experts_dock


def pane_of(window: MainWindow, widget: QWidget) -> int | None:
    """0 for the library, 1 for the chat, 2 for the experts; None outside them (status bar, menus)."""
    for number, dock in enumerate(docks_in_order(window)):
        if dock.widget().isAncestorOf(widget):
            return number
    return None


def controls(window: MainWindow) -> list[QWidget]:
    """Every visible, enabled control inside the three panes (not the docks' own title buttons, nor the
    parts inside a spin box or combo box)."""
    found = []
    for dock in docks_in_order(window):
        for widget in dock.widget().findChildren(QWidget):
            inner = isinstance(widget.parent(), (QAbstractSpinBox, QComboBox))
            if isinstance(widget, CONTROLS) and widget.isVisible() and widget.isEnabled() and not inner:
                found.append(widget)
    return found


def tab_walk(qtbot, start: QWidget) -> list[QWidget]:
    """The widgets Tab gives the focus to, from ``start`` once round the window, each once, in order."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    visited = [start]
    for _press in range(MAX_PRESSES):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused is start:
            return visited
        if focused is not None and focused not in visited:
            visited.append(focused)
    pytest.fail(f"{MAX_PRESSES} presses of Tab did not come back to {start.accessibleName() or start}")


def reached(control: QWidget, visited: list[QWidget]) -> bool:
    """Tab reached it, or, for a button of an exclusive group (one Tab stop, arrows move inside), a
    button of its group."""
    if control in visited:
        return True
    group = control.group() if isinstance(control, QAbstractButton) else None
    return group is not None and group.exclusive() and any(button in visited for button in group.buttons())


def spoken_name(control: QWidget) -> str:
    """What a screen reader says for it: its accessible name, a button's text or its label's text."""
    if control.accessibleName().strip():
        return control.accessibleName()
    if isinstance(control, QAbstractButton) and control.text().replace("&", "").strip():
        return control.text()
    window = control.window()
    labels = [label.text() for label in window.findChildren(QLabel) if label.buddy() is control]
    return next((text for text in labels if text.strip()), "")


def describe(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.objectName()!r} {spoken_name(widget)!r}"


def first_library_stop(window: MainWindow) -> QWidget:
    return window.library.view_buttons["installed"]


def walk_and_check(qtbot, window: MainWindow) -> list[QWidget]:
    visited = tab_walk(qtbot, first_library_stop(window))
    wanted = controls(window)
    assert len(wanted) > 15
    missing = [describe(control) for control in wanted if not reached(control, visited)]
    assert missing == [], f"Tab never reaches {missing}"
    unnamed = [describe(control) for control in wanted if not spoken_name(control).strip()]
    assert unnamed == [], f"no accessible name or visible text: {unnamed}"
    unnamed_stops = [describe(stop) for stop in visited if pane_of(window, stop) is not None
                     and not spoken_name(stop).strip()]
    assert unnamed_stops == [], f"Tab stops nobody can name: {unnamed_stops}"
    return visited


def test_tab_reaches_every_control_of_every_pane_and_each_has_a_name(qtbot, window):
    visited = walk_and_check(qtbot, window)
    for kind in (TokenStrip, ExpertHeatmap):
        assert any(isinstance(stop, kind) for stop in visited), kind.__name__
    assert window.chat.input in visited and window.library.views["installed"] in visited


def test_tab_goes_library_chat_experts_left_to_right_and_top_to_bottom(qtbot, window):
    docks = docks_in_order(window)
    lefts = [dock.mapToGlobal(dock.rect().topLeft()).x() for dock in docks]
    assert lefts == sorted(lefts), "the docks are not side by side, library to experts"
    visited = tab_walk(qtbot, first_library_stop(window))
    in_panes = [(pane_of(window, stop), stop) for stop in visited if pane_of(window, stop) is not None]
    panes = [pane for pane, _stop in in_panes]
    assert panes == sorted(panes) and set(panes) == {0, 1, 2}, [describe(stop) for _pane, stop in in_panes]

    def box(stop: QWidget):
        top_left = stop.mapToGlobal(stop.rect().topLeft())
        return top_left.x(), top_left.x() + stop.width(), top_left.y()

    for index, (pane, stop) in enumerate(in_panes):
        left, right, top = box(stop)
        for later_pane, later in in_panes[index + 1:]:
            later_left, later_right, later_top = box(later)
            if later_pane != pane:
                continue
            # one column (overlapping across): read downwards; side by side: left before right
            if later_left < right and left < later_right:
                assert later_top >= top - 4, f"{describe(later)} comes after {describe(stop)}, above it"
            elif later_top <= top + 4 and later_right <= left:
                pytest.fail(f"{describe(later)} comes after {describe(stop)} on its left, in its row")
    conversations = window.conversations.search_field
    assert visited.index(conversations) < visited.index(window.chat.transcript) < visited.index(window.chat.input)


@pytest.mark.parametrize("view", ["router", "numbers"])
def test_each_experts_view_chosen_by_keyboard_is_walked_too(qtbot, window, view):
    segments = [stop for stop in tab_walk(qtbot, first_library_stop(window))
                if isinstance(stop, QAbstractButton) and stop.accessibleName() == "Heatmap"]
    assert segments, "the experts' view buttons are not in the Tab order"
    heatmap_button = segments[0]
    buttons = heatmap_button.group().buttons()
    target = buttons[["heatmap", "router", "numbers"].index(view)]
    heatmap_button.setFocus(Qt.FocusReason.TabFocusReason)
    for _step in range(buttons.index(target)):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(target.isChecked)
    visited = walk_and_check(qtbot, window)
    if view == "router":
        assert any(isinstance(stop, RouterDiagram) for stop in visited)
