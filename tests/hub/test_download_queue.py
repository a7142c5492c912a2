"""The download queue (app/core/hub/queue.py): jobs run one after another on worker threads, can be paused,
resumed and cancelled, and report each step, against the fake Hub."""

from __future__ import annotations

from app.core.hub.queue import DownloadManager
from app.core.hub.request import DownloadRequest
from app.core.hub.sidecars import partial_downloads
from hub_fixtures import (  # noqa: F401 (hub, models: fixtures)
    FILE,
    GATED,
    GOOD_TOKEN,
    REPO,
    Recorder,
    data_of,
    hub,
    models,
    payload,
    wait_for,
)
from stand_ins import PLENTY


def manager(hub, models, recorder, **kwargs):
    kwargs.setdefault("disk_free", lambda folder: PLENTY)
    models.mkdir(exist_ok=True)  # as the window does: the manager never makes its folder
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


def test_manager_refuses_a_models_folder_that_went_away_and_resumes_once_it_is_back(hub, models):
    dm = manager(hub, models, Recorder())
    models.rmdir()  # its drive was unplugged; the folder it was mounted on stays
    job = dm.submit(DownloadRequest(REPO, FILE))
    wait_for(lambda: dm.status(job).state == "failed")
    error = dm.status(job).error
    assert error.kind == "folder_missing" and str(models) in error.message and "not connected" in error.message
    assert not models.exists() and hub.requests == []

    models.mkdir()  # plugged in again
    dm.resume(job)
    wait_for(lambda: dm.status(job).state == "done")
    dm.shutdown()
    assert (models / FILE).read_bytes() == data_of(hub, REPO, FILE)
