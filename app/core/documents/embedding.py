"""PassageEmbedder: an embedding model run by llama.cpp in an engine process of its own, turning passages and
questions into vectors for meaning search.

It is a second engine process beside the one that answers, so that indexing a folder never waits for an
answer (nor an answer for indexing), and a crash in one leaves the other running. It starts with the same
network policy as every engine process (app.core.engine.host), and the window's locality monitor watches
it as one of MoEscope's processes.

Models trained with task prefixes get them (``PREFIXES``): nomic-embed-text wants "search_document: "
before a passage and "search_query: " before a question, the E5 family "passage: " and "query: ";
without them such a model ranks noticeably worse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.core.documents.vectors import QueryVector
from app.core.engine.session import EngineSession, SessionError
from app.core.models.gguf import GGUFError, ModelInfo, inspect_gguf

EMBEDDING_CONTEXT = 2048
"""The context the embedding model is loaded with, at most (a passage is about 250 tokens)."""


class EmbeddingError(Exception):
    """The embedding model cannot be used (missing, not an embedding model, its engine died); the text says
    why, in English."""


@dataclass(frozen=True)
class Prefixes:
    passage: str = ""
    query: str = ""


PREFIXES = (
    ("nomic-bert", Prefixes("search_document: ", "search_query: ")),
    ("e5", Prefixes("passage: ", "query: ")),
)
"""(what the architecture or the name contains, the prefixes), first match wins."""


def prefixes_for(info: ModelInfo) -> Prefixes:
    """The task prefixes ``info``'s model was trained with, by its architecture or name."""
    for mark, prefixes in PREFIXES:
        if mark in info.architecture.lower() or mark in info.name.lower().replace("-", " ").split():
            return prefixes
    return Prefixes()


def embedding_model_info(path: Path | str) -> ModelInfo:
    """The header of an embedding model's file; raises EmbeddingError for a file that is none."""
    try:
        info = inspect_gguf(str(path))
    except GGUFError as exc:
        raise EmbeddingError(f"{Path(path).name} cannot be used: {exc}") from exc
    if not info.is_embedding:
        raise EmbeddingError(f"{Path(path).name} is not an embedding model ({info.architecture} writes text)")
    return info


class PassageEmbedder:
    """The embedding model ``path`` in its own engine process, from ``start()`` (or ``with``) to ``close()``.

    Attributes:
        model: the model file's absolute path (what a collection records as its embedding model).
        name: the model's name, from its header.
        dimension: the length of its vectors (known after start).
    """

    def __init__(self, path: Path | str) -> None:
        self.model = str(Path(path).expanduser().absolute())
        self.info = embedding_model_info(self.model)
        self.name = self.info.name
        self.prefixes = prefixes_for(self.info)
        self.dimension = 0
        self._session: EngineSession | None = None

    def __enter__(self) -> PassageEmbedder:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def start(self) -> None:
        session = EngineSession()
        try:
            session.__enter__()
            session.load(self.model, n_ctx=EMBEDDING_CONTEXT, embedding=True)
            self.dimension = session.embed([""]).vectors.shape[1]
        except SessionError as exc:
            session.__exit__(None, None, None)
            raise EmbeddingError(f"the embedding model {Path(self.model).name} could not be started: {exc}") from exc
        self._session = session

    def close(self) -> None:
        if self._session is not None:
            self._session.__exit__(None, None, None)
            self._session = None

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length float32 vector per passage, as rows."""
        return self._embed([self.prefixes.passage + text for text in texts])

    def embed_query(self, question: str) -> QueryVector:
        return QueryVector(self.model, self._embed([self.prefixes.query + question])[0])

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self._session is None:
            self.start()
        try:
            return self._session.embed(texts).vectors
        except SessionError as exc:
            self.close()  # started afresh by the next call
            raise EmbeddingError(f"the embedding model {Path(self.model).name} failed: {exc}") from exc


class QueryEmbedders:
    """The embedding models of the collections being asked, each started once and kept for the next
    question (a model starts in about a second, a question is embedded in milliseconds); ``close()`` ends
    them all.

    Attributes:
        problems: for each model that could not be used, why (English); its collections are then
            searched by their words alone.
    """

    def __init__(self) -> None:
        self._embedders: dict[str, PassageEmbedder] = {}
        self.problems: dict[str, str] = {}

    def queries(self, models: Iterable[str], question: str) -> list[QueryVector]:
        """The question's vector from each of ``models`` (embedding model files) that can be used."""
        vectors = []
        for embedder in self._ready(models):
            try:
                vectors.append(embedder.embed_query(question))
            except EmbeddingError as exc:
                self.problems[embedder.model] = str(exc)
        return vectors

    def start(self, models: Iterable[str]) -> None:
        """Starts the engines of ``models`` now, before the first question needs them."""
        self._ready(models)

    def _ready(self, models: Iterable[str]) -> list[PassageEmbedder]:
        ready = []
        for model in dict.fromkeys(model for model in models if model):
            try:
                if model not in self._embedders:
                    self._embedders[model] = PassageEmbedder(model).__enter__()
                ready.append(self._embedders[model])
                self.problems.pop(model, None)
            except EmbeddingError as exc:
                self.problems[model] = str(exc)
        return ready

    def close(self) -> None:
        for embedder in self._embedders.values():
            embedder.close()
        self._embedders.clear()
