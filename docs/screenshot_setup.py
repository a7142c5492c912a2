"""The shared start of the screenshot scripts in docs/: import it before PySide6 and the app.

On import: the repository (and tests/support/, for the stand-ins such as the fake Hub) goes on the path, Qt
runs offscreen unless told otherwise, and settings and data go to fresh temporary folders, so a
screenshot never touches the user's own. ``start_app`` then makes the QApplication styled and
translated as the window does; ``demo_window`` opens the main window on the first-start demo models.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="moescope-screenshot-config-")
os.environ["MOESCOPE_DATA_DIR"] = tempfile.mkdtemp(prefix="moescope-screenshot-data-")


def arguments(default_png: str) -> argparse.Namespace:
    """``--lang de|en`` and ``--out`` (default: docs/<default_png>)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=("de", "en"), default="en")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / default_png)
    return parser.parse_args()


def start_app(lang: str, application_name: str = "MoEscope screenshot"):
    """The QApplication, with the app's style and the translations for ``lang``."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from app.ui.i18n import install_translators
    from app.ui.style import apply_style

    QCoreApplication.setOrganizationName("MoEscope")
    QCoreApplication.setApplicationName(application_name)
    app = QApplication(sys.argv)
    apply_style(app)
    install_translators(app, lang)
    return app


def wait(app, condition, timeout: float = 120.0) -> None:
    """Process Qt events until ``condition()`` holds; TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.01)


@contextlib.contextmanager
def demo_window(app, width: int, height: int):
    """The main window with a real engine on the first-start demo models (their folder read), and the
    demo files by name; closed, with its engine, afterwards."""
    from app.core.models.demo_setup import ensure_demo_models
    from app.core.paths import models_dir
    from app.ui.main_window import MainWindow
    from app.worker import start_engine_thread, stop_engine_thread

    folder = models_dir()
    demos = {path.name: path for path in ensure_demo_models(folder)}
    worker, thread = start_engine_thread()
    window = MainWindow(worker, folder)
    window.resize(width, height)
    window.show()
    try:
        wait(app, lambda: window.engine_ready and not window.library.scanning)
        yield window, demos
    finally:
        window.close()
        stop_engine_thread(worker, thread)
