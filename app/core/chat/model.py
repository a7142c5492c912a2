"""What a conversation is, independent of where it is kept or shown: messages, their answer figures and
sources, the settings and document collections a conversation was held with, and the routing trace of
an answer.

The store (app.core.chat.store) reads and writes these; the chat pane shows them; the export writes
them out. An answer's sources have a JSON form here too, the one the store and the export share. No Qt,
no SQLite here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import numpy as np

from app.core import defaults
from app.core.engine import protocol

USER = protocol.USER
ASSISTANT = protocol.ASSISTANT
SYSTEM = protocol.SYSTEM
ROLES = (USER, ASSISTANT, SYSTEM)

COMPLETE = "complete"
STREAMING = "streaming"  # being written now; a message found so after a restart was interrupted
INTERRUPTED = "interrupted"  # the answer ended early: stopped, or the app or engine ended meanwhile
STATUSES = (COMPLETE, STREAMING, INTERRUPTED)


@dataclass(frozen=True)
class Settings:
    """How a conversation is answered. ``None`` means "the model's own default" where the model
    carries one (GGUF ``general.sampling.*``), else app.core.defaults."""

    system_prompt: str = ""
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    min_p: float | None = None
    repeat_penalty: float | None = None
    max_tokens: int = defaults.MAX_TOKENS
    seed: int | None = None
    n_ctx: int = defaults.DEFAULT_CONTEXT
    thinking: bool | None = None  # a reasoning model thinks first (None: as its template does by default)


@dataclass(frozen=True)
class AnswerStats:
    """The figures of one answer, as the engine's Finished event reported them, with the sampling
    settings it was generated with (Finished.sampling: every one decided, the seed included), so that
    the answer can be asked for again the same way; empty for answers stored before they were kept."""

    prompt_tokens: int
    answer_tokens: int
    ttft_s: float
    tokens_per_s: float
    stop_reason: str
    sampling: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """One passage of the user's documents an answer was given (app.core.documents found it): its
    collection, file, page (None where the format has none) and heading, its text as the model read it, and
    its search score (higher is better, comparable only within one search). It is kept with the answer as
    it was, so that it can be shown after its file has changed or gone."""

    collection: str
    path: str
    page: int | None
    heading: str
    text: str
    score: float


def sources_to_json(sources: tuple[Source, ...]) -> str | None:
    """An answer's sources as JSON text (a list of their fields, as the store keeps them); None for none."""
    return json.dumps([asdict(source) for source in sources], ensure_ascii=False) if sources else None


def sources_from_list(items: list) -> tuple[Source, ...]:
    """Sources from a list of dicts of their fields (the store's JSON, an export); KeyError, ValueError or
    TypeError for anything else."""
    return tuple(Source(collection=str(item["collection"]), path=str(item["path"]),
                        page=None if item.get("page") is None else int(item["page"]),
                        heading=str(item.get("heading", "")), text=str(item["text"]),
                        score=float(item.get("score", 0.0))) for item in items)


@dataclass(frozen=True)
class Message:
    """One turn. An answer also keeps its reasoning section apart from its text (``thinking``, with
    how long the model thought), the model and settings it was given, its figures, and the passages of
    the user's documents it was given (``sources``, numbered from 1 in this order, as in its prompt)."""

    role: str
    content: str
    id: int | None = None
    thinking: str = ""
    thinking_s: float | None = None
    status: str = COMPLETE
    model: str = ""
    settings: Settings | None = None
    stats: AnswerStats | None = None
    created_at: float = 0.0
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class ConversationSummary:
    """A conversation as the side list shows it."""

    id: int
    title: str
    updated_at: float
    message_count: int
    model_path: str = ""
    snippet: str = ""  # for a search: the matching text around the hit


@dataclass(frozen=True)
class Conversation:
    """A kept conversation; ``collections``: the names of the document collections its questions go to."""

    id: int
    title: str
    model_path: str
    settings: Settings
    messages: tuple[Message, ...]
    created_at: float
    updated_at: float
    collections: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class RoutingTrace:
    """Every prompt and answer token of one answer with its routing: ``n`` tokens, ``layers`` MoE
    layers, top ``k`` experts. ``experts`` and ``weights`` are ``[n, layers, k]`` (int32, float32);
    a dense model's trace has ``layers`` empty and arrays of shape ``[n, 0, 0]``. ``scores``, when the
    model was loaded with them, are the router's probabilities over all ``n_expert`` experts,
    ``[n, layers, n_expert]`` float32 (NaN for a token whose scores were not captured); else None."""

    positions: np.ndarray  # [n] int32
    tokens: np.ndarray  # [n] int32
    texts: tuple[str, ...]
    sources: tuple[str, ...]  # protocol.PROMPT | protocol.ANSWER per token
    layers: np.ndarray  # [layers] int32
    experts: np.ndarray  # [n, layers, k] int32
    weights: np.ndarray  # [n, layers, k] float32
    extra: dict = field(default_factory=dict)
    scores: np.ndarray | None = None  # [n, layers, n_expert] float32

    def __len__(self) -> int:
        return int(self.positions.shape[0])
