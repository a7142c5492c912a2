"""The self-test's window check: build the main window offscreen, as a start of the app would.

Kept out of ``app.core`` (which imports no Qt); ``app.main`` hands ``check_window`` to
``app.core.selftest.run_self_test``. Every import of the GUI happens inside the check, so that a
window that cannot even be imported is reported as a failed check rather than a crash.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

STARTUP_TIMEOUT_S = 60.0


def _wait(app, done: threading.Event, timeout: float) -> bool:
    """Let Qt's event loop run until ``done`` is set or ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not done.is_set() and time.monotonic() < deadline:
        app.processEvents()
        done.wait(0.01)
    app.processEvents()
    return done.is_set()


def check_window(models_dir: Path, model: Path) -> str:
    """Build MainWindow with a worker and engine of its own, load ``model`` (if it exists), close it.

    Returns what was done; raises RuntimeError (or whatever the window raises) on failure. Window
    settings go to a temporary INI store inside ``models_dir``'s parent, not the user's.
    """
    try:
        from PySide6.QtCore import QCoreApplication, QSettings
        from PySide6.QtWidgets import QApplication

        from app.ui.engine_words import problem_text
        from app.ui.main_window import MainWindow
        from app.ui.resources import icon
        from app.worker import start_engine_thread, stop_engine_thread
    except Exception as exc:
        raise RuntimeError(f"the window's code cannot be imported: {type(exc).__name__}: {exc}") from exc

    QCoreApplication.setOrganizationName("MoEscope")
    QCoreApplication.setApplicationName("MoEscope self-test")
    settings_dir = str(models_dir.parent / "settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "moescope"])
    notes = [f"platform {app.platformName()}"]

    if icon("moescope").pixmap(32, 32).isNull():
        raise RuntimeError("the app icon cannot be drawn (is Qt's SVG icon plugin missing?)")
    notes.append(_translations_note(app))

    started, loaded, failed = threading.Event(), threading.Event(), []
    worker, thread = start_engine_thread()
    worker.started.connect(started.set)
    worker.loaded.connect(lambda _event: loaded.set())
    worker.error.connect(
        lambda problem: (failed.append(f"{problem.kind}: {problem_text(problem)}"), started.set(), loaded.set())
    )
    window = None
    try:
        window = MainWindow(worker, models_dir)
        window.show()
        if not _wait(app, started, STARTUP_TIMEOUT_S) or failed:
            raise RuntimeError("the window's engine did not start: " + ("; ".join(failed) or "no answer"))
        notes.append("engine started by the worker")
        if model.exists() and hasattr(window, "load_model"):
            window.load_model(str(model))
            if not _wait(app, loaded, STARTUP_TIMEOUT_S) or failed:
                raise RuntimeError(
                    f"the window could not load {model.name}: " + ("; ".join(failed) or "no answer")
                )
            notes.append(f"{model.name} loaded")
    finally:
        if window is not None:
            window.close()
        stop_engine_thread(worker, thread)
        if window is not None:
            window.deleteLater()
        app.processEvents()
    return "MainWindow built; " + ", ".join(notes)


def _translations_note(app) -> str:
    """Check that the German translations load: MoEscope's own (when built) and Qt's dialogs."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from app.core.paths import resources_dir

    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    wanted = [("qtbase_de", qt_folder)]
    own = resources_dir() / "translations"
    if any(own.glob("moescope_*.qm")):
        wanted.append(("moescope_de", str(own)))
    for name, folder in wanted:
        if not QTranslator(app).load(name, folder):
            raise RuntimeError(f"the translation {name} cannot be loaded from {folder}")
    return "German translations load (" + ", ".join(name for name, _ in wanted) + ")"
