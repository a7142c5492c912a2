"""FolderMove: Settings › Models folder…. Another folder for the models; when the old one holds models, the
user chooses whether they move along (off the GUI thread, LibraryJobs) or stay where they are, and the
library says which models stayed behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.core.models.folder import MoveResult
from app.ui import settings
from app.ui.formatting import format_size
from app.ui.library.controller import LibraryController
from app.ui.library.folder_scan import FolderScan
from app.ui.library.jobs import LibraryJobs, disk_problem_text, folder_problem
from app.ui.library.table_model import LibraryModel


class FolderMove(LibraryController):
    """Changes the models folder. The models of the old folder move with their sidecars and unfinished
    downloads, or stay there, as the user answers; a move that stops (a full drive, "Stop copying") leaves
    every model it did not move where it was.

    The loaded model never moves: the engine reads its file. It stays in the old folder and the library
    keeps it as a file used where it is, so it stays listed and loaded.

    Attributes:
        target: the folder chosen, while its question is open or its models move; else None.
        moving: whether models are being moved.
        copied: (bytes moved, bytes in all) while moving, else None.
        note: what the library says about models left in an earlier folder ("" when nothing).

    Signals:
        noteChanged(str): ``note`` changed.
    """

    noteChanged = Signal(str)

    def __init__(
        self,
        dialog_parent: QWidget,
        jobs: LibraryJobs,
        scan: FolderScan,
        model: LibraryModel,
        *,
        loaded: Callable[[], str | None],
        loading: Callable[[], bool],
        busy: Callable[[], bool],
    ) -> None:
        """``loaded()`` is the model file loaded in the engine, ``loading()`` whether one is being loaded,
        ``busy()`` whether downloads or imports use the folder now (it cannot change then)."""
        super().__init__(dialog_parent)
        self.target: Path | None = None
        self.moving = False
        self.copied: tuple[int, int] | None = None
        self.note = ""
        self._jobs = jobs
        self._scan = scan
        self._model = model
        self._loaded = loaded
        self._loading = loading
        self._busy = busy
        self._stays: list[str] = []
        self._source: Path | None = None
        jobs.movePlanned.connect(self._on_planned)
        jobs.moveProgress.connect(self._on_progress)
        jobs.moveFinished.connect(self._on_moved)

    def choose_folder(self) -> None:
        """Ask for another folder and change to it."""
        folder = QFileDialog.getExistingDirectory(
            self.dialog_parent, self.tr("Choose the models folder"), str(self._scan.models_dir)
        )
        if folder:
            self.change_folder(Path(folder))

    def change_folder(self, folder: Path) -> bool:
        """Change to ``folder``: at once when the old folder holds no model, else after asking whether its
        models move along. False when refused, with a message box saying why."""
        folder = Path(folder)
        if folder == self._scan.models_dir:
            return True
        refusal = self._refusal()
        if refusal:
            self.show_message(QMessageBox.Icon.Information, self.tr("The models folder cannot change now"), refusal)
            return False
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            problem = self.tr("“{folder}” cannot be created: {reason}").format(
                folder=str(folder), reason=exc.strerror or exc
            )
        else:
            problem = folder_problem(folder)
        if problem:
            self.show_message(QMessageBox.Icon.Warning, self.tr("This folder cannot be used"), problem)
            return False
        self.target = folder
        self._source = self._scan.models_dir
        self._jobs.plan_move(self._source)
        self.changed.emit()
        return True

    def _refusal(self) -> str:
        if self.target is not None:
            return self.tr("The models are being moved. Wait until that has finished.")
        if self._busy():
            return self.tr(
                "Wait until the downloads and imports have finished, or pause the downloads, then change the folder."
            )
        if self._loading():
            return self.tr("A model is being loaded. Wait until it is ready, then change the folder.")
        return ""

    # --- the question -----------------------------------------------------------------------------------

    def _on_planned(self, folder: str, groups: list[list[Path]], sizes: list[int]) -> None:
        if self.target is None or Path(folder) != self._source:
            return
        loaded = self._loaded()
        self._stays = [str(group[0]) for group in groups if str(group[0]) == loaded]
        chosen = [(group, size) for group, size in zip(groups, sizes) if str(group[0]) != loaded]
        if not chosen:
            self._switch(self._stays)
            return
        moving = [group for group, _size in chosen]
        count = sum(1 for group in moving if _is_model(group))
        size = format_size(sum(size for _group, size in chosen))
        text = (
            self.tr("Move the %n model(s) ({size}) to the new folder?", "", count).format(size=size)
            if count
            else self.tr("Move the unfinished downloads ({size}) to the new folder?").format(size=size)
        )
        informative = [
            self.tr("They are in “{old}”. Models left there are not shown in the library of the new folder.").format(
                old=str(self._source)
            )
        ]
        if count and len(moving) > count:
            informative.append(self.tr("Unfinished downloads move with them."))
        if self._stays:
            informative.append(self._stays_sentence())
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Move the models?"), text,
                          QMessageBox.StandardButton.NoButton, self.dialog_parent)
        box.setInformativeText("\n\n".join(informative))
        move = box.addButton(self.tr("Move"), QMessageBox.ButtonRole.AcceptRole)
        leave = box.addButton(self.tr("Leave them in the old folder"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(move)

        def chosen_button(_result: int) -> None:
            if box.clickedButton() is move:
                self._move(moving)
            elif box.clickedButton() is leave:
                self._switch(self._stays, left=moving)
            else:
                self.target = None
                self.changed.emit()

        box.finished.connect(chosen_button)
        self.open_box(box)

    def _stays_sentence(self) -> str:
        return self.tr(
            "“{name}” is in use now, so it stays in the old folder; the library keeps using it from there."
        ).format(name=self._name(self._stays[0]))

    # --- the move -----------------------------------------------------------------------------------------

    def _move(self, groups: list[list[Path]]) -> None:
        if self._busy():  # a download started while the question was open
            self.target = None
            self.changed.emit()
            self.show_message(
                QMessageBox.Icon.Information, self.tr("The models folder cannot change now"), self._refusal()
            )
            return
        self.moving = True
        self.copied = (0, 0)
        self.statusChanged.emit(self.tr("Moving the models to “{folder}”…").format(folder=str(self.target)))
        self.changed.emit()
        self._jobs.move(groups, self.target)

    def _on_progress(self, done: int, total: int) -> None:
        if self.moving:
            self.copied = (done, total)
            self.changed.emit()

    def _on_moved(self, result: MoveResult) -> None:
        if not self.moving:
            return
        self.moving = False
        self.copied = None
        source, target = self._source, self.target
        reason = disk_problem_text(result.error, source if result.reading else target) if result.error else ""
        if (result.error is not None or result.cancelled) and not result.moved:
            self.target = None
            self.changed.emit()
            still = self.tr("Nothing was moved, and the library still uses “{old}”.").format(old=str(source))
            if result.error is None:
                self.statusChanged.emit(self.tr("Moving was stopped.") + " " + still)
            else:
                self.statusChanged.emit("")
                self.show_message(
                    QMessageBox.Icon.Warning, self.tr("The models could not be moved"), reason, still
                )
            return
        self._switch(self._stays, left=[[path] for path in result.left + result.taken])
        moved = sum(1 for path in result.moved if path.suffix.lower() == ".gguf")
        done = self.tr("%n model(s) moved to “{folder}”.", "", moved).format(folder=str(target))
        if result.error is not None:
            self.show_message(
                QMessageBox.Icon.Warning, self.tr("Not all models could be moved"), reason,
                done + " " + self.tr("The others stay in “{old}”; nothing was lost.").format(old=str(source)),
            )
        elif result.cancelled:
            done = self.tr("Moving was stopped.") + " " + done
        self.statusChanged.emit(done)

    # --- the new folder ----------------------------------------------------------------------------------

    def _switch(self, stays: list[str], left: list[list[Path]] = ()) -> None:
        """Use the new folder; the models that ``stays`` (the loaded one) are kept as files used where they
        are, and the note names what was ``left`` in the old folder."""
        source = self._source
        if stays:
            settings.set_references([*settings.references(), *stays])
        count = sum(1 for group in left if _is_model(group))
        note = []
        if count:
            note.append(
                self.tr("%n model(s) stay in the old folder “{folder}”. To use them, choose that folder again.", "",
                        count).format(folder=str(source))
            )
        if stays:
            note.append(self._stays_sentence())
        self.note = " ".join(note)
        self.noteChanged.emit(self.note)
        folder, self.target = self.target, None
        self._scan.use_folder(folder)
        self.changed.emit()

    def _name(self, path: str) -> str:
        item = self._model.find(("file", path))
        return item.name if item is not None else Path(path).name


def _is_model(group: list[Path]) -> bool:
    """Whether a group of files is a model (not an unfinished download)."""
    return group[0].suffix.lower() == ".gguf"
