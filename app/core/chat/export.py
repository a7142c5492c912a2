"""A conversation written out for people (Markdown) and for programs and backups (JSON), and a JSON export
read back into a store.

Markdown: the title, the model and settings, the system prompt, then each turn under a heading; an
answer's reasoning section is a collapsible ``<details>`` block, quoted, with how long the model
thought; its figures (tokens, tokens/s, time to first token) follow it in italics. An answer from the
user's documents is followed by a numbered "Sources" list: each passage's file, page and heading, its
collection and path, and the passage itself, quoted.

JSON (FORMAT, version JSON_VERSION): ``{"format", "version", "conversation": {...}, "messages": [...]}``
with every field of the data model (app.core.chat.model): the conversation's ``collections`` (names), an
answer's ``sources`` (a list of its passages in the order of their numbers, each with every field of
Source); both are left out of exports made before they were kept and read back as empty. With ``routing`` each answer that has a trace
carries it under ``"routing"`` as plain lists (``positions``, ``tokens``, ``texts``, ``sources``,
``layers``, ``k``, ``experts`` and ``weights`` as ``[n][layers][k]`` (null for a weight the engine did not
report: a company server's routing), and, when the trace has the
router's scores, ``scores`` as ``[n][layers][n_expert]`` with null for a score not captured). The
weights and scores are written as the exact decimal of their float32 value, so reading them back gives
the same bits.

One answer's trace, for slides and handouts (``write_trace_json``, ``write_trace_csv`` and their
``read_*``): as JSON, ``{"format": TRACE_FORMAT, "version": TRACE_VERSION, "model": ..., **trace}`` with
the trace as above. As CSV (UTF-8, a header row): one row per token, MoE layer and chosen rank,
TRACE_CSV_COLUMNS (``rank`` 0 is the expert with the highest score; a dense model's token has one row
with the routing columns empty), and the router's scores, when the trace has them, in a second, wide
CSV file: one row per token and layer, SCORES_CSV_COLUMNS then ``p0`` ... ``p<n_expert - 1>`` (empty
for a score not captured). Numbers are written as the shortest decimal of their float32 value, so both
forms read back to the same arrays.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path

import numpy as np

from app.core.chat.model import (
    ASSISTANT,
    INTERRUPTED,
    ROLES,
    STATUSES,
    STREAMING,
    SYSTEM,
    USER,
    AnswerStats,
    Conversation,
    Message,
    RoutingTrace,
    Source,
    sources_from_list,
)
from app.core.chat.store import ConversationStore, settings_from_dict
from app.core.engine.protocol import ANSWER, PROMPT
from app.core.units import format_duration

FORMAT = "moescope-conversation"
JSON_VERSION = 1

ROLE_HEADINGS = {USER: "User", ASSISTANT: "Assistant", SYSTEM: "System"}
SETTING_NAMES = {"temperature": "temperature", "top_p": "top-p", "top_k": "top-k", "min_p": "min-p",
                 "repeat_penalty": "repeat penalty", "max_tokens": "max tokens", "seed": "seed", "n_ctx": "context"}


class ImportFormatError(ValueError):
    """The text is not a conversation as ``to_json`` writes it; the message says why, in English."""


# --- Markdown --------------------------------------------------------------------------------------


def to_markdown(conversation: Conversation) -> str:
    lines = [f"# {conversation.title or f'Conversation {conversation.id}'}", ""]
    facts = [f"Started {_when(conversation.created_at)}"]
    if conversation.model_path:
        facts.append(f"model `{Path(conversation.model_path).name}`")
    lines += [" · ".join(facts), "", _settings_line(conversation), ""]
    if conversation.settings.system_prompt:
        lines += ["## System prompt", "", *_quoted(conversation.settings.system_prompt), ""]
    for message in conversation.messages:
        lines += _turn(message)
    return "\n".join(lines).rstrip("\n") + "\n"


def _settings_line(conversation: Conversation) -> str:
    values = {key: value for key, value in asdict(conversation.settings).items()
              if key != "system_prompt" and value is not None}
    return "Settings: " + ", ".join(f"{SETTING_NAMES.get(key, key.replace('_', ' '))} {value}"
                                    for key, value in values.items())


def _turn(message: Message) -> list[str]:
    heading = f"## {ROLE_HEADINGS[message.role]}"
    if message.model:
        heading += f" · `{Path(message.model).name}`"
    lines = [heading, ""]
    if message.thinking:
        seconds = "" if message.thinking_s is None else f" ({format_duration(message.thinking_s)})"
        lines += ["<details>", f"<summary>Thinking{seconds}</summary>", "", *_quoted(message.thinking), "",
                  "</details>", ""]
    lines += [message.content, ""]
    notes = []
    if message.stats is not None:
        stats = message.stats
        notes.append(f"{stats.answer_tokens} tokens · {stats.tokens_per_s:.1f} tokens/s · "
                     f"first token after {stats.ttft_s:.2f} s")
    if message.status == INTERRUPTED:
        notes.append("interrupted")
    elif message.status == STREAMING:
        notes.append("still being written when exported")
    if notes:
        lines += [f"*{' · '.join(notes)}*", ""]
    if message.sources:
        lines += ["**Sources**", ""]
        for number, source in enumerate(message.sources, start=1):
            lines += [f"{number}. {_source_line(source)}", "", *(f"   {line}" for line in _quoted(source.text)), ""]
    return lines


def _source_line(source: Source) -> str:
    """Where a passage is: "Handbuch.pdf, p. 4, Urlaub · collection “Firma” · `/docs/Handbuch.pdf`"."""
    where = [Path(source.path).name]
    if source.page is not None:
        where.append(f"p. {source.page}")
    if source.heading:
        where.append(source.heading)
    return f"{', '.join(where)} · collection “{source.collection}” · `{source.path}`"


def _quoted(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in text.splitlines()]


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


# --- JSON ------------------------------------------------------------------------------------------


def to_json(conversation: Conversation, traces: Mapping[int, RoutingTrace] | None = None) -> dict:
    """The conversation as a JSON-ready dict; ``traces`` (by message id) are included where given."""
    traces = traces or {}
    return {
        "format": FORMAT,
        "version": JSON_VERSION,
        "conversation": {"id": conversation.id, "title": conversation.title, "model_path": conversation.model_path,
                         "settings": asdict(conversation.settings), "created_at": conversation.created_at,
                         "updated_at": conversation.updated_at, "collections": list(conversation.collections)},
        "messages": [_message_json(message, traces.get(message.id)) for message in conversation.messages],
    }


def _message_json(message: Message, trace: RoutingTrace | None) -> dict:
    data = {"id": message.id, "role": message.role, "content": message.content, "thinking": message.thinking,
            "thinking_s": message.thinking_s, "status": message.status, "model": message.model,
            "settings": None if message.settings is None else asdict(message.settings),
            "stats": None if message.stats is None else asdict(message.stats), "created_at": message.created_at,
            "sources": [asdict(source) for source in message.sources]}
    if trace is not None:
        data["routing"] = trace_json(trace)
    return data


def trace_json(trace: RoutingTrace) -> dict:
    data = {"positions": trace.positions.tolist(), "tokens": trace.tokens.tolist(), "texts": list(trace.texts),
            "sources": list(trace.sources), "layers": trace.layers.tolist(), "k": int(trace.experts.shape[2]),
            "experts": trace.experts.tolist(), "weights": _null_for_nan(trace.weights)}
    if trace.scores is not None:
        data["scores"] = _null_for_nan(trace.scores)
    return data


def _null_for_nan(values: np.ndarray) -> list:
    """Nested lists of the values, None where a value is NaN (JSON has no NaN)."""
    missing = np.isnan(values)
    if not missing.any():
        return values.tolist()
    boxed = values.astype(object)
    boxed[missing] = None
    return boxed.tolist()


def trace_from_json(data: Mapping) -> RoutingTrace:
    n, width, k = len(data["positions"]), len(data["layers"]), int(data["k"])
    unknown = set(data["sources"]) - {PROMPT, ANSWER}
    if unknown:
        raise ValueError(f"token sources {sorted(unknown)}")
    scores = None
    if data.get("scores") is not None:
        scores = np.array(data["scores"], dtype=np.float32)  # None (not captured) becomes NaN
        scores = scores.reshape(n, width, scores.size // max(n * width, 1))
    return RoutingTrace(
        positions=np.array(data["positions"], dtype=np.int32).reshape(n),
        tokens=np.array(data["tokens"], dtype=np.int32).reshape(n),
        texts=tuple(str(text) for text in data["texts"]), sources=tuple(str(source) for source in data["sources"]),
        layers=np.array(data["layers"], dtype=np.int32).reshape(width),
        experts=np.array(data["experts"], dtype=np.int32).reshape(n, width, k),
        weights=np.array(data["weights"], dtype=np.float32).reshape(n, width, k), scores=scores)


def export_conversation(store: ConversationStore, conversation_id: int, form: str = "json",
                        routing: bool = False) -> str:
    """The text of ``moescope conversations export``: ``form`` "md" or "json"; JSON is indented, or with
    the traces (``routing``) compact. Raises ConversationNotFound."""
    conversation = store.get(conversation_id)
    if form == "md":
        return to_markdown(conversation)
    traces = {}
    if routing:
        for message in conversation.messages:
            trace = store.routing(message.id)
            if trace is not None:
                traces[message.id] = trace
    if routing:  # a trace is long: one line, not one line per number
        return json.dumps(to_json(conversation, traces), ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(to_json(conversation, traces), ensure_ascii=False, indent=1) + "\n"


def import_json(store: ConversationStore, data: Mapping) -> int:
    """Store a conversation ``to_json`` wrote as a new conversation; returns its id. Raises
    ImportFormatError for anything else."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise ImportFormatError(f"not a MoEscope conversation (expected \"format\": \"{FORMAT}\")")
    if data.get("version") != JSON_VERSION:
        raise ImportFormatError(f"conversation export version {data.get('version')!r}; this MoEscope reads "
                                f"version {JSON_VERSION}")
    try:
        conversation, traces = _conversation_from_json(data)
        return store.import_conversation(conversation, traces)
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFormatError(f"the conversation export is incomplete or damaged: {exc!r}") from exc


def _stats_from_json(data: Mapping) -> AnswerStats:
    """AnswerStats from its ``asdict``; ``sampling`` is absent from exports made before it was kept."""
    known = {item.name for item in fields(AnswerStats)}
    return AnswerStats(**{key: value for key, value in data.items() if key in known})


def _conversation_from_json(data: Mapping) -> tuple[Conversation, dict[int, RoutingTrace]]:
    head = data["conversation"]
    messages, traces = [], {}
    for index, item in enumerate(data["messages"]):
        if item["role"] not in ROLES or item["status"] not in STATUSES:
            raise ValueError(f"message {index} has role {item['role']!r} and status {item['status']!r}")
        messages.append(Message(
            role=item["role"], content=str(item["content"]), id=index, thinking=str(item.get("thinking", "")),
            thinking_s=item.get("thinking_s"), status=item["status"], model=str(item.get("model", "")),
            settings=None if item.get("settings") is None else settings_from_dict(item["settings"]),
            stats=None if item.get("stats") is None else _stats_from_json(item["stats"]),
            created_at=float(item["created_at"]), sources=sources_from_list(item.get("sources") or [])))
        if item.get("routing") is not None:
            traces[index] = trace_from_json(item["routing"])
    conversation = Conversation(id=0, title=str(head["title"]), model_path=str(head["model_path"]),
                                settings=settings_from_dict(head["settings"]), messages=tuple(messages),
                                created_at=float(head["created_at"]), updated_at=float(head["updated_at"]),
                                collections=tuple(str(name) for name in head.get("collections") or ()))
    return conversation, traces


# --- one answer's trace ----------------------------------------------------------------------------

TRACE_FORMAT = "moescope-trace"
TRACE_VERSION = 1
TRACE_CSV_COLUMNS = ("position", "source", "token", "text", "layer", "rank", "expert", "weight")
SCORES_CSV_COLUMNS = ("position", "source", "token", "text", "layer")


def write_trace_json(trace: RoutingTrace, path: str | Path, model: str = "") -> None:
    """One answer's trace as a JSON file; ``model``: the model file's name, for people reading it."""
    data = {"format": TRACE_FORMAT, "version": TRACE_VERSION, "model": model, **trace_json(trace)}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def read_trace_json(path: str | Path) -> RoutingTrace:
    """The trace ``write_trace_json`` wrote; ImportFormatError for anything else."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ImportFormatError(f"not JSON: {exc}") from exc
    if not isinstance(data, Mapping) or data.get("format") != TRACE_FORMAT or data.get("version") != TRACE_VERSION:
        raise ImportFormatError(f"not a MoEscope trace (expected \"format\": \"{TRACE_FORMAT}\", "
                                f"version {TRACE_VERSION})")
    try:
        return trace_from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFormatError(f"the trace is incomplete or damaged: {exc!r}") from exc


def write_trace_csv(trace: RoutingTrace, path: str | Path, scores_path: str | Path | None = None) -> None:
    """One answer's trace as CSV at ``path``, and its scores, if it has any, as wide CSV at ``scores_path``."""
    with open(path, "w", encoding="utf-8", newline="") as file:
        out = csv.writer(file)
        out.writerow(TRACE_CSV_COLUMNS)
        layers = trace.layers.tolist()
        for index, head in enumerate(_token_heads(trace)):
            if not layers:
                out.writerow([*head, "", "", "", ""])
            for layer_index, layer in enumerate(layers):
                for rank, (expert, weight) in enumerate(zip(trace.experts[index, layer_index].tolist(),
                                                            trace.weights[index, layer_index])):
                    out.writerow([*head, layer, rank, expert, _decimal(weight)])
    if scores_path is not None and trace.scores is not None:
        with open(scores_path, "w", encoding="utf-8", newline="") as file:
            out = csv.writer(file)
            out.writerow([*SCORES_CSV_COLUMNS, *(f"p{e}" for e in range(trace.scores.shape[2]))])
            for index, head in enumerate(_token_heads(trace)):
                for layer_index, layer in enumerate(trace.layers.tolist()):
                    out.writerow([*head, layer, *map(_decimal, trace.scores[index, layer_index])])


def _token_heads(trace: RoutingTrace) -> list[list]:
    return [[position, source, token, text] for position, source, token, text
            in zip(trace.positions.tolist(), trace.sources, trace.tokens.tolist(), trace.texts)]


def _decimal(value: np.float32) -> str:
    """The shortest decimal that reads back as this float32; empty for NaN."""
    return "" if np.isnan(value) else str(np.float32(value))


def read_trace_csv(path: str | Path, scores_path: str | Path | None = None) -> RoutingTrace:
    """The trace ``write_trace_csv`` wrote (with its scores from ``scores_path``, if given); ValueError
    for a file that is not one."""
    with open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    if not rows or tuple(rows[0]) != TRACE_CSV_COLUMNS:
        raise ValueError(f"not a MoEscope trace CSV (expected the columns {', '.join(TRACE_CSV_COLUMNS)})")
    heads: list[tuple] = []
    routed: dict[int, dict[tuple[int, int], tuple[int, float]]] = {}
    for position, source, token, text, layer, rank, expert, weight in rows[1:]:
        head = (int(position), source, int(token), text)
        if not heads or heads[-1] != head:
            heads.append(head)
        if layer:
            routed.setdefault(len(heads) - 1, {})[int(layer), int(rank)] = (int(expert),
                                                                            float(weight) if weight else np.nan)
    layers = sorted({layer for cells in routed.values() for layer, _ in cells})
    k = 1 + max((rank for cells in routed.values() for _, rank in cells), default=-1)
    experts = np.full((len(heads), len(layers), k), -1, dtype=np.int32)
    weights = np.zeros((len(heads), len(layers), k), dtype=np.float32)
    for index, cells in routed.items():
        for (layer, rank), (expert, weight) in cells.items():
            experts[index, layers.index(layer), rank] = expert
            weights[index, layers.index(layer), rank] = weight
    unknown = {head[1] for head in heads} - {PROMPT, ANSWER}
    if unknown:
        raise ValueError(f"token sources {sorted(unknown)}")
    return RoutingTrace(
        positions=np.array([head[0] for head in heads], dtype=np.int32),
        tokens=np.array([head[2] for head in heads], dtype=np.int32),
        texts=tuple(head[3] for head in heads), sources=tuple(head[1] for head in heads),
        layers=np.array(layers, dtype=np.int32), experts=experts, weights=weights,
        scores=None if scores_path is None else _read_scores_csv(scores_path, len(heads), layers))


def _read_scores_csv(path: str | Path, n: int, layers: list[int]) -> np.ndarray:
    with open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    width = len(SCORES_CSV_COLUMNS)
    if not rows or tuple(rows[0][:width]) != SCORES_CSV_COLUMNS or len(rows) - 1 != n * len(layers):
        raise ValueError(f"not the scores of this trace ({n} tokens x {len(layers)} layers, columns "
                         f"{', '.join(SCORES_CSV_COLUMNS)}, p0 ...)")
    values = [[float(cell) if cell else np.nan for cell in row[width:]] for row in rows[1:]]
    return np.array(values, dtype=np.float32).reshape(n, len(layers), len(rows[0]) - width)
