"""llama.cpp for tests, in a process of its own: an abort() there fails one test, never the whole run.

Tests call ``run_child(operation, model, argument)``. The child (``python -m tests.support.llama_child``)
loads the model in compatibility mode (no extra buffer types, see app.core.engine.compat), prints one JSON
object on its own copy of stdout (llama.cpp's output goes to stderr) and exits. If it dies, the test
fails with its exit status and the end of its stderr.

Operations, for what the engine protocol does not offer:
    tokenize MODEL TEXT: the vocabulary alone: TEXT's tokens without and with BOS, the tokens'
        text put back together, the BOS and EOS tokens and llama.cpp's ``general.architecture``.
    logits MODEL TEXT: TEXT's tokens (with BOS) evaluated in one batch, and every position's logits.
    stop-after MODEL N: app.core.engine.llama_driver.Engine generating greedily, asked to stop from its ``emit``
        callback right after the N-th answer token; the Finished event it returned (its wire form), with
        ``emitted_tokens``: how many Token events it emitted.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STDERR_LINES = 20


def run_child(operation: str, model, argument, timeout: float = 300) -> dict:
    """Run one operation in a child process and return what it printed; a dead child fails the test."""
    import pytest

    from app.core.engine.exits import EngineExit

    command = [sys.executable, "-m", "tests.support.llama_child", operation, str(model), str(argument)]
    # Without a backtrace (gdb's, where installed), llama.cpp's own message is the end of stderr.
    env = {**os.environ, "GGML_NO_BACKTRACE": "1"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.splitlines()[-STDERR_LINES:])
        pytest.fail(f"llama.cpp ({operation} {Path(model).name}) {EngineExit(result.returncode).describe()}:\n{tail}",
                    pytrace=False)
    return json.loads(result.stdout)


def _load(path: str, vocab_only: bool = False):
    from llama_cpp import llama_cpp as ll

    ll.llama_backend_init()
    params = ll.llama_model_default_params()
    params.use_extra_bufts = False
    params.vocab_only = vocab_only
    model = ll.llama_model_load_from_file(os.fsencode(path), params)
    if not model:
        raise SystemExit(f"llama.cpp could not load {path}")
    return ll, model


def _tokenize(ll, vocab, text: str, add_bos: bool) -> list[int]:
    data = text.encode("utf-8")
    tokens = (ll.llama_token * (len(data) + 8))()
    count = ll.llama_tokenize(vocab, data, len(data), tokens, len(tokens), add_bos, False)
    if count < 0:
        raise SystemExit(f"llama_tokenize returned {count}")
    return list(tokens[:count])


def _piece(ll, vocab, token: int) -> bytes:
    buffer = ctypes.create_string_buffer(256)
    size = ll.llama_token_to_piece(vocab, token, buffer, len(buffer), 0, False)
    return buffer.raw[:size]


def tokenize(path: str, text: str) -> dict:
    ll, model = _load(path, vocab_only=True)
    vocab = ll.llama_model_get_vocab(model)
    architecture = ctypes.create_string_buffer(64)
    ll.llama_model_meta_val_str(model, b"general.architecture", architecture, len(architecture))
    tokens = _tokenize(ll, vocab, text, add_bos=False)
    return {
        "tokens": tokens,
        "text": b"".join(_piece(ll, vocab, token) for token in tokens).decode("utf-8"),
        "with_bos": _tokenize(ll, vocab, text, add_bos=True),
        "bos": ll.llama_vocab_bos(vocab),
        "eos": ll.llama_vocab_eos(vocab),
        "architecture": architecture.value.decode(),
    }


def logits(path: str, text: str) -> dict:
    ll, model = _load(path)
    vocab = ll.llama_model_get_vocab(model)
    tokens = _tokenize(ll, vocab, text, add_bos=True)
    params = ll.llama_context_default_params()
    params.n_ctx = params.n_batch = params.n_ubatch = 256
    ctx = ll.llama_init_from_model(model, params)
    batch = ll.llama_batch_init(len(tokens), 0, 1)
    batch.n_tokens = len(tokens)
    for i, token in enumerate(tokens):
        batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = token, i, 1, True
        batch.seq_id[i][0] = 0
    status = ll.llama_decode(ctx, batch)
    if status != 0:
        raise SystemExit(f"llama_decode returned {status}")
    n_vocab = ll.llama_vocab_n_tokens(vocab)
    rows = [ll.llama_get_logits_ith(ctx, i)[:n_vocab] for i in range(len(tokens))]
    return {"tokens": tokens, "logits": rows}


def stop_after(path: str, count: str) -> dict:
    from app.core.engine.llama_driver import Engine
    from app.core.engine.protocol import Generate, Token

    engine = Engine()
    engine.load(path, n_ctx=512, safe=True)
    answer = []

    def emit(event) -> None:
        if isinstance(event, Token):
            answer.append(event)
            if len(answer) == int(count):
                engine.stop_requested.set()

    finished = engine.generate(Generate(prompt="Experten", max_tokens=200, temperature=0.0), emit)
    return {**finished.to_wire(), "emitted_tokens": len(answer)}


OPERATIONS = {"tokenize": tokenize, "logits": logits, "stop-after": stop_after}


def main(argv: list[str]) -> None:
    operation, path, argument = argv
    out = os.dup(1)
    os.dup2(2, 1)  # whatever llama.cpp prints goes to stderr; the answer has stdout to itself
    answer = OPERATIONS[operation](path, argument)
    os.write(out, json.dumps(answer).encode())


if __name__ == "__main__":
    main(sys.argv[1:])
