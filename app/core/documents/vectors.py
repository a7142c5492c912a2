"""Passage vectors for meaning search: how they are stored, searched and fused with the keyword ranking.

Storage: one float32 vector per passage, as a BLOB beside it in the document index (``chunk_vectors``).
Search is exact: the vectors of a collection are read once into one numpy matrix (``VectorCache``) and a
question's vector is multiplied with all of them. At 100,000 passages of 768 dimensions that takes 10 to
24 ms on two cores (it reads 300 MB: memory bandwidth decides), where sqlite-vec's ``vec0`` table took
about 115 ms for the same top 50 (and needs a Python whose sqlite3 can load extensions, which neither
this machine's nor every installer's has); the figures are in bench/RESULTS.md. The price is memory: 4
bytes per dimension and passage while a collection is searched (300 MB for that largest case).

Hybrid ranking: the keyword ranking (BM25) and the vector ranking are fused with reciprocal rank fusion,
each passage scoring the sum of 1 / (RRF_K + rank) over the rankings it is in: no scale to calibrate
between BM25 and cosine, and a passage both find comes first.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

RRF_K = 60
"""The constant of reciprocal rank fusion (60, as in Cormack, Clarke and Büttcher's paper): rank 1 scores
1/61, rank 10 1/70, so a passage near the top of both rankings beats one at the very top of one."""

CANDIDATES = 50
"""How many passages each ranking gives to the fusion."""


def to_blob(vector: np.ndarray) -> bytes:
    """A vector as stored: little-endian float32."""
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (a zero row stays zero), so that a dot product is the cosine."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


@dataclass(frozen=True)
class QueryVector:
    """A question's vector and the embedding model that made it (only passages embedded by the same model
    can be compared with it)."""

    model: str
    vector: np.ndarray


class _Matrix:
    """The vectors of one collection at one generation of its content."""

    def __init__(self, generation: int, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.generation = generation
        self.ids = ids
        self.vectors = vectors


class VectorCache:
    """Per collection, its passage vectors as one matrix, read again only when the collection changed (its
    generation, a counter the index raises with every change of its passages, differs from the cached one).
    """

    def __init__(self) -> None:
        self._matrices: dict[int, _Matrix] = {}

    def matrices(self, collections: Iterable[tuple[int, int]], rows, count) -> list[_Matrix]:
        """The matrices of ``collections`` ((id, generation) pairs), read where the cache is out of date:
        ``count(collection_id)`` is how many vectors it has, ``rows(collection_id)`` yields them as (chunk
        id, blob). Runs on the index's own thread (it reads SQLite)."""
        return [self._matrix(collection_id, generation, rows, count) for collection_id, generation in collections]

    def forget(self, collection_id: int) -> None:
        self._matrices.pop(collection_id, None)

    def _matrix(self, collection_id: int, generation: int, rows, count) -> _Matrix:
        cached = self._matrices.get(collection_id)
        if cached is not None and cached.generation == generation:
            return cached
        self._matrices.pop(collection_id, None)  # its memory is free before the new one is read
        total = count(collection_id)
        ids = np.zeros(total, dtype=np.int64)
        vectors = np.zeros((0, 0), dtype=np.float32)
        done = 0
        cursor = iter(rows(collection_id))
        while block := list(itertools.islice(cursor, _BLOCK)):
            width = len(block[0][1])
            if not done:
                vectors = np.empty((total, width // 4), dtype=np.float32)
            if any(len(blob) != width for _id, blob in block) or width != vectors.shape[1] * 4 or done + len(block) > total:
                done, vectors = 0, np.zeros((0, 0), dtype=np.float32)  # two models' vectors mixed, or changed
                break
            ids[done:done + len(block)] = [chunk_id for chunk_id, _blob in block]
            vectors[done:done + len(block)] = np.frombuffer(b"".join(blob for _id, blob in block), "<f4").reshape(
                len(block), -1)
            done += len(block)
        matrix = _Matrix(generation, ids[:done], vectors[:done])
        self._matrices[collection_id] = matrix
        return matrix


_BLOCK = 4096
"""Rows read and copied into the matrix at a time: fast, and no passage's bytes are held twice for long."""


def nearest(matrices: Sequence[_Matrix], vector: np.ndarray, top: int = CANDIDATES) -> list[tuple[int, float]]:
    """The ``top`` passages of ``matrices`` nearest to ``vector`` (by cosine), as (chunk id, cosine), best
    first. Only numpy, which lets go of Python's lock while it multiplies: it can run beside a keyword query."""
    query = normalised(vector).ravel()
    best_ids, best_scores = [], []
    for matrix in matrices:
        if not len(matrix.ids) or matrix.vectors.shape[1] != len(query):
            continue
        scores = matrix.vectors @ query
        keep = min(top, len(scores))
        chosen = np.argpartition(-scores, keep - 1)[:keep]
        best_ids.append(matrix.ids[chosen])
        best_scores.append(scores[chosen])
    if not best_ids:
        return []
    ids, scores = np.concatenate(best_ids), np.concatenate(best_scores)
    order = np.argsort(-scores, kind="stable")[:top]
    return [(int(ids[i]), float(scores[i])) for i in order]


def fuse(rankings: Sequence[Sequence[int]], top: int) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of ``rankings`` (chunk ids, best first): the ``top`` ids with their fused
    scores, best first; ties keep the order of the first ranking that has them."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: -item[1])[:top]
