"""DocumentIndex: the document collections, their files and chunks, and two full-text indexes over them, in
one SQLite file in the data folder (app.core.paths.documents_db).

Tables: ``collections`` (a name and the folders and files it was built from), ``files`` (each document
with its size, modification time and SHA-256, so that indexing again reads only what changed; a file
that could not be read is kept with its reason), ``chunks`` (the passages, with page and heading).

Search indexes: two contentless FTS5 tables fed by triggers from ``chunks``, so that the text is stored
once. ``chunk_words`` holds the folded words (app.core.documents.terms) of heading and text, ranked with
BM25, headings counting double; ``chunk_trigrams`` the folded text cut into trigrams, which finds a
word inside a German compound. Each row also carries its collection as a token (``scope``, "col7.": the
full stop keeps the trigram index from taking col7 for col71), so that a
search in one collection is decided inside FTS5, quickly also at 100,000 chunks. The triggers fold
through the SQL function ``moescope_fold``, which every connection registers; a change to ``fold`` needs
a new schema version, because deleting from a contentless index needs the very text it was given.

Vectors (app.core.documents.vectors): a collection may name an embedding model; each of its passages then
has a vector in ``chunk_vectors``, and a search given the question's vector from that model fuses the
keyword ranking with the vector ranking. A passage without a vector yet (indexing under way, or stopped)
is found by its words alone. ``generation`` counts every change of a collection's passages, so that the
search's vector matrix is read again only after one.

Privacy: ``secure_delete`` is on, so that the text of a removed collection or file is overwritten in the
file, not merely marked free.

Threads: an index belongs to the thread that opened it (the indexing thread or the command line); a
second one on the same file in another thread or process reads beside it (WAL).
"""

from __future__ import annotations

import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from app.core.documents.chunks import Chunk
from app.core.documents.terms import fold, terms_of, trigram_query, word_query
from app.core.documents.vectors import CANDIDATES, QueryVector, VectorCache, fuse, nearest, to_blob
from app.core.sqlite_tx import write_transaction

SCHEMA_VERSION = 2
BUSY_SECONDS = 5.0
COMMON_SHARE = 0.2
"""In an index of more than COMMON_FROM passages, a word of a question found in more than this share of
them is left out of the query (unless all its words are), as BM25 would give it almost no weight anyway:
leaving it out keeps a search at 100,000 passages from reading the word's whole list."""
COMMON_FROM = 1000
INDEXED = "indexed"
SKIPPED = "skipped"

_SCHEMA = """
CREATE TABLE collections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    sources TEXT NOT NULL DEFAULT '[]',
    created_at REAL NOT NULL,
    indexed_at REAL,
    embedding_model TEXT NOT NULL DEFAULT '',
    embedding_name TEXT NOT NULL DEFAULT '',
    generation INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('indexed', 'skipped')),
    kind TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    pages INTEGER,
    chunks INTEGER NOT NULL DEFAULT 0,
    UNIQUE (collection_id, path)
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    collection_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    page INTEGER,
    heading TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL
);
CREATE INDEX chunks_by_file ON chunks(file_id);
{vectors}
CREATE VIRTUAL TABLE chunk_words USING fts5(scope, heading, body, content='',
                                            tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE chunk_trigrams USING fts5(scope, body, content='', tokenize='trigram');
CREATE VIRTUAL TABLE chunk_word_counts USING fts5vocab(chunk_words, row);
INSERT INTO chunk_words(chunk_words, rank) VALUES ('rank', 'bm25(0.0, 2.0, 1.0)');
INSERT INTO chunk_trigrams(chunk_trigrams, rank) VALUES ('rank', 'bm25(0.0, 1.0)');
CREATE TRIGGER chunk_added AFTER INSERT ON chunks BEGIN
    INSERT INTO chunk_words(rowid, scope, heading, body)
        VALUES (new.id, 'col' || new.collection_id || '.', moescope_fold(new.heading), moescope_fold(new.text));
    INSERT INTO chunk_trigrams(rowid, scope, body)
        VALUES (new.id, 'col' || new.collection_id || '.', moescope_fold(new.heading || ' ' || new.text));
END;
CREATE TRIGGER chunk_removed AFTER DELETE ON chunks BEGIN
    INSERT INTO chunk_words(chunk_words, rowid, scope, heading, body)
        VALUES ('delete', old.id, 'col' || old.collection_id || '.', moescope_fold(old.heading), moescope_fold(old.text));
    INSERT INTO chunk_trigrams(chunk_trigrams, rowid, scope, body)
        VALUES ('delete', old.id, 'col' || old.collection_id || '.', moescope_fold(old.heading || ' ' || old.text));
END;
"""
_VECTORS = """
CREATE INDEX chunks_by_collection ON chunks(collection_id);
CREATE TABLE chunk_vectors (
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    collection_id INTEGER NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX chunk_vectors_by_collection ON chunk_vectors(collection_id);
"""
_SCHEMA = _SCHEMA.replace("{vectors}", _VECTORS)
_MIGRATIONS = {
    1: "ALTER TABLE collections ADD COLUMN embedding_model TEXT NOT NULL DEFAULT '';"
       "ALTER TABLE collections ADD COLUMN embedding_name TEXT NOT NULL DEFAULT '';"
       "ALTER TABLE collections ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;" + _VECTORS,
}
"""The step from each earlier schema version to the next."""


class DocumentIndexError(Exception):
    """The document index cannot be opened or used; the text says why, in English."""


class CollectionNotFound(LookupError):
    """No collection of that name."""


@dataclass(frozen=True)
class Collection:
    name: str
    sources: tuple[str, ...]
    files: int
    skipped: int
    chunks: int
    pages: int
    indexed_at: float | None
    embedding_model: str = ""
    """The embedding model (its file) that gave the passages their vectors; "" for keyword search only."""
    embedding_name: str = ""
    vectors: int = 0


@dataclass(frozen=True)
class FileRecord:
    """What the index knows of one file: enough to tell whether it changed."""

    id: int
    path: str
    size: int
    mtime_ns: int
    sha256: str
    status: str


@dataclass(frozen=True)
class Skipped:
    path: str
    kind: str
    reason: str


@dataclass(frozen=True)
class Hit:
    """A chunk a search found: ``score`` is higher for a better match (only comparable within a search)."""

    chunk_id: int
    collection: str
    path: str
    page: int | None
    heading: str
    text: str
    score: float


class DocumentIndex:
    """The document collections in the SQLite file ``path`` (created with its folder if missing)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._vectors = VectorCache()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_SECONDS)
            self._db.create_function("moescope_fold", 1, fold, deterministic=True)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA secure_delete = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise DocumentIndexError(f"the document index {self.path} was made by a newer MoEscope")
            if version == 0:
                self._db.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
            for step in range(version or SCHEMA_VERSION, SCHEMA_VERSION):
                self._db.executescript(f"BEGIN IMMEDIATE; {_MIGRATIONS[step]} PRAGMA user_version = {step + 1}; COMMIT;")
        except (sqlite3.Error, OSError) as exc:
            self.close()
            raise DocumentIndexError(f"cannot open the document index {self.path}: {exc}") from exc

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise DocumentIndexError(f"the document index {self.path} is closed")
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> DocumentIndex:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction: committed at the end of the block, rolled back on an exception."""
        return write_transaction(self.db)

    # --- collections ---------------------------------------------------------------------------------

    def collection_id(self, name: str) -> int:
        row = self.db.execute("SELECT id FROM collections WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise CollectionNotFound(name)
        return row[0]

    def ensure_collection(self, name: str, sources: Iterable[str]) -> int:
        """The collection ``name``, created if new; ``sources`` are added to the folders and files it has."""
        with self.transaction() as db:
            row = db.execute("SELECT id, sources FROM collections WHERE name = ?", (name,)).fetchone()
            if row is None:
                cursor = db.execute("INSERT INTO collections (name, sources, created_at) VALUES (?, ?, ?)",
                                    (name, json.dumps(list(dict.fromkeys(sources))), time.time()))
                return cursor.lastrowid
            merged = list(dict.fromkeys([*json.loads(row[1]), *sources]))
            db.execute("UPDATE collections SET sources = ? WHERE id = ?", (json.dumps(merged), row[0]))
            return row[0]

    def collections(self) -> list[Collection]:
        rows = self.db.execute("""
            SELECT c.name, c.sources, c.indexed_at,
                   count(f.id) FILTER (WHERE f.status = 'indexed'), count(f.id) FILTER (WHERE f.status = 'skipped'),
                   coalesce(sum(f.chunks), 0), coalesce(sum(f.pages), 0), c.embedding_model, c.embedding_name,
                   (SELECT count(*) FROM chunk_vectors v WHERE v.collection_id = c.id)
            FROM collections c LEFT JOIN files f ON f.collection_id = c.id
            GROUP BY c.id ORDER BY c.name COLLATE NOCASE""").fetchall()
        return [Collection(name, tuple(json.loads(sources)), files, skipped, chunks, pages, indexed_at, *embedding)
                for name, sources, indexed_at, files, skipped, chunks, pages, *embedding in rows]

    def collection(self, name: str) -> Collection:
        for collection in self.collections():
            if collection.name == name:
                return collection
        raise CollectionNotFound(name)

    def remove_collection(self, name: str) -> None:
        """Removes the collection with its whole index (its text is overwritten in the file)."""
        collection_id = self.collection_id(name)
        with self.transaction() as db:
            db.execute("DELETE FROM chunk_vectors WHERE collection_id = ?", (collection_id,))
            db.execute("DELETE FROM collections WHERE id = ?", (collection_id,))
        self._vectors.forget(collection_id)

    def mark_indexed(self, collection_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE collections SET indexed_at = ? WHERE id = ?", (time.time(), collection_id))

    # --- files -----------------------------------------------------------------------------------------

    def files(self, collection_id: int) -> dict[str, FileRecord]:
        rows = self.db.execute("SELECT id, path, size, mtime_ns, sha256, status FROM files WHERE collection_id = ?",
                               (collection_id,))
        return {row[1]: FileRecord(*row) for row in rows}

    def file_id(self, collection_id: int, path: str) -> int:
        row = self.db.execute("SELECT id FROM files WHERE collection_id = ? AND path = ?", (collection_id, path)).fetchone()
        if row is None:
            raise LookupError(f"no file {path} in collection {collection_id}")
        return row[0]

    def skipped(self, name: str) -> list[Skipped]:
        rows = self.db.execute("SELECT path, kind, reason FROM files WHERE collection_id = ? AND status = ? "
                               "ORDER BY path", (self.collection_id(name), SKIPPED))
        return [Skipped(*row) for row in rows]

    def touch_file(self, file_id: int, size: int, mtime_ns: int) -> None:
        """A file whose content did not change although its time did: only the time is new."""
        with self.transaction() as db:
            db.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, file_id))

    def put_file(self, collection_id: int, path: str, size: int, mtime_ns: int, sha256: str,
                 chunks: Iterable[Chunk]) -> tuple[int, int]:
        """Replaces what the index holds of ``path`` with ``chunks``, read as they come (one transaction:
        an exception while reading them leaves the file as it was). Returns (chunks, pages)."""
        with self.transaction() as db:
            file_id = self._file_row(db, collection_id, path, size, mtime_ns, sha256)
            count, pages = 0, set()
            for position, chunk in enumerate(chunks):
                db.execute("INSERT INTO chunks (file_id, collection_id, position, page, heading, text) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           (file_id, collection_id, position, chunk.page, chunk.heading, chunk.text))
                count += 1
                if chunk.page is not None:
                    pages.add(chunk.page)
            db.execute("UPDATE files SET status = ?, chunks = ?, pages = ? WHERE id = ?",
                       (INDEXED, count, len(pages) if pages else None, file_id))
        return count, len(pages)

    def skip_file(self, collection_id: int, path: str, size: int, mtime_ns: int, sha256: str, kind: str,
                  reason: str) -> None:
        """Records ``path`` as unreadable, with why; what was indexed of it before leaves the index."""
        with self.transaction() as db:
            file_id = self._file_row(db, collection_id, path, size, mtime_ns, sha256)
            db.execute("UPDATE files SET status = ?, kind = ?, reason = ? WHERE id = ?", (SKIPPED, kind, reason, file_id))

    def remove_file(self, file_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE collections SET generation = generation + 1 "
                       "WHERE id = (SELECT collection_id FROM files WHERE id = ?)", (file_id,))
            db.execute("DELETE FROM files WHERE id = ?", (file_id,))

    @staticmethod
    def _file_row(db: sqlite3.Connection, collection_id: int, path: str, size: int, mtime_ns: int,
                  sha256: str) -> int:
        """The file's row, emptied of its chunks and with its new size, time and hash."""
        db.execute("UPDATE collections SET generation = generation + 1 WHERE id = ?", (collection_id,))
        row = db.execute("SELECT id FROM files WHERE collection_id = ? AND path = ?", (collection_id, path)).fetchone()
        if row is None:
            return db.execute("INSERT INTO files (collection_id, path, size, mtime_ns, sha256, status) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              (collection_id, path, size, mtime_ns, sha256, INDEXED)).lastrowid
        db.execute("DELETE FROM chunks WHERE file_id = ?", (row[0],))
        db.execute("UPDATE files SET size = ?, mtime_ns = ?, sha256 = ?, kind = '', reason = '', chunks = 0, "
                   "pages = NULL WHERE id = ?", (size, mtime_ns, sha256, row[0]))
        return row[0]

    # --- vectors ---------------------------------------------------------------------------------------

    def set_embedding(self, collection_id: int, model: str, name: str = "") -> bool:
        """Makes ``model`` (an embedding model's file, "" for none) the collection's embedding model; a
        different one than before drops the vectors it gave. Returns whether the model changed."""
        with self.transaction() as db:
            current = db.execute("SELECT embedding_model FROM collections WHERE id = ?", (collection_id,)).fetchone()
            if current is None:
                raise CollectionNotFound(collection_id)
            if current[0] == model:
                db.execute("UPDATE collections SET embedding_name = ? WHERE id = ?", (name, collection_id))
                return False
            db.execute("DELETE FROM chunk_vectors WHERE collection_id = ?", (collection_id,))
            db.execute("UPDATE collections SET embedding_model = ?, embedding_name = ?, generation = generation + 1 "
                       "WHERE id = ?", (model, name, collection_id))
        self._vectors.forget(collection_id)
        return True

    def without_vectors(self, collection_id: int, after: int = 0, limit: int = 32,
                        file_id: int | None = None) -> list[tuple[int, str]]:
        """Up to ``limit`` passages of the collection (of one file of it, if ``file_id`` is given) with an
        id above ``after`` that have no vector yet, in id order, as (chunk id, the text to embed: heading
        and passage)."""
        where, values = ("c.file_id = ?", file_id) if file_id is not None else ("c.collection_id = ?", collection_id)
        rows = self.db.execute(f"""
            SELECT c.id, c.heading, c.text FROM chunks c
            WHERE {where} AND c.id > ?
              AND NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id)
            ORDER BY c.id LIMIT ?""", (values, after, limit)).fetchall()
        return [(chunk_id, f"{heading}\n{text}" if heading else text) for chunk_id, heading, text in rows]

    def count_without_vectors(self, collection_id: int) -> int:
        return self.db.execute("""
            SELECT count(*) FROM chunks c WHERE c.collection_id = ?
              AND NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id)""", (collection_id,)).fetchone()[0]

    def put_vectors(self, collection_id: int, chunk_ids: Iterable[int], vectors) -> None:
        """Stores a vector for each passage (one row of ``vectors`` each); a passage removed meanwhile is
        passed over."""
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO chunk_vectors (chunk_id, collection_id, vector) "
                           "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM chunks WHERE id = ?)",
                           [(chunk_id, collection_id, to_blob(vector), chunk_id)
                            for chunk_id, vector in zip(chunk_ids, vectors, strict=True)])
            db.execute("UPDATE collections SET generation = generation + 1 WHERE id = ?", (collection_id,))

    def _vector_count(self, collection_id: int) -> int:
        return self.db.execute("SELECT count(*) FROM chunk_vectors WHERE collection_id = ?", (collection_id,)).fetchone()[0]

    def _vector_rows(self, collection_id: int):
        return self.db.execute("SELECT chunk_id, vector FROM chunk_vectors WHERE collection_id = ?", (collection_id,))

    # --- search ----------------------------------------------------------------------------------------

    def search(self, names: Iterable[str], question: str, top: int = 5,
               queries: Sequence[QueryVector] = ()) -> list[Hit]:
        """The ``top`` chunks of the collections ``names`` that best match ``question``.

        By its words: BM25 over the words; then, if fewer were found, chunks holding a long word of the
        question inside a longer one. With ``queries`` (the question's vector from each embedding model of
        those collections), also by meaning: each model ranks the passages it embedded, and all rankings
        are fused (app.core.documents.vectors); the score is then the fused one.
        """
        ids = sorted({self.collection_id(name) for name in names})
        if not ids or top < 1:
            return []
        if not queries:
            return [self.chunk(chunk_id, score) for chunk_id, score in self._keyword_ranking(ids, question, top)]
        marks = ",".join("?" * len(ids))
        matrices = [self._vectors.matrices(self.db.execute(
            f"SELECT id, generation FROM collections WHERE id IN ({marks}) AND embedding_model = ?",
            (*ids, query.model)).fetchall(), self._vector_rows, self._vector_count) for query in queries]
        with ThreadPoolExecutor(max_workers=1) as beside:  # the vectors are searched while FTS5 is asked
            meaning = [beside.submit(nearest, each, query.vector) for each, query in zip(matrices, queries, strict=True)]
            keyword = self._keyword_ranking(ids, question, CANDIDATES, fill_to=top)
            rankings = [[chunk_id for chunk_id, _score in ranking]
                        for ranking in (keyword, *(future.result() for future in meaning))]
        return [self.chunk(chunk_id, score) for chunk_id, score in fuse(rankings, top)]

    def warm(self, names: Iterable[str]) -> None:
        """Reads the vectors of the collections ``names`` into memory now, so that the first question asked
        of them does not wait for it (half a second at 100,000 passages)."""
        ids = sorted({self.collection_id(name) for name in names})
        marks = ",".join("?" * len(ids))
        self._vectors.matrices(self.db.execute(
            f"SELECT id, generation FROM collections WHERE id IN ({marks}) AND embedding_model != ''", ids).fetchall(),
            self._vector_rows, self._vector_count)

    def _keyword_ranking(self, ids: list[int], question: str, top: int,
                         fill_to: int | None = None) -> list[tuple[int, float]]:
        """(chunk id, BM25 score) of the best ``top`` word matches in the collections ``ids``; the trigram
        search fills up to ``fill_to`` (default ``top``) where the words found fewer."""
        terms = terms_of(question)
        if not terms:
            return []
        terms = self.telling_terms(terms)
        # the scope token is in every passage of its collections: filter by it only where others are indexed
        everything = ids == [row[0] for row in self.db.execute("SELECT id FROM collections ORDER BY id")]
        scope = "" if everything else "scope:(" + " OR ".join(f'"col{each}."' for each in ids) + ") AND "
        ranking = self._matches("chunk_words", f"{scope}({word_query(terms)})", top, set())
        wanted, fill_to = trigram_query(terms), top if fill_to is None else fill_to
        if len(ranking) < fill_to and wanted:
            ranking += self._matches("chunk_trigrams", f"{scope}({wanted})", fill_to - len(ranking),
                                     {chunk_id for chunk_id, _score in ranking})
        return ranking

    def telling_terms(self, terms: list[str]) -> list[str]:
        """``terms`` without those in more than COMMON_SHARE of all passages (all of them if none is left)."""
        total = self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        if total <= COMMON_FROM:
            return terms
        marks = ",".join("?" * len(terms))
        common = {term for term, in self.db.execute(
            f"SELECT term FROM chunk_word_counts WHERE term IN ({marks}) AND doc > ?", (*terms, total * COMMON_SHARE))}
        return [term for term in terms if term not in common] or terms

    def _matches(self, table: str, query: str, top: int, exclude: set[int]) -> list[tuple[int, float]]:
        rows = self.db.execute(f"""
            SELECT m.rowid, -m.rank FROM {table} m WHERE {table} MATCH ? ORDER BY m.rank LIMIT ?""",
                               (query, top + len(exclude))).fetchall()
        return [(chunk_id, score) for chunk_id, score in rows if chunk_id not in exclude][:top]

    def chunk(self, chunk_id: int, score: float = 0.0) -> Hit:
        """One chunk, as a search returns it."""
        row = self.db.execute("""
            SELECT col.name, f.path, c.page, c.heading, c.text FROM chunks c
            JOIN files f ON f.id = c.file_id JOIN collections col ON col.id = c.collection_id
            WHERE c.id = ?""", (chunk_id,)).fetchone()
        if row is None:
            raise LookupError(f"no chunk {chunk_id}")
        return Hit(chunk_id, *row, score=score)
