"""DownloadManager: a queue of downloads run on worker threads, reporting each job's JobStatus through a
plain callback (the window forwards it as a Qt signal). No Qt here.
"""

from __future__ import annotations

import collections
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.core.hub.access import HubAccess, NetworkScope
from app.core.hub.errors import HubError
from app.core.hub.request import DownloadRequest, check_request
from app.core.hub.sidecars import discard_partial
from app.core.hub.transfer import DownloadControl, DownloadPaused, Progress, download
from app.core.models.fit import free_disk_bytes

log = logging.getLogger(__name__)

JOB_STATES = ("queued", "running", "paused", "done", "failed", "cancelled")


@dataclass(frozen=True)
class JobStatus:
    """A snapshot of one job of a DownloadManager, passed to its ``on_update`` callback.

    Attributes:
        job_id: the number ``submit`` returned.
        request: what is being downloaded.
        state: one of JOB_STATES. "paused" and "failed" jobs keep their partial files (``resume`` them);
            "cancelled" ones do not.
        progress: the latest Progress, or None before the first.
        path: the downloaded file once "done".
        error: the HubError of a "failed" job (or of a "cancelled" one).
    """

    job_id: int
    request: DownloadRequest
    state: str
    progress: Progress | None = None
    path: Path | None = None
    error: HubError | None = None


@dataclass
class _Job:
    status: JobStatus
    control: DownloadControl = field(default_factory=DownloadControl)
    requeue: bool = False


class DownloadManager:
    """A queue of downloads run on worker threads, several at a time if asked.

    ``on_update(JobStatus)`` is called after every change of state and for progress (rate-limited),
    from worker threads and from the thread calling submit/pause/resume/cancel. Calls never overlap
    and each carries the job's state at that moment, so a receiver never sees a job go back to an
    earlier state (a quick change may be seen only in its result). A Qt caller forwards it as a
    signal (queued connection) and must not block in it. The token is fetched from
    ``token_provider()`` when each job starts, so a token added in the settings applies to the next
    job. ``shutdown()`` pauses running jobs (their partial files stay for the next session, see
    ``partial_downloads``) and stops the threads.

    ``models_dir`` must exist: the manager never makes it, so a job whose folder went away (its drive
    was unplugged) fails with kind "folder_missing" instead of writing to the drive underneath.
    """

    def __init__(self, models_dir: str | os.PathLike[str], *,
                 token_provider: Callable[[], str | None] = lambda: None, endpoint: str | None = None,
                 network_scope: NetworkScope | None = None,
                 on_update: Callable[[JobStatus], None] | None = None, max_parallel: int = 1,
                 disk_free: Callable[[Path], int | None] = free_disk_bytes, retries: int = 5,
                 retry_wait: float = 1.0, timeout: float = 30.0) -> None:
        self.models_dir = Path(models_dir)
        self._token_provider = token_provider
        self._endpoint = endpoint
        self._network_scope = network_scope
        self._on_update = on_update
        self._max_parallel = max(1, max_parallel)
        self._disk_free = disk_free
        self._retries = retries
        self._retry_wait = retry_wait
        self._timeout = timeout
        self._lock = threading.Lock()
        self._notify_lock = threading.RLock()  # serialises on_update calls
        self._queue: collections.deque[int] = collections.deque()
        self._wake = threading.Condition(self._lock)
        self._jobs: dict[int, _Job] = {}
        self._threads: list[threading.Thread] = []
        self._next_id = 1
        self._closing = False

    # -- queries
    def status(self, job_id: int) -> JobStatus:
        with self._lock:
            return self._job(job_id).status

    def jobs(self) -> list[JobStatus]:
        with self._lock:
            return [job.status for job in self._jobs.values()]

    def _job(self, job_id: int) -> _Job:
        try:
            return self._jobs[job_id]
        except KeyError:
            raise KeyError(f"no download job {job_id}") from None

    # -- commands
    def submit(self, request: DownloadRequest) -> int:
        """Queue a download; returns its job id. The same model already queued, running or paused
        returns that job's id instead (a paused one is resumed).

        Raises HubError kind "invalid" for an unusable request, or one whose files another unfinished
        job (of another repository) would write too.
        """
        check_request(request)
        with self._lock:
            if self._closing:
                raise RuntimeError("the download manager has been shut down")
            unfinished = [job for job in self._jobs.values() if job.status.state in ("queued", "running", "paused")]
            for job in unfinished:
                other = job.status.request
                if other.key != request.key and set(other.local_names) & set(request.local_names):
                    raise HubError("invalid", f"{request.local_names[0]} is already being downloaded from "
                                              f"{other.repo}; wait for it or cancel it first.")
            for job in unfinished:
                if job.status.request.key == request.key:
                    existing = job.status.job_id
                    break
            else:
                existing = None
                job_id, self._next_id = self._next_id, self._next_id + 1
                self._jobs[job_id] = _Job(JobStatus(job_id, request, "queued"))
                self._enqueue(job_id)
        if existing is not None:
            self.resume(existing)
            return existing
        self._notify(job_id)
        return job_id

    def pause(self, job_id: int) -> None:
        """Stop a queued or running job, keeping its partial file."""
        with self._lock:
            job = self._job(job_id)
            job.requeue = False
            if job.status.state == "running":
                job.control.pause()
                return
            if job.status.state != "queued":
                return
            self._set(job, state="paused")
        self._notify(job_id)

    def resume(self, job_id: int) -> None:
        """Queue a paused or failed job again; it continues from its partial file."""
        with self._lock:
            job = self._job(job_id)
            if job.status.state == "running" and job.control.stop_requested == "pause":
                job.requeue = True
                return
            if job.status.state not in ("paused", "failed"):
                return
            self._set(job, state="queued", error=None)
            self._enqueue(job_id)
        self._notify(job_id)

    def cancel(self, job_id: int) -> None:
        """Stop a job for good and remove its partial files."""
        with self._lock:
            job = self._job(job_id)
            job.requeue = False
            if job.status.state == "running":
                job.control.cancel()
                return
            if job.status.state not in ("queued", "paused", "failed"):
                return
            request = self._set(job, state="cancelled").request
        discard_partial(self.models_dir, request)
        self._notify(job_id)

    def shutdown(self, timeout: float | None = 10.0) -> None:
        """Pause running jobs, drop the queue (partial files stay) and wait for the threads to end."""
        with self._lock:
            self._closing = True
            for job in self._jobs.values():
                job.requeue = False
                if job.status.state == "running":
                    job.control.pause()
            self._queue.clear()
            self._wake.notify_all()
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)

    # -- workers
    def _set(self, job: _Job, **changes: Any) -> JobStatus:
        job.status = replace(job.status, **changes)
        return job.status

    def _enqueue(self, job_id: int) -> None:
        """Put a job in the queue and start a worker if fewer than max_parallel run (lock held)."""
        self._queue.append(job_id)
        self._threads = [t for t in self._threads if t.is_alive()]
        if len(self._threads) < self._max_parallel:
            thread = threading.Thread(target=self._work, name="moescope-download", daemon=True)
            self._threads.append(thread)
            thread.start()
        self._wake.notify()

    def _next(self) -> _Job | None:
        with self._lock:
            while True:
                while self._queue:
                    job = self._jobs[self._queue.popleft()]
                    if job.status.state == "queued":
                        job.control = DownloadControl()
                        self._set(job, state="running")
                        return job
                if self._closing or not self._wake.wait(timeout=5.0):
                    if self._closing or not self._queue:
                        self._threads.remove(threading.current_thread())
                        return None

    def _work(self) -> None:
        while (job := self._next()) is not None:
            self._notify(job.status.job_id)
            self._run(job)

    def _run(self, job: _Job) -> None:
        request = job.status.request
        access = HubAccess(token=self._token_provider(), endpoint=self._endpoint,
                           network_scope=self._network_scope, timeout=self._timeout)

        def progress(p: Progress) -> None:
            with self._lock:
                self._set(job, progress=p)
            self._notify(job.status.job_id)

        outcome: dict[str, Any]
        try:
            path = download(request, self.models_dir, access, on_progress=progress, control=job.control,
                            disk_free=self._disk_free, retries=self._retries, retry_wait=self._retry_wait,
                            create_folder=False)
            outcome = {"state": "done", "path": path}
        except DownloadPaused:
            outcome = {"state": "paused"}
        except HubError as exc:
            outcome = {"state": "cancelled" if exc.kind == "cancelled" else "failed", "error": exc}
        except Exception as exc:  # a bug or a refusal by the network scope: report it, keep the thread
            log.exception("Download of %s failed unexpectedly", request.filename)
            message = access.scrub(f"The download failed unexpectedly: {type(exc).__name__}: {exc}")
            outcome = {"state": "failed", "error": HubError("unexpected", message)}
        with self._lock:
            if self._set(job, **outcome).state == "paused" and job.requeue and not self._closing:
                job.requeue = False
                self._set(job, state="queued")
                self._enqueue(job.status.job_id)
        self._notify(job.status.job_id)

    def _notify(self, job_id: int) -> None:
        """Tell on_update the job's current state (read now, so calls never go back in time)."""
        if self._on_update is None:
            return
        with self._notify_lock:
            with self._lock:
                snapshot = self._jobs[job_id].status
            self._on_update(snapshot)
