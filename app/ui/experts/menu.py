"""The window's Experts menu: presentation mode, where the expert view goes, whether the router's scores
are read, the experts-per-token comparison (which holds the chat and the library while it drives the
engine), and the pictures and traces a speaker takes to slides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from app.core.models.gguf import ModelInfo
from app.ui import settings
from app.ui.experts import exports
from app.ui.experts.compare import ComparisonDialog
from app.ui.experts.pane import ExpertsPane
from app.ui.presentation import PresentationMode

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class ExpertsMenu(QObject):
    """Builds the Experts menu of ``window`` and carries out its actions.

    Attributes:
        menu: the QMenu (the window adds it to its menu bar).
        presentation: the PresentationMode.
        presentation_action, second_screen_action, scores_action: the checkable actions.
        frames: the ReplayFrames being written, or None.
    """

    def __init__(self, window: MainWindow, pane: ExpertsPane, presentation: PresentationMode, notify) -> None:
        """``notify(text, kind)`` tells the user how an action went (the chat's notices)."""
        super().__init__(window)
        self.window, self.pane, self.presentation = window, pane, presentation
        self._notify = notify
        self.frames: exports.ReplayFrames | None = None
        self.menu = QMenu(self.tr("&Experts"), window)
        self.menu.setObjectName("expertsMenu")

        on, second = settings.presentation()
        presentation.second_screen = second
        self.presentation_action = self._action(self.tr("&Presentation mode"), checkable=True)
        self.presentation_action.setShortcut(QKeySequence("F5"))
        self.presentation_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        window.addAction(self.presentation_action)  # F5 works with the menu bar hidden, and on the projector
        self.presentation_action.setToolTip(self.tr("The expert view large and dark, for a projector (F5)"))
        self.presentation_action.toggled.connect(presentation.set_active)
        presentation.changed.connect(self._on_presentation_changed)
        self.second_screen_action = self._action(self.tr("Expert view on a &second screen"), checkable=True)
        self.second_screen_action.setChecked(second)
        self.second_screen_action.toggled.connect(self._on_second_screen)
        self.menu.addSeparator()
        self.scores_action = self._action(self.tr("Read the router's &scores"), checkable=True)
        self.scores_action.setChecked(settings.capture_scores())
        self.scores_action.setToolTip(self.tr(
            "The router diagram shows the router's score for every expert, not only the chosen ones. Reading "
            "them makes answers a few percent slower; it takes effect when a model is loaded."))
        self.scores_action.toggled.connect(settings.set_capture_scores)
        self.menu.addSeparator()
        comparison = self._action(self.tr("&Compare experts per token…"))
        comparison.setToolTip(self.tr("The same question answered with two numbers of experts per token, side by "
                                      "side"))
        comparison.triggered.connect(self.show_comparison)
        self.comparison: ComparisonDialog | None = None
        self._model: tuple[ModelInfo | None, int] = (None, 0)
        self.menu.addSeparator()
        picture = self._action(self.tr("Save the view as a &picture…"))
        picture.triggered.connect(lambda: self.save_picture(transparent=False))
        clear = self._action(self.tr("Save the view as a picture with a &transparent background…"))
        clear.triggered.connect(lambda: self.save_picture(transparent=True))
        frames = self._action(self.tr("Save the &replay as pictures…"))
        frames.triggered.connect(self.save_frames)
        for label, form in ((self.tr("Save the routing as &CSV…"), "csv"), (self.tr("Save the routing as &JSON…"),
                                                                            "json")):
            action = self._action(label)
            action.triggered.connect(lambda _checked=False, f=form: self.save_trace(f))
        self._start_on = on

    # --- experts per token, side by side -----------------------------------------------------------

    def set_model(self, info: ModelInfo | None, n_ctx: int) -> None:
        """The model the window loaded (the comparison ignores it while it runs)."""
        self._model = (info, n_ctx)
        if self.comparison is not None:
            self.comparison.set_model(info, n_ctx)

    @property
    def comparing(self) -> bool:
        return self.comparison is not None and self.comparison.run.running

    def show_comparison(self) -> None:
        """The same question with two numbers of experts per token, side by side."""
        window = self.window
        if self.comparison is None:
            self.comparison = ComparisonDialog(window.worker, parent=window)
            self.comparison.run.runningChanged.connect(self._on_comparison_running)
            self.comparison.set_engine_busy(window.chat.generating or window.library.loading_path is not None)
        self.comparison.set_model(*self._model)
        self.comparison.set_request(window.chat.request())
        self.comparison.set_presentation(self.presentation.active)
        self.comparison.show()
        self.comparison.raise_()

    def _on_comparison_running(self, running: bool) -> None:
        """While the comparison drives the engine nothing else may ask it: the chat and the library wait."""
        self.window.chat.setEnabled(not running)
        self.window.library.setEnabled(not running)

    def _action(self, label: str, checkable: bool = False) -> QAction:
        action = QAction(label, self.window)
        action.setCheckable(checkable)
        self.menu.addAction(action)
        return action

    def restore(self) -> None:
        """Presentation mode comes back on if it was on when the window closed."""
        if self._start_on:
            self.presentation_action.setChecked(True)

    def keep(self) -> None:
        """Remember presentation mode and the second-screen choice for the next start."""
        settings.set_presentation(self.presentation.active, self.presentation.second_screen)

    def _on_presentation_changed(self, on: bool) -> None:
        self.presentation_action.blockSignals(True)
        self.presentation_action.setChecked(on)
        self.presentation_action.blockSignals(False)

    def _on_second_screen(self, on: bool) -> None:
        self.presentation.second_screen = on
        if self.presentation.active:  # takes effect at once: out and in again
            self.presentation.set_active(False)
            self.presentation.set_active(True)

    # --- pictures and traces ----------------------------------------------------------------------

    def _nothing_shown(self) -> bool:
        if self.pane.timeline is None or not len(self.pane.timeline):
            self._notify(self.tr("There is no routing to save yet: ask a question, or open an answer's experts."),
                         "notice")
            return True
        return False

    def save_picture(self, transparent: bool) -> None:
        if self._nothing_shown():
            return
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save the expert view as a picture"),
                                              "moescope-experts.png", self.tr("PNG pictures (*.png)"))
        if not path:
            return
        if exports.save_view(self.pane, path, transparent):
            self._notify(self.tr("Saved the expert view as {file}.").format(file=path), "notice")
        else:
            self._notify(self.tr("{file} could not be written.").format(file=path), "error")

    def save_frames(self) -> None:
        if self._nothing_shown() or self.frames is not None:
            return
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Folder for the replay's pictures"))
        if not folder:
            return
        self.frames = exports.ReplayFrames(self.pane, folder, self.window)
        self.frames.done.connect(lambda count, error, folder=folder: self._on_frames_done(count, error, folder))
        self.frames.start()

    def _on_frames_done(self, count: int, error: str, folder: str) -> None:
        self.frames = None
        if error:
            self._notify(self.tr("The replay's pictures stopped after {count}: {error}").format(count=count,
                                                                                                error=error), "error")
        else:
            self._notify(self.tr("Saved {count} pictures of the replay in {folder}.").format(count=count,
                                                                                             folder=folder), "notice")

    def save_trace(self, form: str) -> None:
        if self._nothing_shown():
            return
        name, filter_text = (("moescope-routing.csv", self.tr("CSV tables (*.csv)")) if form == "csv"
                             else ("moescope-routing.json", self.tr("JSON files (*.json)")))
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save the routing"), name, filter_text)
        if not path:
            return
        try:
            exports.save_trace(self.pane, path, form)
        except OSError as exc:
            self._notify(self.tr("{file} could not be written: {reason}").format(
                file=path, reason=exc.strerror or str(exc)), "error")
            return
        self._notify(self.tr("Saved the routing as {file}.").format(file=path), "notice")
