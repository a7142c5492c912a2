"""Document collections: indexing throughput, memory while indexing, and retrieval latency at scale.

Indexing: a generated corpus of PDFs (and the same pages as text files), indexed by
``app.core.documents.indexer.index_collection``; the reference, side by side, is reading the same files'
text alone (pypdf's text extraction, or reading the text files), so the ratio is what chunking and the
index add. The resident memory of this process is sampled every 50 ms while indexing.

Retrieval: an index of ``--chunks`` passages (120 words each, from a vocabulary of 20,000 made-up words
and some German words with umlauts, Zipf-distributed as real text is), searched with 200 questions of
1 to 6 words through ``DocumentIndex.search`` (top 5). The reference is the bare FTS5 query of the same
words (BM25, top 5), without the collection filter, the trigram fallback and reading the passages.

    python bench/documents_index.py [--pdfs 40] [--pages 25] [--chunks 100000]
"""

from __future__ import annotations

import argparse
import platform
import statistics
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
from app.core.documents.formats import read_sections  # noqa: E402
from app.core.documents.indexer import index_collection  # noqa: E402
from app.core.documents.store import DocumentIndex  # noqa: E402
from app.core.documents.terms import terms_of, word_query  # noqa: E402

SYLLABLES = ("ka", "ro", "mi", "te", "lu", "sa", "ven", "dor", "ex", "pert", "rou", "ter", "gat", "ing", "mo", "be",
             "sch", "ung", "keit", "an", "ver", "ge")
GERMAN = ("Mängel", "Kündigung", "Überstunden", "Urlaubsantrag", "Gehälter", "Büro", "Straße", "Prüfung",
          "Führung", "Änderung", "Öffnungszeiten", "Größe")
MB = 1024 * 1024


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


def memory_sampler(samples: list[int], stop: threading.Event) -> None:
    process = psutil.Process()
    while not stop.is_set():
        samples.append(process.memory_info().rss)
        time.sleep(0.05)


def timed_with_memory(work):
    samples: list[int] = []
    stop = threading.Event()
    sampler = threading.Thread(target=memory_sampler, args=(samples, stop))
    sampler.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    return result, seconds, samples


def indexing(folder: Path, n_pdfs: int, n_pages: int, words: Words) -> list[str]:
    pdfs, texts = folder / "pdf", folder / "txt"
    pdfs.mkdir()
    texts.mkdir()
    for number in range(n_pdfs):
        pages = [[words.text(14) for _line in range(24)] for _page in range(n_pages)]
        write_pdf(pdfs / f"doc{number:03}.pdf", pages)
        (texts / f"doc{number:03}.txt").write_text("\n\n".join(" ".join(page) for page in pages), encoding="utf-8")
    n = n_pdfs * n_pages
    rows = []
    for kind, source in (("PDF", pdfs), ("text", texts)):
        reference_s = min(_timed(lambda: [sum(1 for _ in read_sections(path)) for path in sorted(source.iterdir())])
                          for _ in range(2))
        with DocumentIndex(folder / f"{kind}.sqlite3") as index:
            report, index_s, samples = timed_with_memory(lambda: index_collection(index, kind, [source]))
        quarter = samples[: max(1, len(samples) // 4)]
        rows.append(f"| {kind} | {n} pages, {report.chunks} chunks | {n / reference_s:.0f} | {n / index_s:.0f} | "
                    f"**{index_s / reference_s:.2f}** | {samples[0] / MB:.0f} → {max(quarter) / MB:.0f} → "
                    f"{max(samples) / MB:.0f} MiB |")
    return rows


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def retrieval(folder: Path, n_chunks: int, words: Words, rng: np.random.Generator) -> list[str]:
    path = folder / "big.sqlite3"
    per_file = 100
    with DocumentIndex(path) as index:
        collection_id = index.ensure_collection("big", [str(folder)])
        started = time.perf_counter()
        for number in range(n_chunks // per_file):
            chunks = (Chunk(words.text(120), page=page + 1, heading=words.text(3)) for page in range(per_file))
            index.put_file(collection_id, f"/corpus/doc{number:05}.pdf", 1, 1, f"{number:064x}", chunks)
        fill_s = time.perf_counter() - started
        questions = [" ".join(rng.choice(words.words, size=rng.integers(1, 7)).tolist()) for _ in range(200)]
        questions[:len(GERMAN)] = [f"Was gilt für {word}?" for word in GERMAN]
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdfs", type=int, default=40)
    parser.add_argument("--pages", type=int, default=25)
    parser.add_argument("--chunks", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    words = Words(vocabulary(rng), rng)
    print(f"Machine: {processor_name()}, {psutil.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="moescope-bench-docs-") as folder:
        print("\n| files | corpus | reference pages/s (reading only) | indexing pages/s | time ratio | RSS start → "
              "first quarter peak → peak |\n|---|---|---|---|---|---|")
        for row in indexing(Path(folder), args.pdfs, args.pages, words):
            print(row, flush=True)
        print("\n| index | search ms median / p95 / max | bare FTS5 ms median / p95 / max | median ratio |\n"
              "|---|---|---|---|")
        for row in retrieval(Path(folder), args.chunks, words, rng):
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
