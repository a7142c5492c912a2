"""A conversation written out for people (Markdown) and for programs and backups (JSON), and a JSON export
read back into a store.

Markdown: the title, the model and settings, the system prompt, then each turn under a heading; an
answer's reasoning section is a collapsible ``<details>`` block, quoted, with how long the model
thought; its figures (tokens, tokens/s, time to first token) follow it in italics.

JSON (FORMAT, version JSON_VERSION): ``{"format", "version", "conversation": {...}, "messages": [...]}``
with every field of the data model (app.core.chat.model); with ``routing`` each answer that has a trace
carries it under ``"routing"`` as plain lists (``positions``, ``tokens``, ``texts``, ``sources``,
``layers``, ``k``, ``experts`` and ``weights`` as ``[n][layers][k]``). The weights are written as the
exact decimal of their float32 value, so reading them back gives the same bits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
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
    return lines


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
                         "updated_at": conversation.updated_at},
        "messages": [_message_json(message, traces.get(message.id)) for message in conversation.messages],
    }


def _message_json(message: Message, trace: RoutingTrace | None) -> dict:
    data = {"id": message.id, "role": message.role, "content": message.content, "thinking": message.thinking,
            "thinking_s": message.thinking_s, "status": message.status, "model": message.model,
            "settings": None if message.settings is None else asdict(message.settings),
            "stats": None if message.stats is None else asdict(message.stats), "created_at": message.created_at}
    if trace is not None:
        data["routing"] = trace_json(trace)
    return data


def trace_json(trace: RoutingTrace) -> dict:
    return {"positions": trace.positions.tolist(), "tokens": trace.tokens.tolist(), "texts": list(trace.texts),
            "sources": list(trace.sources), "layers": trace.layers.tolist(), "k": int(trace.experts.shape[2]),
            "experts": trace.experts.tolist(), "weights": trace.weights.tolist()}


def trace_from_json(data: Mapping) -> RoutingTrace:
    n, width, k = len(data["positions"]), len(data["layers"]), int(data["k"])
    unknown = set(data["sources"]) - {PROMPT, ANSWER}
    if unknown:
        raise ValueError(f"token sources {sorted(unknown)}")
    return RoutingTrace(
        positions=np.array(data["positions"], dtype=np.int32).reshape(n),
        tokens=np.array(data["tokens"], dtype=np.int32).reshape(n),
        texts=tuple(str(text) for text in data["texts"]), sources=tuple(str(source) for source in data["sources"]),
        layers=np.array(data["layers"], dtype=np.int32).reshape(width),
        experts=np.array(data["experts"], dtype=np.int32).reshape(n, width, k),
        weights=np.array(data["weights"], dtype=np.float32).reshape(n, width, k))


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
            stats=None if item.get("stats") is None else AnswerStats(**item["stats"]),
            created_at=float(item["created_at"])))
        if item.get("routing") is not None:
            traces[index] = trace_from_json(item["routing"])
    conversation = Conversation(id=0, title=str(head["title"]), model_path=str(head["model_path"]),
                                settings=settings_from_dict(head["settings"]), messages=tuple(messages),
                                created_at=float(head["created_at"]), updated_at=float(head["updated_at"]))
    return conversation, traces
