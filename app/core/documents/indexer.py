"""Indexing a collection: its folders and files read into a DocumentIndex, incrementally.

A file whose size and modification time are what the index holds is not opened. One whose time changed
is hashed (SHA-256); only if its content changed is it read again. A file that went from the folders
leaves the index; one that cannot be read is recorded with its reason and skipped, and indexing goes on.
Each file is one transaction, so a crash, a stop or a full disk costs at most the file being read, and
chunks go to disk as they are cut (memory stays flat, whatever the size of the folder).

``index_collection`` runs synchronously: the window calls it on an indexing thread, the command line
directly. ``IndexControl`` pauses and stops it from another thread, between chunks.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.core.documents.chunks import Chunk, chunk_sections
from app.core.documents.formats import NOT_READABLE, Unreadable, is_document, read_sections
from app.core.documents.store import DocumentIndex, Skipped

_HASH_BLOCK = 1 << 20


class IndexStopped(Exception):
    """Indexing was stopped (IndexControl.stop); what was indexed until then is kept."""


class IndexControl:
    """Pause, go on and stop, from any thread; the indexer checks between chunks."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stopped = threading.Event()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stopped.set()
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def checkpoint(self) -> None:
        """Waits while paused; raises IndexStopped once stopped."""
        self._running.wait()
        if self._stopped.is_set():
            raise IndexStopped


@dataclass(frozen=True)
class Progress:
    """Where indexing stands: ``done`` of ``total`` files, the one being read (None when finished)."""

    done: int
    total: int
    current: str | None
    chunks: int


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    pages: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def documents_in(sources: Iterable[Path]) -> list[Path]:
    """The documents under ``sources`` (folders, searched with their subfolders, and single files), each
    once, absolute, in a stable order. Hidden files and folders are passed over."""
    found: dict[str, Path] = {}
    for source in sources:
        source = Path(source).expanduser().absolute()
        if source.is_file():
            if is_document(source):
                found.setdefault(str(source), source)
            continue
        for folder, folders, files in os.walk(source):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            for name in sorted(files):
                path = Path(folder, name)
                if not name.startswith(".") and is_document(path):
                    found.setdefault(str(path), path)
    return list(found.values())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def index_collection(index: DocumentIndex, name: str, sources: Iterable[Path],
                     progress: Callable[[Progress], None] | None = None,
                     control: IndexControl | None = None) -> IndexReport:
    """Brings the collection ``name`` up to date with ``sources`` (added to the ones it has); raises
    IndexStopped if ``control`` stops it, with everything read until then kept."""
    sources = [Path(source).expanduser().absolute() for source in sources]
    collection_id = index.ensure_collection(name, [str(source) for source in sources])
    all_sources = [Path(source) for source in index.collection(name).sources]
    missing = [str(source) for source in all_sources if not source.exists()]
    documents = documents_in(source for source in all_sources if source.exists())
    known = index.files(collection_id)
    report = IndexReport()
    control = control or IndexControl()
    for done, path in enumerate(documents):
        control.checkpoint()
        if progress is not None:
            progress(Progress(done, len(documents), str(path), report.chunks))
        _index_file(index, collection_id, path, known.get(str(path)), report, control)
    present = {str(path) for path in documents}
    for path, record in known.items():
        # files whose source folder is missing (an unplugged drive) stay; only files that are really gone go
        if path not in present and not any(Path(path).is_relative_to(source) for source in missing):
            index.remove_file(record.id)
            report.removed += 1
    index.mark_indexed(collection_id)
    if progress is not None:
        progress(Progress(len(documents), len(documents), None, report.chunks))
    return report


def _index_file(index: DocumentIndex, collection_id: int, path: Path, record, report: IndexReport,
                control: IndexControl) -> None:
    try:
        stat = path.stat()
        if record is not None and (record.size, record.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            report.unchanged += 1
            return
        digest = sha256_of(path)
    except OSError as exc:
        report.skipped.append(Skipped(str(path), NOT_READABLE, f"the file cannot be read: {exc.strerror or exc}"))
        return
    if record is not None and record.sha256 == digest:
        index.touch_file(record.id, stat.st_size, stat.st_mtime_ns)
        report.unchanged += 1
        return
    try:
        chunks, pages = index.put_file(collection_id, str(path), stat.st_size, stat.st_mtime_ns, digest,
                                       _checked(chunk_sections(read_sections(path)), control))
    except Unreadable as exc:
        index.skip_file(collection_id, str(path), stat.st_size, stat.st_mtime_ns, digest, exc.kind, exc.reason)
        report.skipped.append(Skipped(str(path), exc.kind, exc.reason))
        return
    report.chunks += chunks
    report.pages += pages
    if record is None:
        report.added += 1
    else:
        report.updated += 1


def _checked(chunks: Iterator[Chunk], control: IndexControl) -> Iterator[Chunk]:
    for chunk in chunks:
        control.checkpoint()
        yield chunk
