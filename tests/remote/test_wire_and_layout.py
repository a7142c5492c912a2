"""What servers send, read strictly (app.core.remote.wire), the layout from a config.json
(app.core.remote.layout), and a Routing without weights (app.core.engine.routing)."""

import base64
import json

import numpy as np
import pytest

from app.core.engine import protocol
from app.core.engine.routing import EMPTY_ROUTING, Routing
from app.core.remote.errors import MALFORMED, SERVER, RemoteError
from app.core.remote.layout import ConfigError, ServerModel, config_layout, model_info, read_config
from app.core.remote.profiles import ServerProfile
from app.core.remote.wire import decode_ids, moe_rows, parse_chunk, parse_response, row_routing, shape_ids, sse_data

DEEPSEEK_V3 = dict(model_type="deepseek_v3", num_hidden_layers=61, first_k_dense_replace=3, moe_layer_freq=1,
                   n_routed_experts=256, num_experts_per_tok=8, n_shared_experts=1, hidden_size=7168,
                   intermediate_size=18432, moe_intermediate_size=2048, num_attention_heads=128,
                   num_key_value_heads=128, q_lora_rank=1536, kv_lora_rank=512, qk_nope_head_dim=128,
                   qk_rope_head_dim=64, v_head_dim=128, vocab_size=129280, max_position_embeddings=163840)
QWEN3_30B_A3B = dict(model_type="qwen3_moe", num_hidden_layers=48, num_experts=128, num_experts_per_tok=8,
                     hidden_size=2048, intermediate_size=6144, moe_intermediate_size=768, num_attention_heads=32,
                     num_key_value_heads=4, head_dim=128, vocab_size=151936, decoder_sparse_step=1,
                     mlp_only_layers=[])
MIXTRAL_8X7B = dict(model_type="mixtral", num_hidden_layers=32, num_local_experts=8, num_experts_per_tok=2,
                    hidden_size=4096, intermediate_size=14336, num_attention_heads=32, num_key_value_heads=8,
                    vocab_size=32000)
PROFILE = ServerProfile("gpu01", "https://gpu01.example.internal:30000/v1", "deepseek-ai/DeepSeek-V3", "sglang")


# --- layout ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("config, total, active, dense", [
    (DEEPSEEK_V3, 671e9, 37e9, 3),  # the model card: 671 B total, 37 B active
    (QWEN3_30B_A3B, 30.5e9, 3.3e9, 0),
    (MIXTRAL_8X7B, 46.7e9, 12.9e9, 0),
])
def test_total_and_active_parameters_and_the_dense_leading_layers_come_from_the_config(config, total, active,
                                                                                       dense):
    layout = config_layout(config)
    assert layout.total_params == pytest.approx(total, rel=0.02)
    assert layout.active_params == pytest.approx(active, rel=0.03)
    assert layout.dense_leading == dense
    assert layout.moe_layers == tuple(range(dense, config["num_hidden_layers"]))


def test_which_layers_have_experts_follows_each_family_s_rule():
    qwen2 = dict(QWEN3_30B_A3B, num_hidden_layers=8, decoder_sparse_step=2, mlp_only_layers=[3])
    assert config_layout(qwen2).moe_layers == (1, 5, 7)  # (layer + 1) % 2 == 0, layer 3 dense
    llama4 = dict(MIXTRAL_8X7B, num_hidden_layers=6, interleave_moe_layer_step=2)
    assert config_layout(llama4).moe_layers == (1, 3, 5)
    freq = dict(DEEPSEEK_V3, num_hidden_layers=8, first_k_dense_replace=1, moe_layer_freq=2)
    assert config_layout(freq).moe_layers == (2, 4, 6)
    dense = dict(QWEN3_30B_A3B, num_experts=0)
    assert config_layout(dense).moe_layers == () and config_layout(dense).n_experts == 0


def test_a_config_that_is_no_model_s_is_refused_in_words(tmp_path):
    path = tmp_path / "config.json"
    for content, words in (("{", "not JSON"), ("[1]", "not a JSON object"),
                           ('{"vocab_size": 5}', "num_hidden_layers"),
                           (json.dumps(dict(MIXTRAL_8X7B, num_experts_per_tok=9)), "8 experts but 9")):
        path.write_text(content)
        with pytest.raises(ConfigError, match=words):
            config_layout(read_config(path))
    with pytest.raises(ConfigError, match="cannot be read"):
        read_config(tmp_path / "missing.json")


def test_a_multimodal_config_s_text_part_is_the_layout(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model_type": "llama4", "text_config": MIXTRAL_8X7B}))
    assert config_layout(read_config(path)).n_experts == 8


def test_model_info_from_config_names_the_server_and_maps_real_layer_numbers():
    info = model_info(PROFILE, ServerModel(("deepseek-ai/DeepSeek-V3",), True, 131072), DEEPSEEK_V3)
    assert info.path == "https://gpu01.example.internal:30000#deepseek-ai/DeepSeek-V3"
    assert info.is_moe and info.moe_layers[0] == 3 and len(info.moe_layers) == 58
    assert (info.n_experts, info.n_experts_used, info.n_shared_experts, info.n_dense_leading) == (256, 8, 1, 3)
    assert info.context_length == 131072 and info.architecture == "deepseek_v3"
    without = model_info(PROFILE, ServerModel(("m",), True, 4096, 1_000_000, "deepseek_v3"), None)
    assert not without.is_moe and without.total_params == 1_000_000 and without.architecture == "deepseek_v3"


# --- chunks ---------------------------------------------------------------------------------------

def test_server_sent_events_are_split_into_their_data():
    lines = ["data: {\"a\": 1}", "", ": a comment", "data: [DONE]", "", "error: {\"error\": \"x\"}"]
    assert list(sse_data(lines)) == ['{"a": 1}', "[DONE]", '{"error": "x"}']


def test_a_chunk_gives_its_text_reasoning_finish_usage_and_routed_experts():
    chunk = parse_chunk(json.dumps({
        "choices": [{"index": 0, "delta": {"content": "Hi", "reasoning_content": "hm"}, "finish_reason": "stop",
                     "matched_stop": "###"}],
        "usage": {"prompt_tokens": 7, "completion_tokens": 2, "prompt_tokens_details": {"cached_tokens": 5}},
        "sglext": {"routed_experts": "AAAAAA=="}}))
    assert (chunk.text, chunk.reasoning, chunk.finish_reason, chunk.matched_stop) == ("Hi", "hm", "stop", "###")
    assert (chunk.usage.prompt_tokens, chunk.usage.completion_tokens, chunk.usage.cached_tokens) == (7, 2, 5)
    assert chunk.routed[0].scope == "sequence" and chunk.routed[0].encoded == "AAAAAA=="


@pytest.mark.parametrize("payload, words", [
    ("{not json", "not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"choices": {"0": 1}}', "not a list"),
    ('{"choices": [{"index": 0}]}', "without a delta"),
    ('{"choices": [{"delta": {"content": 5}}]}', "content is not text"),
    ('{"choices": [{"delta": {}, "finish_reason": 3}]}', "finish_reason"),
    ('{"choices": [], "usage": {"prompt_tokens": -1}}', "prompt_tokens is not a count"),
    ('{"choices": [], "sglext": {"routed_experts": 12}}', "not base64 text"),
])
def test_a_malformed_chunk_is_malformed_in_words(payload, words):
    with pytest.raises(RemoteError, match=words) as raised:
        parse_chunk(payload)
    assert raised.value.kind == MALFORMED


def test_an_error_in_the_stream_is_the_server_s():
    with pytest.raises(RemoteError, match="out of memory") as raised:
        parse_chunk('{"error": {"message": "CUDA out of memory", "code": 500}}')
    assert raised.value.kind == SERVER


def test_a_whole_answer_gives_its_tokens_texts_from_logprobs_a_character_split_across_two():
    euro = "€".encode()
    body = {"choices": [{"index": 0, "message": {"role": "assistant", "content": "a€"}, "finish_reason": "stop",
                         "logprobs": {"content": [{"token": "a", "bytes": [97]},
                                                  {"token": "?", "bytes": list(euro[:2])},
                                                  {"token": "?", "bytes": list(euro[2:])}]},
                         "routed_experts": [[[1, 2]], [[3, 4]]]}],
            "prompt_routed_experts": [[[0, 1]]]}
    answer = parse_response(json.dumps(body))
    assert answer.text == "a€" and answer.token_texts == ("a", "", "€")
    assert [block.scope for block in answer.routed] == ["answer", "prompt"]
    with pytest.raises(RemoteError, match="no choices"):
        parse_response('{"choices": []}')


# --- routed experts -------------------------------------------------------------------------------

def _info():
    return model_info(PROFILE, ServerModel(("m",)), dict(DEEPSEEK_V3, num_hidden_layers=5, first_k_dense_replace=2,
                                                         n_routed_experts=6, num_experts_per_tok=2))


def test_routed_experts_over_all_layers_or_the_moe_layers_map_to_the_real_layer_numbers():
    info = _info()  # 5 layers, MoE layers 2, 3, 4, 2 of 6 experts per token
    moe = np.arange(3 * 3 * 2, dtype=np.int32).reshape(3, 3, 2) % 6
    over_all = np.zeros((3, 5, 2), dtype=np.int32)
    over_all[:, 2:, :] = moe
    for table in (moe, over_all):
        encoded = base64.b64encode(table.astype("<i4").tobytes()).decode()
        rows = moe_rows(shape_ids(decode_ids(encoded), info, (3,)), info)
        assert np.array_equal(rows, moe)
    routing = row_routing(moe[1], info)
    assert routing.layers == (2, 3, 4) and np.array_equal(routing.experts, moe[1])
    assert not routing.weights_reported and np.allclose(routing.weights, 0.5)
    assert row_routing(np.full((3, 2), -1, dtype=np.int32), info) is EMPTY_ROUTING


@pytest.mark.parametrize("encoded, words", [
    ("!!!!", "not valid base64"),
    (base64.b64encode(b"\x01\x02\x03").decode(), "not whole int32"),
    (base64.b64encode(np.zeros(7, dtype="<i4").tobytes()).decode(), "fit no"),
])
def test_bad_routed_experts_are_malformed_in_words(encoded, words):
    with pytest.raises(RemoteError, match=words) as raised:
        shape_ids(decode_ids(encoded), _info())
    assert raised.value.kind == MALFORMED


def test_expert_numbers_and_widths_the_model_does_not_have_are_malformed():
    info = _info()
    with pytest.raises(RemoteError, match="expert 9"):
        moe_rows(np.full((1, 3, 2), 9, dtype=np.int32), info)
    with pytest.raises(RemoteError, match="3 experts per token"):
        moe_rows(np.zeros((1, 3, 3), dtype=np.int32), info)
    with pytest.raises(RemoteError, match="routing for 4 layers"):
        moe_rows(np.zeros((1, 4, 2), dtype=np.int32), info)


def test_a_routing_without_weights_travels_with_weights_null_and_keeps_its_flag():
    routing = Routing.chosen((3, 4), np.array([[1, 2], [3, 0]], dtype=np.int32))
    wire = routing.to_wire()
    assert wire["weights"] is None
    again = Routing.from_wire(json.loads(json.dumps(wire)))
    assert again == routing and not again.weights_reported
    assert again.by_layer() == {3: [[1, None], [2, None]], 4: [[3, None], [0, None]]}
    token = protocol.Token(0, -1, "x", protocol.ANSWER, routing)
    assert protocol.decode_event(protocol.encode(token)) == token
    reported = Routing((3,), np.array([[1, 2]], dtype=np.int32), np.array([[0.5, 0.5]], dtype=np.float32))
    assert reported.weights_reported and reported != Routing.chosen((3,), np.array([[1, 2]], dtype=np.int32))
