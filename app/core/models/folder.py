"""The models folder as the library sees it: which GGUF files in it are models, what each one is, which
catalog entry it came from, which files belong to it, and the disk work of copying a model in, deleting
one and moving the models to another folder.

Plain functions without Qt: the window runs them on its worker threads (app/ui/library/jobs.py) and puts
their outcome in words. The sidecar files a download keeps beside a model are the hub's layout
(app.core.hub.sidecars): the caller passes in the functions that name and read them.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.core.models.catalog import CatalogEntry, find_entry, split_parts
from app.core.models.fit import MemoryEstimate, estimate_for_file
from app.core.models.gguf import GGUFError, ModelInfo, inspect_gguf

try:
    import fcntl
except ImportError:  # Windows: a file being written cannot be deleted there anyway
    fcntl = None

IMPORTING_SUFFIX = ".importing"
"""An import copies into ``<name>.importing`` and renames it once complete; the library lists only
``.gguf`` files, so a partial copy is never offered as a model."""

COPY_CHUNK = 8 * 1024 * 1024
PROGRESS_BYTES = 64 * 1024 * 1024  # report copy progress every this many bytes

DISK_PROBLEMS = ("full", "read_only", "denied", "gone", "other")
"""What ``disk_problem`` makes of an OSError about the models folder (the window has words for each)."""

_GONE = {errno.ENOENT, errno.ENOTDIR, errno.ENODEV, errno.ENXIO, errno.EIO,
         getattr(errno, "ESTALE", errno.EIO)}
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


@dataclass(frozen=True)
class ScannedModel:
    """A usable GGUF file found in the library.

    Attributes:
        info: its header.
        estimate: memory needed to chat with it (None if the header lacks what the estimate needs).
        origin: its origin sidecar (repository, catalog id ...) when it was downloaded, else {}.
        referenced: it is used where it is, outside the models folder.
    """

    info: ModelInfo
    estimate: MemoryEstimate | None
    origin: dict
    referenced: bool


# --- Reading the folder -------------------------------------------------------------------------------------


def model_files(folder: Path) -> list[Path]:
    """The GGUF files in ``folder`` that are models: one per multi-part set (its first part)."""
    try:
        found = [p for p in folder.iterdir() if p.suffix.lower() == ".gguf" and p.is_file()]
    except OSError:
        return []
    return sorted((p for p in found if split_parts(p.name)[0] == p.name), key=lambda p: p.name.lower())


def library_files(folder: Path, references: Iterable[Path] = ()) -> list[tuple[Path, bool]]:
    """Every file the library lists, with whether it is used where it is: the models in ``folder``, then
    the ``references`` outside it."""
    files = [(path, False) for path in model_files(folder)]
    return files + [(Path(path), True) for path in references if Path(path).parent != folder]


def read_model(
    path: Path, referenced: bool = False, origin: Callable[[Path], dict | None] = lambda _path: None
) -> ScannedModel:
    """What the library shows of a model file; ``origin(path)`` reads its origin sidecar.

    Raises GGUFError when the file cannot be used, also for a failure the header reader did not foresee
    (reason "unreadable"), so that one bad file never ends the reading of the others.
    """
    try:
        info = inspect_gguf(path)
        try:
            estimate = estimate_for_file(path)
        except (GGUFError, OSError, ValueError):
            estimate = None
        return ScannedModel(info, estimate, origin(path) or {}, referenced)
    except GGUFError:
        raise
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise GGUFError(f"{path.name} cannot be read ({error}).", "unreadable", {"error": error}) from exc


def catalog_entry_for(
    catalog: list[CatalogEntry],
    catalog_id: object = None,
    repo: object = None,
    filename: object = None,
    local_name: str | None = None,
) -> CatalogEntry | None:
    """The catalog entry a model is: by its catalog id, else by repository and file, else (when
    ``local_name`` is given) by the name of its file. The arguments may come from a sidecar file of any
    content: what is not a string is ignored."""
    entry = next((entry for entry in catalog if entry.id == catalog_id), None)
    if entry is None and isinstance(repo, str) and isinstance(filename, str):
        entry = find_entry(catalog, repo, filename)
    if entry is None and local_name is not None:
        entry = next((entry for entry in catalog if Path(entry.filename).name == local_name), None)
    return entry


def files_of(path: Path, beside: Iterable[Callable[[Path], Path]] = ()) -> list[Path]:
    """Every file belonging to the library model at ``path`` that exists: its parts (for a set), then for
    each function in ``beside`` the file it names beside each part (a sidecar)."""
    parts = [path.with_name(name) for name in split_parts(path.name)]
    sidecars = [sidecar(part) for sidecar in beside for part in parts]
    return [p for p in parts + sidecars if p.exists()]


# --- The folder's health ----------------------------------------------------------------------------------------


def folder_error(folder: Path) -> OSError | None:
    """What keeps the library from reading and changing ``folder``, or None when nothing does."""
    try:
        with os.scandir(folder):
            pass
        # access() sees a read-only drive even for root; on Windows a folder's read-only flag means nothing.
        if os.name == "posix" and not os.access(folder, os.W_OK):
            read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
            raise OSError(errno.EROFS if read_only else errno.EACCES, "cannot be written")
    except OSError as exc:
        return exc
    return None


def disk_problem(exc: OSError) -> str:
    """One of DISK_PROBLEMS: what an OSError about the models folder means for the user."""
    if exc.errno in _FULL:
        return "full"
    if exc.errno == errno.EROFS:
        return "read_only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "denied"
    if exc.errno in _GONE:
        return "gone"
    return "other"


def remove_abandoned_copies(folder: Path) -> None:
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


# --- Copying in, deleting -------------------------------------------------------------------------------------


class SourceUnreadable(Exception):
    """Reading the file being imported failed (not writing the copy); ``args[0]`` is the OSError."""


def copy_model(
    source: Path,
    target: Path,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
) -> bool:
    """Copy ``source`` to ``target`` through ``<target>.importing``, renamed once complete.

    Copies in chunks so that ``cancelled()`` takes effect quickly, reporting ``progress(done, total)``
    every PROGRESS_BYTES. Returns False when cancelled. Raises SourceUnreadable when reading the source
    fails and OSError when writing fails. Nothing is left behind unless the copy is complete.
    """
    partial = target.with_name(target.name + IMPORTING_SUFFIX)
    try:
        if not _copy(source, partial, cancelled, progress):
            partial.unlink(missing_ok=True)
            return False
        os.replace(partial, target)
    except (SourceUnreadable, OSError):
        partial.unlink(missing_ok=True)
        raise
    return True


def _copy(
    source: Path, target: Path, cancelled: Callable[[], bool], progress: Callable[[int, int], None]
) -> bool:
    """The copy is locked while it is written, so that a scan does not take it for an abandoned one."""
    total = source.stat().st_size
    done = reported = 0
    with open(source, "rb") as reader, open(target, "wb") as writer:
        if fcntl is not None:
            fcntl.flock(writer, fcntl.LOCK_EX)
        while True:
            try:
                chunk = reader.read(COPY_CHUNK)
            except OSError as exc:
                raise SourceUnreadable(exc) from exc
            if not chunk:
                break
            if cancelled():
                return False
            writer.write(chunk)
            done += len(chunk)
            if done - reported >= PROGRESS_BYTES:
                reported = done
                progress(done, total)
    return True


class DeleteFailed(Exception):
    """Deleting ``path`` failed with ``error`` (an OSError); the files before it in the list are gone."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(f"{path} could not be deleted: {error.strerror or error}")
        self.path = path
        self.error = error


def delete_files(paths: Iterable[Path]) -> tuple[list[str], int]:
    """Delete ``paths`` in order (one already gone is passed over); the paths deleted and the bytes freed.
    Raises DeleteFailed at the first file that cannot be deleted."""
    freed = 0
    deleted = []
    for path in paths:
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DeleteFailed(path, exc) from exc
        freed += size
        deleted.append(str(path))
    return deleted, freed


# --- Moving to another folder ---------------------------------------------------------------------------------


def model_groups(folder: Path, beside: Iterable[Callable[[Path], Path]] = (),
                 unfinished: Iterable[Path] = ()) -> list[list[Path]]:
    """What moving the library out of ``folder`` takes along: the files of each model (see files_of), then
    those of each ``unfinished`` download (the path its first file will have) that are not among them."""
    beside = list(beside)
    groups: list[list[Path]] = []
    taken: set[Path] = set()
    for path in [*model_files(folder), *unfinished]:
        files = [file for file in files_of(path, beside) if file not in taken]
        if files:
            groups.append(files)
            taken.update(files)
    return groups


@dataclass(frozen=True)
class MoveResult:
    """What ``move_models`` did; every model is in exactly one of ``moved``, ``left`` and ``taken``.

    Attributes:
        moved: the models moved, by the path of their first file in the new folder.
        left: the models still where they were because the move stopped before them or at them (first
            file's path).
        taken: the models left where they were because a file of the same name is in the new folder.
        error: why the move stopped (None: it finished, or was cancelled).
        reading: the error came from reading a file in the old folder, not writing the new one.
        cancelled: ``cancelled()`` stopped it.
    """

    moved: list[Path] = field(default_factory=list)
    left: list[Path] = field(default_factory=list)
    taken: list[Path] = field(default_factory=list)
    error: OSError | None = None
    reading: bool = False
    cancelled: bool = False


def rename_within_drive(source: Path, target: Path) -> bool:
    """Give ``source`` the path ``target`` when both are on one drive (True); False when they are not."""
    try:
        os.rename(source, target)
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            return False
        raise
    return True


def move_models(
    groups: Sequence[Sequence[Path]],
    target: Path,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
) -> MoveResult:
    """Move each group of files (one model: its parts and sidecars, first file first) into ``target``.

    A group moves whole or not at all: renamed on the same drive, else copied, each copy checked by its
    size, and only then the old files deleted. The move stops at the first error (a full drive ...) or
    when ``cancelled()``; what was not moved stays where it was, and a group stopped half-way leaves
    nothing in ``target``. ``progress(done, total)`` counts bytes.
    """
    sizes = [files_size(group) for group in groups]
    total = sum(sizes)
    done = 0
    moved: list[Path] = []
    taken: list[Path] = []
    for position, group in enumerate(groups):
        rest = [files[0] for files in groups[position:]]
        if cancelled():
            return MoveResult(moved, rest, taken, cancelled=True)
        if any((target / path.name).exists() for path in group):
            taken.append(group[0])
            continue
        try:
            if not _rename_group(group, target) and not _copy_group(
                group, target, cancelled, lambda copied, before=done: progress(before + copied, total)
            ):
                return MoveResult(moved, rest, taken, cancelled=True)
        except SourceUnreadable as exc:
            return MoveResult(moved, rest, taken, exc.args[0], reading=True)
        except OSError as exc:
            return MoveResult(moved, rest, taken, exc)
        moved.append(target / group[0].name)
        done += sizes[position]
        progress(done, total)
    return MoveResult(moved, [], taken)


def files_size(paths: Iterable[Path]) -> int:
    """The bytes of the files that are there."""
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


def _rename_group(group: Sequence[Path], target: Path) -> bool:
    """Rename every file of ``group`` into ``target``; False (nothing renamed) when that is another drive.
    A rename that fails puts the files renamed before it back."""
    renamed: list[Path] = []
    try:
        for path in group:
            if not rename_within_drive(path, target / path.name):
                if renamed:
                    raise OSError(errno.EXDEV, "the files of one model are on different drives")
                return False
            renamed.append(path)
    except OSError:
        _put_back(renamed, target)
        raise
    return True


def _put_back(renamed: Sequence[Path], target: Path) -> None:
    for path in reversed(renamed):
        try:
            os.replace(target / path.name, path)
        except OSError:
            continue


def _copy_group(
    group: Sequence[Path], target: Path, cancelled: Callable[[], bool], progress: Callable[[int], None]
) -> bool:
    """Copy every file of ``group`` into ``target``, check each copy's size, then delete the originals
    (one that cannot be deleted stays: nothing is lost). False when cancelled; on False or an error the
    copies made are removed."""
    copies: list[Path] = []
    before = 0
    try:
        for path in group:
            copy = target / path.name
            size = path.stat().st_size
            if not copy_model(path, copy, cancelled, lambda done, _total, start=before: progress(start + done)):
                _remove(copies)
                return False
            copies.append(copy)
            if copy.stat().st_size != size:
                raise OSError(errno.EIO, f"the copy of {path.name} is incomplete")
            before += size
            progress(before)
    except (SourceUnreadable, OSError):
        _remove(copies)
        raise
    for path in group:
        try:
            path.unlink()
        except OSError:
            continue
    return True


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            continue
