"""The kiosk window with a real engine, used like visitors and an administrator would: blocked shortcuts,
the PIN and its lock-out, the idle wipe (memory, expert view and the engine's cache), nothing written to
disk, and an engine killed mid-answer."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMenu, QPushButton, QWidget

from app.core.engine import protocol
from app.core.engine.protocol import USER, ChatMessage
from app.core.engine.session import EngineSession
from app.core.paths import data_dir
from app.ui.kiosk.style import MIN_TOUCH_PX
from kiosk_visitors import (
    PIN,
    ask,
    ask_example,
    demo_model,
    file_tree,
    kiosk_config,
    open_kiosk,
    settings_file,
    tap_corner,
    touch,
    type_into,
)

pytestmark = pytest.mark.slow

WAIT_S = 90.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    return demo_model(tmp_path_factory.mktemp("kiosk-model"))


@pytest.fixture
def kiosk(qtbot, model):
    with open_kiosk(kiosk_config(model), model.parent) as session:
        yield session


def enter_pin(window, pin: str) -> None:
    for digit in pin:
        touch(next(key for key in window.pin_pad.digit_buttons if key.text() == digit))
    touch(window.pin_pad.ok_button)


def visible_menus() -> list:
    return [widget for widget in QApplication.topLevelWidgets() if isinstance(widget, QMenu) and widget.isVisible()]


# --- locked down -------------------------------------------------------------------------------------


def test_blocked_shortcuts_leave_the_window_full_screen_and_open(kiosk, qtbot):
    window = kiosk.window
    field = window.welcome.question.input
    type_in = "Hallo"
    QTest.keyClicks(field, type_in)
    for key, modifiers in ((Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
                           (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
                           (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
                           (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                           (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
                           (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)):
        QTest.keyClick(field, key, modifiers)
        qtbot.wait(20)
        assert window.isVisible() and window.isFullScreen(), key
    assert field.text() == type_in  # Esc did not clear it either

    assert not window.close()  # the window manager's close, Alt+F4's way
    window.showNormal()  # something takes it out of full screen
    qtbot.waitUntil(window.isFullScreen, timeout=2000)

    QApplication.sendEvent(window.welcome.question.input, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, QPoint(5, 5), window.mapToGlobal(QPoint(5, 5))))
    qtbot.wait(50)
    assert visible_menus() == []

    data = QMimeData()
    data.setText(" dropped")
    where = QPointF(field.rect().center())
    enter = QDragEnterEvent(field.rect().center(), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(field, enter)
    drop = QDropEvent(where, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(field, drop)
    assert field.text() == type_in
    assert window.isVisible() and window.isFullScreen()


def test_every_touch_target_is_large_enough(kiosk, qtbot):
    window = kiosk.window
    ask_example(window, 0)
    for page in (window.visitor_page, window.pin_pad, window.admin):
        window.pages.setCurrentWidget(page)
        qtbot.wait(50)
        small = [(type(widget).__name__, widget.objectName(), widget.accessibleName() or getattr(widget, "text", str)(),
                  widget.size().toTuple())
                 for widget in page.findChildren(QWidget) if isinstance(widget, (QPushButton, QLineEdit, QComboBox))
                 and widget.isVisible() and min(widget.width(), widget.height()) < MIN_TOUCH_PX]
        assert small == [], page.objectName()


# --- the administrator --------------------------------------------------------------------------------


def test_the_right_pin_opens_the_admin_screen_and_exit_closes_the_kiosk(kiosk, qtbot):
    window = kiosk.window
    tap_corner(window, times=4)
    assert window.pages.currentWidget() is window.visitor_page  # four taps are not the gesture
    tap_corner(window, times=1)
    assert window.pages.currentWidget() is window.pin_pad
    enter_pin(window, PIN)
    assert window.pages.currentWidget() is window.admin
    assert window.admin.values["visitors"].text() == "0"
    with qtbot.waitSignal(kiosk.exited):
        touch(window.admin.buttons["exit"])
    assert not window.isVisible()


def test_the_keyboard_gesture_and_back(kiosk, qtbot):
    window = kiosk.window
    QTest.keyClick(window.welcome.question.input, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.pages.currentWidget() is window.pin_pad
    touch(window.pin_pad.cancel_button)
    assert window.pages.currentWidget() is window.visitor_page


def test_wrong_pins_count_and_the_lock_out_refuses_even_the_right_one(qtbot, model):
    clock = FakeClock()
    with open_kiosk(kiosk_config(model), model.parent, clock=clock) as session:
        window = session.window
        tap_corner(window)
        for attempt in range(3):
            enter_pin(window, "1111")
            assert window.lockout.failures == attempt + 1
            assert window.pages.currentWidget() is window.pin_pad
        assert window.lockout.locked_for() == 30
        assert not any(key.isEnabled() for key in window.pin_pad.digit_buttons)
        window.pin_pad.digits = PIN  # typed on a keyboard: the pad still refuses while locked
        window.pin_pad.submit()
        assert window.pages.currentWidget() is window.pin_pad
        assert window.lockout.failures == 3
        assert "30" in window.pin_pad.message.text()

        clock.now += 31
        qtbot.waitUntil(lambda: all(key.isEnabled() for key in window.pin_pad.digit_buttons), timeout=2000)
        enter_pin(window, "2222")  # a fourth wrong PIN: twice as long
        assert window.lockout.locked_for() == 60
        clock.now += 61
        qtbot.waitUntil(lambda: window.pin_pad.ok_button.isEnabled() or
                        all(key.isEnabled() for key in window.pin_pad.digit_buttons), timeout=2000)
        enter_pin(window, PIN)
        assert window.pages.currentWidget() is window.admin
        assert window.lockout.failures == 0


# --- the next visitor starts fresh ---------------------------------------------------------------------


def fresh_engine_tokens(model: Path, request: protocol.Generate) -> list[int]:
    """The tokens a newly started engine answers ``request`` with."""
    with EngineSession() as session:
        session.load(str(model))
        return [event.token for event in session.generate(request) if isinstance(event, protocol.Token)]


def test_the_idle_countdown_input_cancels_it_and_expiry_wipes_everything(kiosk, qtbot, model):
    window, worker = kiosk.window, kiosk.worker
    window.conversation.settings.update(temperature=0.0, seed=0)
    requests, tokens = [], []
    window.generateRequested.connect(requests.append)
    worker.token.connect(lambda token: tokens.append(token.token))

    first = ask(window, "Hello there")
    ask(window, "Tell me a secret about the weather")
    assert len(window.conversation.messages) >= 3
    assert window.experts.answer_tokens > 0

    window.idle.timeout_s, window.idle.countdown_s = 0.3, 1.5
    window.idle.poke()
    qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=3000)
    assert window.countdown.seconds.text() in ("1", "2")
    QTest.keyClick(window.conversation.question.input, Qt.Key.Key_Shift)  # any key
    assert not window.countdown.isVisible()
    assert window.conversation.messages  # still there

    with qtbot.waitSignal(worker.forgotten, timeout=10_000):
        qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=3000)
        qtbot.waitUntil(lambda: window.fresh, timeout=5000)
    assert window.conversation.messages == []
    assert window.conversation.transcript.entries == []
    assert window.conversation.transcript.toPlainText().strip() == ""
    assert window.experts.answer_tokens == 0
    assert window.screens.currentWidget() is window.welcome
    assert not window.countdown.isVisible()
    assert kiosk.stats.visitors == 1
    assert not window.idle.armed  # nothing to wipe on the welcome screen

    requests.clear()
    tokens.clear()
    second = ask(window, "Hello there")
    assert requests[0].messages == (ChatMessage(USER, "Hello there"),)  # nothing of the last visitor
    assert second == first
    assert tokens == fresh_engine_tokens(model, requests[0])


def test_start_over_wipes_at_once_and_leaves_nothing_to_undo(kiosk, qtbot):
    window = kiosk.window
    ask_example(window, 1)
    type_into(window.conversation.question.input, "half a second question")
    with qtbot.waitSignal(kiosk.worker.forgotten, timeout=10_000):
        touch(window.conversation.start_over_button)
    assert window.fresh and window.conversation.messages == []
    for field in (window.welcome.question.input, window.conversation.question.input):
        QTest.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert field.text() == ""


def test_a_kiosk_session_writes_nothing_to_disk(qtbot, model):
    """Snapshots of the data folder (paths, sizes, modification times) and the settings file: starting
    the kiosk adds only this session's audit log, empty (connections only, and there were none) and the
    engine's compatibility note for the model file; visitors, their wipes and closing add nothing."""
    folder, settings = data_dir(), settings_file()

    def snapshot():
        return file_tree(folder), settings.stat().st_mtime_ns if settings.exists() else None

    before = snapshot()
    with open_kiosk(kiosk_config(model), model.parent) as session:
        window = session.window
        audit = window.locality_guard.monitor.audit.session.path.relative_to(folder).as_posix()
        window.idle.timeout_s, window.idle.countdown_s = 0.3, 0.5
        started = snapshot()
        ask_example(window, 0)
        ask(window, "What do you remember?")
        qtbot.waitUntil(lambda: window.fresh, timeout=5000)
        ask(window, "I am the next visitor")
        touch(window.conversation.start_over_button)
        assert session.stats.visitors == 2
    QApplication.processEvents()
    after = snapshot()
    assert after == started
    added = {path: size for path, (size, _mtime) in started[0].items() if before[0].get(path) != started[0][path]}
    assert set(added) <= {audit, "compatibility.json"}, added
    assert all(size == 0 for path, size in added.items() if path.startswith("audit/"))
    assert started[1] == before[1]


# --- unattended ---------------------------------------------------------------------------------------


def test_an_engine_killed_mid_answer_is_recovered(kiosk, qtbot):
    """The visitor sees the "one moment" notice, the answer ends as interrupted, and once the model is back
    the visitor asks again and gets an answer."""
    window, worker = kiosk.window, kiosk.worker
    window.conversation.settings.update(max_tokens=1900, temperature=0.0, seed=0)
    type_into(window.welcome.question.input, "Keep talking")  # greedy: runs to the length limit
    QTest.keyClick(window.welcome.question.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.conversation.answer_text != "", timeout=WAIT_S * 1000)
    assert window.conversation.generating
    os.kill(worker.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=10_000)
    assert not window.conversation.generating
    assert not window.conversation.question.ready
    interrupted = window.conversation.answer_text
    assert [message.content for message in window.conversation.messages] == ["Keep talking", interrupted]
    qtbot.waitUntil(lambda: window.ready and not window.notice.isVisible(), timeout=WAIT_S * 1000)
    assert kiosk.stats.restarts == 1
    assert "interrupted" in window.conversation.transcript.entries[-1].footer
    window.conversation.settings.update(max_tokens=8)
    ask(window, "Hello again")
    assert not window.conversation.generating
    assert "token" in window.conversation.transcript.entries[-1].footer  # a complete answer's figures
    assert [message.role for message in window.conversation.messages] == ["user", "assistant"] * 2


def test_a_stalled_answer_is_ended_and_the_visitor_sees_one_moment(qtbot, model, monkeypatch):
    monkeypatch.setenv("MOESCOPE_INJECT_STALL", "3")  # the engine hangs after an answer's third token
    with open_kiosk(kiosk_config(model, stall_seconds=1), model.parent) as session:
        window = session.window
        stalled = []
        session.worker.stalled.connect(lambda: stalled.append(True))
        window.conversation.settings.update(max_tokens=50)
        touch(window.welcome.examples[0])
        qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=10_000)
        assert stalled  # the notice is up at once; the answer ends when the ended engine's loss arrives
        qtbot.waitUntil(lambda: not window.conversation.generating, timeout=10_000)
        assert window.notice.isVisible()
        assert "interrupted" in window.conversation.transcript.entries[-1].footer
        qtbot.waitUntil(lambda: window.ready and not window.notice.isVisible(), timeout=WAIT_S * 1000)
        assert session.stats.restarts == 1
