"""Start the kiosk: application, translations for the kiosk's language, strict offline mode, the engine on
its thread with the kiosk's guards, and the KioskWindow (app.ui.kiosk.window); the window made again when
the administrator saves new settings.

Nothing here writes a setting: the offline switch is set in the policy only, never in QSettings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtWidgets import QApplication

from app.core.kiosk.config import KioskConfig
from app.core.kiosk.stats import KioskStats
from app.core.locality.guard import current_policy, install_policy
from app.core.locality.policy import NetworkPolicy
from app.ui.application import start_application
from app.ui.i18n import install_translators
from app.ui.kiosk.window import MB, KioskWindow
from app.worker import EngineWorker, start_engine_thread, stop_engine_thread


def run_kiosk(config: KioskConfig, models_dir: Path) -> int:
    """Run the kiosk until the administrator exits it; returns the exit status."""
    app = start_application(config.language)
    policy = current_policy() or install_policy()
    policy.offline = True  # before the engine starts: it inherits the policy from the environment
    worker, thread = start_engine_thread()
    session = KioskSession(app, worker, config, models_dir, policy)
    session.exited.connect(app.quit)
    try:
        return app.exec()
    finally:
        stop_engine_thread(worker, thread)


class KioskSession(QObject):
    """The kiosk window over one engine worker and its statistics; new settings from the administrator
    build the window again with them (their language, their model), keeping the engine and the counts.

    Attributes:
        window: the KioskWindow shown.
        config: the configuration it runs with.
        stats: the KioskStats, kept across windows.

    Signals:
        exited(): the administrator chose Exit; the window has closed.
    """

    exited = Signal()

    def __init__(self, app: QApplication, worker: EngineWorker, config: KioskConfig, models_dir: Path,
                 policy: NetworkPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(app)
        self.app, self.worker, self.models_dir, self.policy, self.clock = app, worker, models_dir, policy, clock
        self.stats = KioskStats(clock)
        self.config = config
        self.translators = install_translators(app, config.language)
        self.window = self._new_window()
        self.window.load_model(str(config.model))

    def _new_window(self) -> KioskWindow:
        config = self.config
        self.policy.offline = True
        self.worker.capture_scores = config.show_experts and config.experts_view == "router"
        self.worker.set_guards(float(config.stall_seconds), config.memory_limit_mb * MB)
        window = KioskWindow(self.worker, config, self.models_dir, self.policy, stats=self.stats, clock=self.clock)
        window.exitRequested.connect(self.exited)
        window.settingsSaved.connect(self.apply)
        window.show_kiosk()
        return window

    def release(self) -> None:
        """Let the window go and take the session's translations out of the application again."""
        self.window.release()
        self.window.deleteLater()
        for translator in self.translators:
            self.app.removeTranslator(translator)
        self.translators = []
        QLocale.setDefault(QLocale.system())

    def apply(self, config: KioskConfig) -> None:
        """Run with ``config`` from now on: a new window in its language, its model loaded if another."""
        old, before = self.window, self.config
        scores = self.worker.capture_scores
        quits = self.app.quitOnLastWindowClosed()
        self.app.setQuitOnLastWindowClosed(False)  # between the two windows none is open
        old.release()
        old.deleteLater()
        if config.language != before.language:
            for translator in self.translators:
                self.app.removeTranslator(translator)
            QLocale.setDefault(QLocale.system())
            self.translators = install_translators(self.app, config.language)
        self.config = config
        self.window = self._new_window()
        if config.model != before.model or self.worker.capture_scores != scores or self.worker.last_loaded is None:
            self.window.load_model(str(config.model))
        else:
            self.window.adopt_engine()
        self.app.setQuitOnLastWindowClosed(quits)
