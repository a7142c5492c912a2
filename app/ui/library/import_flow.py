"""ImportFlow: adding GGUF files from this computer to the library, one after the other: each is checked
(off the GUI thread), then copied into the models folder or used where it is, as the user chooses."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.core.models.fit import free_disk_bytes
from app.core.models.gguf import GGUFError, ModelInfo
from app.ui import settings
from app.ui.formatting import format_size
from app.ui.library.controller import LibraryController
from app.ui.library.folder_scan import FolderScan
from app.ui.library.jobs import LibraryJobs
from app.ui.library.words import model_display_name
from app.ui.model_errors import model_error_text


class ImportFlow(LibraryController):
    """The imports waiting and the one under way; files come from the file dialog (``choose_files``) or
    are dropped onto the widget given to ``take_drops``.

    Attributes:
        importing: whether a file is being checked or copied (or the user is asked about it).
        copied: (bytes copied, bytes in all) of the copy under way once it reported progress, else None.

    Signals:
        filesDropped(): files were dropped to be imported (each is then checked and asked about).
    """

    filesDropped = Signal()

    def __init__(
        self,
        dialog_parent: QWidget,
        jobs: LibraryJobs,
        scan: FolderScan,
        disk_free: Callable[[Path], int | None] = free_disk_bytes,
    ) -> None:
        """``scan`` has the models folder and reads it again once a file was added."""
        super().__init__(dialog_parent)
        self.importing = False
        self.copied: tuple[int, int] | None = None
        self._jobs = jobs
        self._scan = scan
        self._disk_free = disk_free
        self._imports: deque[tuple[str, str | None]] = deque()
        self._modes: dict[str, str | None] = {}
        jobs.importChecked.connect(self._on_checked)
        jobs.importRefused.connect(self._on_refused)
        jobs.importProgress.connect(self._on_progress)
        jobs.importFinished.connect(self._on_finished)
        jobs.importFailed.connect(self._on_failed)
        jobs.importCancelled.connect(self._on_cancelled)

    def add(self, path: str, mode: str | None = "copy") -> None:
        """Add a GGUF file to the library once it was checked, off the GUI thread.

        ``mode``: "copy" copies it into the models folder; "reference" uses it where it is; None asks the
        user, once the file is known to be usable. Several imports run one after the other.
        """
        self._imports.append((str(path), mode))
        if not self.importing:
            self._next()

    def choose_files(self) -> None:
        """The “Import GGUF file…” button: ask for files, then for each whether to copy it."""
        paths, _filter = QFileDialog.getOpenFileNames(
            self.dialog_parent,
            self.tr("Import a GGUF model file"),
            str(Path.home()),
            self.tr("GGUF model files (*.gguf)"),
        )
        for path in paths:
            self.add(path, mode=None)

    def take_drops(self, widget: QWidget) -> None:
        """Import the files (from the file manager) dropped onto ``widget``."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        drop: QDropEvent = event  # drag enter and drag move events are drop events too
        paths = [url.toLocalFile() for url in drop.mimeData().urls() if url.isLocalFile()]
        if not paths:
            return False
        drop.acceptProposedAction()
        if event.type() == QEvent.Type.Drop:
            self.filesDropped.emit()
            for path in paths:
                self.add(path, mode=None)
        return True

    def _next(self) -> None:
        if not self._imports:
            self.importing = False
            self.copied = None
            self.changed.emit()
            return
        path, mode = self._imports.popleft()
        self.importing = True
        self.errorChanged.emit("")
        name = Path(path).name
        if Path(path).parent == self._scan.models_dir:
            self.statusChanged.emit(self.tr("“{name}” is already in the models folder.").format(name=name))
            self._next()
            return
        if mode == "copy":
            self.statusChanged.emit(self.tr("Checking and copying “{name}”…").format(name=name))
            self.copied = None
            self._jobs.import_file(Path(path), self._scan.models_dir, self._disk_free)
        else:
            self.statusChanged.emit(self.tr("Checking “{name}”…").format(name=name))
            self._modes[path] = mode
            self._jobs.check_file(Path(path))
        self.changed.emit()

    def _on_checked(self, path: str, info: ModelInfo) -> None:
        mode = self._modes.pop(path, None)
        if mode == "reference":
            self._add_reference(path)
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Add “{name}” to the library").format(name=model_display_name(info)),
            self.tr("Copy the file into the models folder, or use it where it is?"),
            QMessageBox.StandardButton.Cancel,
            self.dialog_parent,
        )
        box.setInformativeText(
            self.tr(
                "A copy takes {size} of space and stays usable when the original is gone (for example on a "
                "USB stick). Using it where it is takes no space, but the file must stay where it is."
            ).format(size=format_size(info.file_size))
        )
        copy = box.addButton(self.tr("Copy into the models folder"), QMessageBox.ButtonRole.AcceptRole)
        reference = box.addButton(self.tr("Use where it is"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(copy)

        def chosen(_result: int) -> None:
            if box.clickedButton() is copy:
                self._imports.appendleft((path, "copy"))
            elif box.clickedButton() is reference:
                self._imports.appendleft((path, "reference"))
            else:
                self.statusChanged.emit("")
            self._next()

        box.finished.connect(chosen)
        self.open_box(box)

    def _add_reference(self, path: str) -> None:
        settings.set_references([*settings.references(), path])
        self.statusChanged.emit(
            self.tr("“{name}” was added to the library; it stays where it is.").format(name=Path(path).name)
        )
        self._scan.select_after_scan(path)
        self._scan.refresh()
        self._next()

    def _on_progress(self, done: int, total: int) -> None:
        self.copied = (done, total)
        self.statusChanged.emit(
            self.tr("Copying… {done} of {total}").format(done=format_size(done), total=format_size(total))
        )
        self.changed.emit()

    def _on_finished(self, path: str) -> None:
        self.statusChanged.emit(self.tr("“{name}” was added to the library.").format(name=Path(path).name))
        self._scan.select_after_scan(path)
        self.importing = bool(self._imports)
        if not self.importing:
            self.copied = None
        self._scan.refresh()
        self._next()

    def _on_cancelled(self) -> None:
        self.statusChanged.emit(self.tr("Copying was stopped; nothing was added."))
        self._next()

    def _on_refused(self, path: str, error: GGUFError) -> None:
        """The file is not a usable model: why in the user's words (with no English details beside them:
        the words say all the message says)."""
        self._on_failed(model_error_text(error, Path(path).name))

    def _on_failed(self, message: str) -> None:
        self.statusChanged.emit("")
        self.show_message(
            QMessageBox.Icon.Warning,
            self.tr("This file cannot be imported"),
            message,
            self.tr("Nothing was added to the library."),
        )
        self._next()
