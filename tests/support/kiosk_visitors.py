"""The kiosk with a real engine, and simulated visitors who use it through its real widgets: shared by
tests/kiosk, bench/kiosk_soak.py and docs/kiosk_screenshots.py.

A visitor touches an example question or types one, waits for the answer, sometimes asks a follow-up,
and leaves; the kiosk then wipes the conversation after its idle countdown (or the visitor presses
Start over). ``file_tree`` and ``written_bytes`` tell whether any of that reached the disk; ``soak`` runs
many visitors and records memory, crashes, restarts and what was written.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.core.engine.process_memory import rss_bytes
from app.core.kiosk.config import KioskConfig
from app.core.kiosk.pin import hash_pin
from app.core.locality.policy import NetworkPolicy
from app.core.models.demo import write_demo_model
from app.kiosk_gui import KioskSession
from app.worker import start_engine_thread, stop_engine_thread
from window_helpers import settle

PIN = "2468"
PIN_HASH = hash_pin(PIN)
EXAMPLES = ("Explain what an expert is.", "Write a short poem about the sea.", "Count from one to ten.")
QUESTIONS = ("Hello, who are you?", "Tell me about the weather.", "What is a router?", "Say something nice.")
ANSWER_TIMEOUT_S = 120.0


def demo_model(folder: Path) -> Path:
    """A small MoE demo model (routing to watch, answers in a few hundred milliseconds)."""
    return write_demo_model(folder / "kiosk-moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3)


def kiosk_config(model: Path, **changes) -> KioskConfig:
    """A kiosk configuration for ``model`` with the PIN ``PIN``; ``changes`` replace fields (the window takes
    values the file format would refuse, such as a two-second idle time for a test)."""
    config = KioskConfig(model=model, language="en", welcome=None, examples=EXAMPLES, idle_timeout=90,
                         countdown=15, max_answer_tokens=24, pin_hash=PIN_HASH, show_experts=True,
                         experts_view="heatmap", second_screen=False, memory_limit_mb=3072, stall_seconds=60)
    return replace(config, **changes)


def process_until(condition: Callable[[], bool], timeout: float, what: str = "the kiosk") -> None:
    """Run Qt's events until ``condition()`` holds; TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        QCoreApplication.processEvents()
        time.sleep(0.005)


def process_for(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    process_until(lambda: time.monotonic() >= deadline, seconds + 1)


@contextlib.contextmanager
def open_kiosk(config: KioskConfig, models_dir: Path, clock: Callable[[], float] = time.monotonic,
               ready: bool = True) -> Iterator[KioskSession]:
    """The kiosk as ``moescope --kiosk`` runs it (KioskSession over a real engine), full screen and locked
    down, its model loaded when ``ready``; released and its engine shut down afterwards. The network
    policy is the session's own (offline), not installed in this process."""
    worker, thread = start_engine_thread()
    session = None
    try:  # the engine thread is stopped even when the window fails to build (a running QThread must not be freed)
        session = KioskSession(QApplication.instance(), worker, config, models_dir, NetworkPolicy(), clock)
        if ready:
            process_until(lambda: session.window.ready, ANSWER_TIMEOUT_S, "the model to load")
        yield session
    finally:
        if session is not None:
            session.release()
        stop_engine_thread(worker, thread)
        QCoreApplication.processEvents()


def type_into(widget, text: str) -> None:
    """Type ``text`` as a keyboard does (key events: the idle watch sees them)."""
    widget.setFocus()
    QTest.keyClicks(widget, text)


def touch(widget) -> None:
    """A tap in the middle of ``widget`` (touch screens send it as a mouse press and release)."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget.rect().center())


def tap_corner(window, times: int = 5) -> None:
    """The hidden gesture's taps into the window's top-left corner."""
    target = window.childAt(QPoint(8, 8)) or window
    where = target.mapFrom(window, QPoint(8, 8))
    for _tap in range(times):
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)


def answer(window, timeout: float = ANSWER_TIMEOUT_S) -> str:
    """Wait for the answer being written to end; returns its text."""
    process_until(lambda: not window.conversation.generating, timeout, "the answer")
    return window.conversation.answer_text


def ask_example(window, number: int) -> str:
    """Touch example ``number`` on the welcome screen; returns the answer."""
    touch(window.welcome.examples[number % len(window.welcome.examples)])
    return answer(window)


def ask(window, text: str) -> str:
    """Type ``text`` into the question box on screen and press Enter; returns the answer."""
    box = window.welcome.question if window.screens.currentWidget() is window.welcome \
        else window.conversation.question
    type_into(box.input, text)
    QTest.keyClick(box.input, Qt.Key.Key_Return)
    return answer(window)


@dataclass
class VisitLog:
    """What the simulated visitors did and saw."""

    visitors: int = 0
    questions: int = 0
    answers: list[str] = field(default_factory=list)
    wipes_by_idle: int = 0
    wipes_by_button: int = 0


def visit(window, number: int, log: VisitLog, idle_wait: float) -> None:
    """Visitor ``number``: an example (even numbers) or a typed question, a follow-up for every third,
    then leaving: the idle countdown wipes (``idle_wait`` seconds allowed for it), or for every fourth
    visitor Start over. The welcome screen is back afterwards."""
    if number % 2 == 0:
        log.answers.append(ask_example(window, number // 2))
    else:
        log.answers.append(ask(window, QUESTIONS[number % len(QUESTIONS)]))
    log.questions += 1
    if number % 3 == 0 and window.conversation.question.ready:
        log.answers.append(ask(window, "And why?"))
        log.questions += 1
    if number % 4 == 3:
        touch(window.conversation.start_over_button)
        log.wipes_by_button += 1
    else:
        process_until(lambda: window.fresh, idle_wait, "the idle wipe")
        log.wipes_by_idle += 1
    log.visitors += 1


# --- the disk ----------------------------------------------------------------------------------------


def file_tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder``: relative path -> (size, modification time in ns)."""
    tree = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            with contextlib.suppress(FileNotFoundError):
                stat = path.stat()
                tree[str(path.relative_to(folder))] = (stat.st_size, stat.st_mtime_ns)
    return tree


def written_bytes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> int:
    """Bytes in files that are new or changed between two ``file_tree``s (a changed file counts whole)."""
    return sum(size for path, (size, mtime) in after.items() if before.get(path) != (size, mtime))


def settings_file() -> Path:
    """The QSettings file of this application."""
    return Path(QSettings().fileName())


# --- many visitors ---------------------------------------------------------------------------------


@dataclass
class Sample:
    """The two processes' resident memory after ``conversations`` visitors, ``seconds`` into the soak."""

    seconds: float
    conversations: int
    gui_bytes: int
    engine_bytes: int


@dataclass
class SoakResult:
    """What a soak saw, counted from the end of its warm-up.

    Attributes:
        samples: memory over time (the first is the baseline after the warm-up, the last after the end).
        engine_losses: engines that died (crashes; the kiosk restarted them); errors: Python exceptions
            raised in the window's code (Qt reports them and goes on); problems: requests the engine refused.
        restarts: engine restarts the kiosk counted (losses, stalls, memory reloads).
        written_bytes, changed_files: what changed under the data folder; settings_changed: whether the
            settings file changed.
    """

    log: VisitLog
    samples: list[Sample] = field(default_factory=list)
    engine_losses: int = 0
    errors: int = 0
    problems: int = 0
    restarts: int = 0
    written_bytes: int = 0
    changed_files: list[str] = field(default_factory=list)
    settings_changed: bool = False

    @property
    def seconds(self) -> float:
        return self.samples[-1].seconds if self.samples else 0.0

    def growth(self, which: str) -> float:
        """Growth of ``which`` ("gui_bytes" or "engine_bytes") from the baseline to the end, as a share."""
        first, last = getattr(self.samples[0], which), getattr(self.samples[-1], which)
        return (last - first) / first


def soak(session: KioskSession, conversations: int, data_folder: Path, *, minutes: float | None = None,
         warm_up: int = 10, sample_every: int = 50, idle_s: float = 0.2, countdown_s: float = 0.3,
         progress: Callable[[Sample], None] | None = None) -> SoakResult:
    """``warm_up`` visitors, then ``conversations`` more (or as many as ``minutes`` allow), through the real
    window; the idle time and countdown compressed to ``idle_s`` and ``countdown_s``."""
    window, worker = session.window, session.worker
    window.idle.timeout_s, window.idle.countdown_s = idle_s, countdown_s
    log = VisitLog()
    idle_wait = 20 * (idle_s + countdown_s) + 5
    for number in range(warm_up):
        visit(window, number, log, idle_wait)
    result = SoakResult(VisitLog())
    counters = {"lost": 0, "errors": 0, "problems": 0}
    worker.engineLost.connect(lambda _loss: counters.__setitem__("lost", counters["lost"] + 1))
    worker.error.connect(lambda _problem: counters.__setitem__("problems", counters["problems"] + 1))
    hook = sys.excepthook

    def count_error(*details) -> None:
        counters["errors"] += 1
        hook(*details)

    sys.excepthook = count_error
    settings = settings_file()
    settings_before = settings.stat().st_mtime_ns if settings.exists() else None
    restarts_before = session.stats.restarts
    started = time.monotonic()

    def sample(done: int) -> None:
        settle()
        point = Sample(time.monotonic() - started, done, rss_bytes(os.getpid()) or 0, rss_bytes(worker.pid) or 0)
        result.samples.append(point)
        if progress is not None:
            progress(point)

    sample(0)
    tree_before = file_tree(data_folder)
    deadline = started + minutes * 60 if minutes else None
    try:
        done = 0
        while done < conversations and (deadline is None or time.monotonic() < deadline):
            visit(window, warm_up + done, result.log, idle_wait)
            done += 1
            if done % sample_every == 0:
                sample(done)
        if not result.samples or result.samples[-1].conversations != done:
            sample(done)
    finally:
        sys.excepthook = hook
    tree_after = file_tree(data_folder)
    result.written_bytes = written_bytes(tree_before, tree_after)
    result.changed_files = sorted(path for path in tree_before.keys() | tree_after.keys()
                                  if tree_before.get(path) != tree_after.get(path))
    result.settings_changed = (settings.stat().st_mtime_ns if settings.exists() else None) != settings_before
    result.engine_losses, result.errors, result.problems = counters["lost"], counters["errors"], counters["problems"]
    result.restarts = session.stats.restarts - restarts_before
    return result
