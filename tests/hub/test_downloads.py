"""Downloads, Hub search and the token store, against the fake Hub in fake_hub.py (never the internet).

Each fault of a real network is injected on the fake CDN or hub and must end in the right outcome:
resumed (with a Range request from the byte where the connection dropped), rejected and deleted,
refused before starting, or stopped quickly, and the message must say so in words.
"""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from app.core import paths
from app.core.hub.downloads import (
    DISK_MARGIN_BYTES,
    KINDS,
    DownloadControl,
    DownloadManager,
    DownloadPaused,
    DownloadRequest,
    HubAccess,
    HubError,
    download,
    format_progress,
    partial_downloads,
)
from app.core.hub.search import list_gguf_files, parse_quantization, search_gguf
from app.core.hub.token_store import SERVICE, USERNAME, TokenStore
from stand_ins import PLENTY
from fake_hub import FakeHub

GOOD_TOKEN = "hf_GoodTokenForTestsOnly1234567890"
NO_ACCESS_TOKEN = "hf_ValidButNotGrantedToken0987654321"
REPO = "org/Tiny-MoE-GGUF"
FILE = "Tiny-MoE-Q4_K_M.gguf"
GATED = "org/Gated-GGUF"


def payload(n: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(n)


@pytest.fixture
def hub():
    with FakeHub(valid_tokens=(GOOD_TOKEN, NO_ACCESS_TOKEN)) as fake:
        fake.add_repo(REPO, {FILE: payload(3_000_000), "README.md": b"# tiny\n"}, downloads=50)
        fake.add_repo(GATED, {"Gated-Q8_0.gguf": payload(400_000, 2)}, gated=True, granted_tokens=(GOOD_TOKEN,))
        yield fake


@pytest.fixture
def models(tmp_path) -> Path:
    return tmp_path / "models"


def fetch(hub: FakeHub, models: Path, request: DownloadRequest, token: str | None = None, **kwargs) -> Path:
    kwargs.setdefault("disk_free", lambda folder: PLENTY)
    kwargs.setdefault("retry_wait", 0)
    access = HubAccess(token=token, endpoint=hub.endpoint, timeout=kwargs.pop("timeout", 10.0),
                       network_scope=kwargs.pop("network_scope", None))
    return download(request, models, access, **kwargs)


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def data_of(hub: FakeHub, repo: str, name: str) -> bytes:
    return hub.repos[repo].files[name].data


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


@pytest.mark.parametrize("repo, name", [("not a repo", FILE), (REPO, "README.md"), (REPO, "../x.gguf"),
                                        (REPO, "dir/../../x.gguf")])
def test_unusable_requests_are_refused_in_words(models, repo, name):
    with pytest.raises(HubError) as caught:
        download(DownloadRequest(repo, name), models)
    assert caught.value.kind == "invalid"


def test_every_kind_has_a_meaning():
    assert {"not_found", "gated_needs_token", "bad_token", "network", "disk_full", "checksum_mismatch",
            "cancelled"} <= set(KINDS)
    with pytest.raises(ValueError):
        HubError("no_such_kind", "x")


# --- Pause and cancel ----------------------------------------------------------------------------------------


def run_in_thread(fn):
    result: dict = {}

    def target():
        try:
            result["value"] = fn()
        except BaseException as exc:  # the test inspects it
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    return thread, result


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


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
    from app.core.locality.guard import NetworkPolicy, install_policy, uninstall_policy

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


# --- The manager ----------------------------------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.updates = []
        self.lock = threading.Lock()

    def __call__(self, status):
        with self.lock:
            self.updates.append(status)

    def states(self, job_id):
        with self.lock:
            states = [u.state for u in self.updates if u.job_id == job_id]
        return [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]

    def went_through(self, job_id, expected):
        """The job's states, in order, are ``expected`` with perhaps some quickly passed ones unseen."""
        seen = iter(expected)
        states = self.states(job_id)
        return all(state in seen for state in states) and states[-1] == expected[-1]


def manager(hub, models, recorder, **kwargs):
    kwargs.setdefault("disk_free", lambda folder: PLENTY)
    return DownloadManager(models, endpoint=hub.endpoint, on_update=recorder, retry_wait=0, **kwargs)


def test_manager_queues_downloads_and_reports_each_step(hub, models):
    hub.add_repo("org/Second-GGUF", {"Second-Q8_0.gguf": payload(200_000, 9)})
    hub.slow[FILE] = 6_000_000  # half a second: still running when it is submitted again
    recorder = Recorder()
    dm = manager(hub, models, recorder)
    first = dm.submit(DownloadRequest(REPO, FILE))
    second = dm.submit(DownloadRequest("org/Second-GGUF", "Second-Q8_0.gguf"))
    assert dm.submit(DownloadRequest(REPO, FILE)) == first  # the same model is not queued twice
    wait_for(lambda: dm.status(second).state == "done")
    dm.shutdown()

    assert recorder.went_through(first, ["queued", "running", "done"]) and "running" in recorder.states(first)
    assert recorder.states(second) == ["queued", "running", "done"]  # it waited: queued was seen
    assert dm.status(first).path == models / FILE
    assert any(u.progress and u.progress.phase == "downloading" for u in recorder.updates if u.job_id == first)
    # one at a time: the second started after the first was done
    order = [(u.job_id, u.state) for u in recorder.updates]
    assert order.index((first, "done")) < order.index((second, "running"))


def test_manager_pause_resume_and_cancel(hub, models):
    hub.slow[FILE] = 300_000
    recorder = Recorder()
    dm = manager(hub, models, recorder)
    job = dm.submit(DownloadRequest(REPO, FILE))
    waiting = dm.submit(DownloadRequest(GATED, "Gated-Q8_0.gguf"))
    part = models / (FILE + ".part")
    wait_for(lambda: part.exists() and part.stat().st_size > 50_000)

    dm.cancel(waiting)  # still queued: never starts
    assert dm.status(waiting).state == "cancelled"
    dm.pause(job)
    wait_for(lambda: dm.status(job).state == "paused")
    kept = part.stat().st_size
    del hub.slow[FILE]
    dm.resume(job)
    wait_for(lambda: dm.status(job).state == "done")
    dm.shutdown()

    assert recorder.went_through(job, ["queued", "running", "paused", "queued", "running", "done"])
    assert "paused" in recorder.states(job)
    assert recorder.states(waiting) == ["queued", "cancelled"]
    assert hub.cdn_gets(FILE)[-1].headers["range"] == f"bytes={kept}-"
    assert (models / FILE).read_bytes() == data_of(hub, REPO, FILE)


def test_manager_reports_failures_with_their_kind(hub, models):
    recorder = Recorder()
    dm = manager(hub, models, recorder, disk_free=lambda folder: 10)
    job = dm.submit(DownloadRequest(REPO, FILE))
    wait_for(lambda: dm.status(job).state == "failed")
    dm.shutdown()
    assert dm.status(job).error.kind == "disk_full"


def test_manager_shutdown_pauses_running_downloads(hub, models):
    hub.slow[FILE] = 200_000
    dm = manager(hub, models, Recorder())
    job = dm.submit(DownloadRequest(REPO, FILE))
    part = models / (FILE + ".part")
    wait_for(lambda: part.exists() and part.stat().st_size > 0)
    dm.shutdown(timeout=5)
    assert dm.status(job).state == "paused"
    assert part.exists() and partial_downloads(models)[0].request.key == (REPO, FILE)


def test_manager_uses_the_token_current_when_a_job_starts(hub, models):
    token = {"value": None}
    dm = manager(hub, models, Recorder(), token_provider=lambda: token["value"])
    first = dm.submit(DownloadRequest(GATED, "Gated-Q8_0.gguf"))
    wait_for(lambda: dm.status(first).state == "failed")
    assert dm.status(first).error.kind == "gated_needs_token"
    token["value"] = GOOD_TOKEN
    dm.resume(first)
    wait_for(lambda: dm.status(first).state == "done")
    dm.shutdown()


# --- The token never lands in a file ------------------------------------------------------------------------------------


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


# --- Hub search ------------------------------------------------------------------------------------------------------------


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


# --- Command line ---------------------------------------------------------------------------------------------------------


def start_cli(hub: FakeHub, *args: str) -> subprocess.Popen:
    """``moescope download`` in its own process, pointed at the fake Hub through HF_ENDPOINT."""
    env = {**os.environ, "HF_ENDPOINT": hub.endpoint, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    env.pop("HF_TOKEN", None)
    return subprocess.Popen([sys.executable, "-m", "app", "download", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).resolve().parents[2])


def run_cli(hub: FakeHub, *args: str) -> subprocess.CompletedProcess:
    cli = start_cli(hub, *args)
    stdout, stderr = cli.communicate(timeout=60)
    return subprocess.CompletedProcess(cli.args, cli.returncode, stdout, stderr)


def test_cli_download_respects_hf_endpoint_resumes_and_verifies(hub, tmp_path):
    hub.drop_at[FILE] = [1_500_000]
    done = run_cli(hub, REPO, FILE, "--models-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / FILE)
    assert (tmp_path / FILE).read_bytes() == data_of(hub, REPO, FILE)
    assert "100.0%" in done.stderr
    assert hub.cdn_gets(FILE)[-1].headers["range"] == "bytes=1500000-"


def test_cli_download_failure_says_why_with_exit_status_2(hub, tmp_path):
    failed = run_cli(hub, GATED, "Gated-Q8_0.gguf", "--models-dir", str(tmp_path))
    assert failed.returncode == 2
    assert "is gated" in failed.stderr and "Traceback" not in failed.stderr
    assert files_in(tmp_path) == []


def test_format_progress():
    from app.core.hub.downloads import Progress

    line = format_progress(Progress(9_300_000_000, 18_600_000_000, 42_100_000, 221, 1, 1, "x.gguf",
                                    "downloading"))
    assert "50.0%" in line and "9.3 GB of 19 GB" in line and "42.1 MB/s" in line and "3 min 41 s left" in line
