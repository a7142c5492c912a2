"""LoadFlow: asking for a model to be loaded (first asking the user when it does not fit) and following
the engine as it loads, fails or unloads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.models.gguf import ModelInfo
from app.ui.formatting import format_decimal
from app.ui.library.controller import LibraryController
from app.ui.library.table_model import INSTALLED, LibraryItem, LibraryModel
from app.ui.library.words import fit_reason, model_display_name


class LoadFlow(LibraryController):
    """The request to load a library file, and what the engine does with it (told by the main window).

    Attributes:
        loading_path: the model being loaded, or None.
        loaded_path: the model loaded in the engine, or None.
        engine_busy: the engine is busy (answering, loading): nothing else can be loaded now.

    Signals:
        loadRequested(str): the user asked to load the model file at this path.
        selectRequested(str): the file just loaded, to select.
    """

    loadRequested = Signal(str)
    selectRequested = Signal(str)

    def __init__(self, dialog_parent: QWidget, model: LibraryModel) -> None:
        super().__init__(dialog_parent)
        self.loading_path: str | None = None
        self.loaded_path: str | None = None
        self.engine_busy = False
        self._model = model

    def can_load(self, item: LibraryItem | None) -> bool:
        """Whether ``item`` can be loaded now: a usable library file to chat with (an embedding model serves
        document search only) that is not loaded already, and the engine free (loading the loaded model
        again would only empty the expert view)."""
        return (
            item is not None
            and item.kind == INSTALLED
            and not item.embedding
            and item.path != self.loaded_path
            and self.loading_path is None
            and not self.engine_busy
        )

    def in_use(self, item: LibraryItem | None) -> bool:
        """Whether the file of ``item`` is loaded or being loaded (it cannot be deleted then)."""
        return item is not None and item.path in (self.loaded_path, self.loading_path)

    def request(self, item: LibraryItem) -> None:
        """Ask for ``item`` (an INSTALLED file) to be loaded; first ask the user when it does not fit."""
        if item.fit is None or item.fit.level != "does_not_fit":
            self.loadRequested.emit(item.path)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("This model probably does not fit"),
            self.tr("“{name}” needs more memory than this computer can give: {reason}.").format(
                name=item.name, reason=fit_reason(item.fit, item.estimate.kv_exact)
            ),
            QMessageBox.StandardButton.Cancel,
            self.dialog_parent,
        )
        box.setInformativeText(
            self.tr(
                "Loading it may take very long, make the computer slow for a while, or fail. A smaller "
                "model, or a more compressed file of the same model (for example compressed to 3 bits, "
                "Q3_K_M), will run better."
            )
        )
        load_anyway = box.addButton(self.tr("Load anyway"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        path = item.path
        box.finished.connect(
            lambda _result: box.clickedButton() is load_anyway and self.loadRequested.emit(path)
        )
        self.open_box(box)

    def set_loading(self, path: str, again: bool = False) -> None:
        """A model is being loaded; ``again`` when it is reloaded into a fresh engine."""
        self.loading_path = path
        self.errorChanged.emit("")
        text = self.tr("Loading “{name}” again…") if again else self.tr("Loading “{name}”…")
        self.statusChanged.emit(text.format(name=Path(path).name))
        self.changed.emit()

    def set_loaded(self, info: ModelInfo, seconds: float, compatibility_mode: bool = False) -> None:
        self.loading_path = None
        self.loaded_path = info.path
        text = self.tr("“{name}” is ready (loaded in {seconds} s).").format(
            name=model_display_name(info), seconds=format_decimal(seconds))
        if compatibility_mode:
            text += " " + self.tr("It runs in compatibility mode on this computer.")
        self.statusChanged.emit(text)
        self._model.mark_loaded(self.loaded_path)
        self.selectRequested.emit(info.path)
        self.changed.emit()

    def set_load_failed(self, message: str) -> None:
        path = self.loading_path
        self.loading_path = None
        self.statusChanged.emit("")
        name = Path(path).name if path else ""
        self.errorChanged.emit(
            self.tr("“{name}” could not be loaded: {message}").format(name=name, message=message)
        )
        self.changed.emit()

    def set_unloaded(self) -> None:
        self.loaded_path = None
        self.statusChanged.emit("")
        self._model.mark_loaded(None)
        self.changed.emit()

    def set_engine_busy(self, busy: bool) -> None:
        self.engine_busy = busy
        self.changed.emit()
