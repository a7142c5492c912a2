"""The random-weight demo models: valid GGUF that llama.cpp loads, runs and tokenizes, with known routing."""

from __future__ import annotations

import gguf
import numpy as np
import pytest

from app.core.engine.protocol import Generate, Token
from app.core.engine.session import EngineSession
from app.core.models.demo import DEMO_ARCHS, MIN_ROUTER_LOGIT_GAP, write_demo_model
from llama_child import run_child
from routing_reference import expected_logits, expected_routing, min_routing_margin

TEXT = "Grüße aus Köln 🚀 — hello\nworld"

# Per architecture, the options that show its particular structure.
ARCH_OPTIONS = {
    "llama": {},
    "qwen3moe": {"experts": 16, "top_k": 4},
    "deepseek2": {"dense_leading": 1, "shared_experts": 2},
}
VARIANTS = [pytest.param(arch, ARCH_OPTIONS[arch], id=arch) for arch in DEMO_ARCHS] + [
    pytest.param("llama", {"experts": 0}, id="llama-dense")
]


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    """Write each demo model once per module: model_file(arch, **options) -> path."""
    written = {}

    def write(arch, **options):
        key = (arch, tuple(sorted(options.items())))
        if key not in written:
            name = "-".join([arch, *(f"{k}{v}" for k, v in sorted(options.items()))]) + ".gguf"
            written[key] = write_demo_model(tmp_path_factory.mktemp("demo") / name, arch=arch, **options)
        return written[key]

    return write


def _fields(path) -> dict:
    reader = gguf.GGUFReader(str(path))
    return {key: field.contents() for key, field in reader.fields.items() if not key.startswith("tokenizer.")}


@pytest.mark.slow
@pytest.mark.parametrize(("arch", "options"), VARIANTS)
@pytest.mark.parametrize("dtype", ["f32", "f16"])
def test_loads_and_generates(model_file, arch, options, dtype):
    path = model_file(arch, dtype=dtype, **options)
    with EngineSession(safe=True) as session:
        loaded = session.load(str(path), n_ctx=256)
        events = list(session.generate(Generate(prompt="Hello world", max_tokens=6, temperature=0.0)))
    assert loaded.info.architecture == arch
    finished = events[-1]
    # Greedy decoding of these random weights does not reach EOS within six tokens.
    assert finished.stop_reason == "length" and finished.answer_tokens == 6
    assert sum(isinstance(event, Token) for event in events) == 6


@pytest.mark.slow
@pytest.mark.parametrize("arch", DEMO_ARCHS)
def test_tokenizer_round_trips_any_text(model_file, arch):
    vocab = run_child("tokenize", model_file(arch, **ARCH_OPTIONS[arch]), TEXT)
    assert vocab["architecture"] == arch
    assert vocab["text"] == TEXT
    assert vocab["with_bos"] == [vocab["bos"], *vocab["tokens"]]
    assert vocab["eos"] not in vocab["tokens"]


@pytest.mark.parametrize(("arch", "options"), VARIANTS)
def test_metadata_says_random_and_matches_the_structure(model_file, arch, options):
    fields = _fields(model_file(arch, **options))
    assert "random" in fields["general.name"]
    assert "random" in fields["general.description"].lower()
    assert fields["general.file_type"] == int(gguf.LlamaFileType.ALL_F32)
    assert fields[f"{arch}.block_count"] == 4
    assert fields[f"{arch}.context_length"] == 2048
    experts = options.get("experts", 8)
    assert fields.get(f"{arch}.expert_count", 0) == experts
    if arch == "deepseek2":
        assert fields["deepseek2.leading_dense_block_count"] == 1
        assert fields["deepseek2.expert_shared_count"] == 2


def test_f16_file_type(model_file):
    fields = _fields(model_file("llama", dtype="f16"))
    assert fields["general.file_type"] == int(gguf.LlamaFileType.MOSTLY_F16)


def test_default_name_describes_the_model(tmp_path):
    path = write_demo_model(tmp_path / "m.gguf", arch="deepseek2", dense_leading=1)
    expected = "MoEscope demo MoE (random weights, deepseek2 4x8e top-2, 1 dense, 1 shared)"
    assert _fields(path)["general.name"] == expected
    assert _fields(write_demo_model(tmp_path / "n.gguf", name="Mine"))["general.name"] == "Mine"


@pytest.mark.parametrize(
    "options",
    [
        {"arch": "gpt2"},
        {"dtype": "q4_0"},
        {"layers": 0},
        {"top_k": 9},
        {"top_k": 0},
        {"embd": 64, "heads": 5},
        {"embd": 60, "heads": 4, "kv_heads": 1},  # odd head size
        {"heads": 4, "kv_heads": 3},
        {"experts": -1},
        {"arch": "qwen3moe", "experts": 0},
        {"arch": "llama", "dense_leading": 1},
        {"arch": "qwen3moe", "shared_experts": 1},
        {"arch": "deepseek2", "dense_leading": 4, "shared_experts": 1},
        {"arch": "deepseek2", "shared_experts": 0},
        {"transparent": True, "dtype": "f16"},
        {"ff": 0},
    ],
)
def test_invalid_parameters_raise(tmp_path, options):
    with pytest.raises(ValueError):
        write_demo_model(tmp_path / "bad.gguf", **options)
    assert not (tmp_path / "bad.gguf").exists()


def test_same_seed_same_bytes(tmp_path):
    for arch in DEMO_ARCHS:
        options = {**ARCH_OPTIONS[arch], "arch": arch, "transparent": True}
        a = write_demo_model(tmp_path / f"{arch}-a.gguf", seed=7, **options).read_bytes()
        b = write_demo_model(tmp_path / f"{arch}-b.gguf", seed=7, **options).read_bytes()
        c = write_demo_model(tmp_path / f"{arch}-c.gguf", seed=8, **options).read_bytes()
        assert a == b
        assert a != c


@pytest.mark.parametrize("arch", DEMO_ARCHS)
def test_transparent_routing_has_clear_margins(model_file, arch):
    path = model_file(arch, transparent=True, **ARCH_OPTIONS[arch])
    every_token = range(len(gguf.GGUFReader(str(path)).fields["tokenizer.ggml.tokens"].contents()))
    assert min_routing_margin(path, every_token) >= MIN_ROUTER_LOGIT_GAP


@pytest.mark.parametrize("arch", DEMO_ARCHS)
def test_reference_routing_follows_the_architecture(model_file, arch):
    options = ARCH_OPTIONS[arch]
    routing = expected_routing(model_file(arch, transparent=True, **options), [0, 65, 200])
    experts, k = options.get("experts", 8), options.get("top_k", 2)
    # deepseek2's weights are normalised and scaled by expert_weights_scale (2.5); the others sum to 1.
    total = 2.5 if arch == "deepseek2" else 1.0
    moe_layers = list(range(options.get("dense_leading", 0), 4))
    for per_layer in routing:
        assert list(per_layer) == moe_layers
        for chosen in per_layer.values():
            ids = [e for e, _ in chosen]
            assert len(set(ids)) == k and all(0 <= e < experts for e in ids)
            assert sum(w for _, w in chosen) == pytest.approx(total)
    assert routing[0] != routing[1] or routing[1] != routing[2]  # routing depends on the token


def test_reference_refuses_a_model_that_is_not_transparent(model_file):
    with pytest.raises(ValueError, match="not a transparent model"):
        expected_routing(model_file("llama"), [0])


@pytest.mark.slow
@pytest.mark.parametrize("arch", DEMO_ARCHS)
def test_transparent_logits_match_numpy(model_file, arch):
    """Every position's logits in a transparent model depend only on its token: output(norm(embedding))."""
    path = model_file(arch, transparent=True, **ARCH_OPTIONS[arch])
    evaluated = run_child("logits", path, TEXT)
    expected = expected_logits(path, evaluated["tokens"])
    np.testing.assert_allclose(np.asarray(evaluated["logits"]), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.slow
def test_readable_demo_writes_only_letters_spaces_and_punctuation(tmp_path):
    from app.core.models.demo import READABLE_BYTES

    model = write_demo_model(tmp_path / "readable.gguf", arch="qwen3moe", layers=4, experts=8, readable=True, seed=7)
    with EngineSession() as session:
        session.load(str(model))
        events = list(session.generate(Generate(prompt="Hallo, wie geht es?", max_tokens=80, temperature=0.8,
                                                seed=1)))
    text = "".join(e.text for e in events if isinstance(e, Token))
    assert len(text) >= 10
    assert set(text) <= set(READABLE_BYTES.decode())


def test_readable_and_transparent_exclude_each_other(tmp_path):
    with pytest.raises(ValueError, match="transparent and readable"):
        write_demo_model(tmp_path / "x.gguf", transparent=True, readable=True)


def test_chat_template_and_sampling_are_written_as_asked(tmp_path):
    from app.core.models.demo import CHAT_TEMPLATE, REASONING_TEMPLATE
    from app.core.models.gguf import inspect_gguf

    def template(path) -> str | None:
        field = gguf.GGUFReader(str(path)).fields.get("tokenizer.chat_template")
        return None if field is None else bytes(field.parts[-1]).decode()

    default = write_demo_model(tmp_path / "default.gguf", layers=1)
    reasoning = write_demo_model(tmp_path / "reasoning.gguf", layers=1, chat_template=REASONING_TEMPLATE,
                                 sampling={"temperature": 0.6, "top_k": 20})
    bare = write_demo_model(tmp_path / "bare.gguf", layers=1, chat_template=None)
    assert template(default) == CHAT_TEMPLATE and template(reasoning) == REASONING_TEMPLATE
    assert template(bare) is None and inspect_gguf(bare).has_chat_template is False
    assert inspect_gguf(reasoning).sampling == {"temperature": 0.6, "top_k": 20}
