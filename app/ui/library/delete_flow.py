"""DeleteFlow: deleting a library file after asking, off the GUI thread (a file used where it is is only
taken off the list)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.hub.sidecars import origin_path
from app.core.models.folder import files_of
from app.ui import settings
from app.ui.formatting import format_size
from app.ui.library.controller import LibraryController
from app.ui.library.folder_scan import FolderScan
from app.ui.library.jobs import LibraryJobs
from app.ui.library.table_model import LibraryItem


def files_to_delete(path: Path) -> list[Path]:
    """Every file of the library model at ``path``: its parts (for a set) and their origin sidecars."""
    return files_of(path, (origin_path,))


class DeleteFlow(LibraryController):
    """Asks before a library file is deleted (saying how much space that frees), deletes it with
    LibraryJobs and has the folder read again."""

    def __init__(self, dialog_parent: QWidget, jobs: LibraryJobs, scan: FolderScan) -> None:
        super().__init__(dialog_parent)
        self._jobs = jobs
        self._scan = scan
        jobs.deleteFinished.connect(self._on_finished)
        jobs.deleteFailed.connect(self._on_failed)

    def ask(self, item: LibraryItem) -> None:
        """Ask whether to delete the file of ``item`` (an INSTALLED or UNUSABLE item), then do so."""
        path = Path(item.path)
        if item.referenced:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("Remove from the library"),
                self.tr("Remove “{name}” from the library?").format(name=item.name),
                QMessageBox.StandardButton.Cancel,
                self.dialog_parent,
            )
            box.setInformativeText(
                self.tr("The file stays where it is ({folder}); nothing is deleted.").format(
                    folder=str(path.parent)
                )
            )
            confirm = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        else:
            freed = sum(p.stat().st_size for p in files_to_delete(path) if p.exists())
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("Delete model"),
                self.tr("Delete “{name}”?").format(name=item.name),
                QMessageBox.StandardButton.Cancel,
                self.dialog_parent,
            )
            box.setInformativeText(
                self.tr(
                    "This deletes the file from the models folder for good and frees {size} on the drive. "
                    "You can download or import it again later."
                ).format(size=format_size(freed))
            )
            confirm = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def chosen(_result: int) -> None:
            if box.clickedButton() is not confirm:
                return
            if item.referenced:
                settings.set_references([p for p in settings.references() if p != item.path])
                self.statusChanged.emit(self.tr("“{name}” was removed from the library.").format(name=item.name))
                self._scan.refresh()
            else:
                self._jobs.delete(files_to_delete(path))

        box.finished.connect(chosen)
        self.open_box(box)

    def _on_finished(self, paths: list[str], freed: int) -> None:
        names = [Path(p).name for p in paths if p.lower().endswith(".gguf")]
        self.statusChanged.emit(
            self.tr("“{name}” was deleted; {size} were freed.").format(
                name=names[0] if names else "", size=format_size(freed)
            )
        )
        self._scan.refresh()

    def _on_failed(self, message: str) -> None:
        self.errorChanged.emit(message)
        self._scan.refresh()
