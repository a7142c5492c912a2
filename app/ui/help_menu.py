"""The window's Help menu: About MoEscope, and Copy diagnostic report (``app.core.diagnostics``: versions,
processor, memory, engine settings and the last engine problem, never conversation text) to the clipboard.

The menu keeps the last engine problem itself, from the worker's signals, so the window needs no bookkeeping
for it. The first-run guide's "First steps…" goes at the top with ``add_guide_action``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, qVersion
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu

from app.core import diagnostics
from app.core.engine import protocol
from app.core.engine.supervisor import Loss, Problem
from app.ui.about_dialog import AboutDialog

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class HelpMenu(QObject):
    """Builds the Help menu of ``window`` and carries out its actions.

    Attributes:
        menu: the QMenu (the window adds it to its menu bar, last).
        about_action, report_action: "About MoEscope" and "Copy diagnostic report".
        about: the AboutDialog once it was opened, else None.
        trouble: the last engine problem of this session (diagnostics.EngineTrouble), or None.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.about: AboutDialog | None = None
        self.trouble: diagnostics.EngineTrouble | None = None
        loaded = window.worker.last_loaded  # a window built again (another language) over a loaded model
        self._n_ctx = loaded.n_ctx if loaded is not None else 0
        self.menu = QMenu(self.tr("&Help"), window)
        self.menu.setObjectName("helpMenu")
        self.menu.setToolTipsVisible(True)
        self.report_action = QAction(self.tr("Copy &diagnostic report"), window)
        self.report_action.setObjectName("diagnosticReportAction")
        self.report_action.setToolTip(self.tr(
            "Copies versions, processor, memory, engine settings and the last engine problem, for a message to "
            "whoever looks after MoEscope. It holds no conversation text."))
        self.report_action.triggered.connect(self.copy_report)
        self.menu.addAction(self.report_action)
        self.menu.addSeparator()
        self.about_action = QAction(self.tr("&About MoEscope"), window)
        self.about_action.setObjectName("aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.menu.addAction(self.about_action)
        worker = window.worker
        worker.error.connect(self._on_problem)
        worker.engineLost.connect(self._on_loss)
        worker.compatibilityMode.connect(self._on_loss)
        worker.loaded.connect(self._on_loaded)

    def add_guide_action(self, action: QAction) -> None:
        """Put the first-run guide's action at the top of the menu, apart from the rest."""
        first = self.menu.actions()[0]
        self.menu.insertAction(first, action)
        self.menu.insertSeparator(first)

    def show_about(self) -> None:
        """Open (or bring forward) the About dialog."""
        if self.about is None:
            self.about = AboutDialog(self.window)
        self.about.show()
        self.about.raise_()
        self.about.activateWindow()

    def report(self) -> str:
        """The diagnostic report now, as plain text."""
        window = self.window
        info = window.model_info
        return diagnostics.report(diagnostics.collect(
            qt_version=qVersion(),
            hardware=window.library.hardware,
            model=info,
            n_ctx=self._n_ctx if info is not None else 0,
            compatibility_mode=window.compatibility_mode,
            engine_running=window.worker.pid is not None,
            offline=window.locality_guard.policy.offline,
            language=QLocale().name(),
            trouble=self.trouble,
        ))

    def copy_report(self) -> None:
        """Put the report on the clipboard and say so in the chat."""
        QGuiApplication.clipboard().setText(self.report())
        self.window.chat.show_notice(self.tr(
            "The diagnostic report is on the clipboard: paste it into your message. It holds versions, this "
            "computer's processor and memory, the engine's settings and its last problem, and no conversation "
            "text."))

    def _on_problem(self, problem: Problem) -> None:
        self.trouble = diagnostics.EngineTrouble.from_problem(problem)

    def _on_loss(self, loss: Loss) -> None:
        self.trouble = diagnostics.EngineTrouble.from_loss(loss)

    def _on_loaded(self, event: protocol.Loaded) -> None:
        self._n_ctx = event.n_ctx
