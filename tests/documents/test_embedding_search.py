"""Search by meaning end to end, as an administrator would run it: a synthetic embedding model written by
``make-demo-model --arch bert``, ``moescope docs index --embedding-model`` giving every passage its vector in
an engine process, and ``docs search`` fusing the words' ranking with the vectors'. The model is a bag of
letter pairs (app.core.models.demo_embedding), so a misspelt word, which no word search finds, still lands
nearest to the passages that hold the word."""

import json
import os
import subprocess
import sys

import numpy as np
from documents_corpus import write_corpus

from app.core.documents.embedding import PassageEmbedder
from app.core.documents.store import DocumentIndex
from app.core.models.demo_embedding import write_embedding_model


def docs_cli(data_dir, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "docs", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "MOESCOPE_DATA_DIR": str(data_dir)})


def test_passages_get_vectors_from_the_engine_and_a_misspelt_question_is_found_by_meaning(tmp_path):
    corpus = write_corpus(tmp_path / "docs")
    model = write_embedding_model(tmp_path / "models" / "embedding.gguf")
    data = tmp_path / "data"

    done = docs_cli(data, "index", str(tmp_path / "docs"), "--collection", "Firma", "--embedding-model", str(model))
    assert done.returncode == 0, done.stderr
    assert "Search by meaning with MoEscope demo" in done.stdout
    assert ": 10 of 10 passages have their vector." in done.stdout

    misspelt = "Urlaubsantrg"
    words_only = docs_cli(data, "search", "Firma", misspelt, "--json")
    assert words_only.returncode == 0, words_only.stderr
    with DocumentIndex(data / "documents.sqlite3") as index:
        assert index.search(["Firma"], misspelt, 5) == []  # no word of it in any passage
        stored = {chunk_id: np.frombuffer(blob, "<f4") for chunk_id, blob in index._vector_rows(1)}
        texts = dict(index.db.execute(
            "SELECT id, CASE WHEN heading = '' THEN text ELSE heading || char(10) || text END FROM chunks"))
    hits = [json.loads(line) for line in words_only.stdout.splitlines()]
    assert hits and hits[0]["file"] == str(corpus["urlaub_pdf"])  # found by its vector alone

    with PassageEmbedder(model) as embedder:  # the index holds what the engine computes for each passage
        ids = sorted(stored)
        again = embedder.embed_passages([texts[chunk_id] for chunk_id in ids])
    assert np.allclose(np.stack([stored[chunk_id] for chunk_id in ids]), again, atol=1e-5)
    assert np.allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-5)

    listed = docs_cli(data, "list")
    assert "by meaning with MoEscope demo" in listed.stdout and "(10 vectors)" in listed.stdout
    dropped = docs_cli(data, "index", str(tmp_path / "docs"), "--collection", "Firma", "--words-only")
    assert dropped.returncode == 0 and "Search by meaning" not in dropped.stdout
    assert docs_cli(data, "search", "Firma", misspelt, "--json").stdout == ""


def test_a_chat_model_given_as_embedding_model_is_refused_before_anything_is_read(tmp_path):
    from app.core.models.demo import write_demo_model

    write_corpus(tmp_path / "docs")
    chat = write_demo_model(tmp_path / "chat.gguf", layers=1)
    done = docs_cli(tmp_path / "data", "index", str(tmp_path / "docs"), "--collection", "Firma",
                    "--embedding-model", str(chat))
    assert done.returncode == 2
    assert "chat.gguf is not an embedding model (llama writes text)" in done.stderr
