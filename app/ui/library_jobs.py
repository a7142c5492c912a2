"""LibraryJobs: the model library's disk work (reading GGUF headers, copying files) off the GUI thread."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from app.core.gguf_info import GGUFError, inspect_gguf


def _tr(text: str) -> str:
    return QCoreApplication.translate("LibraryJobs", text)


class LibraryJobs(QObject):
    """Runs folder scans and imports on a small thread pool and reports back through signals.

    Signals are emitted from pool threads; Qt queues them to the receivers' (GUI) thread.

    Attributes:
        pool: the QThreadPool the jobs run on.

    Signals:
        modelRead(int, object): scan id, and the ModelInfo of one GGUF file in the folder.
        modelUnreadable(int, str, str): scan id, path and the reason a file in the folder cannot be used.
        scanFinished(int): the scan with this id has looked at every file.
        importFinished(str): a valid file was copied into the models folder; the argument is the new path.
        importFailed(str): an import was refused or failed; nothing was left behind. The reason in words.
    """

    modelRead = Signal(int, object)
    modelUnreadable = Signal(int, str, str)
    scanFinished = Signal(int)
    importFinished = Signal(str)
    importFailed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)

    def scan(self, scan_id: int, folder: Path) -> None:
        self.pool.start(lambda: self._scan(scan_id, folder))

    def import_file(self, source: Path, folder: Path) -> None:
        self.pool.start(lambda: self._import(source, folder))

    def _scan(self, scan_id: int, folder: Path) -> None:
        try:
            files = sorted((p for p in folder.iterdir() if p.suffix.lower() == ".gguf" and p.is_file()),
                           key=lambda p: p.name.lower())
        except OSError:
            files = []
        for path in files:
            try:
                self.modelRead.emit(scan_id, inspect_gguf(path))
            except GGUFError as exc:
                self.modelUnreadable.emit(scan_id, str(path), str(exc))
            except OSError as exc:
                self.modelUnreadable.emit(scan_id, str(path), exc.strerror or str(exc))
        self.scanFinished.emit(scan_id)

    def _import(self, source: Path, folder: Path) -> None:
        try:
            inspect_gguf(source)
        except GGUFError as exc:
            self.importFailed.emit(str(exc))
            return
        except OSError as exc:
            self.importFailed.emit(_tr("The file could not be read: {reason}").format(reason=exc.strerror or exc))
            return
        target = folder / source.name
        if target.exists():
            self.importFailed.emit(_tr("A file named “{name}” is already in the models folder.").format(
                name=source.name))
            return
        partial = target.with_name(target.name + ".part")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, partial)
            os.replace(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            self.importFailed.emit(_tr("The file could not be copied: {reason}").format(reason=exc.strerror or exc))
            return
        self.importFinished.emit(str(target))
