"""Indexing a collection: its folders and files read into a DocumentIndex, incrementally.

A file whose size and modification time are what the index holds is not opened. One whose time changed
is hashed (SHA-256); only if its content changed is it read again. A file that went from the folders
leaves the index; one that cannot be read is recorded with its reason and skipped, and indexing goes on.
Each file is one transaction, so a crash, a stop or a full disk costs at most the file being read, and
chunks go to disk as they are cut (memory stays flat, whatever the size of the folder).

With an embedder (app.core.documents.embedding), each passage also gets its vector, in batches of
EMBED_BATCH as soon as its file is indexed; passages left without one by an earlier run (stopped, or
indexed before the collection had an embedding model) get theirs first. If the embedding engine fails,
indexing goes on by words alone and the report says why.

``index_collection`` runs synchronously: the window calls it on an indexing thread, the command line
directly. ``IndexControl`` pauses and stops it from another thread, between chunks.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from app.core.documents.chunks import Chunk, chunk_sections
from app.core.documents.embedding import EmbeddingError, PassageEmbedder
from app.core.documents.formats import NOT_READABLE, Unreadable, is_document, read_sections
from app.core.documents.store import DocumentIndex, Skipped

_HASH_BLOCK = 1 << 20
EMBED_BATCH = 32


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
    """Where indexing stands: ``done`` of ``total`` files, the one being read (None when finished); or, with
    ``vectors`` set, ``done`` of ``total`` passages left without a vector by an earlier run (or indexed
    before the collection had its embedding model) that got theirs."""

    done: int
    total: int
    current: str | None
    chunks: int
    vectors: bool = False


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
    vectors: int = 0
    embedding_problem: str = ""
    """Why passages of this run were left without vectors (English), or ""."""


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
                     control: IndexControl | None = None,
                     embedder: PassageEmbedder | None = None) -> IndexReport:
    """Brings the collection ``name`` up to date with ``sources`` (added to the ones it has), with vectors
    from ``embedder`` if one is given; raises IndexStopped if ``control`` stops it, with everything read
    until then kept."""
    sources = [Path(source).expanduser().absolute() for source in sources]
    collection_id = index.ensure_collection(name, [str(source) for source in sources])
    report = IndexReport()
    control = control or IndexControl()
    vectors = _Vectors(index, collection_id, embedder, report, control)
    vectors.catch_up(progress)
    all_sources = [Path(source) for source in index.collection(name).sources]
    missing = [str(source) for source in all_sources if not source.exists()]
    documents = documents_in(source for source in all_sources if source.exists())
    known = index.files(collection_id)
    for done, path in enumerate(documents):
        control.checkpoint()
        if progress is not None:
            progress(Progress(done, len(documents), str(path), report.chunks))
        if _index_file(index, collection_id, path, known.get(str(path)), report, control):
            vectors.add(index.file_id(collection_id, str(path)))
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


KEEP = None
"""``update_collection``'s embedding model: the one the collection has (if its file is still there)."""
WORDS_ONLY = ""
"""``update_collection``'s embedding model: none; the collection's vectors are dropped."""


def update_collection(index: DocumentIndex, name: str, sources: Iterable[Path], embedding_model: str | None = KEEP,
                      progress: Callable[[Progress], None] | None = None,
                      control: IndexControl | None = None) -> IndexReport:
    """``index_collection`` with the embedding model the collection should use: KEEP, WORDS_ONLY or a model
    file, which then starts in its own engine process for the run. A kept model whose file is gone leaves
    the new passages without vectors (the report says so); one given that cannot be used raises
    EmbeddingError before anything is read."""
    known = {collection.name: collection for collection in index.collections()}
    problem = ""
    if embedding_model == WORDS_ONLY and name in known:
        index.set_embedding(index.collection_id(name), WORDS_ONLY)
    elif embedding_model is KEEP and name in known and known[name].embedding_model:
        embedding_model = known[name].embedding_model
        if not Path(embedding_model).is_file():
            problem = f"the embedding model {embedding_model} is gone"
            embedding_model = KEEP
    with ExitStack() as stack:
        embedder = stack.enter_context(PassageEmbedder(embedding_model)) if embedding_model else None
        report = index_collection(index, name, sources, progress, control, embedder)
    report.embedding_problem = report.embedding_problem or problem
    return report


def _index_file(index: DocumentIndex, collection_id: int, path: Path, record, report: IndexReport,
                control: IndexControl) -> bool:
    """Reads ``path`` into the index if it is new or changed; returns whether it got new passages."""
    try:
        stat = path.stat()
        if record is not None and (record.size, record.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            report.unchanged += 1
            return False
        digest = sha256_of(path)
    except OSError as exc:
        report.skipped.append(Skipped(str(path), NOT_READABLE, f"the file cannot be read: {exc.strerror or exc}"))
        return False
    if record is not None and record.sha256 == digest:
        index.touch_file(record.id, stat.st_size, stat.st_mtime_ns)
        report.unchanged += 1
        return False
    try:
        chunks, pages = index.put_file(collection_id, str(path), stat.st_size, stat.st_mtime_ns, digest,
                                       _checked(chunk_sections(read_sections(path)), control))
    except Unreadable as exc:
        index.skip_file(collection_id, str(path), stat.st_size, stat.st_mtime_ns, digest, exc.kind, exc.reason)
        report.skipped.append(Skipped(str(path), exc.kind, exc.reason))
        return False
    report.chunks += chunks
    report.pages += pages
    if record is None:
        report.added += 1
    else:
        report.updated += 1
    return chunks > 0


class _Vectors:
    """Gives passages without a vector theirs, EMBED_BATCH at a time; after the embedder's first failure,
    none (the report says why)."""

    def __init__(self, index: DocumentIndex, collection_id: int, embedder: PassageEmbedder | None,
                 report: IndexReport, control: IndexControl) -> None:
        self.index, self.collection_id, self.embedder = index, collection_id, embedder
        self.report, self.control = report, control
        if embedder is not None:
            index.set_embedding(collection_id, embedder.model, embedder.name)

    def catch_up(self, progress: Callable[[Progress], None] | None) -> None:
        """Every passage of the collection still without a vector, with progress by passages."""
        if self.embedder is None:
            return
        total = self.index.count_without_vectors(self.collection_id)
        before = self.report.vectors

        def report_progress() -> None:
            if progress is not None and total:
                progress(Progress(self.report.vectors - before, total, None, 0, vectors=True))

        report_progress()
        self._embed(lambda after: self.index.without_vectors(self.collection_id, after, EMBED_BATCH),
                    report_progress)

    def add(self, file_id: int) -> None:
        """The passages of the file just indexed."""
        self._embed(lambda after: self.index.without_vectors(self.collection_id, after, EMBED_BATCH, file_id))

    def _embed(self, batch_after: Callable[[int], list[tuple[int, str]]],
               embedded: Callable[[], None] | None = None) -> None:
        after = 0
        while self.embedder is not None and (batch := batch_after(after)):
            self.control.checkpoint()
            ids = [chunk_id for chunk_id, _text in batch]
            try:
                vectors = self.embedder.embed_passages([text for _chunk_id, text in batch])
            except EmbeddingError as exc:
                self.report.embedding_problem = str(exc)
                self.embedder = None
                return
            self.index.put_vectors(self.collection_id, ids, vectors)
            self.report.vectors += len(ids)
            after = ids[-1]
            if embedded is not None:
                embedded()


def _checked(chunks: Iterator[Chunk], control: IndexControl) -> Iterator[Chunk]:
    for chunk in chunks:
        control.checkpoint()
        yield chunk
