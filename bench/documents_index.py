"""Document collections: indexing throughput, memory while indexing, and retrieval latency at scale.

Indexing: a generated corpus of PDFs (and the same pages as text files), indexed by
``app.core.documents.indexer.index_collection``; the reference, side by side, is reading the same files'
text alone (pypdf's text extraction, or reading the text files), so the ratio is what chunking and the
index add. The resident memory of this process is sampled every 50 ms while indexing.

Retrieval: an index of ``--chunks`` passages (120 words each, from a vocabulary of 20,000 made-up words
and some German words with umlauts, Zipf-distributed as real text is), searched with 200 questions of
1 to 6 words through ``DocumentIndex.search`` (top 5). The reference is the bare FTS5 query of the same
words (BM25, top 5), without the collection filter, the trigram fallback and reading the passages.

Indexing with embeddings: the same files indexed again, keyword-only and with vectors from the synthetic
embedding model ``moescope make-demo-model --arch bert`` writes (2 layers, 128 wide: far cheaper than a real
one), side by side in the same run, best of two rounds each; the resident memory of this process and of the
embedding engine's process sampled every 50 ms.

Hybrid search: every passage of the retrieval index gets a random unit vector of ``--dim`` (768) dimensions
(random vectors: only the latency is measured, not what is found), stored through
``DocumentIndex.put_vectors`` in batches of the indexer's EMBED_BATCH; each question gets a random unit query
vector, computed beforehand (no embedding model runs). The same questions are searched keyword-only and
hybrid (keyword + exact vector search + reciprocal rank fusion), alternating which runs first; the first
query of a freshly opened index (cold: SQLite's cache empty and, for hybrid, the vector matrix read from
SQLite) is reported apart from the warm ones, and so is the resident memory the matrix adds.

Vector store: the app's exact search over its float32 BLOBs (``VectorCache.nearest``, the matrix already
read) vs sqlite-vec's ``vec0`` table (KNN, k = 50) over the same vectors with the same query vectors; insert
time (the same batches, one transaction each) and file size for both, and whether both give the same top 50.
Needs ``pip install pysqlite3-binary sqlite-vec`` (not dependencies of MoEscope: Python's own sqlite3 here
cannot load extensions); without them that comparison is skipped with a note.

    python bench/documents_index.py [--pdfs 40] [--pages 25] [--chunks 100000] [--dim 768] [--quick] [--part all|indexing|retrieval]
"""

from __future__ import annotations

import argparse
import datetime
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))

from documents_corpus import write_pdf  # noqa: E402

from bench.speed_estimate import processor_name  # noqa: E402

from app.core.documents.chunks import Chunk  # noqa: E402
from app.core.documents.embedding import PassageEmbedder  # noqa: E402
from app.core.documents.formats import read_sections  # noqa: E402
from app.core.documents.indexer import EMBED_BATCH, index_collection  # noqa: E402
from app.core.documents.store import DocumentIndex  # noqa: E402
from app.core.documents.terms import terms_of, word_query  # noqa: E402
from app.core.documents.vectors import CANDIDATES, QueryVector, nearest, normalised, to_blob  # noqa: E402

SYLLABLES = ("ka", "ro", "mi", "te", "lu", "sa", "ven", "dor", "ex", "pert", "rou", "ter", "gat", "ing", "mo", "be",
             "sch", "ung", "keit", "an", "ver", "ge")
GERMAN = ("Mängel", "Kündigung", "Überstunden", "Urlaubsantrag", "Gehälter", "Büro", "Straße", "Prüfung",
          "Führung", "Änderung", "Öffnungszeiten", "Größe")
MB = 1024 * 1024
RANDOM_MODEL = "bench: random unit vectors"
"""The embedding model the retrieval index's collection names: no file, its vectors are random."""
VECTOR_SEED = 11


def vocabulary(rng: np.random.Generator, size: int = 20_000) -> list[str]:
    made_up = {"".join(rng.choice(SYLLABLES, size=rng.integers(2, 5))) for _ in range(size * 2)}
    return list(GERMAN) + sorted(made_up)[: size - len(GERMAN)]


class Words:
    """Text drawn from ``words`` with Zipf frequencies (word i about 1/(i+1) as often as the first)."""

    def __init__(self, words: list[str], rng: np.random.Generator) -> None:
        self.words = words
        self.rng = rng
        weights = 1.0 / np.arange(1, len(words) + 1)
        order = rng.permutation(len(words))
        self.p = weights[order] / weights.sum()

    def text(self, n: int) -> str:
        picked = self.rng.choice(len(self.words), size=n, p=self.p)
        return " ".join(self.words[i] + ("." if k % 12 == 11 else "") for k, i in enumerate(picked))


def memory_sampler(samples: list[int], stop: threading.Event, others: dict[int, list[int]] | None = None) -> None:
    """This process's resident memory into ``samples`` (and that of each process in ``others``, by pid,
    into its list) every 50 ms until ``stop``."""
    process = psutil.Process()
    watched = {pid: psutil.Process(pid) for pid in (others or {})}
    while not stop.is_set():
        samples.append(process.memory_info().rss)
        for pid, other in watched.items():
            others[pid].append(other.memory_info().rss)
        time.sleep(0.05)


def timed_with_memory(work, others: dict[int, list[int]] | None = None):
    samples: list[int] = []
    stop = threading.Event()
    sampler = threading.Thread(target=memory_sampler, args=(samples, stop, others))
    sampler.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    return result, seconds, samples


def memory_course(samples: list[int]) -> str:
    """Start → peak of the first quarter → peak, in MiB."""
    quarter = samples[: max(1, len(samples) // 4)]
    return f"{samples[0] / MB:.0f} → {max(quarter) / MB:.0f} → {max(samples) / MB:.0f} MiB"


def write_corpus(folder: Path, n_pdfs: int, n_pages: int, words: Words) -> tuple[Path, Path]:
    """``n_pdfs`` PDFs of ``n_pages`` pages and the same pages as text files: (PDF folder, text folder)."""
    pdfs, texts = folder / "pdf", folder / "txt"
    pdfs.mkdir()
    texts.mkdir()
    for number in range(n_pdfs):
        pages = [[words.text(14) for _line in range(24)] for _page in range(n_pages)]
        write_pdf(pdfs / f"doc{number:03}.pdf", pages)
        (texts / f"doc{number:03}.txt").write_text("\n\n".join(" ".join(page) for page in pages), encoding="utf-8")
    return pdfs, texts


def indexing(folder: Path, pdfs: Path, texts: Path, n: int) -> list[str]:
    rows = []
    for kind, source in (("PDF", pdfs), ("text", texts)):
        reference_s = min(_timed(lambda: [sum(1 for _ in read_sections(path)) for path in sorted(source.iterdir())])
                          for _ in range(2))
        with DocumentIndex(folder / f"{kind}.sqlite3") as index:
            report, index_s, samples = timed_with_memory(lambda: index_collection(index, kind, [source]))
        rows.append(f"| {kind} | {n} pages, {report.chunks} chunks | {n / reference_s:.0f} | {n / index_s:.0f} | "
                    f"**{index_s / reference_s:.2f}** | {memory_course(samples)} |")
    return rows


def embedding_model(folder: Path) -> Path:
    """The synthetic embedding model, written by ``moescope make-demo-model --arch bert``."""
    path = folder / "embedding.gguf"
    subprocess.run([sys.executable, "-m", "app", "make-demo-model", "--arch", "bert", str(path)], check=True,
                   capture_output=True, cwd=Path(__file__).resolve().parents[1])
    return path


def indexing_with_embeddings(folder: Path, pdfs: Path, texts: Path, n: int, model: Path) -> list[str]:
    """Keyword-only vs with embeddings, the same files into fresh indexes, two rounds alternating which runs
    first; the best time of each, the memory of the embedding run with the highest peak."""
    started = time.perf_counter()
    embedder = PassageEmbedder(model)
    embedder.start()
    embedder.embed_passages(["warm up"])
    start_s = time.perf_counter() - started
    print(f"Embedding model: {embedder.name}, {embedder.dimension} dimensions, engine started in {start_s:.1f} s "
          f"(not counted below)", flush=True)
    rows = []
    try:
        for kind, source in (("PDF", pdfs), ("text", texts)):
            best = {"words": float("inf"), "vectors": float("inf")}
            memory: tuple[list[int], list[int]] = ([], [])
            vectors = chunks = 0
            for number, modes in enumerate((("words", "vectors"), ("vectors", "words"))):
                for mode in modes:
                    engine: dict[int, list[int]] = {embedder.pid: []} if mode == "vectors" else {}
                    with DocumentIndex(folder / f"{kind}-{mode}-{number}.sqlite3") as index:
                        report, index_s, samples = timed_with_memory(
                            lambda index=index, mode=mode: index_collection(
                                index, kind, [source], embedder=embedder if mode == "vectors" else None), engine)
                    if report.embedding_problem:
                        raise RuntimeError(report.embedding_problem)
                    best[mode] = min(best[mode], index_s)
                    if mode == "vectors":
                        vectors, chunks = report.vectors, report.chunks
                        if max(samples) > max(memory[0], default=0):
                            memory = (samples, engine[embedder.pid])
            rows.append(f"| {kind} | {n} pages, {chunks} passages, {vectors} vectors | {n / best['words']:.0f} | "
                        f"{n / best['vectors']:.0f} | **{best['vectors'] / best['words']:.2f}** | "
                        f"{vectors / best['vectors']:.0f} | {memory_course(memory[0])} | {memory_course(memory[1])} |")
    finally:
        embedder.close()
    return rows


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def fill(path: Path, folder: Path, n_chunks: int, words: Words) -> float:
    """The retrieval index: ``n_chunks`` passages in one collection, 100 to a file; returns the seconds."""
    per_file = 100
    with DocumentIndex(path) as index:
        collection_id = index.ensure_collection("big", [str(folder)])
        started = time.perf_counter()
        for number in range(n_chunks // per_file):
            chunks = (Chunk(words.text(120), page=page + 1, heading=words.text(3)) for page in range(per_file))
            index.put_file(collection_id, f"/corpus/doc{number:05}.pdf", 1, 1, f"{number:064x}", chunks)
        return time.perf_counter() - started


def questions_for(words: Words, rng: np.random.Generator) -> list[str]:
    questions = [" ".join(rng.choice(words.words, size=rng.integers(1, 7)).tolist()) for _ in range(200)]
    questions[:len(GERMAN)] = [f"Was gilt für {word}?" for word in GERMAN]
    return questions


def retrieval(path: Path, n_chunks: int, fill_s: float, questions: list[str]) -> list[str]:
    with DocumentIndex(path) as index:
        index.search(["big"], "warm up", 5)
        ours, bare = [], []
        for question in questions:
            ours.append(_timed(lambda question=question: index.search(["big"], question, 5)) * 1000)
            query = word_query(terms_of(question))
            bare.append(_timed(lambda query=query: index.db.execute(
                "SELECT rowid FROM chunk_words WHERE chunk_words MATCH ? ORDER BY rank LIMIT 5",
                (query,)).fetchall()) * 1000)
    size = path.stat().st_size
    p95 = statistics.quantiles(ours, n=20)[-1]
    bare_p95 = statistics.quantiles(bare, n=20)[-1]
    return [f"| {n_chunks:,} chunks ({size / 1e6:.0f} MB file, filled in {fill_s:.0f} s) | "
            f"{statistics.median(ours):.1f} / {p95:.1f} / {max(ours):.1f} | "
            f"{statistics.median(bare):.1f} / {bare_p95:.1f} / {max(bare):.1f} | "
            f"**{statistics.median(ours) / statistics.median(bare):.1f}** |"]


def random_vectors(first: int, count: int, dim: int) -> np.ndarray:
    """Unit vectors for the passages from ``first`` on (the same ones for the same arguments and batch)."""
    return normalised(np.random.default_rng([VECTOR_SEED, first]).standard_normal((count, dim), dtype=np.float32))


def vector_batches(ids: list[int], dim: int):
    """(chunk ids, their random vectors), EMBED_BATCH at a time, as the indexer stores them."""
    for start in range(0, len(ids), EMBED_BATCH):
        batch = ids[start:start + EMBED_BATCH]
        yield batch, random_vectors(start, len(batch), dim)


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {statistics.quantiles(values, n=20)[-1]:.1f} / {max(values):.1f}"


def add_vectors(path: Path, dim: int) -> tuple[float, int, list[int]]:
    """Gives every passage of the retrieval index a random vector through ``put_vectors``: (seconds, bytes
    the file grew by, the chunk ids)."""
    before = path.stat().st_size
    with DocumentIndex(path) as index:
        collection_id = index.collection_id("big")
        index.set_embedding(collection_id, RANDOM_MODEL, "random unit vectors")
        ids = [chunk_id for chunk_id, in index.db.execute("SELECT id FROM chunks ORDER BY id")]
        seconds = 0.0
        for batch, vectors in vector_batches(ids, dim):
            seconds += _timed(lambda batch=batch, vectors=vectors: index.put_vectors(collection_id, batch, vectors))
        index.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return seconds, path.stat().st_size - before, ids


def hybrid(path: Path, questions: list[str], queries: list[QueryVector]) -> tuple[list[str], list[str]]:
    """Keyword-only vs hybrid search: the table's rows and the notes on memory."""
    process = psutil.Process()
    with DocumentIndex(path) as index:  # cold: a fresh connection, its cache empty
        cold_words = _timed(lambda: index.search(["big"], questions[-1], 5)) * 1000
    with DocumentIndex(path) as index:
        rss_before = process.memory_info().rss
        _hits, cold_s, samples = timed_with_memory(lambda: index.search(["big"], questions[-1], 5, [queries[-1]]))
        rss_after = process.memory_info().rss
        words, both, candidates = [], [], []
        collection = [index.collection_id("big")]
        for number, (question, query) in enumerate(zip(questions, queries, strict=True)):
            def keyword(question=question):
                return _timed(lambda: index.search(["big"], question, 5)) * 1000

            def fused(question=question, query=query):
                return _timed(lambda: index.search(["big"], question, 5, [query])) * 1000

            if number % 2:
                both.append(fused())
                words.append(keyword())
            else:
                words.append(keyword())
                both.append(fused())
            candidates.append(_timed(lambda question=question: index._keyword_ranking(
                collection, question, CANDIDATES, fill_to=5)) * 1000)
        matrix = next(iter(index._vectors._matrices.values())).vectors
    rows = [f"| keyword only | {cold_words:.1f} | {summary(words)} | 1.00 |",
            f"| hybrid (keyword + exact vector search + RRF) | {cold_s * 1000:.1f} | {summary(both)} | "
            f"**{statistics.median(both) / statistics.median(words):.2f}** |",
            f"| of it: the keyword ranking of {CANDIDATES} candidates alone (what hybrid asks FTS5 for; the "
            f"trigram fallback fills up to the 5 asked for) | | {summary(candidates)} | "
            f"{statistics.median(candidates) / statistics.median(words):.2f} |"]
    notes = [f"vector matrix {matrix.shape[0]:,} × {matrix.shape[1]} float32 = {matrix.nbytes / MB:.0f} MiB; "
             f"resident memory {rss_before / MB:.0f} → {rss_after / MB:.0f} MiB after the first hybrid query "
             f"(+{(rss_after - rss_before) / MB:.0f} MiB), peak {max(samples + [rss_after]) / MB:.0f} MiB while it was "
             f"read (+{(max(samples + [rss_after]) - rss_before) / MB:.0f} MiB)"]
    return rows, notes


def sqlite_vec():
    """(pysqlite3's dbapi2 module, the sqlite_vec module), or None when they are not installed."""
    try:
        import pysqlite3.dbapi2 as sqlite  # noqa: PLC0415
        import sqlite_vec as vec  # noqa: PLC0415
    except ImportError:
        return None
    return sqlite, vec


def vector_store(folder: Path, path: Path, ids: list[int], dim: int, insert_s: float, grown: int,
                 queries: list[QueryVector]) -> tuple[list[str], list[str]]:
    """The app's exact search over its BLOBs vs sqlite-vec's vec0, the same vectors and query vectors: the
    table's rows and notes."""
    with DocumentIndex(path) as index:
        collection_id = index.collection_id("big")
        embedded = index.db.execute("SELECT id, generation FROM collections WHERE id = ?", (collection_id,)).fetchall()
        first_numpy = _timed(lambda: nearest(index._vectors.matrices(embedded, index._vector_rows, index._vector_count),
                                             queries[0].vector)) * 1000
        ours, numpy_top = [], []
        for query in queries:
            started = time.perf_counter()
            found = nearest(index._vectors.matrices(embedded, index._vector_rows, index._vector_count), query.vector)
            ours.append((time.perf_counter() - started) * 1000)
            numpy_top.append({chunk_id for chunk_id, _cosine in found})
    rows = [f"| float32 BLOBs + exact search in numpy (the app) | {insert_s:.1f} | {grown / 1e6:.0f} (growth of the "
            f"index) | {first_numpy:.1f} (the matrix read) | {summary(ours)} | 1.00 | |"]
    modules = sqlite_vec()
    if modules is None:
        return rows, ["sqlite-vec comparison skipped: pysqlite3-binary and sqlite-vec are not installed (they are "
                      "no dependencies of MoEscope; `pip install pysqlite3-binary sqlite-vec` for this comparison)."]
    sqlite, vec = modules
    vec_path = folder / "vec0.sqlite3"
    db = sqlite.connect(vec_path, isolation_level=None)
    try:
        db.enable_load_extension(True)
        vec.load(db)
        db.enable_load_extension(False)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"CREATE VIRTUAL TABLE passage_vectors USING vec0(embedding float[{dim}] distance_metric=cosine)")
        vec_insert_s = 0.0
        for batch, vectors in vector_batches(ids, dim):
            def insert(batch=batch, vectors=vectors):
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT INTO passage_vectors(rowid, embedding) VALUES (?, ?)",
                               [(chunk_id, to_blob(vector)) for chunk_id, vector in zip(batch, vectors, strict=True)])
                db.execute("COMMIT")
            vec_insert_s += _timed(insert)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        sql = "SELECT rowid, distance FROM passage_vectors WHERE embedding MATCH ? AND k = ?"
        first_vec = _timed(lambda: db.execute(sql, (to_blob(queries[0].vector), CANDIDATES)).fetchall()) * 1000
        theirs, same, overlap = [], 0, []
        for query, expected in zip(queries, numpy_top, strict=True):
            started = time.perf_counter()
            found = db.execute(sql, (to_blob(query.vector), CANDIDATES)).fetchall()
            theirs.append((time.perf_counter() - started) * 1000)
            got = {chunk_id for chunk_id, _distance in found}
            same += got == expected
            overlap.append(len(got & expected))
        version = db.execute("SELECT vec_version()").fetchone()[0]
    finally:
        db.close()
    rows.append(f"| sqlite-vec {version} `vec0` (SQLite {sqlite.sqlite_version} from pysqlite3-binary), KNN k = "
                f"{CANDIDATES} | {vec_insert_s:.1f} | {vec_path.stat().st_size / 1e6:.0f} | {first_vec:.1f} | "
                f"{summary(theirs)} | **{statistics.median(theirs) / statistics.median(ours):.1f}** | "
                f"{same} of {len(queries)} queries (fewest in common: {min(overlap)}) |")
    return rows, []


def indexing_tables(folder: Path, pdfs: Path, texts: Path, n: int) -> None:
    print("\n| files | corpus | reference pages/s (reading only) | indexing pages/s | time ratio | RSS start → "
          "first quarter peak → peak |\n|---|---|---|---|---|---|")
    for row in indexing(folder, pdfs, texts, n):
        print(row, flush=True)
    print("\n| files | corpus | keyword-only pages/s | with embeddings pages/s | time ratio | vectors/s | "
          "indexing process RSS start → first quarter peak → peak | embedding engine RSS, the same |\n"
          "|---|---|---|---|---|---|---|---|", flush=True)
    for row in indexing_with_embeddings(folder, pdfs, texts, n, embedding_model(folder)):
        print(row, flush=True)


def retrieval_tables(folder: Path, n_chunks: int, dim: int, words: Words, rng: np.random.Generator) -> None:
    path = folder / "big.sqlite3"
    fill_s = fill(path, folder, n_chunks, words)
    questions = questions_for(words, rng)
    print("\n| index | search ms median / p95 / max | bare FTS5 ms median / p95 / max | median ratio |\n"
          "|---|---|---|---|")
    for row in retrieval(path, n_chunks, fill_s, questions):
        print(row, flush=True)

    insert_s, grown, ids = add_vectors(path, dim)
    query_rng = np.random.default_rng([VECTOR_SEED, 1 << 40])
    queries = [QueryVector(RANDOM_MODEL, normalised(query_rng.standard_normal(dim, dtype=np.float32)))
               for _ in questions]
    rows, notes = hybrid(path, questions, queries)
    print(f"\n{len(ids):,} passages × {dim} random unit vectors, {len(questions)} questions with random "
          f"query vectors\n\n| search | first query, cold (ms) | warm ms median / p95 / max | median ratio "
          f"to keyword only |\n|---|---|---|---|")
    for row in rows:
        print(row, flush=True)
    for note in notes:
        print(f"\n{note}", flush=True)
    print(f"\n| store | insert {len(ids):,} × {dim} s (batches of {EMBED_BATCH}) | file MB | first query ms | "
          f"top {CANDIDATES} ms median / p95 / max | median ratio to the app's | same top {CANDIDATES} as the "
          f"app's |\n|---|---|---|---|---|---|---|", flush=True)
    rows, notes = vector_store(folder, path, ids, dim, insert_s, grown, queries)
    for row in rows:
        print(row, flush=True)
    for note in notes:
        print(f"\n{note}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdfs", type=int, default=None, help="default 40 (--quick: 4)")
    parser.add_argument("--pages", type=int, default=None, help="default 25 (--quick: 10)")
    parser.add_argument("--chunks", type=int, default=None, help="default 100,000 (--quick: 5,000)")
    parser.add_argument("--dim", type=int, default=768, help="dimensions of the random passage vectors")
    parser.add_argument("--quick", action="store_true", help="a smaller run: 4 PDFs of 10 pages, 5,000 passages")
    parser.add_argument("--part", choices=("all", "indexing", "retrieval"), default="all",
                        help="indexing (with and without embeddings), retrieval (keyword, hybrid, vector store), or all")
    args = parser.parse_args()
    n_pdfs = args.pdfs or (4 if args.quick else 40)
    n_pages = args.pages or (10 if args.quick else 25)
    n_chunks = args.chunks or (5_000 if args.quick else 100_000)
    rng = np.random.default_rng(7)
    words = Words(vocabulary(rng), rng)
    print(f"Machine: {processor_name()}, {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}, {datetime.date.today().isoformat()}")
    with tempfile.TemporaryDirectory(prefix="moescope-bench-docs-") as folder:
        folder = Path(folder)
        pdfs, texts = write_corpus(folder, n_pdfs, n_pages, words)
        n = n_pdfs * n_pages
        if args.part != "retrieval":
            indexing_tables(folder, pdfs, texts, n)
        if args.part != "indexing":
            retrieval_tables(folder, n_chunks, args.dim, words, rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
