"""Meaning search: passage vectors stored beside the passages, exact nearest-neighbour search, hybrid ranking
by reciprocal rank fusion, vectors kept in step with the files, and an index of schema version 1 taken over
with its collections intact. The vectors here are made by hand, so that every ranking can be worked out;
vectors from a real embedding model through the engine process are tested in test_embedding_search.py."""

import sqlite3

import numpy as np
import pytest
from documents_corpus import write_corpus

from app.core.documents.chunks import Chunk
from app.core.documents.indexer import IndexControl, IndexStopped, index_collection
from app.core.documents.store import SCHEMA_VERSION, DocumentIndex
from app.core.documents.terms import fold
from app.core.documents.vectors import RRF_K, QueryVector, fuse

MODEL = "/models/demo-embedding.gguf"


@pytest.fixture
def index(tmp_path):
    with DocumentIndex(tmp_path / "documents.sqlite3") as opened:
        yield opened


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def passages(index, name, texts, path="/corpus/a.txt"):
    collection = index.ensure_collection(name, ["/corpus"])
    index.put_file(collection, path, 1, 1, "0" * 64, [Chunk(text, None, "") for text in texts])
    return collection, [chunk_id for chunk_id, _text in index.without_vectors(collection, limit=1000)]


def test_fusion_adds_reciprocal_ranks_and_a_passage_both_rankings_find_comes_first():
    fused = fuse([[1, 2, 3], [3, 4]], top=10)
    assert [chunk_id for chunk_id, _score in fused] == [3, 1, 2, 4]
    assert dict(fused)[3] == pytest.approx(1 / (RRF_K + 3) + 1 / (RRF_K + 1))
    assert fuse([[5, 6], [6, 5]], top=1) == [(5, pytest.approx(1 / (RRF_K + 1) + 1 / (RRF_K + 2)))]  # a tie: first


def test_a_passage_found_only_by_meaning_joins_the_keyword_hits(index):
    collection, ids = passages(index, "firma", [
        "Der Urlaubsantrag wird zwei Wochen vorher gestellt.",
        "Urlaub und Freizeit: Regeln der Firma.",
        "Erholung beantragen Sie beim Team.",          # no word of the question, but the nearest vector
        "Die Kantine öffnet um zwölf.",
    ])
    index.set_embedding(collection, MODEL, "demo")
    index.put_vectors(collection, ids, [unit(1, 0.2, 0, 0), unit(0, 1, 0, 0), unit(1, 0, 0, 0), unit(0.3, 0, 0, 1)])
    keyword = [hit.chunk_id for hit in index.search(["firma"], "Urlaub", 4)]
    assert keyword == [ids[1], ids[0]]  # "Urlaub" itself before the compound

    hybrid = index.search(["firma"], "Urlaub", 4, [QueryVector(MODEL, unit(1, 0, 0, 0))])
    # by meaning (cosine with the question): ids[2], ids[0], ids[3], ids[1]
    assert [hit.chunk_id for hit in hybrid] == [ids[0], ids[1], ids[2], ids[3]]
    assert [hit.score for hit in hybrid] == pytest.approx(
        [2 / (RRF_K + 2), 1 / (RRF_K + 1) + 1 / (RRF_K + 4), 1 / (RRF_K + 1), 1 / (RRF_K + 3)])


def test_vectors_of_another_model_or_dimension_are_not_compared(index):
    collection, ids = passages(index, "firma", ["Kantine", "Parkplatz"])
    index.set_embedding(collection, MODEL, "demo")
    index.put_vectors(collection, ids, [unit(1, 0), unit(0, 1)])
    other = index.search(["firma"], "Garage", 2, [QueryVector("/models/other.gguf", unit(0, 1))])
    assert other == []  # no word matches, and the vectors are another model's
    assert [hit.chunk_id for hit in index.search(["firma"], "Garage", 2, [QueryVector(MODEL, unit(0, 1))])] == [ids[1], ids[0]]
    assert index.search(["firma"], "Garage", 2, [QueryVector(MODEL, unit(0, 1, 0))]) == []  # wrong length


def test_vectors_follow_the_files_and_a_new_model_drops_the_old_ones(index):
    collection, ids = passages(index, "firma", ["alpha", "beta"])
    index.set_embedding(collection, MODEL, "demo")
    index.put_vectors(collection, ids, [unit(1, 0), unit(0, 1)])
    query = QueryVector(MODEL, unit(0, 1))
    assert index.search(["firma"], "gamma", 1, [query])[0].chunk_id == ids[1]
    assert index.collection("firma").vectors == 2

    # the file changes: its passages and their vectors are replaced, and the search sees the new ones
    index.put_file(collection, "/corpus/a.txt", 2, 2, "1" * 64, [Chunk("delta", None, "")])
    assert index.collection("firma").vectors == 0
    assert index.search(["firma"], "gamma", 1, [query]) == []
    (new_id, text), = index.without_vectors(collection)
    assert text == "delta"
    index.put_vectors(collection, [new_id], [unit(0, 1)])
    assert index.search(["firma"], "gamma", 1, [query])[0].text == "delta"

    index.set_embedding(collection, MODEL, "demo renamed")  # the same model: vectors stay
    assert index.collection("firma").vectors == 1
    assert index.set_embedding(collection, "/models/other.gguf", "other")
    assert (index.collection("firma").vectors, index.collection("firma").embedding_model) == (0, "/models/other.gguf")

    index.put_vectors(collection, [new_id], [unit(1, 0)])
    index.remove_file(index.file_id(collection, "/corpus/a.txt"))
    assert index.db.execute("SELECT count(*) FROM chunk_vectors").fetchone()[0] == 0
    index.remove_collection("firma")
    assert index.collections() == []


def test_without_vectors_pages_through_one_file_or_the_whole_collection(index):
    collection, first = passages(index, "firma", ["a1", "a2", "a3"], "/corpus/a.txt")
    index.put_file(collection, "/corpus/b.txt", 1, 1, "0" * 64, [Chunk("b1", None, "Kapitel")])
    b_file = index.file_id(collection, "/corpus/b.txt")
    assert index.without_vectors(collection, file_id=b_file) == [(first[-1] + 1, "Kapitel\nb1")]
    assert [chunk_id for chunk_id, _ in index.without_vectors(collection, after=first[0], limit=2)] == first[1:]
    index.put_vectors(collection, first[:2], [unit(1), unit(1)])
    assert [text for _chunk_id, text in index.without_vectors(collection)] == ["a3", "Kapitel\nb1"]


class CountingEmbedder:
    """Vectors from the folded words of a text, hashed into 64 dimensions: the same words, the same vector.
    It stands in for the engine's embedding model where the indexer's bookkeeping is tested."""

    model, name = MODEL, "hashed words"

    def __init__(self, stop_after: int | None = None, control: IndexControl | None = None, fail_after: int | None = None):
        self.texts: list[str] = []
        self.stop_after, self.control, self.fail_after = stop_after, control, fail_after

    def embed_passages(self, texts):
        from app.core.documents.embedding import EmbeddingError

        if self.fail_after is not None and len(self.texts) >= self.fail_after:
            raise EmbeddingError("the embedding engine stopped (test)")
        self.texts += texts
        if self.stop_after is not None and len(self.texts) >= self.stop_after:
            self.control.stop()
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in fold(text).split():
                vectors[row, hash(word) % 64] += 1
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    def embed_query(self, text):
        return QueryVector(MODEL, self.embed_passages([text])[0])


def test_indexing_with_an_embedder_gives_every_passage_a_vector_and_a_stopped_run_catches_up(index, tmp_path):
    write_corpus(tmp_path / "docs")
    control = IndexControl()
    with pytest.raises(IndexStopped):
        index_collection(index, "firma", [tmp_path / "docs"], control=control,
                         embedder=CountingEmbedder(stop_after=1, control=control))
    partial = index.collection("firma")
    assert 0 < partial.vectors < partial.chunks or partial.files < 5

    embedder = CountingEmbedder()
    report = index_collection(index, "firma", [tmp_path / "docs"], embedder=embedder)
    collection = index.collection("firma")
    assert collection.vectors == collection.chunks > 0
    assert report.vectors == len(embedder.texts) == collection.chunks - partial.vectors
    assert (collection.embedding_model, collection.embedding_name) == (MODEL, "hashed words")
    assert index_collection(index, "firma", [tmp_path / "docs"], embedder=embedder).vectors == 0  # nothing new

    hit = index.search(["firma"], "Urlaubsantrag", 1, [embedder.embed_query("Urlaubsantrag")])[0]
    assert "Urlaubsantrag" in hit.text


def test_a_failing_embedder_leaves_the_words_indexed_and_says_why(index, tmp_path):
    write_corpus(tmp_path / "docs")
    report = index_collection(index, "firma", [tmp_path / "docs"], embedder=CountingEmbedder(fail_after=1))
    collection = index.collection("firma")
    assert report.embedding_problem == "the embedding engine stopped (test)"
    assert collection.files == 5 and 0 < collection.vectors < collection.chunks
    assert index.search(["firma"], "Urlaubsantrag", 1)[0].text  # found by its words


SCHEMA_V1 = """
CREATE TABLE collections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    sources TEXT NOT NULL DEFAULT '[]',
    created_at REAL NOT NULL,
    indexed_at REAL
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


def test_an_index_of_version_1_is_taken_over_with_its_collections(tmp_path):
    path = tmp_path / "documents.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    old.create_function("moescope_fold", 1, fold, deterministic=True)
    old.executescript(SCHEMA_V1 + "PRAGMA user_version = 1;")
    old.execute("INSERT INTO collections (id, name, sources, created_at) VALUES (1, 'alt', '[\"/x\"]', 0)")
    old.execute("INSERT INTO files (id, collection_id, path, size, mtime_ns, sha256, status, chunks) "
                "VALUES (1, 1, '/x/a.txt', 1, 1, 'aa', 'indexed', 1)")
    old.execute("INSERT INTO chunks (file_id, collection_id, position, text) VALUES (1, 1, 0, 'Die Kündigungsfrist')")
    old.close()
    with DocumentIndex(path) as index:
        assert index.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        collection = index.collection("alt")
        assert (collection.chunks, collection.embedding_model, collection.vectors) == (1, "", 0)
        assert index.search(["alt"], "kuendigungsfrist", 1)[0].text == "Die Kündigungsfrist"
        index.set_embedding(index.collection_id("alt"), MODEL)
        (chunk_id, _text), = index.without_vectors(1)
        index.put_vectors(1, [chunk_id], [unit(1, 0)])
        assert index.search(["alt"], "nichts", 1, [QueryVector(MODEL, unit(1, 0))])[0].chunk_id == chunk_id


def test_collections_embedded_by_two_models_are_searched_together(index):
    first, first_ids = passages(index, "eins", ["Apfel", "Birne"], "/corpus/eins.txt")
    second, second_ids = passages(index, "zwei", ["Kirsche", "Pflaume"], "/corpus/zwei.txt")
    index.set_embedding(first, MODEL)
    index.set_embedding(second, "/models/other.gguf")
    index.put_vectors(first, first_ids, [unit(1, 0), unit(0, 1)])
    index.put_vectors(second, second_ids, [unit(1, 0, 0), unit(0, 0, 1)])
    hits = index.search(["eins", "zwei"], "Obst", 2, [QueryVector(MODEL, unit(0, 1)),
                                                      QueryVector("/models/other.gguf", unit(0, 0, 1))])
    assert {hit.chunk_id for hit in hits} == {first_ids[1], second_ids[1]}  # each model's nearest


def test_a_collection_indexed_by_words_gets_its_vectors_later_with_progress_by_passages(index, tmp_path):
    write_corpus(tmp_path / "docs")
    index_collection(index, "firma", [tmp_path / "docs"])
    passages_in_all = index.collection("firma").chunks
    seen = []
    report = index_collection(index, "firma", [tmp_path / "docs"], seen.append, embedder=CountingEmbedder())
    steps = [(step.done, step.total) for step in seen if step.vectors]
    assert steps[0] == (0, passages_in_all) and steps[-1] == (passages_in_all, passages_in_all)
    assert report.vectors == index.collection("firma").vectors == passages_in_all
    assert (report.unchanged, report.added, report.updated) == (8, 0, 0)  # no file was read again


def test_warming_reads_the_vectors_so_that_the_first_search_does_not(index):
    collection, ids = passages(index, "firma", ["Apfel", "Birne"])
    index.set_embedding(collection, MODEL)
    index.put_vectors(collection, ids, [unit(1, 0), unit(0, 1)])
    reads = []
    rows = index._vector_rows
    index._vector_rows = lambda collection_id: reads.append(collection_id) or rows(collection_id)
    index.warm(["firma"])
    assert reads == [collection]
    assert index.search(["firma"], "Obst", 1, [QueryVector(MODEL, unit(0, 1))])[0].chunk_id == ids[1]
    assert reads == [collection]  # read once, while warming
