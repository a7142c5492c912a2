"""Hub search (app/core/hub/search.py) against the fake Hub: repositories with GGUF files, a repository's
GGUF models with sizes and quantization, and its failures as HubErrors."""

from __future__ import annotations

import pytest

from app.core.hub.access import HubAccess
from app.core.hub.errors import HubError
from app.core.hub.search import list_gguf_files, parse_quantization, search_gguf
from hub_fixtures import GATED, REPO, hub, payload  # noqa: F401 (hub: a fixture)


def test_search_finds_repositories_with_gguf_files(hub):
    hub.add_repo("org/Tiny-MoE-safetensors", {"model.safetensors": b"x"}, downloads=999)
    found = search_gguf("tiny", HubAccess(endpoint=hub.endpoint))
    assert [r.repo_id for r in found] == [REPO]
    assert found[0].downloads == 50 and found[0].gated is False
    assert [r.repo_id for r in search_gguf("gguf", HubAccess(endpoint=hub.endpoint))] == [REPO, GATED]
    query = [r for r in hub.requests if r.path.startswith("/api/models?")][0].path
    assert "filter=gguf" in query and "search=tiny" in query


def test_list_gguf_files_groups_sets_with_sizes_and_quantization(hub):
    hub.add_repo("org/Many-GGUF", {
        "Many-Q4_K_M.gguf": payload(1000), "Many-IQ4_XS.gguf": payload(900),
        "Q8_0/Many-Q8_0-00001-of-00002.gguf": payload(600), "Q8_0/Many-Q8_0-00002-of-00002.gguf": payload(500),
        "mmproj-Many-F16.gguf": payload(100), "README.md": b"readme",
    })
    files = {f.filename: f for f in list_gguf_files("org/Many-GGUF", HubAccess(endpoint=hub.endpoint))}
    assert set(files) == {"Many-Q4_K_M.gguf", "Many-IQ4_XS.gguf", "Q8_0/Many-Q8_0-00001-of-00002.gguf",
                          "mmproj-Many-F16.gguf"}
    split = files["Q8_0/Many-Q8_0-00001-of-00002.gguf"]
    assert split.size_bytes == 1100 and len(split.parts) == 2 and split.complete
    assert split.quantization == "Q8_0"
    assert files["Many-IQ4_XS.gguf"].quantization == "IQ4_XS" and files["Many-IQ4_XS.gguf"].size_bytes == 900
    assert files["mmproj-Many-F16.gguf"].projector and not files["Many-Q4_K_M.gguf"].projector


def test_hub_search_errors_are_hub_errors(hub):
    with pytest.raises(HubError) as caught:
        list_gguf_files("org/missing", HubAccess(endpoint=hub.endpoint))
    assert caught.value.kind == "not_found"
    with pytest.raises(HubError) as caught:
        search_gguf("x", HubAccess(token="hf_WrongToken", endpoint=hub.endpoint))
    assert caught.value.kind == "bad_token"


def test_a_hub_that_stops_answering_a_search_times_out(hub):
    hub.api_delay = 30  # without the 0.5 s timeout, the answer would come after 30 s, and no error
    with pytest.raises(HubError) as caught:
        search_gguf("tiny", HubAccess(endpoint=hub.endpoint, timeout=0.5))
    assert caught.value.kind == "network" and "stopped answering" in caught.value.message


@pytest.mark.parametrize("name, quant", [
    ("Qwen3-30B-A3B-Q4_K_M.gguf", "Q4_K_M"), ("qwen2.5-1.5b-instruct-q4_k_m.gguf", "Q4_K_M"),
    ("mixtral-8x7b-instruct-v0.1.Q4_K_M.gguf", "Q4_K_M"), ("gpt-oss-20b-MXFP4.gguf", "MXFP4"),
    ("Llama-3.2-3B-Instruct-IQ4_XS.gguf", "IQ4_XS"), ("model-BF16-00001-of-00002.gguf", "BF16"),
    ("Qwen3-30B-A3B-UD-Q4_K_XL.gguf", "Q4_K_XL"), ("gemma-3-4b-it-Q8_0.gguf", "Q8_0"),
    ("ggml-model-f16.gguf", "F16"), ("no-quant-here.gguf", ""),
])
def test_parse_quantization(name, quant):
    assert parse_quantization(name) == quant
