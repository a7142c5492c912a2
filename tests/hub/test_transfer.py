"""Downloads (app/core/hub/transfer.py) against the fake Hub in fake_hub.py, never the internet.

Each fault of a real network is injected on the fake CDN or hub and must end in the right outcome:
resumed (with a Range request from the byte where the connection dropped), rejected and deleted,
refused before starting, or stopped quickly, and the message must say so in words.
"""

from __future__ import annotations

import json
import socket
import time

import pytest

from app.core.hub.access import HubAccess
from app.core.hub.errors import KINDS, HubError
from app.core.hub.request import DownloadRequest
from app.core.hub.sidecars import partial_downloads
from app.core.hub.transfer import DISK_MARGIN_BYTES, DownloadControl, DownloadPaused, download
from fake_hub import FakeHub
from hub_fixtures import (  # noqa: F401 (hub, models: fixtures)
    FILE,
    GATED,
    GOOD_TOKEN,
    NO_ACCESS_TOKEN,
    REPO,
    data_of,
    fetch,
    files_in,
    hub,
    models,
    payload,
    run_in_thread,
    start_cli,
    wait_for,
)


# --- The happy path ---------------------------------------------------------------------------------------


def test_download_is_verified_and_records_its_origin(hub, models):
    progress = []
    path = fetch(hub, models, DownloadRequest(REPO, FILE, catalog_id="tiny"), on_progress=progress.append)

    assert path == models / FILE
    assert path.read_bytes() == data_of(hub, REPO, FILE)
    assert files_in(models) == [FILE, FILE + ".origin.json"]
    origin = json.loads((models / (FILE + ".origin.json")).read_text())
    repo = hub.repos[REPO]
    assert origin["repo"] == REPO and origin["filename"] == FILE and origin["catalog_id"] == "tiny"
    assert origin["revision"] == repo.commit
    assert origin["sha256"] == repo.files[FILE].sha256 and origin["size"] == 3_000_000
    assert progress[-1].phase == "done" and progress[-1].done_bytes == progress[-1].total_bytes == 3_000_000
    assert [p.done_bytes for p in progress] == sorted(p.done_bytes for p in progress)

    # Metadata from the hub (HEAD on the resolve URL), bytes from the CDN it redirects to.
    assert [(r.server, r.method) for r in hub.requests] == [("hub", "HEAD"), ("cdn", "GET")]
    assert hub.requests[0].path == f"/{REPO}/resolve/main/{FILE}"


def test_token_goes_to_the_hub_but_never_to_the_cdn(hub, models):
    fetch(hub, models, DownloadRequest(GATED, "Gated-Q8_0.gguf"), token=GOOD_TOKEN)
    head, get = hub.requests
    assert head.headers["authorization"] == f"Bearer {GOOD_TOKEN}"
    assert get.server == "cdn" and "authorization" not in get.headers


def test_the_same_file_again_is_not_downloaded_again(hub, models):
    fetch(hub, models, DownloadRequest(REPO, FILE))
    hub.requests.clear()
    assert fetch(hub, models, DownloadRequest(REPO, FILE)) == models / FILE
    assert hub.cdn_gets() == []


def test_a_different_file_with_the_same_name_is_not_overwritten(hub, models):
    models.mkdir()
    (models / FILE).write_bytes(b"my own file")
    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest(REPO, FILE))
    assert caught.value.kind == "exists" and "already exists" in caught.value.message
    assert (models / FILE).read_bytes() == b"my own file"


def test_an_identical_file_already_there_is_adopted(hub, models):
    models.mkdir()
    (models / FILE).write_bytes(data_of(hub, REPO, FILE))
    fetch(hub, models, DownloadRequest(REPO, FILE))
    assert hub.cdn_gets() == []
    assert json.loads((models / (FILE + ".origin.json")).read_text())["repo"] == REPO


def test_a_small_file_kept_in_git_is_verified_by_its_git_blob_id(hub, models):
    hub.add_repo("org/plain", {"small.gguf": payload(5000, 3)}, lfs=False)
    path = fetch(hub, models, DownloadRequest("org/plain", "small.gguf"), token=GOOD_TOKEN)
    assert path.read_bytes() == data_of(hub, "org/plain", "small.gguf")
    get = [r for r in hub.requests if r.method == "GET"][0]
    assert get.server == "hub" and get.headers["authorization"] == f"Bearer {GOOD_TOKEN}"
    assert json.loads((models / "small.gguf.origin.json").read_text())["sha256"] is None


# --- Faults ------------------------------------------------------------------------------------------------


def test_dropped_connection_resumes_at_the_dropped_byte(hub, models):
    hub.drop_at[FILE] = [1_234_567]
    path = fetch(hub, models, DownloadRequest(REPO, FILE))

    assert path.read_bytes() == data_of(hub, REPO, FILE)
    first, second = hub.cdn_gets(FILE)
    assert "range" not in first.headers
    assert second.headers["range"] == "bytes=1234567-"


def test_several_drops_are_each_resumed(hub, models):
    hub.drop_at[FILE] = [500_000, 1_500_000, 2_999_999]
    fetch(hub, models, DownloadRequest(REPO, FILE))
    assert [g.headers.get("range") for g in hub.cdn_gets(FILE)] == [
        None, "bytes=500000-", "bytes=1500000-", "bytes=2999999-"]


def test_when_the_network_stays_gone_the_partial_file_is_kept_for_later(hub, models):
    hub.drop_at[FILE] = [700_000]
    hub.down_after_drop.add(FILE)
    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest(REPO, FILE, catalog_id="tiny"), retries=2)
    assert caught.value.kind == "network" and caught.value.retryable
    assert "unavailable" in caught.value.message
    assert len(hub.cdn_gets(FILE)) == 1 + 1 + 2  # the drop, then the first try and two retries
    assert files_in(models) == [FILE + ".part", FILE + ".part.json"]
    assert (models / (FILE + ".part")).stat().st_size == 700_000

    (found,) = partial_downloads(models)  # what the library offers to resume
    assert found.request == DownloadRequest(REPO, FILE, "main", "tiny")
    assert (found.done_bytes, found.total_bytes) == (700_000, 3_000_000)

    hub.down.clear()
    hub.requests.clear()
    path = fetch(hub, models, found.request)
    assert path.read_bytes() == data_of(hub, REPO, FILE)
    assert [g.headers.get("range") for g in hub.cdn_gets(FILE)] == ["bytes=700000-"]
    assert hub.requests[0].path == f"/{REPO}/resolve/{hub.repos[REPO].commit}/{FILE}"  # same commit
    assert files_in(models) == [FILE, FILE + ".origin.json"]
    assert partial_downloads(models) == []


def test_after_the_app_was_killed_the_download_continues_where_it_stopped(hub, tmp_path):
    hub.slow[FILE] = 400_000
    cli = start_cli(hub, REPO, FILE, "--models-dir", str(tmp_path))
    part = tmp_path / (FILE + ".part")
    wait_for(lambda: part.exists() and part.stat().st_size > 300_000)
    cli.kill()
    cli.wait(10)
    kept = part.stat().st_size
    assert 0 < kept < 3_000_000 and not (tmp_path / FILE).exists()

    del hub.slow[FILE]
    (found,) = partial_downloads(tmp_path)
    path = fetch(hub, tmp_path, found.request)
    assert path.read_bytes() == data_of(hub, REPO, FILE)
    assert hub.cdn_gets(FILE)[-1].headers["range"] == f"bytes={kept}-"


def test_a_partial_file_that_no_longer_matches_starts_again(hub, models):
    models.mkdir()
    (models / (FILE + ".part")).write_bytes(b"x" * 1000)
    (models / (FILE + ".part.json")).write_text(json.dumps({"repo": REPO, "filename": FILE, "etag": "0" * 64,
                                                              "size": 3_000_000, "set": [FILE]}))
    fetch(hub, models, DownloadRequest(REPO, FILE))
    assert [g.headers.get("range") for g in hub.cdn_gets(FILE)] == [None]
    assert (models / FILE).read_bytes() == data_of(hub, REPO, FILE)


def test_a_server_that_ignores_range_gives_a_clean_restart(hub, models):
    hub.drop_at[FILE] = [1_000_000]
    hub.ignore_range.add(FILE)
    path = fetch(hub, models, DownloadRequest(REPO, FILE))
    assert path.read_bytes() == data_of(hub, REPO, FILE)
    assert len(hub.cdn_gets(FILE)) == 2


def test_an_expired_download_link_is_asked_for_again(hub, models):
    hub.expire_once.add(FILE)
    path = fetch(hub, models, DownloadRequest(REPO, FILE))
    assert path.read_bytes() == data_of(hub, REPO, FILE)
    assert [r.method for r in hub.requests if r.server == "hub"] == ["HEAD", "HEAD"]


def test_wrong_bytes_are_rejected_and_deleted(hub, models):
    hub.corrupt.add(FILE)
    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest(REPO, FILE))
    assert caught.value.kind == "checksum_mismatch"
    assert "checksum" in caught.value.message and "deleted" in caught.value.message
    assert files_in(models) == []


@pytest.mark.parametrize("repo, name, words", [
    ("org/missing", FILE, "repository does not exist"),
    (REPO, "Nope-Q4_K_M.gguf", "does not exist in the repository"),
])
def test_not_found(hub, models, repo, name, words):
    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest(repo, name))
    assert caught.value.kind == "not_found" and words in caught.value.message
    assert files_in(models) == []


def test_unknown_revision_is_not_found(hub, models):
    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest(REPO, FILE, revision="v9"))
    assert caught.value.kind == "not_found" and "revision" in caught.value.message


@pytest.mark.parametrize("token, kind, words", [
    (None, "gated_needs_token", "add a Hugging Face token"),
    ("hf_WrongToken", "bad_token", "rejected your token"),
    (NO_ACCESS_TOKEN, "no_access", "accept the licence"),
])
def test_gated_repository(hub, models, token, kind, words):
    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest(GATED, "Gated-Q8_0.gguf"), token=token)
    assert caught.value.kind == kind and words in caught.value.message
    assert not caught.value.retryable
    assert files_in(models) == []


def test_gated_repository_with_a_granted_token(hub, models):
    path = fetch(hub, models, DownloadRequest(GATED, "Gated-Q8_0.gguf"), token=GOOD_TOKEN)
    assert path.read_bytes() == data_of(hub, GATED, "Gated-Q8_0.gguf")


def test_too_little_disk_space_is_refused_before_starting(hub, models):
    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest(REPO, FILE), disk_free=lambda folder: 1_000_000)
    assert caught.value.kind == "disk_full"
    assert "needs 3 MB (and 500 MB to spare), but only 1 MB are free" in caught.value.message
    assert hub.cdn_gets() == [] and files_in(models) == []


def test_disk_check_counts_only_the_bytes_still_to_come(hub, models):
    hub.drop_at[FILE] = [1_000_000]
    hub.down_after_drop.add(FILE)
    with pytest.raises(HubError):
        fetch(hub, models, DownloadRequest(REPO, FILE), retries=0)
    hub.down.clear()
    still = 2_000_000 + DISK_MARGIN_BYTES
    measured = []
    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest(REPO, FILE), disk_free=lambda f: measured.append(f) or still - 1)
    assert caught.value.kind == "disk_full" and measured == [models]
    assert fetch(hub, models, DownloadRequest(REPO, FILE), disk_free=lambda f: still).exists()


def test_network_gone(models):
    with FakeHub() as gone:
        endpoint = gone.endpoint
    with pytest.raises(HubError) as caught:
        download(DownloadRequest(REPO, FILE), models, HubAccess(endpoint=endpoint, timeout=2), retries=1,
                 retry_wait=0)
    assert caught.value.kind == "network" and "no connection could be made" in caught.value.message


def test_a_name_that_does_not_resolve_is_no_internet_at_once_and_not_retried(models, monkeypatch):
    asked = []

    def no_name_server(host, *args, **kwargs):
        asked.append(host)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_name_server)
    started = time.monotonic()
    with pytest.raises(HubError) as caught:
        download(DownloadRequest(REPO, FILE), models, HubAccess(endpoint="http://huggingface.invalid"),
                 retries=5, retry_wait=10.0)
    assert caught.value.kind == "offline" and not caught.value.retryable
    assert "No internet connection" in caught.value.message and "huggingface.invalid" in caught.value.message
    assert asked == ["huggingface.invalid"] and time.monotonic() - started < 5.0
    assert partial_downloads(models) == []


@pytest.mark.parametrize("repo, name", [("not a repo", FILE), (REPO, "README.md"), (REPO, "../x.gguf"),
                                        (REPO, "dir/../../x.gguf")])
def test_unusable_requests_are_refused_in_words(models, repo, name):
    with pytest.raises(HubError) as caught:
        download(DownloadRequest(repo, name), models)
    assert caught.value.kind == "invalid"


def test_every_kind_has_a_meaning():
    assert {"not_found", "gated_needs_token", "bad_token", "network", "disk_full", "folder_missing",
            "checksum_mismatch", "cancelled"} <= set(KINDS)
    with pytest.raises(ValueError):
        HubError("no_such_kind", "x")


def test_without_create_folder_a_models_folder_that_went_away_is_not_made_again(hub, tmp_path):
    drive = tmp_path / "drive"  # where an unplugged drive was mounted: the empty folder stays
    drive.mkdir()
    models = drive / "models"
    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest(REPO, FILE), create_folder=False)
    assert caught.value.kind == "folder_missing" and not caught.value.retryable
    assert str(models) in caught.value.message and "not connected" in caught.value.message
    assert not models.exists() and hub.requests == []


def test_by_default_a_missing_models_folder_is_made(hub, tmp_path):
    models = tmp_path / "new" / "models"
    assert fetch(hub, models, DownloadRequest(REPO, FILE)) == models / FILE


# --- Pause and cancel ----------------------------------------------------------------------------------------


def test_cancel_stops_a_slow_transfer_quickly_and_removes_the_partial_file(hub, models):
    hub.slow[FILE] = 100_000  # bytes per second: 30 s for the whole file
    control = DownloadControl()
    seen = []
    thread, result = run_in_thread(lambda: fetch(hub, models, DownloadRequest(REPO, FILE), control=control,
                                                 on_progress=seen.append))
    wait_for(lambda: seen and seen[-1].done_bytes > 0)
    control.cancel()
    thread.join(20)  # an upper bound only: not cancelled, the transfer goes on for 30 s and succeeds
    assert not thread.is_alive()
    assert isinstance(result["error"], HubError) and result["error"].kind == "cancelled"
    assert files_in(models) == []


def test_cancel_interrupts_a_stalled_connection_at_once(hub, models):
    hub.stall_at[FILE] = 200_000  # the CDN stops sending and keeps the connection open
    control = DownloadControl()
    seen = []
    thread, result = run_in_thread(lambda: fetch(hub, models, DownloadRequest(REPO, FILE), control=control,
                                                 on_progress=seen.append, timeout=60))
    wait_for(lambda: (models / (FILE + ".part")).exists() and (models / (FILE + ".part")).stat().st_size >= 200_000)
    control.cancel()
    thread.join(20)  # an upper bound only: not interrupted, the stalled read waits for its 60 s timeout
    assert not thread.is_alive()
    assert result["error"].kind == "cancelled"


def test_pause_keeps_the_partial_file_and_a_later_call_resumes_it(hub, models):
    hub.slow[FILE] = 200_000
    control = DownloadControl()
    thread, result = run_in_thread(lambda: fetch(hub, models, DownloadRequest(REPO, FILE), control=control))
    part = models / (FILE + ".part")
    wait_for(lambda: part.exists() and part.stat().st_size > 100_000)
    control.pause()
    thread.join(5)
    assert isinstance(result["error"], DownloadPaused)
    kept = part.stat().st_size
    assert 0 < kept < 3_000_000

    del hub.slow[FILE]
    fetch(hub, models, DownloadRequest(REPO, FILE))
    assert hub.cdn_gets(FILE)[-1].headers["range"] == f"bytes={kept}-"
    assert (models / FILE).read_bytes() == data_of(hub, REPO, FILE)


# --- Multi-part sets --------------------------------------------------------------------------------------------


def test_a_multi_part_set_is_one_model_and_appears_only_when_complete(hub, models):
    names = [f"Big-Q4_K_M-0000{i}-of-00003.gguf" for i in (1, 2, 3)]
    hub.add_repo("org/Big-GGUF", {f"Q4_K_M/{n}": payload(700_000, i) for i, n in enumerate(names)})
    hub.drop_at[f"Q4_K_M/{names[1]}"] = [300_000]
    visible = []

    def on_progress(p):
        visible.append((p.phase, p.file_index, [n for n in names if (models / n).exists()]))

    # Asking for any part means the whole set.
    path = fetch(hub, models, DownloadRequest("org/Big-GGUF", f"Q4_K_M/{names[1]}"), on_progress=on_progress)

    assert path == models / names[0]
    for i, name in enumerate(names):
        assert (models / name).read_bytes() == payload(700_000, i)
        origin = json.loads((models / (name + ".origin.json")).read_text())
        assert origin["filename"] == f"Q4_K_M/{name}" and origin["set"] == names
    assert all(present == [] for phase, _, present in visible if phase != "done")
    assert {index for _, index, _ in visible} == {1, 2, 3}
    assert visible[-1][1:] == (3, names)
    assert hub.cdn_gets(names[1])[-1].headers["range"] == "bytes=300000-"
    assert files_in(models) == sorted(names + [n + ".origin.json" for n in names])


def test_a_set_with_a_missing_part_is_not_found(hub, models):
    hub.add_repo("org/Broken-GGUF", {"B-00001-of-00002.gguf": payload(1000)})
    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest("org/Broken-GGUF", "B-00001-of-00002.gguf"))
    assert caught.value.kind == "not_found" and "B-00002-of-00002.gguf" in caught.value.message
    assert files_in(models) == []


# --- Network scope -----------------------------------------------------------------------------------------------


def test_every_connection_runs_inside_the_network_scope(hub, models):
    import contextlib

    entered = []

    @contextlib.contextmanager
    def scope(host):
        entered.append(host)
        yield

    hub.drop_at[FILE] = [1_000_000]
    fetch(hub, models, DownloadRequest(REPO, FILE), network_scope=scope)
    assert entered == ["127.0.0.1"] * len(hub.requests) and len(entered) == 3


def test_a_refusing_network_scope_stops_everything(hub, models):
    def scope(host):  # a policy refuses with a PermissionError (locality.NetworkBlocked is one)
        raise PermissionError(f"Offline mode is on, so MoEscope did not start the download from {host}.")

    with pytest.raises(HubError) as caught:
        fetch(hub, models, DownloadRequest(REPO, FILE), network_scope=scope)
    assert caught.value.kind == "blocked" and "Offline mode is on" in caught.value.message
    assert hub.requests == [] and files_in(models) == []


def test_other_errors_of_the_network_scope_propagate(hub, models):
    class Broken(Exception):
        pass

    def scope(host):
        raise Broken(host)

    with pytest.raises(Broken):
        fetch(hub, models, DownloadRequest(REPO, FILE), network_scope=scope)


def test_with_the_app_network_policy_each_connection_is_allowed_for_its_own_host(models):
    """Integration with locality.NetworkPolicy: the fake CDN on 127.0.0.2 counts as another computer."""
    from app.core.locality.guard import install_policy, uninstall_policy
    from app.core.locality.policy import NetworkPolicy

    try:
        outside = FakeHub(cdn_host="127.0.0.2")
    except OSError:
        pytest.skip("127.0.0.2 is not usable on this system")
    with outside as hub:
        hub.add_repo(REPO, {FILE: payload(300_000)})
        policy = install_policy(NetworkPolicy(local_networks=["127.0.0.1/32"]))
        try:
            hosts = []

            def allow(host):
                hosts.append(host)
                return policy.allow_action("download", host)

            fetch(hub, models, DownloadRequest(REPO, FILE), network_scope=allow)
            assert hosts == ["127.0.0.1", "127.0.0.2"] and (models / FILE).exists()
            (models / FILE).unlink()

            with pytest.raises(HubError) as caught:  # an action for the hub only: the CDN is refused
                fetch(hub, models, DownloadRequest(REPO, FILE),
                      network_scope=lambda host: policy.allow_action("download", "127.0.0.1"))
            assert caught.value.kind == "blocked" and "127.0.0.2" in caught.value.message
            assert not caught.value.retryable

            policy.offline = True
            with pytest.raises(HubError) as caught:
                fetch(hub, models, DownloadRequest(REPO, FILE), network_scope=allow)
            assert caught.value.kind == "blocked" and "Offline mode is on" in caught.value.message
        finally:
            uninstall_policy()
