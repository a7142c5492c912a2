"""LibraryJobs: the model library's disk work (reading GGUF headers, measuring the computer, copying and
deleting files) off the GUI thread."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from app.core.catalog import split_parts
from app.core.downloads import ORIGIN_SUFFIX
from app.core.gguf_info import GGUFError, ModelInfo, inspect_gguf
from app.core.hardware import Hardware, MemoryEstimate, detect_hardware, estimate_for_file

_COPY_CHUNK = 8 * 1024 * 1024
_PROGRESS_BYTES = 64 * 1024 * 1024  # report copy progress every this many bytes


@dataclass(frozen=True)
class ScannedModel:
    """A usable GGUF file found by a scan.

    Attributes:
        info: its header.
        estimate: memory needed to chat with it (None if the header lacks what the estimate needs).
        origin: its ``.origin.json`` sidecar (repository, catalog id ...) when it was downloaded, else {}.
        referenced: it is used where it is, outside the models folder.
    """

    info: ModelInfo
    estimate: MemoryEstimate | None
    origin: dict
    referenced: bool


def model_files(folder: Path) -> list[Path]:
    """The GGUF files in ``folder`` that are models: one per multi-part set (its first part)."""
    try:
        found = [p for p in folder.iterdir() if p.suffix.lower() == ".gguf" and p.is_file()]
    except OSError:
        return []
    return sorted((p for p in found if split_parts(p.name)[0] == p.name), key=lambda p: p.name.lower())


def files_of(path: Path) -> list[Path]:
    """Every file belonging to a library model: its parts (for a set) and their origin sidecars."""
    parts = [path.with_name(name) for name in split_parts(path.name)]
    sidecars = [p.with_name(p.name + ORIGIN_SUFFIX) for p in parts]
    return [p for p in parts + sidecars if p.exists()]


def _read_origin(path: Path) -> dict:
    try:
        data = json.loads(path.with_name(path.name + ORIGIN_SUFFIX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class LibraryJobs(QObject):
    """Runs folder scans, imports, deletions and the hardware check on a small thread pool and reports
    back through signals.

    Signals are emitted from pool threads; Qt queues them to the receivers' (GUI) thread.
    ``cancel()`` ends running jobs early (a copy in progress is removed) and waits for them;
    ``cancel_import()`` ends only a running copy.

    Attributes:
        pool: the QThreadPool the jobs run on.

    Signals:
        modelRead(int, object): scan id, and the ScannedModel of one usable GGUF file.
        modelUnreadable(int, str, object): scan id, path and the GGUFError saying why a file cannot be used
            (for app.ui.model_errors to put in words on the GUI thread).
        scanFinished(int): the scan with this id has looked at every file.
        importChecked(str, object): a file to import is a usable model; its path and ModelInfo.
        importRefused(str, object): a file to import is not a usable model; its path and the GGUFError.
        importProgress(int, int): bytes copied so far and in all.
        importFinished(str): a valid file was copied into the models folder; the argument is the new path.
        importFailed(str): an import failed for another reason; nothing was left behind. The reason in words.
        importCancelled(): a copy was stopped by ``cancel_import``; nothing was left behind.
        hardwareDetected(object): the computer was measured; the Hardware.
        deleteFinished(list, int): the paths deleted and the bytes that freed.
        deleteFailed(str): a deletion failed; the reason in words.
    """

    modelRead = Signal(int, object)
    modelUnreadable = Signal(int, str, object)
    scanFinished = Signal(int)
    importChecked = Signal(str, object)
    importRefused = Signal(str, object)
    importProgress = Signal(object, object)  # bytes may pass 2**31: not int (a C++ int)
    importFinished = Signal(str)
    importFailed = Signal(str)
    importCancelled = Signal()
    hardwareDetected = Signal(object)
    deleteFinished = Signal(list, object)
    deleteFailed = Signal(str)

    def __init__(
        self, parent: QObject | None = None, hardware_probe: Callable[[Path], Hardware] = detect_hardware
    ) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._hardware_probe = hardware_probe
        self._cancelled = threading.Event()
        self._import_cancelled = threading.Event()

    def scan(self, scan_id: int, folder: Path, references: list[Path] = ()) -> None:
        """Read every model in ``folder``, and the ``references`` (files used where they are)."""
        references = list(references)
        self.pool.start(lambda: self._scan(scan_id, folder, references))

    def detect_hardware(self, folder: Path) -> None:
        self.pool.start(lambda: self._detect_hardware(folder))

    def check_file(self, source: Path) -> None:
        """Check that a file is a usable GGUF model, without copying it."""
        self.pool.start(lambda: self._check(source))

    def import_file(self, source: Path, folder: Path) -> None:
        """Check a file and copy it into ``folder``."""
        self._import_cancelled.clear()
        self.pool.start(lambda: self._import(source, folder))

    def delete(self, paths: list[Path]) -> None:
        self.pool.start(lambda: self._delete(paths))

    def cancel_import(self) -> None:
        self._import_cancelled.set()

    def cancel(self) -> None:
        """Stop all jobs at their next check (between files, between chunks of a copy) and wait for them."""
        self._cancelled.set()
        self._import_cancelled.set()
        self.pool.waitForDone()

    def _report(self, signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the library went away while the job ran: nobody listens any more
            self._cancelled.set()

    def _detect_hardware(self, folder: Path) -> None:
        self._report(self.hardwareDetected, self._hardware_probe(folder))

    def _scan(self, scan_id: int, folder: Path, references: list[Path]) -> None:
        files = [(path, False) for path in model_files(folder)]
        files += [(path, True) for path in references if path.parent != folder]
        for path, referenced in files:
            if self._cancelled.is_set():
                return
            try:
                info = inspect_gguf(path)
                try:
                    estimate = estimate_for_file(path)
                except (GGUFError, OSError, ValueError):
                    estimate = None
                self._report(
                    self.modelRead, scan_id, ScannedModel(info, estimate, _read_origin(path), referenced)
                )
            except GGUFError as exc:
                self._report(self.modelUnreadable, scan_id, str(path), exc)
            except Exception as exc:  # one file the reader chokes on must not end the scan of the others
                error = f"{type(exc).__name__}: {exc}"
                problem = GGUFError(f"{path.name} cannot be read ({error}).", "unreadable", {"error": error})
                self._report(self.modelUnreadable, scan_id, str(path), problem)
        self._report(self.scanFinished, scan_id)

    def _checked(self, source: Path) -> ModelInfo | None:
        """The file's header, or None after reporting importRefused (or importFailed)."""
        try:
            return inspect_gguf(source)
        except GGUFError as exc:
            self._report(self.importRefused, str(source), exc)
        except OSError as exc:
            message = QCoreApplication.translate("LibraryJobs", "The file could not be read: {reason}")
            self._report(self.importFailed, message.format(reason=exc.strerror or exc))
        return None

    def _check(self, source: Path) -> None:
        info = self._checked(source)
        if info is not None:
            self._report(self.importChecked, str(source), info)

    def _import(self, source: Path, folder: Path) -> None:
        if self._checked(source) is None:
            return
        target = folder / source.name
        if target.exists():
            message = QCoreApplication.translate(
                "LibraryJobs", "A file named “{name}” is already in the models folder."
            )
            self._report(self.importFailed, message.format(name=source.name))
            return
        partial = target.with_name(target.name + ".importing")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not self._copy(source, partial):
                partial.unlink(missing_ok=True)
                self._report(self.importCancelled)
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
        total = source.stat().st_size
        done = reported = 0
        with open(source, "rb") as reader, open(target, "wb") as writer:
            while chunk := reader.read(_COPY_CHUNK):
                if self._cancelled.is_set() or self._import_cancelled.is_set():
                    return False
                writer.write(chunk)
                done += len(chunk)
                if done - reported >= _PROGRESS_BYTES:
                    reported = done
                    self._report(self.importProgress, done, total)
        return True

    def _delete(self, paths: list[Path]) -> None:
        freed = 0
        deleted = []
        for path in paths:
            try:
                size = path.stat().st_size
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                message = QCoreApplication.translate("LibraryJobs", "The file could not be deleted: {reason}")
                self._report(self.deleteFailed, message.format(reason=exc.strerror or exc))
                return
            freed += size
            deleted.append(str(path))
        self._report(self.deleteFinished, deleted, freed)
