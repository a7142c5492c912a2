"""Putting found passages in front of the model: the request for an answer from the user's documents.

The passages go into the system message, numbered, each with its file, page and heading, after the
conversation's own system prompt, together with the instruction to answer from them alone, to cite them
as [1], [2], and to say so when they do not hold the answer. They take at most CONTEXT_SHARE of the
model's context (estimated at CHARS_PER_TOKEN characters a token), best passage first; one that does not
fit whole is left out, unless it is the first, which is cut.

The question searched for is the last message of the user. When no passage matches, no request is made
at all: the window says that the documents do not answer the question, so the model cannot guess.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from app.core.documents.store import Hit
from app.core.engine import protocol

CONTEXT_SHARE = 0.5
"""At most this share of the model's context goes to the passages; the conversation and answer get the rest."""

CHARS_PER_TOKEN = 3.5
"""Characters per token in German and English prose, on the low side, so that the estimate rather
under-fills the context."""

INSTRUCTION = (
    "Answer the user's question using only the numbered passages from the user's documents below. Cite "
    "each passage you use by its number in brackets, like [1]. If the passages do not contain the answer, "
    "say that the documents do not answer the question, and do not guess.")


def question_of(request: protocol.Generate) -> str:
    """What to search the documents for: the request's last user message (or its prompt)."""
    if request.messages is None:
        return request.prompt or ""
    return next((turn.content for turn in reversed(request.messages) if turn.role == protocol.USER), "")


def prompt_label(hit: Hit) -> str:
    """Where a passage is, for the model (the window says it in the user's language): file name, page, heading ("Handbuch.pdf, p. 4,
    Urlaub")."""
    parts = [PurePath(hit.path).name]
    if hit.page is not None:
        parts.append(f"p. {hit.page}")
    if hit.heading:
        parts.append(hit.heading)
    return ", ".join(parts)


def grounded(request: protocol.Generate, hits: list[Hit], n_ctx: int) -> tuple[protocol.Generate, list[Hit]]:
    """``request`` with the passages ``hits`` before the conversation, as many as fit in the context
    budget; and the passages used, in the order of their numbers."""
    budget = int(max(n_ctx, 256) * CONTEXT_SHARE * CHARS_PER_TOKEN)
    used: list[Hit] = []
    blocks: list[str] = []
    for hit in hits:
        block = f"[{len(used) + 1}] {prompt_label(hit)}\n{hit.text}"
        spent = sum(len(each) + 2 for each in blocks)
        if spent + len(block) > budget:
            if used:
                continue
            block = block[:budget]
        used.append(hit)
        blocks.append(block)
    turns = list(request.messages or (protocol.ChatMessage(protocol.USER, request.prompt or ""),))
    system = INSTRUCTION + "\n\n" + "\n\n".join(blocks)
    if turns and turns[0].role == protocol.SYSTEM:
        system = turns.pop(0).content.rstrip() + "\n\n" + system
    messages = (protocol.ChatMessage(protocol.SYSTEM, system), *turns)
    return replace(request, prompt=None, messages=messages), used
