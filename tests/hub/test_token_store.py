"""The token store (app/core/hub/token_store.py), and the token never landing in a file, a log or a message
of the downloads and searches that carry it."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from app.core import paths
from app.core.hub.access import HubAccess
from app.core.hub.errors import HubError
from app.core.hub.queue import DownloadManager
from app.core.hub.request import DownloadRequest
from app.core.hub.search import list_gguf_files, search_gguf
from app.core.hub.token_store import SERVICE, USERNAME, TokenStore
from app.core.hub.transfer import download
from hub_fixtures import FILE, GATED, GOOD_TOKEN, NO_ACCESS_TOKEN, REPO, Recorder, hub, wait_for  # noqa: F401
from stand_ins import PLENTY


class FileKeyring(KeyringBackend):
    """A keyring backend living only in this test: a JSON file in the test's temporary folder."""

    priority = 1

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def _load(self) -> dict:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service, username):
        return self._load().get(f"{service}/{username}")

    def set_password(self, service, username, password):
        self.path.write_text(json.dumps({**self._load(), f"{service}/{username}": password}))

    def delete_password(self, service, username):
        data = self._load()
        data.pop(f"{service}/{username}")
        self.path.write_text(json.dumps(data))


class BrokenKeyring(FileKeyring):
    def set_password(self, service, username, password):
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


def test_token_store_uses_the_keyring(tmp_path):
    backend = FileKeyring(tmp_path / "keyring.json")
    store = TokenStore(backend)
    assert store.persistent and store.problem == "" and store.get() is None
    store.set(f"  {GOOD_TOKEN}\n")
    assert backend.get_password(SERVICE, USERNAME) == GOOD_TOKEN
    assert TokenStore(backend).get() == GOOD_TOKEN  # a later session finds it
    assert GOOD_TOKEN not in repr(store)
    store.set(NO_ACCESS_TOKEN)
    assert store.get() == NO_ACCESS_TOKEN
    store.remove()
    assert store.get() is None and backend.get_password(SERVICE, USERNAME) is None


def test_without_a_keyring_the_token_is_kept_for_the_session_only():
    store = TokenStore(fail.Keyring())
    assert not store.persistent and "kept only until MoEscope closes" in store.problem
    store.set(GOOD_TOKEN)
    assert store.get() == GOOD_TOKEN
    assert TokenStore(fail.Keyring()).get() is None
    store.remove()
    assert store.get() is None


def test_a_failing_keyring_falls_back_to_the_session_and_says_why(tmp_path):
    store = TokenStore(BrokenKeyring(tmp_path / "keyring.json"))
    store.set(GOOD_TOKEN)
    assert not store.persistent and "RuntimeError" in store.problem and GOOD_TOKEN not in store.problem
    assert store.get() == GOOD_TOKEN


def test_the_token_never_appears_in_any_file_or_log(hub, tmp_path, monkeypatch, caplog):
    data, config, hf_home = tmp_path / "data", tmp_path / "config", tmp_path / "hf"
    monkeypatch.setenv("MOESCOPE_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("HF_HOME", str(hf_home))
    caplog.set_level(logging.DEBUG)
    keyring_file = tmp_path / "keyring" / "keyring.json"
    keyring_file.parent.mkdir()
    store = TokenStore(FileKeyring(keyring_file))
    store.set(GOOD_TOKEN)
    models = paths.models_dir()

    access = HubAccess(token=store.get(), endpoint=hub.endpoint)
    download(DownloadRequest(GATED, "Gated-Q8_0.gguf"), models, access, disk_free=lambda f: PLENTY)
    hub.drop_at[FILE] = [100_000]
    hub.down_after_drop.add(FILE)
    with pytest.raises(HubError) as dropped:  # leaves a partial file and its sidecar behind
        download(DownloadRequest(REPO, FILE), models, access, retries=0, disk_free=lambda f: PLENTY)
    errors = [dropped.value]
    for request in (DownloadRequest("org/missing", FILE), DownloadRequest(GATED, "Nope.gguf")):
        with pytest.raises(HubError) as caught:
            download(request, models, access, disk_free=lambda f: PLENTY)
        errors.append(caught.value)
    recorder = Recorder()
    dm = DownloadManager(models, token_provider=store.get, endpoint=hub.endpoint, on_update=recorder,
                         disk_free=lambda f: PLENTY)
    hub.corrupt.add("Gated-Q8_0.gguf")
    (models / "Gated-Q8_0.gguf").unlink()
    job = dm.submit(DownloadRequest(GATED, "Gated-Q8_0.gguf"))
    wait_for(lambda: dm.status(job).state == "failed")
    dm.shutdown()
    errors.append(dm.status(job).error)
    search_gguf("gguf", access)
    with pytest.raises(HubError) as caught:
        list_gguf_files("org/missing", HubAccess(token="hf_WrongToken", endpoint=hub.endpoint))
    errors.append(caught.value)

    written = [p for root in (data, config, hf_home) if root.exists() for p in root.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".part.json") for p in written) and any(p.name.endswith(".origin.json")
                                                                        for p in written)
    for path in written:
        assert GOOD_TOKEN.encode() not in path.read_bytes(), path
    for error in errors:
        assert GOOD_TOKEN not in str(error) and GOOD_TOKEN not in error.message
    assert GOOD_TOKEN not in caplog.text and "hf_WrongToken" not in caplog.text
    assert GOOD_TOKEN not in repr(access) and GOOD_TOKEN not in repr(recorder.updates)
    assert GOOD_TOKEN in keyring_file.read_text()  # the one place it is kept
