"""Company-server profiles: kept in the data folder, pre-set by a bundle read-only, keys in the keyring only."""

import json

import pytest
from keyring.backends import fail
from stand_ins import MemoryKeyring

from app.core.remote.profiles import ProfileError, ProfileStore, ServerProfile

GPU01 = ServerProfile("GPU 01", "https://gpu01.example.internal:30000/v1", "deepseek-ai/DeepSeek-V3", "sglang")


@pytest.fixture
def store(tmp_path):
    return ProfileStore(tmp_path / "data" / "servers.json", tmp_path / "bundle" / "servers.json", MemoryKeyring())


def test_profiles_are_saved_replaced_activated_and_removed(store):
    assert store.profiles() == [] and store.active() is None
    store.save(GPU01)
    other = ServerProfile("Lab", "http://10.0.0.5:8000", "Qwen/Qwen3-30B-A3B", "vllm", verify_tls=False)
    store.save(other)
    store.save(ServerProfile("GPU 01", GPU01.base_url, "deepseek-ai/DeepSeek-R1", "sglang"))
    assert [(p.name, p.model) for p in store.profiles()] == [("Lab", "Qwen/Qwen3-30B-A3B"),
                                                             ("GPU 01", "deepseek-ai/DeepSeek-R1")]
    store.set_active("Lab")
    assert store.active() == other and GPU01.host == "gpu01.example.internal"
    again = ProfileStore(store.path, store._bundled, MemoryKeyring())
    assert again.active() == other
    store.remove("Lab")
    assert store.active() is None and [p.name for p in store.profiles()] == ["GPU 01"]
    with pytest.raises(ProfileError, match="no profile"):
        store.set_active("Lab")


@pytest.mark.parametrize("profile, words", [
    (ServerProfile("", "https://a", "m", "sglang"), "no name"),
    (ServerProfile("x", "ftp://a", "m", "sglang"), "not an http"),
    (ServerProfile("x", "https://", "m", "sglang"), "not an http"),
    (ServerProfile("x", "https://a", " ", "sglang"), "no model"),
    (ServerProfile("x", "https://a", "m", "tgi"), "Unknown server kind"),
])
def test_a_profile_that_cannot_work_is_refused_in_words(store, profile, words):
    with pytest.raises(ProfileError, match=words):
        store.save(profile)


def test_bundled_profiles_are_merged_in_read_only_with_paths_beside_the_bundle(store, tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "servers.json").write_text(json.dumps({"profiles": [
        {"name": "Company", "base_url": "https://llm.corp.internal", "model": "m", "flavour": "sglang",
         "ca_bundle": "corp-ca.pem", "config_path": "/abs/config.json"},
        {"name": "Broken", "base_url": "nope", "model": "m", "flavour": "sglang"},
    ]}))
    store.save(GPU01)
    company = store.profiles()[0]
    assert [p.name for p in store.profiles()] == ["Company", "GPU 01"]  # the broken one is left out
    assert company.ca_bundle == str(bundle / "corp-ca.pem") and company.config_path == "/abs/config.json"
    assert store.is_preset("Company") and not store.is_preset("GPU 01")
    store.set_active("Company")
    assert store.active() == company
    for change in (lambda: store.save(ServerProfile("Company", "https://x", "m", "openai")),
                   lambda: store.remove("Company")):
        with pytest.raises(ProfileError, match="administrator"):
            change()


def test_api_keys_live_in_the_keyring_only_never_in_the_file(store):
    store.save(GPU01)
    store.set_api_key("GPU 01", "  sk-secret  ")
    assert store.api_key("GPU 01") == "sk-secret"
    assert "sk-secret" not in store.path.read_text()
    assert store._backend.passwords == {("MoEscope", "server:GPU 01"): "sk-secret"}
    store.remove("GPU 01")
    assert store.api_key("GPU 01") is None and store._backend.passwords == {}


def test_without_a_keyring_keys_are_kept_for_the_session_and_the_store_says_so(tmp_path):
    store = ProfileStore(tmp_path / "servers.json", tmp_path / "none.json", fail.Keyring())
    assert not store.keys_persistent and "kept only until MoEscope closes" in store.keys_problem
    store.set_api_key("x", "k")
    assert store.api_key("x") == "k"
    store.set_api_key("x", None)
    assert store.api_key("x") is None
