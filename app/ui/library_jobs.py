"""LibraryJobs: the model library's disk work (reading GGUF headers, copying files) off the GUI thread."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from app.core.gguf_info import GGUFError, inspect_gguf

_COPY_CHUNK = 8 * 1024 * 1024


class LibraryJobs(QObject):
    """Runs folder scans and imports on a small thread pool and reports back through signals.

    Signals are emitted from pool threads; Qt queues them to the receivers' (GUI) thread.
    ``cancel()`` ends running jobs early (a copy in progress is removed) and waits for them.

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
        self._cancelled = threading.Event()

    def scan(self, scan_id: int, folder: Path) -> None:
        self.pool.start(lambda: self._scan(scan_id, folder))

    def import_file(self, source: Path, folder: Path) -> None:
        self.pool.start(lambda: self._import(source, folder))

    def cancel(self) -> None:
        """Stop all jobs at their next check (between files, between chunks of a copy) and wait for them."""
        self._cancelled.set()
        self.pool.waitForDone()

    def _report(self, signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the library went away while the job ran: nobody listens any more
            self._cancelled.set()

    def _scan(self, scan_id: int, folder: Path) -> None:
        try:
            files = sorted(
                (p for p in folder.iterdir() if p.suffix.lower() == ".gguf" and p.is_file()),
                key=lambda p: p.name.lower(),
            )
        except OSError:
            files = []
        for path in files:
            if self._cancelled.is_set():
                return
            try:
                self._report(self.modelRead, scan_id, inspect_gguf(path))
            except GGUFError as exc:
                self._report(self.modelUnreadable, scan_id, str(path), str(exc))
            except OSError as exc:
                self._report(self.modelUnreadable, scan_id, str(path), exc.strerror or str(exc))
            except Exception as exc:  # one file the reader chokes on must not end the scan of the others
                self._report(self.modelUnreadable, scan_id, str(path), f"{type(exc).__name__}: {exc}")
        self._report(self.scanFinished, scan_id)

    def _import(self, source: Path, folder: Path) -> None:
        try:
            inspect_gguf(source)
        except GGUFError as exc:
            self._report(self.importFailed, str(exc))
            return
        except OSError as exc:
            message = QCoreApplication.translate("LibraryJobs", "The file could not be read: {reason}")
            self._report(self.importFailed, message.format(reason=exc.strerror or exc))
            return
        target = folder / source.name
        if target.exists():
            message = QCoreApplication.translate(
                "LibraryJobs", "A file named “{name}” is already in the models folder."
            )
            self._report(self.importFailed, message.format(name=source.name))
            return
        partial = target.with_name(target.name + ".part")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not self._copy(source, partial):
                partial.unlink(missing_ok=True)
                return
            os.replace(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            message = QCoreApplication.translate("LibraryJobs", "The file could not be copied: {reason}")
            self._report(self.importFailed, message.format(reason=exc.strerror or exc))
            return
        self._report(self.importFinished, str(target))

    def _copy(self, source: Path, target: Path) -> bool:
        """Copy in chunks so that a cancel takes effect quickly; returns False when cancelled."""
        with open(source, "rb") as reader, open(target, "wb") as writer:
            while chunk := reader.read(_COPY_CHUNK):
                if self._cancelled.is_set():
                    return False
                writer.write(chunk)
        return True
