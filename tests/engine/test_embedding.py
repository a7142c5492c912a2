"""Embeddings in the engine process: llama.cpp's vectors of the synthetic bert model against an independent
numpy computation from the file's own tensors, tokenized by an independent WordPiece; texts packed into one
batch against one by one; the wrong request for a context refused in words; a stop; make-demo-model --arch
bert."""

from __future__ import annotations

import queue
import subprocess
import sys
import unicodedata

import gguf
import numpy as np
import pytest

from app.core.engine import protocol
from app.core.engine.client import EngineClient
from app.core.engine.embedding import batches
from app.core.engine.session import EngineSession, SessionError
from app.core.models.demo import write_demo_model
from app.core.models.demo_embedding import write_embedding_model
from gguf_edit import rewrite_gguf
from llama_child import ROOT, run_child

CONTEXT = 512
ENGLISH = "The quarterly revenue report (Q3, 2024) is due on Friday; café façade!"
GERMAN = "Grüße aus Köln: ÄRGER über die Größe – der Urlaubsantrag wurde eingereicht."
LONG = "Urlaubsantrag " * 200  # 7 tokens a word: far beyond the context
TEXTS = [ENGLISH, GERMAN, "", LONG]


class Model:
    """What a reference needs from a bert GGUF file, read with gguf's own reader (not MoEscope's code)."""

    def __init__(self, path) -> None:
        reader = gguf.GGUFReader(str(path))
        self.fields = {name: field.contents() for name, field in reader.fields.items()}
        self.tensors = {tensor.name: np.array(tensor.data, dtype=np.float64) for tensor in reader.tensors}
        self.vocab = {piece: token for token, piece in enumerate(self.fields["tokenizer.ggml.tokens"])}
        self.cls = self.fields["tokenizer.ggml.bos_token_id"]
        self.sep = self.fields["tokenizer.ggml.seperator_token_id"]
        self.unk = self.fields["tokenizer.ggml.unknown_token_id"]
        self.layers = self.fields["bert.block_count"]
        self.eps = self.fields["bert.attention.layer_norm_epsilon"]

    def tokens(self, text: str, limit: int = CONTEXT) -> list[int]:
        """Greedy longest-match WordPiece over words that start with "▁", as BERT's tokenizer does it: lowercase,
        no accent stripping (the file says so), words split at whitespace and at punctuation."""
        assert self.fields["tokenizer.ggml.normalizer.lowercase"] is True
        assert self.fields["tokenizer.ggml.normalizer.strip_accents"] is False
        ids = []
        for word in _words(text.lower()):
            piece, start, found = "\u2581" + word, 0, []
            while start < len(piece):
                end = next((end for end in range(len(piece), start, -1) if piece[start:end] in self.vocab), None)
                if end is None:
                    found = [self.unk]  # a character the vocabulary lacks: the whole word is unknown
                    break
                found.append(self.vocab[piece[start:end]])
                start = end
            ids += found
        ids = [self.cls, *ids, self.sep]
        return ids if len(ids) <= limit else ids[:limit - 1] + [self.sep]

    def vector(self, ids: list[int], pooling: str = "mean") -> np.ndarray:
        """The transparent model's output: each layer adds zero (asserted) and applies its two LayerNorms."""
        t = self.tensors
        for il in range(self.layers):
            for zero in ("attn_output.weight", "attn_output.bias", "ffn_down.weight", "ffn_down.bias"):
                assert not t[f"blk.{il}.{zero}"].any()
        hidden = t["token_embd.weight"][ids] + t["token_types.weight"][0] + t["position_embd.weight"][:len(ids)]
        hidden = self._norm(hidden, "token_embd_norm")
        for il in range(self.layers):
            hidden = self._norm(self._norm(hidden, f"blk.{il}.attn_output_norm"), f"blk.{il}.layer_output_norm")
        pooled = hidden.mean(axis=0) if pooling == "mean" else hidden[0]
        return pooled / np.linalg.norm(pooled)

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        centred = x - x.mean(axis=1, keepdims=True)
        normed = centred / np.sqrt((centred**2).mean(axis=1, keepdims=True) + self.eps)
        return normed * self.tensors[f"{name}.weight"] + self.tensors[f"{name}.bias"]


def _words(text: str) -> list[str]:
    """llama.cpp's WPM pre-tokenizer: whitespace ends a word, control characters vanish, punctuation and ASCII
    symbols are words of their own."""
    words, word = [], ""
    for char in text:
        category = unicodedata.category(char)
        if char.isspace() or category.startswith("P") or (category.startswith("S") and ord(char) < 0x7F):
            words += [word] if word else []
            word = ""
            if not char.isspace():
                words.append(char)
        elif category != "Cc":
            word += char
    return words + ([word] if word else [])


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    return write_embedding_model(tmp_path_factory.mktemp("models") / "embedding.gguf", context=CONTEXT, seed=5)


@pytest.fixture(scope="module")
def reference(model_path):
    return Model(model_path)


@pytest.fixture(scope="module")
def session(model_path):
    """An engine with the embedding model, loaded as the window's first load of a model is: probed."""
    with EngineSession() as started:
        loaded = started.load(str(model_path), n_ctx=2048, embedding=True)
        assert loaded.n_ctx == CONTEXT and loaded.info.is_embedding
        yield started


@pytest.mark.slow
def test_vectors_equal_the_reference_computed_from_the_file(session, reference, model_path):
    embedded = session.embed(TEXTS)
    expected_ids = [reference.tokens(text) for text in TEXTS]
    for text, ids in zip(TEXTS[:3], expected_ids):  # what llama.cpp itself makes of the texts
        assert run_child("tokenize", model_path, text)["with_bos"] == ids, text
    assert run_child("tokenize", model_path, LONG)["with_bos"][:CONTEXT - 1] == expected_ids[3][:-1]
    assert reference.unk in expected_ids[0]  # façade: ç is no piece
    assert {reference.vocab["\u2581gr"], reference.vocab["üß"], reference.vocab["\u2581är"]} <= set(expected_ids[1])
    assert expected_ids[2] == [reference.cls, reference.sep] and len(expected_ids[3]) == CONTEXT

    assert embedded.vectors.shape == (4, 128) and embedded.vectors.dtype == np.float32
    assert embedded.tokens == sum(map(len, expected_ids)) and embedded.truncated == 1
    expected = np.stack([reference.vector(ids) for ids in expected_ids])
    assert np.abs(embedded.vectors - expected).max() < 1e-4
    assert np.allclose(np.linalg.norm(embedded.vectors, axis=1), 1.0, atol=1e-6)


@pytest.mark.slow
def test_similar_texts_are_nearer_than_unrelated_ones(session):
    vectors = session.embed(["Urlaubsantrag einreichen", "Urlaubsantrag stellen", "Quarterly revenue report",
                             "URLAUBSANTRAG EINREICHEN"]).vectors
    similar, unrelated = vectors[0] @ vectors[1], max(vectors[0] @ vectors[2], vectors[1] @ vectors[2])
    assert similar > unrelated + 0.2
    assert vectors[0] @ vectors[3] == pytest.approx(1.0, abs=1e-6)  # lowercased before the pieces are matched


@pytest.mark.slow
def test_many_texts_in_one_call_equal_the_same_texts_one_by_one(session):
    texts = [f"Antrag {i}: " + "Größe Köln revenue " * (i % 9) for i in range(50)] + ["", LONG]
    together = session.embed(texts)
    alone = [session.embed([text]) for text in texts]
    assert np.abs(together.vectors - np.concatenate([one.vectors for one in alone])).max() < 1e-5
    assert together.tokens == sum(one.tokens for one in alone) and together.truncated == 1
    empty = session.embed([])
    assert empty.vectors.shape == (0, 128) and empty.tokens == 0


@pytest.mark.parametrize("lengths, budget, most, expected", [
    ([2] * 100, 512, 64, [(0, 64), (64, 36)]),  # [CLS] [SEP] a hundred times: as many texts as a batch takes
    ([200, 200, 200, 100], 512, 64, [(0, 2), (2, 2)]),
    ([600, 2, 2, 700], 512, 64, [(0, 1), (1, 2), (3, 1)]),  # a text beyond the budget has a batch of its own
    ([5] * 9, 300, 4, [(0, 4), (4, 4), (8, 1)]),
    ([], 512, 64, []),
])
def test_texts_are_packed_into_batches_in_order(lengths, budget, most, expected):
    assert list(batches(lengths, budget, most)) == expected


@pytest.mark.slow
def test_texts_packed_together_stay_apart_in_attention(tmp_path):
    """A model whose layers mix tokens: a text's vector changes when its own words change, but not when other
    texts share its batch. An odd context (300) makes fewer sequences per batch (they must divide it)."""
    opaque = write_embedding_model(tmp_path / "opaque.gguf", transparent=False, seed=3)
    texts = [f"Antrag {i}: " + "Größe Köln revenue " * (i % 9) for i in range(50)]
    with EngineSession(safe=True) as session:
        assert session.load(str(opaque), n_ctx=300, embedding=True).n_ctx == 300
        together = session.embed(texts).vectors
        alone = np.concatenate([session.embed([text]).vectors for text in texts])
        changed = session.embed([texts[10] + " mehr"]).vectors[0]
    noise = np.abs(together - alone).max()
    assert noise < 5e-4  # the order of float sums differs between batch shapes, nothing more
    assert np.abs(changed - alone[10]).max() > 100 * noise  # what one more word does: a leak would show


@pytest.mark.slow
def test_pooling_is_the_model_s_own_and_mean_where_it_names_none(tmp_path, model_path, reference):
    cls_model, no_pooling = tmp_path / "cls.gguf", tmp_path / "none.gguf"
    rewrite_gguf(model_path, cls_model, {"bert.pooling_type": 2})
    rewrite_gguf(model_path, no_pooling, {"bert.pooling_type": 0})
    with EngineSession(safe=True) as session:
        session.load(str(cls_model), n_ctx=CONTEXT, embedding=True)
        by_cls = session.embed([ENGLISH, GERMAN]).vectors
        session.load(str(no_pooling), n_ctx=CONTEXT, embedding=True)
        by_mean = session.embed([ENGLISH]).vectors[0]
    # A transparent model's [CLS] row never sees the text: every text has the [CLS] token's vector.
    assert np.abs(by_cls - reference.vector([reference.cls], pooling="cls")).max() < 1e-4
    assert np.abs(by_mean - reference.vector(reference.tokens(ENGLISH))).max() < 1e-4


@pytest.mark.slow
def test_a_reranker_is_refused_and_the_model_before_it_keeps_working(tmp_path, model_path):
    reranker = tmp_path / "reranker.gguf"
    rewrite_gguf(model_path, reranker, {"bert.pooling_type": 4})
    with EngineSession(safe=True) as session:
        session.load(str(model_path), n_ctx=CONTEXT, embedding=True)
        with pytest.raises(SessionError, match="reranker: it scores pairs of texts"):
            session.load(str(reranker), n_ctx=CONTEXT, embedding=True)
        assert session.embed(["noch da"]).vectors.shape == (1, 128)


@pytest.mark.slow
def test_each_context_refuses_the_other_request_in_words_and_keeps_working(tmp_path, model_path):
    chat = write_demo_model(tmp_path / "chat.gguf", arch="qwen3moe", layers=2)
    with EngineSession(safe=True) as session:
        session.load(str(chat), n_ctx=256)
        with pytest.raises(SessionError, match="loaded for answers; load it as an embedding model"):
            session.embed(["Hallo"])
        answer = list(session.generate(protocol.Generate(prompt="Hallo", max_tokens=3, temperature=0.0)))
        assert answer[-1].answer_tokens == 3

        session.load(str(model_path), n_ctx=CONTEXT, embedding=True)
        with pytest.raises(SessionError, match="loaded for embeddings; it writes no text"):
            list(session.generate(protocol.Generate(prompt="Hallo", max_tokens=3)))
        assert session.embed(["Hallo"]).vectors.shape == (1, 128)

        session.load(str(chat), n_ctx=256, embedding=True)  # a chat model's hidden states, mean-pooled
        vectors = session.embed(["Hallo Welt", "Hallo Welt", "Quarterly revenue"]).vectors
        assert vectors.shape == (3, 64) and np.allclose(vectors[0], vectors[1], atol=1e-5)


def test_an_embedding_model_loaded_to_answer_is_refused_by_its_reason_and_the_model_before_stays(
        tmp_path, model_path):
    chat = write_demo_model(tmp_path / "chat.gguf", arch="llama", layers=1)
    with EngineSession(safe=True) as session:
        session.load(str(chat), n_ctx=256)
        session.client.send(protocol.Load(str(model_path), n_ctx=256))
        refusal = session._events.get(timeout=60)
        assert isinstance(refusal, protocol.Error) and refusal.kind == protocol.BAD_MODEL
        assert (refusal.reason, refusal.still_loaded) == ("embedding_model", str(chat))
        assert "is an embedding model (bert): it turns text into vectors" in refusal.message
        answer = list(session.generate(protocol.Generate(prompt="Hallo", max_tokens=2, temperature=0.0)))
        assert answer[-1].answer_tokens == 2


@pytest.mark.slow
def test_stop_ends_an_embedding_with_an_error_and_the_engine_goes_on(model_path):
    events: queue.Queue = queue.Queue()
    client = EngineClient(events.put)
    client.start()
    try:
        assert isinstance(events.get(timeout=60), protocol.Ready)
        client.send(protocol.Load(str(model_path), CONTEXT, embedding=True, safe=True))
        assert isinstance(events.get(timeout=60), protocol.Loaded)
        client.send(protocol.Embed((LONG,) * 400))
        client.stop_generation()
        stopped = events.get(timeout=60)
        assert isinstance(stopped, protocol.Error) and stopped.kind == protocol.STOPPED
        client.send(protocol.Embed(("weiter",)))
        after = events.get(timeout=60)
        assert isinstance(after, protocol.Embedded) and after.vectors.shape == (1, 128)
        client.send(protocol.Forget())  # an embedding context keeps nothing to forget
        assert isinstance(events.get(timeout=60), protocol.Forgotten)
        client.stop_generation()  # a stop while idle does not make the next load's probe fail
        client.send(protocol.Load(str(model_path), CONTEXT, embedding=True, probe=True))
        assert isinstance(events.get(timeout=60), protocol.Loaded)
    finally:
        client.close()


@pytest.mark.slow
def test_make_demo_model_writes_a_loadable_embedding_model_byte_for_byte_again(tmp_path):
    def make(name: str, *options: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "app", "make-demo-model", str(tmp_path / name), "--arch", "bert",
                               *options], cwd=ROOT, capture_output=True, text=True, timeout=120)

    assert make("a.gguf", "--seed", "7", "--layers", "1").returncode == 0
    assert make("b.gguf", "--seed", "7", "--layers", "1").returncode == 0
    assert make("c.gguf", "--seed", "8", "--layers", "1").returncode == 0
    first = (tmp_path / "a.gguf").read_bytes()
    assert first == (tmp_path / "b.gguf").read_bytes() and first != (tmp_path / "c.gguf").read_bytes()
    refused = make("d.gguf", "--experts", "4", "--dtype", "f16")
    assert refused.returncode == 2 and not (tmp_path / "d.gguf").exists()
    assert "--experts, --dtype cannot be used with --arch bert" in refused.stderr

    reference = Model(tmp_path / "a.gguf")
    assert reference.layers == 1 and "random weights" in reference.fields["general.name"]
    with EngineSession(safe=True) as session:
        loaded = session.load(str(tmp_path / "a.gguf"), embedding=True)
        vector = session.embed([GERMAN]).vectors[0]
    assert loaded.info.architecture == "bert" and loaded.n_ctx == CONTEXT
    assert np.abs(vector - reference.vector(reference.tokens(GERMAN))).max() < 1e-4
