"""The models folder as the library sees it: which GGUF files in it are models, what each one is, which
catalog entry it came from, which files belong to it, and the disk work of copying a model in and
deleting one.

Plain functions without Qt: the window runs them on its worker threads (app/ui/library/jobs.py) and puts
their outcome in words. The sidecar files a download keeps beside a model are the hub's layout
(app.core.hub.sidecars): the caller passes in the functions that name and read them.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
