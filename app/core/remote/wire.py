"""What company servers send, read strictly: OpenAI chat-completion chunks and responses, and routed experts.

Streaming answers come as server-sent events: ``data: <JSON chunk>`` lines, blank lines between events,
``data: [DONE]`` at the end (``sse_data``). A chunk (``parse_chunk``) carries a text delta in
``choices[0].delta.content`` (and, from servers that split reasoning off, ``delta.reasoning_content``),
the ``finish_reason`` at the end, and ``usage`` (in every chunk when continuous usage statistics were asked
for, else in a last chunk without choices). A non-streamed answer (``parse_response``) has the same in
``choices[0].message``, with the tokens' texts in ``choices[0].logprobs.content`` when logprobs were asked.

Routed experts, as each server documents them (docs/company-server.md):
- SGLang: ``sglext.routed_experts`` at the top level of the response, or of one streamed chunk after the
  last text, ``sgl_ext.routed_experts`` in earlier versions and on a choice: base64 of little-endian int32,
  shape ``[tokens, layers, top_k]`` for the whole sequence (prompt and answer, row i the routing computed
  for position i); the shape itself is not sent, so the model's layout (app.core.remote.layout) gives
  ``layers`` (all the model's layers, dense ones zero, or the MoE layers only: both are recognised) and
  ``top_k``.
- vLLM: ``choices[0].routed_experts`` (answer tokens) and ``prompt_routed_experts`` (prompt tokens) in a
  non-streamed response, as JSON arrays ``[tokens, moe_layers, top_k]``; -1 marks a position whose routing
  is unknown.

Anything else (bad JSON, a chunk of the wrong shape, bad base64, a size that fits no layout, expert
numbers out of range) raises RemoteError(MALFORMED) saying what was wrong.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from app.core.engine.routing import EMPTY_ROUTING, Routing
from app.core.models.gguf import ModelInfo
from app.core.remote.errors import MALFORMED, SERVER, RemoteError

DONE = "[DONE]"
_QUOTED = 120  # characters of a bad chunk quoted in a detail


@dataclass(frozen=True)
class Usage:
    """Token counts a server reported (None: not said)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cached_tokens: int | None = None


@dataclass(frozen=True)
class RoutedBlock:
    """Routed experts as sent: ``encoded`` base64 text (SGLang) or ``nested`` lists (vLLM); ``scope``
    "sequence" (prompt and answer from position 0), "answer" or "prompt"."""

    scope: str
    encoded: str | None = None
    nested: object = None


@dataclass(frozen=True)
class Chunk:
    """One streamed chunk, or a whole non-streamed answer.

    Attributes:
        text: the answer's text in it ("" when none).
        reasoning: reasoning text a server split off (``reasoning_content``), "" when none.
        finish_reason: why the answer ended, in the last chunk; None before.
        matched_stop: the stop string or token the server says ended the answer, if it says.
        usage: token counts, when the chunk has them.
        routed: routed-expert blocks in it.
        token_texts: the answer's tokens' texts, from logprobs, when the chunk has them.
        whole: a whole (non-streamed) answer.
    """

    text: str = ""
    reasoning: str = ""
    finish_reason: str | None = None
    matched_stop: object = None
    usage: Usage | None = None
    routed: tuple[RoutedBlock, ...] = ()
    token_texts: tuple[str, ...] | None = None
    whole: bool = False


def sse_data(lines: Iterable[str]) -> Iterator[str]:
    """The data of each server-sent event in ``lines`` (one line each, without line ends); DONE is one."""
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
        elif line.startswith("data:"):
            data.append(line[6:] if line.startswith("data: ") else line[5:])
        elif line.startswith("error:"):  # llama-server's form of an error during a stream
            yield line[6:].strip()
    if data:
        yield "\n".join(data)


def parse_chunk(payload: str) -> Chunk:
    """One streamed chunk's JSON; RemoteError(MALFORMED) for anything that is not one, RemoteError(SERVER)
    for an error the server sent in the stream."""
    body = _json(payload, "a streamed chunk")
    choice = _first_choice(body, "delta")
    delta = choice.get("delta") if choice is not None else None
    return _chunk(body, choice, delta, streamed=True)


def parse_response(payload: str) -> Chunk:
    """A non-streamed chat completion's JSON, as one Chunk holding the whole answer."""
    body = _json(payload, "the answer")
    choice = _first_choice(body, "message")
    if choice is None:
        raise RemoteError(MALFORMED, "The server's answer has no choices.")
    return _chunk(body, choice, choice.get("message"), streamed=False)


def _json(payload: str, what: str) -> dict:
    try:
        body = json.loads(payload)
    except ValueError as exc:
        raise RemoteError(MALFORMED, f"The server sent {what} that is not JSON: {payload[:_QUOTED]!r}") from exc
    if not isinstance(body, dict):
        raise RemoteError(MALFORMED, f"The server sent {what} that is not a JSON object: {payload[:_QUOTED]!r}")
    error = body.get("error")
    if error:
        message = error.get("message") if isinstance(error, dict) else error
        raise RemoteError(SERVER, f"The server reported an error: {str(message)[:300]}")
    return body


def _first_choice(body: dict, part: str) -> dict | None:
    choices = body.get("choices", [])
    if not isinstance(choices, list):
        raise RemoteError(MALFORMED, "The server's chunk has choices that are not a list.")
    if not choices:
        return None
    choice = choices[0]
    if not isinstance(choice, dict) or not isinstance(choice.get(part), dict):
        raise RemoteError(MALFORMED, f"The server's chunk has a choice without a {part} object.")
    return choice


def _chunk(body: dict, choice: dict | None, delta: dict | None, streamed: bool) -> Chunk:
    delta = delta or {}
    text = _text(delta.get("content"), "content")
    reasoning = _text(delta.get("reasoning_content") or delta.get("reasoning"), "reasoning_content")
    finish = choice.get("finish_reason") if choice is not None else None
    if finish is not None and not isinstance(finish, str):
        raise RemoteError(MALFORMED, f"The server's finish_reason is not text: {finish!r}")
    routed = [*_routed_at(body), *(_routed_at(choice) if choice is not None else ())]
    if choice is not None and choice.get("routed_experts") is not None:
        routed.append(RoutedBlock("answer", nested=choice["routed_experts"]))
    if body.get("prompt_routed_experts") is not None:
        routed.append(RoutedBlock("prompt", nested=body["prompt_routed_experts"]))
    return Chunk(text=text, reasoning=reasoning, finish_reason=finish,
                 matched_stop=choice.get("matched_stop") if choice is not None else None,
                 usage=_usage(body.get("usage")), routed=tuple(routed),
                 token_texts=None if streamed else _token_texts(choice), whole=not streamed)


def _text(value: object, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RemoteError(MALFORMED, f"The server's {name} is not text: {str(value)[:_QUOTED]!r}")
    return value


def _routed_at(part: dict) -> list[RoutedBlock]:
    blocks = []
    for key in ("sglext", "sgl_ext"):
        extension = part.get(key)
        if extension is None:
            continue
        if not isinstance(extension, dict):
            raise RemoteError(MALFORMED, f"The server's {key} is not an object.")
        encoded = extension.get("routed_experts")
        if encoded is not None:
            if not isinstance(encoded, str):
                raise RemoteError(MALFORMED, f"The server's {key}.routed_experts is not base64 text.")
            blocks.append(RoutedBlock("sequence", encoded=encoded))
    return blocks


def _usage(value: object) -> Usage | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise RemoteError(MALFORMED, "The server's usage is not an object.")
    details = value.get("prompt_tokens_details")
    cached = details.get("cached_tokens") if isinstance(details, dict) else None
    return Usage(_count(value.get("prompt_tokens"), "prompt_tokens"),
                 _count(value.get("completion_tokens"), "completion_tokens"), _count(cached, "cached_tokens"))


def _count(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RemoteError(MALFORMED, f"The server's {name} is not a count: {value!r}")
    return value


def _token_texts(choice: dict) -> tuple[str, ...] | None:
    """The answer's tokens' texts from ``logprobs.content`` (their bytes where given), or None."""
    logprobs = choice.get("logprobs")
    content = logprobs.get("content") if isinstance(logprobs, dict) else None
    if not isinstance(content, list):
        return None
    pieces: list[bytes] = []
    for entry in content:
        if not isinstance(entry, dict):
            raise RemoteError(MALFORMED, "The server's logprobs hold an entry that is not an object.")
        raw = entry.get("bytes")
        if isinstance(raw, list) and all(isinstance(b, int) and 0 <= b < 256 for b in raw):
            pieces.append(bytes(raw))
        else:
            pieces.append(_text(entry.get("token"), "logprobs token").encode("utf-8"))
    return _split_utf8(pieces)


def _split_utf8(pieces: list[bytes]) -> tuple[str, ...]:
    """Each token's text, a character split across tokens given to the token that completes it."""
    texts, pending = [], b""
    for piece in pieces:
        pending += piece
        cut = len(pending)
        while cut > 0:
            try:
                texts.append(pending[:cut].decode("utf-8"))
                break
            except UnicodeDecodeError:
                cut -= 1
        else:
            texts.append("")
        pending = pending[cut:]
    if pending:
        texts[-1] += pending.decode("utf-8", errors="replace")
    return tuple(texts)


# --- routed experts --------------------------------------------------------------------------------


def decode_ids(encoded: str) -> np.ndarray:
    """SGLang's base64 of little-endian int32, as a flat int32 array."""
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise RemoteError(MALFORMED, f"The server's routed experts are not valid base64 ({exc}).") from exc
    if len(raw) % 4:
        raise RemoteError(MALFORMED, f"The server's routed experts are {len(raw)} bytes, not whole int32 numbers.")
    return np.frombuffer(raw, dtype="<i4").astype(np.int32)


def nested_ids(value: object) -> np.ndarray:
    """vLLM's ``[tokens, layers, top_k]`` JSON arrays as an int32 array."""
    try:
        ids = np.array(value, dtype=np.int64)
    except (TypeError, ValueError) as exc:
        raise RemoteError(MALFORMED, f"The server's routed experts are not a table of numbers ({exc}).") from exc
    if ids.ndim != 3:
        raise RemoteError(MALFORMED, f"The server's routed experts have the shape {list(ids.shape)}, "
                          "not [tokens, layers, experts per token].")
    return ids.astype(np.int32)


def shape_ids(flat: np.ndarray, info: ModelInfo, rows: tuple[int, ...] = ()) -> np.ndarray:
    """SGLang's flat ids as ``[tokens, layers, top_k]``, ``layers`` being the model's layers or its MoE
    layers, whichever the size fits (when ``rows`` are given, the one that gives one of those token counts)."""
    k = info.n_experts_used
    candidates = list(dict.fromkeys((info.n_layers, len(info.moe_layers))))
    fitting = [layers for layers in candidates if layers and k and flat.size % (layers * k) == 0]
    if rows:
        fitting = [layers for layers in fitting if flat.size // (layers * k) in rows]
    if not fitting:
        expected = " or ".join(f"{layers} layers × {k}" for layers in candidates if layers)
        counted = f" for {' or '.join(map(str, rows))} tokens" if rows else ""
        raise RemoteError(MALFORMED, f"The server's routed experts hold {flat.size} numbers, which fit no "
                          f"[tokens, {expected}] table{counted}.")
    return flat.reshape(-1, fitting[0], k)


def moe_rows(ids: np.ndarray, info: ModelInfo) -> np.ndarray:
    """``ids`` ``[tokens, layers, top_k]`` narrowed to the model's MoE layers, in ``info.moe_layers`` order:
    a layer axis over all the model's layers is indexed by layer number, one over the MoE layers only is
    taken as it is (reported layer i is ``info.moe_layers[i]``). Checks the numbers."""
    tokens, layers, k = ids.shape
    if k != info.n_experts_used:
        raise RemoteError(MALFORMED, f"The server reports {k} experts per token; the model's config says "
                          f"{info.n_experts_used}.")
    if layers == len(info.moe_layers):
        chosen = ids
    elif layers == info.n_layers:
        chosen = ids[:, info.moe_layers, :]
    else:
        raise RemoteError(MALFORMED, f"The server reports routing for {layers} layers; the model's config has "
                          f"{info.n_layers} layers, {len(info.moe_layers)} of them with experts.")
    bad = (chosen < -1) | (chosen >= info.n_experts)
    if bad.any():
        value = int(chosen[bad][0])
        raise RemoteError(MALFORMED, f"The server reports expert {value}; the model has experts 0 to "
                          f"{info.n_experts - 1}.")
    return chosen


def row_routing(row: np.ndarray, info: ModelInfo) -> Routing:
    """One position's routing (``row``: ``[moe_layers, top_k]``); EMPTY_ROUTING where the server marked it
    unknown (-1)."""
    if (row < 0).any():
        return EMPTY_ROUTING
    return Routing.chosen(tuple(info.moe_layers), row)
