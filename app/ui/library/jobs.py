"""LibraryJobs: the model library's disk work (reading GGUF headers, measuring the computer, copying and
deleting files) off the GUI thread."""

from __future__ import annotations

import errno
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from app.core.models.catalog import split_parts
from app.core.hub.downloads import ORIGIN_SUFFIX
from app.core.models.gguf import GGUFError, ModelInfo, inspect_gguf
from app.core.models.fit import Hardware, MemoryEstimate, detect_hardware, estimate_for_file, free_disk_bytes
from app.ui.formatting import format_file_size

try:
    import fcntl
except ImportError:  # Windows: a file being written cannot be deleted there anyway
    fcntl = None

_COPY_CHUNK = 8 * 1024 * 1024
_PROGRESS_BYTES = 64 * 1024 * 1024  # report copy progress every this many bytes

IMPORTING_SUFFIX = ".importing"
"""An import copies into ``<name>.importing`` and renames it once complete; the library lists only
``.gguf`` files, so a partial copy is never offered as a model."""

_GONE = {errno.ENOENT, errno.ENOTDIR, errno.ENODEV, errno.ENXIO, errno.EIO,
         getattr(errno, "ESTALE", errno.EIO)}
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def disk_problem_text(exc: OSError, folder: Path) -> str:
    """Why ``folder`` (the models folder) could not be used, in the user's words."""
    if exc.errno in _FULL:
        text = QCoreApplication.translate(
            "LibraryJobs", "There is not enough free space on the drive of the models folder “{folder}”.")
    elif exc.errno == errno.EROFS:
        text = QCoreApplication.translate(
            "LibraryJobs",
            "The models folder “{folder}” is read-only (for example on a write-protected drive).")
    elif exc.errno in (errno.EACCES, errno.EPERM):
        text = QCoreApplication.translate(
            "LibraryJobs", "Your user account is not allowed to change the models folder “{folder}”.")
    elif exc.errno in _GONE:
        text = QCoreApplication.translate(
            "LibraryJobs",
            "The models folder “{folder}” is not available. If it is on an external drive, connect the "
            "drive.")
    else:
        text = QCoreApplication.translate(
            "LibraryJobs", "The models folder “{folder}” cannot be used: {reason}")
    return text.format(folder=str(folder), reason=exc.strerror or exc)


def folder_problem(folder: Path) -> str:
    """What keeps the library from reading and changing ``folder``, in words; "" when nothing does."""
    try:
        with os.scandir(folder):
            pass
        # access() sees a read-only drive even for root; on Windows a folder's read-only flag means nothing.
        if os.name == "posix" and not os.access(folder, os.W_OK):
            read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
            raise OSError(errno.EROFS if read_only else errno.EACCES, "cannot be written")
    except OSError as exc:
        return disk_problem_text(exc, folder)
    return ""


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


def _remove_abandoned_copies(folder: Path) -> None:
    """Delete the partial copies that imports left when the app was killed or crashed while copying. A copy
    still being written is locked by its import (on Windows, open files cannot be deleted) and stays."""
    for partial in folder.glob("*" + IMPORTING_SUFFIX):
        try:
            if fcntl is None:
                partial.unlink()
                continue
            with open(partial, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                partial.unlink()
        except OSError:
            continue


class _SourceUnreadable(Exception):
    """Reading the file being imported failed (not writing the copy); ``args[0]`` is the OSError."""


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
        folderChecked(int, str): scan id, and what keeps the library from reading and changing the models
            folder, in words ("" when nothing does). First of every scan.
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

    folderChecked = Signal(int, str)
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
        """Read every model in ``folder``, and the ``references`` (files used where they are); delete the
        partial copies of imports that were interrupted."""
        references = list(references)
        self.pool.start(lambda: self._scan(scan_id, folder, references))

    def detect_hardware(self, folder: Path) -> None:
        self.pool.start(lambda: self._detect_hardware(folder))

    def check_file(self, source: Path) -> None:
        """Check that a file is a usable GGUF model, without copying it."""
        self.pool.start(lambda: self._check(source))

    def import_file(
        self, source: Path, folder: Path, disk_free: Callable[[Path], int | None] = free_disk_bytes
    ) -> None:
        """Check a file and copy it into ``folder``, unless ``disk_free(folder)`` says there is no room."""
        self._import_cancelled.clear()
        self.pool.start(lambda: self._import(source, folder, disk_free))

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
        problem = folder_problem(folder)
        self._report(self.folderChecked, scan_id, problem)
        if not problem:
            _remove_abandoned_copies(folder)
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

    def _import(self, source: Path, folder: Path, disk_free: Callable[[Path], int | None]) -> None:
        info = self._checked(source)
        if info is None:
            return
        target = folder / source.name
        problem = folder_problem(folder)  # a drive that is gone is not made again on another one
        if problem:
            self._report(self.importFailed, problem)
            return
        if target.exists():
            message = QCoreApplication.translate(
                "LibraryJobs", "A file named “{name}” is already in the models folder."
            )
            self._report(self.importFailed, message.format(name=source.name))
            return
        free = disk_free(folder)
        if free is not None and free < info.file_size:
            message = QCoreApplication.translate(
                "LibraryJobs",
                "There is not enough free space for a copy: “{name}” needs {size}, the drive of the models "
                "folder has {free} free. Free some space, or use the file where it is.",
            )
            self._report(self.importFailed, message.format(
                name=source.name, size=format_file_size(info.file_size), free=format_file_size(free)))
            return
        partial = target.with_name(target.name + IMPORTING_SUFFIX)
        try:
            if not self._copy(source, partial):
                partial.unlink(missing_ok=True)
                self._report(self.importCancelled)
                return
            os.replace(partial, target)
        except _SourceUnreadable as exc:
            partial.unlink(missing_ok=True)
            message = QCoreApplication.translate("LibraryJobs", "The file could not be read: {reason}")
            self._report(self.importFailed, message.format(reason=exc.args[0].strerror or exc.args[0]))
            return
        except OSError as exc:
            partial.unlink(missing_ok=True)
            self._report(self.importFailed, disk_problem_text(exc, folder))
            return
        self._report(self.importFinished, str(target))

    def _copy(self, source: Path, target: Path) -> bool:
        """Copy in chunks so that a cancel takes effect quickly; returns False when cancelled. The copy is
        locked while it is written, so that a scan does not take it for an abandoned one."""
        total = source.stat().st_size
        done = reported = 0
        with open(source, "rb") as reader, open(target, "wb") as writer:
            if fcntl is not None:
                fcntl.flock(writer, fcntl.LOCK_EX)
            while True:
                try:
                    chunk = reader.read(_COPY_CHUNK)
                except OSError as exc:
                    raise _SourceUnreadable(exc) from exc
                if not chunk:
                    break
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
                self._report(self.deleteFailed, message.format(reason=disk_problem_text(exc, path.parent)))
                return
            freed += size
            deleted.append(str(path))
        self._report(self.deleteFinished, deleted, freed)
