"""DocumentsController: the document collections (app.core.documents) for the window, off the GUI thread.

Two threads, each with its own connection to the index (SQLite in WAL mode lets one write while the
other reads): "documents-index" reads and indexes folders, which takes minutes for a large one;
"documents-search" finds the passages for a question, so that asking never waits for indexing. The GUI
thread only queues requests and hears the results as signals. Pause and Stop act at once, from the GUI
thread, through the running indexing's IndexControl.

A collection with an embedding model is also searched by meaning: the indexing thread starts that model
in an engine process of its own for the run (app.core.documents.embedding), the search thread keeps one
per model for the questions.
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, Qt, QThread, Signal, Slot

from app.core.documents.embedding import EmbeddingError, QueryEmbedders
from app.core.documents.indexer import KEEP, IndexControl, IndexReport, IndexStopped, update_collection
from app.core.documents.store import CollectionNotFound, DocumentIndex, DocumentIndexError
from app.core.models.folder import disk_problem
from app.core.paths import documents_db

SEARCH_TOP = 4
"""How many passages a question gets at most (several small ones fit the context of a small model)."""


def problem_text(exc: BaseException) -> str:
    """Why the documents cannot be indexed or searched, in the user's words."""
    full = (isinstance(exc, OSError) and disk_problem(exc) == "full") or (
        isinstance(exc, sqlite3.Error) and (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == sqlite3.SQLITE_FULL)
    if full:
        return QCoreApplication.translate("DocumentsController", "There is not enough free space on the drive for "
                                          "the document index. What was indexed until now is kept.")
    if isinstance(exc, EmbeddingError):
        return QCoreApplication.translate("DocumentsController", "The embedding model cannot be used: {reason}").format(
            reason=str(exc))
    if isinstance(exc, DocumentIndexError) and "newer MoEscope" in str(exc):
        return QCoreApplication.translate("DocumentsController", "The document index was made by a newer version "
                                          "of MoEscope and cannot be used by this one.")
    return QCoreApplication.translate("DocumentsController", "The document index cannot be used: {reason}").format(
        reason=str(exc))


class _Worker(QObject):
    """Owns one connection to the index; every slot runs on its thread."""

    listed = Signal(list, dict)
    progressed = Signal(object)
    indexed = Signal(str, object)
    stopped = Signal(str)
    failed = Signal(str)
    retrieved = Signal(int, list)
    meaningUnavailable = Signal(str)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._index: DocumentIndex | None = None
        self._embedders = QueryEmbedders()

    def _open(self) -> DocumentIndex:
        if self._index is None:
            self._index = DocumentIndex(self.path)
        return self._index

    @Slot()
    def list_collections(self) -> None:
        if self._index is None and not self.path.exists():
            self.listed.emit([], {})  # nothing indexed yet: no file is made until something is
            return
        try:
            self._list_from(self._open())
        except (DocumentIndexError, sqlite3.Error, OSError) as exc:
            self.failed.emit(problem_text(exc))

    def _list_from(self, index: DocumentIndex) -> None:
        collections = index.collections()
        self.listed.emit(collections, {each.name: index.skipped(each.name) for each in collections if each.skipped})

    @Slot(str, list, object, object)
    def index(self, name: str, sources: list, control: IndexControl, embedding_model: str | None) -> None:
        try:
            index = self._open()
            report = update_collection(index, name, [Path(source) for source in sources], embedding_model,
                                       self.progressed.emit, control)
            self._list_from(index)
            self.indexed.emit(name, report)
        except IndexStopped:
            self._list_from(self._open())
            self.stopped.emit(name)
        except (DocumentIndexError, EmbeddingError, sqlite3.Error, OSError) as exc:
            self.failed.emit(problem_text(exc))

    @Slot(str)
    def remove(self, name: str) -> None:
        try:
            index = self._open()
            index.remove_collection(name)
            self._list_from(index)
        except CollectionNotFound:
            self.list_collections()
        except (DocumentIndexError, sqlite3.Error, OSError) as exc:
            self.failed.emit(problem_text(exc))

    @Slot(int, list, str)
    def retrieve(self, request_id: int, names: list, question: str) -> None:
        try:
            index = self._open()
            chosen = [collection for collection in index.collections() if collection.name in names]
            queries = self._embedders.queries([collection.embedding_model for collection in chosen], question)
            for problem in self._embedders.problems.values():
                self.meaningUnavailable.emit(problem)
            hits = index.search([collection.name for collection in chosen], question, SEARCH_TOP, queries)
        except (DocumentIndexError, sqlite3.Error, OSError) as exc:
            self.failed.emit(problem_text(exc))
            hits = []
        self.retrieved.emit(request_id, hits)

    @Slot(list)
    def warm(self, names: list) -> None:
        """Starts the embedding models of the collections ``names`` and reads their vectors, so that the
        first question asked of them does not wait for either."""
        try:
            index = self._open()
            chosen = [collection for collection in index.collections() if collection.name in names]
            self._embedders.start(collection.embedding_model for collection in chosen)
            index.warm(collection.name for collection in chosen)
        except (DocumentIndexError, sqlite3.Error, OSError) as exc:
            self.failed.emit(problem_text(exc))

    @Slot()
    def close(self) -> None:
        self._embedders.close()
        if self._index is not None:
            self._index.close()
            self._index = None


class DocumentsController(QObject):
    """The window's side of the document collections.

    Attributes:
        collections: the collections as last listed (app.core.documents.store.Collection).
        skipped: for each collection with unreadable files, those files (Skipped: path, kind, reason).
        indexing: the name of the collection being indexed, or None.
        paused: whether that indexing is paused.

    Signals:
        collectionsChanged(list): the collections, after any change.
        progressed(Progress): indexing moved on.
        indexed(str, IndexReport): indexing the collection finished.
        stopped(str): indexing the collection was stopped; what it read is kept.
        failed(str): the index could not be used; the text says why, in the user's words.
        retrieved(int, list): the passages (Hit) found for the request with this number.
        meaningUnavailable(str): an embedding model could not embed the question (English reason): its
            collections were searched by their words alone.
    """

    collectionsChanged = Signal(list)
    progressed = Signal(object)
    indexed = Signal(str, object)
    stopped = Signal(str)
    failed = Signal(str)
    retrieved = Signal(int, list)
    meaningUnavailable = Signal(str)
    _list = Signal()
    _index = Signal(str, list, object, object)
    _remove = Signal(str)
    _retrieve = Signal(int, list, str)
    _warm = Signal(list)

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path or documents_db()
        self.collections: list = []
        self.skipped: dict = {}
        self.indexing: str | None = None
        self._control: IndexControl | None = None
        self._ids = itertools.count(1)
        self._threads: list[QThread] = []
        self._indexer = self._start(_Worker(self.path), "documents-index")
        self._searcher = self._start(_Worker(self.path), "documents-search")
        queued = Qt.ConnectionType.QueuedConnection
        self._list.connect(self._indexer.list_collections, queued)
        self._index.connect(self._indexer.index, queued)
        self._remove.connect(self._indexer.remove, queued)
        self._retrieve.connect(self._searcher.retrieve, queued)
        self._warm.connect(self._searcher.warm, queued)
        self._indexer.listed.connect(self._on_listed)
        self._indexer.progressed.connect(self.progressed)
        self._indexer.indexed.connect(self._on_indexed)
        self._indexer.stopped.connect(self._on_stopped)
        self._indexer.failed.connect(self._on_failed)
        self._searcher.failed.connect(self.failed)
        self._searcher.retrieved.connect(self.retrieved)
        self._searcher.meaningUnavailable.connect(self.meaningUnavailable)

    def _start(self, worker: _Worker, name: str) -> _Worker:
        thread = QThread(self)
        thread.setObjectName(name)
        worker.moveToThread(thread)
        thread.finished.connect(worker.deleteLater)
        thread.start()
        self._threads.append(thread)
        return worker

    @property
    def paused(self) -> bool:
        return self._control is not None and self._control.paused

    def refresh(self) -> None:
        self._list.emit()

    def index(self, name: str, sources: list[str], embedding_model: str | None = KEEP) -> bool:
        """Index ``sources`` into the collection ``name`` (new or not), with ``embedding_model`` (KEEP the
        collection's, WORDS_ONLY, or a model file); False while another indexing runs."""
        if self.indexing is not None:
            return False
        self.indexing = name
        self._control = IndexControl()
        self._index.emit(name, list(sources), self._control, embedding_model)
        return True

    def pause(self) -> None:
        if self._control is not None:
            self._control.pause()

    def resume(self) -> None:
        if self._control is not None:
            self._control.resume()

    def stop(self) -> None:
        if self._control is not None:
            self._control.stop()

    def remove(self, name: str) -> None:
        self._remove.emit(name)

    def retrieve(self, names: list[str], question: str) -> int:
        """Ask for the passages of the collections ``names`` that match ``question``; returns the number
        the ``retrieved`` signal will carry."""
        request_id = next(self._ids)
        self._retrieve.emit(request_id, list(names), question)
        return request_id

    def warm(self, names: list[str]) -> None:
        """Get the collections ``names`` ready to be asked (their embedding models started, their vectors read),
        on the search thread."""
        if names:
            self._warm.emit(list(names))

    def close(self) -> None:
        """Stop indexing (what was read is kept), close both connections on their threads and end the
        threads; waits for them."""
        self.stop()
        for worker, thread in zip((self._indexer, self._searcher), self._threads):
            if thread.isRunning():
                QMetaObject.invokeMethod(worker, "close", Qt.ConnectionType.BlockingQueuedConnection)
                thread.quit()
                thread.wait()
        self._threads.clear()

    def _on_listed(self, collections: list, skipped: dict) -> None:
        self.collections, self.skipped = collections, skipped
        self.collectionsChanged.emit(collections)

    def _on_indexed(self, name: str, report: IndexReport) -> None:
        self.indexing, self._control = None, None
        self.indexed.emit(name, report)

    def _on_stopped(self, name: str) -> None:
        self.indexing, self._control = None, None
        self.stopped.emit(name)

    def _on_failed(self, message: str) -> None:
        self.indexing, self._control = None, None
        self.failed.emit(message)
