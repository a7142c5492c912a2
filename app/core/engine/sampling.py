"""The sampler of one answer: the request's settings, else the model's own defaults, else app.core.defaults.

A GGUF may recommend sampling settings under ``general.sampling.*`` (``app.core.models.gguf`` reads them
into ``ModelInfo.sampling``, keyed by the Generate field names). A Generate field left at None takes the
model's value where it has one and the shared default otherwise.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from app.core import defaults
from app.core.engine.protocol import Generate

PENALTY_LAST_N = 64
"""Tokens the repeat penalty looks back over."""


@dataclass(frozen=True)
class Sampling:
    """The settings an answer is sampled with, every one decided; ``seed`` is the one actually used."""

    temperature: float
    top_p: float
    top_k: int
    min_p: float
    repeat_penalty: float
    seed: int

    def to_dict(self) -> dict:
        return asdict(self)


_FALLBACKS = {"temperature": defaults.TEMPERATURE, "top_p": defaults.TOP_P, "top_k": defaults.TOP_K,
              "min_p": defaults.MIN_P, "repeat_penalty": defaults.REPEAT_PENALTY}


def resolve(request: Generate, model_defaults: dict) -> Sampling:
    """Each setting from the request, else ``model_defaults`` (ModelInfo.sampling), else app.core.defaults."""
    chosen = {}
    for key, fallback in _FALLBACKS.items():
        value = getattr(request, key)
        if value is None:
            value = model_defaults.get(key, fallback)
        chosen[key] = type(fallback)(value)
    seed = request.seed if request.seed is not None else int.from_bytes(os.urandom(4), "little")
    return Sampling(seed=seed & 0xFFFFFFFF, **chosen)


def make_sampler(ll, vocab, sampling: Sampling, grammar: str | None = None):
    """A llama.cpp sampler chain: grammar, repeat penalty, then greedy (temperature <= 0) or top-k, top-p,
    min-p, temperature and a seeded draw. Raises ValueError for a grammar llama.cpp cannot parse."""
    chain = ll.llama_sampler_chain_init(ll.llama_sampler_chain_default_params())
    if grammar:
        constraint = ll.llama_sampler_init_grammar(vocab, grammar.encode(), b"root")
        if not constraint:
            ll.llama_sampler_free(chain)
            raise ValueError("llama.cpp could not parse the grammar")
        ll.llama_sampler_chain_add(chain, constraint)
    if sampling.repeat_penalty and sampling.repeat_penalty != 1.0:
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_penalties(
            ll.llama_vocab_n_tokens(vocab), PENALTY_LAST_N, sampling.repeat_penalty, 0.0, 0.0))
    if sampling.temperature <= 0:
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_greedy())
        return chain
    ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_top_k(sampling.top_k))
    ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_top_p(sampling.top_p, 1))
    if sampling.min_p > 0:
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_min_p(sampling.min_p, 1))
    ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_temp(sampling.temperature))
    ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_dist(sampling.seed))
    return chain
