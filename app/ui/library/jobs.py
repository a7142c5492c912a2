"""LibraryJobs: the model library's disk work (reading GGUF headers, measuring the computer, copying,
deleting and moving files) off the GUI thread. The work itself is app.core.models.folder's; here it runs on a thread
pool, and its failures are put in words."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from app.core.hub.sidecars import origin_path, part_path, part_state_path, partial_downloads, read_origin
from app.core.models.fit import Hardware, detect_hardware, free_disk_bytes
from app.core.models.folder import (
    DeleteFailed,
    SourceUnreadable,
    copy_model,
    delete_files,
    disk_problem,
    files_size,
    folder_error,
    library_files,
    model_groups,
    move_models,
    read_model,
    remove_abandoned_copies,
)
from app.core.models.gguf import GGUFError, ModelInfo, inspect_gguf
from app.ui.formatting import format_size


def disk_problem_text(exc: OSError, folder: Path) -> str:
    """Why ``folder`` (the models folder) could not be used, in the user's words."""
    problem = disk_problem(exc)
    if problem == "full":
        text = QCoreApplication.translate(
            "LibraryJobs", "There is not enough free space on the drive of the models folder “{folder}”.")
    elif problem == "read_only":
        text = QCoreApplication.translate(
            "LibraryJobs",
            "The models folder “{folder}” is read-only (for example on a write-protected drive).")
    elif problem == "denied":
        text = QCoreApplication.translate(
            "LibraryJobs", "Your user account is not allowed to change the models folder “{folder}”.")
    elif problem == "gone":
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
    error = folder_error(folder)
    return disk_problem_text(error, folder) if error is not None else ""


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
        movePlanned(str, list, list): the folder, the files of each model in it (and of each unfinished
            download; a list of Paths, first file first) and each one's bytes.
        moveProgress(int, int): bytes moved so far and in all.
        moveFinished(object): the MoveResult of a move.
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
    movePlanned = Signal(str, list, list)
    moveProgress = Signal(object, object)
    moveFinished = Signal(object)

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

    def plan_move(self, folder: Path) -> None:
        """Find what moving the library out of ``folder`` takes along (movePlanned)."""
        self.pool.start(lambda: self._plan_move(folder))

    def move(self, groups: list[list[Path]], target: Path) -> None:
        """Move the models (groups of files, see plan_move) into ``target``; ``cancel_import`` stops it."""
        self._import_cancelled.clear()
        self.pool.start(lambda: self._move(groups, target))

    def cancel_import(self) -> None:
        """Stop the copy of an import, or a move."""
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
            remove_abandoned_copies(folder)
        for path, referenced in library_files(folder, references):
            if self._cancelled.is_set():
                return
            try:
                self._report(self.modelRead, scan_id, read_model(path, referenced, read_origin))
            except GGUFError as exc:
                self._report(self.modelUnreadable, scan_id, str(path), exc)
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
                name=source.name, size=format_size(info.file_size), free=format_size(free)))
            return
        try:
            copied = copy_model(source, target, self._copy_cancelled,
                                lambda done, total: self._report(self.importProgress, done, total))
        except SourceUnreadable as exc:
            message = QCoreApplication.translate("LibraryJobs", "The file could not be read: {reason}")
            self._report(self.importFailed, message.format(reason=exc.args[0].strerror or exc.args[0]))
            return
        except OSError as exc:
            self._report(self.importFailed, disk_problem_text(exc, folder))
            return
        if copied:
            self._report(self.importFinished, str(target))
        else:
            self._report(self.importCancelled)

    def _copy_cancelled(self) -> bool:
        return self._cancelled.is_set() or self._import_cancelled.is_set()

    def _delete(self, paths: list[Path]) -> None:
        try:
            deleted, freed = delete_files(paths)
        except DeleteFailed as exc:
            message = QCoreApplication.translate("LibraryJobs", "The file could not be deleted: {reason}")
            self._report(self.deleteFailed, message.format(reason=disk_problem_text(exc.error, exc.path.parent)))
            return
        self._report(self.deleteFinished, deleted, freed)

    def _plan_move(self, folder: Path) -> None:
        unfinished = [folder / partial.request.local_names[0] for partial in partial_downloads(folder)]
        groups = model_groups(folder, (part_path, part_state_path, origin_path), unfinished)
        sizes = [files_size(group) for group in groups]
        self._report(self.movePlanned, str(folder), groups, sizes)

    def _move(self, groups: list[list[Path]], target: Path) -> None:
        result = move_models(
            groups, target, self._copy_cancelled, lambda done, total: self._report(self.moveProgress, done, total)
        )
        self._report(self.moveFinished, result)
