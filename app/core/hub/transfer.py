"""The transfer: downloads of GGUF models from the Hugging Face Hub into the models folder, built for real
networks.

What a download does, in order:

1. Asks the Hub for the file's metadata (``HEAD /{repo}/resolve/{revision}/{file}`` through
   huggingface_hub's ``get_hf_file_metadata``): the commit it resolves to (``X-Repo-Commit``), its
   checksum (``X-Linked-Etag``: the sha256 of an LFS file; a git blob sha1 for a small file), its size
   (``X-Linked-Size``) and where to fetch it (the ``Location`` of the redirect to the CDN). Every part
   of a multi-part set (``-00001-of-00003.gguf``) is resolved at the same commit.
2. Refuses to start when the drive lacks the bytes still to come plus a margin.
3. Streams each file into its partial file next to a state sidecar (see sidecars.py), hashing as it
   writes. A dropped connection is resumed with an HTTP ``Range`` request from the byte it stopped at;
   after a restart of the app, the sidecar lets the same request continue where it stopped (the bytes
   already on disk are hashed again first).
4. Checks size and checksum. A mismatch deletes the partial file (kind ``checksum_mismatch``).
5. Only when every part is complete and verified: writes the origin sidecars and renames the parts to
   their final names, the first part last, so the library never sees a file that is incomplete or
   unverified.

Every connection is opened inside the HubAccess's network scope. ``download`` is blocking and meant for
a worker thread (queue.py, or the CLI). No Qt here.

Longer than 500 lines because the steps above share the state of one download (``_Download``) and are
read together; Progress and DownloadControl, with them, are the transfer's interface to its callers.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import hashlib
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx2
from huggingface_hub import get_hf_file_metadata, hf_hub_url
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import get_session, hf_raise_for_status

from app import __version__
from app.core.hub.access import HubAccess
from app.core.hub.errors import HubError, call_hub, hub_http_error, network_error
from app.core.hub.request import DownloadRequest, check_request
from app.core.hub.sidecars import (
    complete_part,
    part_path,
    read_origin,
    read_part_state,
    remove_partial,
    write_origin,
    write_part_state,
)
from app.core.models.fit import free_disk_bytes
from app.core.units import format_size

log = logging.getLogger(__name__)

DISK_MARGIN_BYTES = 500_000_000
"""Free space left over after a download, at least (or 1 % of the download, if more)."""

HASH_READ_BYTES = 8 << 20
PROGRESS_INTERVAL_S = 0.25
SPEED_WINDOW_S = 5.0

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_GIT_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


class DownloadPaused(Exception):
    """A download stopped because pause was requested; its partial file is kept for resuming."""


# --- Progress and control -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where a download stands; passed to ``on_progress`` callbacks.

    Attributes:
        done_bytes: bytes on disk so far (all parts together, including those of an earlier session).
        total_bytes: bytes of the whole model (all parts).
        speed_bps: bytes per second over the last few seconds (0.0 before there is a measure).
        eta_s: seconds left at that speed, or None while unknown.
        file_index: 1-based number of the part being worked on.
        file_count: parts in the set (1 for a single file).
        filename: local name of the part being worked on.
        phase: "checking" (hashing bytes kept from before), "downloading", "verifying" or "done".
    """

    done_bytes: int
    total_bytes: int
    speed_bps: float
    eta_s: float | None
    file_index: int
    file_count: int
    filename: str
    phase: str

    @property
    def fraction(self) -> float:
        return self.done_bytes / self.total_bytes if self.total_bytes else 0.0


class DownloadControl:
    """Thread-safe pause/cancel switch for one download; call from any thread.

    ``pause()`` stops the download and keeps its partial file; ``cancel()`` stops it and removes the
    partial file (cancel wins over pause). A transfer blocked waiting for the network is interrupted
    at once: the connection is shut down from the calling thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop: str | None = None
        self._abort: Callable[[], None] | None = None

    @property
    def stop_requested(self) -> str | None:
        """None, "pause" or "cancel"."""
        return self._stop

    def pause(self) -> None:
        self._request("pause")

    def cancel(self) -> None:
        self._request("cancel")

    def _request(self, what: str) -> None:
        with self._lock:  # held while aborting: the connection cannot be reused by then (see abortable)
            if self._stop != "cancel":
                self._stop = what
            if self._abort is not None:
                with contextlib.suppress(OSError):  # a connection that is closing anyway
                    self._abort()
        self._wake.set()

    def check(self) -> None:
        """Raise HubError("cancelled") or DownloadPaused if a stop was requested."""
        if self._stop == "cancel":
            raise HubError("cancelled", "The download was cancelled.")
        if self._stop == "pause":
            raise DownloadPaused()

    def sleep(self, seconds: float) -> None:
        """Wait (for a retry), returning early with the exception of check() when stopped."""
        self._wake.wait(seconds)
        self.check()

    @contextlib.contextmanager
    def abortable(self, abort: Callable[[], None]) -> Iterator[None]:
        """While inside, a stop request also calls ``abort`` (interrupts the open connection)."""
        with self._lock:
            self._abort = abort
            if self._stop is not None:
                with contextlib.suppress(OSError):
                    abort()
        try:
            yield
        finally:
            with self._lock:
                self._abort = None


class _Meter:
    """Speed over a sliding window, ETA, and a rate limit for progress callbacks."""

    def __init__(self, on_progress: Callable[[Progress], None] | None, total: int, count: int) -> None:
        self._on_progress = on_progress
        self._total = total
        self._count = count
        self._samples: collections.deque[tuple[float, int]] = collections.deque()
        self._last_emit = 0.0

    def report(self, done: int, index: int, name: str, phase: str, force: bool = False) -> None:
        now = time.monotonic()
        if phase == "downloading":
            self._samples.append((now, done))
            while len(self._samples) > 2 and now - self._samples[0][0] > SPEED_WINDOW_S:
                self._samples.popleft()
        if self._on_progress is None or (not force and now - self._last_emit < PROGRESS_INTERVAL_S):
            return
        self._last_emit = now
        speed = 0.0
        if len(self._samples) >= 2:
            (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
            speed = (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0
        eta = (self._total - done) / speed if speed > 0 else None
        self._on_progress(Progress(done, self._total, speed, eta, index, self._count, name, phase))


# --- Hub metadata ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Remote:
    """One file as the Hub describes it at one commit."""

    path: str
    url: str  # where to GET the bytes (CDN location or the resolve URL itself)
    commit: str
    etag: str  # sha256 (LFS) or git blob sha1
    size: int


def _resolve(access: HubAccess, repo: str, path: str, revision: str) -> _Remote:
    """HEAD the resolve URL: commit, checksum, size and download location of one file."""
    url = hf_hub_url(repo, path, revision=revision, endpoint=access.base_url)
    what = f"{path} in {repo}"
    meta = call_hub(access, url, what, lambda: get_hf_file_metadata(
        url, token=access.token or False, timeout=access.timeout, endpoint=access.base_url,
        library_name="moescope", library_version=__version__))
    missing = [name for name, value in (("X-Repo-Commit", meta.commit_hash), ("X-Linked-Etag", meta.etag),
                                        ("X-Linked-Size", meta.size)) if value is None]
    if missing:
        raise HubError("bad_response", f"The Hub's answer for {what} lacks {', '.join(missing)}, so the "
                                       "file cannot be downloaded and verified. Is HF_ENDPOINT a Hub?")
    etag = meta.etag.lower()
    if not (_SHA256.match(etag) or _GIT_SHA1.match(etag)):
        raise HubError("bad_response", f"The Hub gave no usable checksum for {what}, so it cannot be "
                                       "verified; nothing was downloaded.")
    location = meta.location if meta.location.startswith(("http://", "https://")) else url
    return _Remote(path=path, url=location, commit=meta.commit_hash, etag=etag, size=int(meta.size))


def _new_hasher(remote: _Remote) -> Any:
    if _SHA256.match(remote.etag):
        return hashlib.sha256()
    hasher = hashlib.sha1()  # a file kept in git itself: its etag is the git blob id
    hasher.update(b"blob %d\0" % remote.size)
    return hasher


# --- The transfer -------------------------------------------------------------------------------------------


def _io_error(exc: OSError, folder: Path) -> HubError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return HubError("disk_full", f"The drive of {folder} is full. The part downloaded so far is kept: "
                                     "free some space, then resume.")
    return HubError("local_io", f"Cannot write to {folder}: {exc.strerror or exc}.")


class _Download:
    """State of one call of ``download``."""

    def __init__(self, request: DownloadRequest, folder: Path, access: HubAccess,
                 on_progress: Callable[[Progress], None] | None, control: DownloadControl,
                 disk_free: Callable[[Path], int | None], retries: int, retry_wait: float,
                 create_folder: bool) -> None:
        self.request = request
        self.folder = folder
        self.create_folder = create_folder
        self.access = access
        self.on_progress = on_progress
        self.control = control
        self.disk_free = disk_free
        self.retries = retries
        self.retry_wait = retry_wait
        self.hasher: Any = None  # hash of the part being fetched, over the bytes on disk so far
        self.set_size = 0  # bytes of all parts together, known once every part is resolved

    def final(self, name: str) -> Path:
        return self.folder / name

    def run(self) -> Path:
        names = self.request.local_names
        self._prepare_folder()
        remotes = self._resolve_all()
        kept = [self._kept_bytes(name, remote) for name, remote in zip(names, remotes)]
        self._check_space(remotes, kept)
        self.set_size = sum(r.size for r in remotes)
        meter = _Meter(self.on_progress, self.set_size, len(remotes))
        before = 0
        for index, (name, remote) in enumerate(zip(names, remotes), start=1):
            if kept[index - 1] is not None:
                self._fetch(name, remote, meter, index, before)
            before += remote.size
        self._finish(names, remotes)
        meter.report(before, len(remotes), names[-1], "done", force=True)
        return self.final(names[0])

    def _prepare_folder(self) -> None:
        if not self.create_folder and not os.path.exists(self.folder):
            raise HubError("folder_missing", f"The models folder {self.folder} is not there any more (is it on "
                                             "a drive that is not connected?). Connect it or choose another "
                                             "models folder, then try again.")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _io_error(exc, self.folder) from None

    def _with_retries(self, what: Callable[[], Any]) -> Any:
        attempt = 0
        while True:
            self.control.check()
            try:
                return what()
            except HubError as exc:
                if not exc.retryable or attempt >= self.retries:
                    raise
                attempt += 1
                log.info("Hub request failed (%s); retry %d of %d", exc.message, attempt, self.retries)
                self.control.sleep(min(self.retry_wait * 2 ** (attempt - 1), 30.0))

    def _resolve_all(self) -> list[_Remote]:
        """Metadata of every part, all at the same commit (a resumed download keeps its commit)."""
        request = self.request
        state = read_part_state(self.final(request.local_names[0])) or {}
        revision = request.revision
        if (state.get("repo") == request.repo and state.get("requested_revision") == request.revision
                and isinstance(state.get("revision"), str) and _GIT_SHA1.match(state["revision"])):
            revision = state["revision"]
        remotes: list[_Remote] = []
        for path in request.parts:
            remote = self._with_retries(lambda p=path: _resolve(self.access, request.repo, p, revision))
            revision = remote.commit
            remotes.append(remote)
        return remotes

    def _kept_bytes(self, name: str, remote: _Remote) -> int | None:
        """Bytes of this part already on disk and still valid; None when the file is already in place."""
        final, part = self.final(name), part_path(self.final(name))
        if final.exists():
            origin = read_origin(final) or {}
            same = (final.stat().st_size == remote.size
                    and (origin.get("etag") == remote.etag or self._file_digest(final, remote) == remote.etag))
            if not same:
                raise HubError("exists", f"{final} already exists and is a different file. Rename or delete "
                                         "it, then download again.")
            return None
        state = read_part_state(final) or {}
        matches = (state.get("repo") == self.request.repo and state.get("filename") == remote.path
                   and state.get("etag") == remote.etag and state.get("size") == remote.size)
        if not matches or not part.exists() or part.stat().st_size > remote.size:
            if part.exists():
                log.info("Starting %s afresh: the partial file does not match the Hub's file", name)
            remove_partial(final)
            return 0
        return part.stat().st_size

    def _check_space(self, remotes: list[_Remote], kept: list[int | None]) -> None:
        needed = sum(r.size - k for r, k in zip(remotes, kept) if k is not None)
        free = self.disk_free(self.folder)
        margin = max(DISK_MARGIN_BYTES, needed // 100)
        if needed and free is not None and free < needed + margin:
            raise HubError("disk_full", f"Not enough free space in {self.folder}: the download needs "
                                        f"{format_size(needed)} (and {format_size(margin)} to spare), but only "
                                        f"{format_size(free)} are free. Free some space or choose another "
                                        "models folder.")

    def _file_digest(self, path: Path, remote: _Remote) -> str:
        hasher = _new_hasher(remote)
        self._hash_into(hasher, path, None)
        return hasher.hexdigest()

    def _hash_into(self, hasher: Any, path: Path, report: Callable[[int], None] | None) -> None:
        done = 0
        with path.open("rb") as fh:
            while chunk := fh.read(HASH_READ_BYTES):
                self.control.check()
                hasher.update(chunk)
                done += len(chunk)
                if report:
                    report(done)

    def _write_state(self, name: str, remote: _Remote, verified: bool) -> None:
        request = self.request
        write_part_state(self.final(name), repo=request.repo, filename=remote.path, revision=remote.commit,
                         requested_revision=request.revision, catalog_id=request.catalog_id, etag=remote.etag,
                         size=remote.size, parts=request.parts, set_size=self.set_size, verified=verified)

    def _fetch(self, name: str, remote: _Remote, meter: _Meter, index: int, before: int) -> None:
        part = part_path(self.final(name))
        state = read_part_state(self.final(name)) or {}
        if state.get("verified") and part.exists() and part.stat().st_size == remote.size:
            return
        self.hasher = _new_hasher(remote)
        try:
            if part.exists():
                self._hash_into(self.hasher, part,
                                lambda done: meter.report(before + done, index, name, "checking"))
            else:
                part.touch()
            self._write_state(name, remote, verified=False)
        except OSError as exc:
            raise _io_error(exc, self.folder) from None
        try:
            remote = self._transfer(name, remote, lambda done: meter.report(before + done, index, name,
                                                                             "downloading"))
        except HubError as exc:
            if exc.kind == "cancelled":
                remove_partial(self.final(name))
            raise
        meter.report(before + remote.size, index, name, "verifying", force=True)
        if part.stat().st_size != remote.size or self.hasher.hexdigest() != remote.etag:
            remove_partial(self.final(name))
            raise HubError("checksum_mismatch", f"{name} arrived damaged: its checksum does not match the "
                                                "Hub's, so it was deleted. Download it again.")
        self._write_state(name, remote, verified=True)

    def _transfer(self, name: str, remote: _Remote, report: Callable[[int], None]) -> _Remote:
        """Append the missing bytes to the part file, reconnecting with Range after every break.

        Gives up after ``retries`` reconnects in a row that brought no new bytes. Returns the remote
        description (renewed if its signed link expired on the way).
        """
        part = part_path(self.final(name))
        failures = 0
        while True:
            offset = part.stat().st_size
            if offset >= remote.size:
                return remote
            self.control.check()
            try:
                with part.open("ab") as fh:
                    self._stream(remote, offset, fh, report)
                if part.stat().st_size >= remote.size:
                    return remote
                problem = HubError("network", f"The connection for {name} ended early.", retryable=True)
            except _RangeIgnored:
                log.info("The server could not continue %s at byte %d; starting it again", name, offset)
                _truncate(part)
                self.hasher = _new_hasher(remote)
                problem = HubError("network", f"The server could not continue {name}.", retryable=True)
            except _LocationExpired:
                remote = self._with_retries(lambda: _resolve(self.access, self.request.repo, remote.path,
                                                              remote.commit))
                problem = HubError("network", f"The download link for {name} expired.", retryable=True)
            except HubError as exc:
                problem = exc
            except OSError as exc:
                raise _io_error(exc, self.folder) from None
            if not problem.retryable:
                raise problem
            progressed = part.stat().st_size > offset
            failures = 0 if progressed else failures + 1
            if failures > self.retries:
                raise problem
            log.info("Download of %s interrupted at byte %d (%s); resuming", name, part.stat().st_size,
                     problem.message)
            self.control.sleep(0 if progressed else min(self.retry_wait * 2 ** (failures - 1), 30.0))

    def _stream(self, remote: _Remote, offset: int, fh: Any, report: Callable[[int], None]) -> None:
        """One GET from ``offset`` to the end (or until the connection breaks), written to ``fh``."""
        extra = {"Accept-Encoding": "identity"}
        if offset:
            extra["Range"] = f"bytes={offset}-"
        headers = self.access.headers(remote.url, extra)
        done = offset
        try:
            with self.access.scope(remote.url), get_session().stream(
                    "GET", remote.url, headers=headers, timeout=httpx2.Timeout(self.access.timeout),
                    follow_redirects=True) as response, self.control.abortable(lambda: _interrupt(response)):
                if self._check_response(response, remote, offset) == "from_start":
                    fh.truncate(0)  # the server sent the whole file: start the part again
                    self.hasher = _new_hasher(remote)
                    done = 0
                for chunk in response.iter_bytes():  # as received: nothing is held back if the line drops
                    self.control.check()
                    fh.write(chunk)
                    self.hasher.update(chunk)
                    done += len(chunk)
                    report(done)
        except (_RangeIgnored, _LocationExpired, HubError, DownloadPaused):
            raise
        except Exception as exc:  # includes the connection being closed under us by pause/cancel
            self.control.check()
            if isinstance(exc, (httpx2.TransportError, httpx2.StreamError)):
                raise network_error(exc, remote.url) from None
            raise

    def _check_response(self, response: httpx2.Response, remote: _Remote, offset: int) -> str:
        """"continue" (the bytes from offset follow), "from_start" (the whole file follows), or raise."""
        status = response.status_code
        if status == 206:
            match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
            if not match or int(match.group(1)) != offset:
                raise _RangeIgnored()
            return "continue"
        if status == 200:
            return "from_start" if offset else "continue"
        if status == 416:  # nothing after offset: the part is complete or the file changed
            raise _RangeIgnored()
        if status in (401, 403, 410) and not self.access.on_hub(remote.url):
            raise _LocationExpired()  # a signed CDN link that expired: ask the Hub for a fresh one
        response.read()
        try:
            hf_raise_for_status(response)
        except HfHubHTTPError as exc:
            raise hub_http_error(exc, bool(self.access.token), remote.path) from None
        raise HubError("network", f"Unexpected answer (HTTP {status}) while downloading {remote.path}.")

    def _finish(self, names: tuple[str, ...], remotes: list[_Remote]) -> None:
        """Origin sidecars, then the parts under their final names (first part last)."""
        request = self.request
        stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        try:
            for name, remote in zip(names, remotes):
                write_origin(self.final(name), repo=request.repo, filename=remote.path, revision=remote.commit,
                             sha256=remote.etag if _SHA256.match(remote.etag) else None, etag=remote.etag,
                             size=remote.size, catalog_id=request.catalog_id, names=names, downloaded_at=stamp)
            for name in reversed(names):
                complete_part(self.final(name))
        except OSError as exc:
            raise _io_error(exc, self.folder) from None


def _interrupt(response: httpx2.Response) -> None:
    """Wake a read blocked on this response's connection, from another thread.

    Closing a socket does not wake a thread blocked in recv() on it; shutting it down does (the
    read then ends with an error and the owning thread closes everything as usual).
    """
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is not None:
        sock.shutdown(socket.SHUT_RDWR)


class _RangeIgnored(Exception):
    """The server did not continue at the requested byte: the part must start again."""


class _LocationExpired(Exception):
    """The CDN refused a signed download link: it has to be resolved again."""


def _truncate(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(0)


# --- Entry point -------------------------------------------------------------------------------------------


def download(request: DownloadRequest, models_dir: str | os.PathLike[str], access: HubAccess | None = None, *,
             on_progress: Callable[[Progress], None] | None = None, control: DownloadControl | None = None,
             disk_free: Callable[[Path], int | None] = free_disk_bytes, retries: int = 5,
             retry_wait: float = 1.0, create_folder: bool = True) -> Path:
    """Download one model (a file or a whole multi-part set) into ``models_dir``; blocking.

    Returns the path of the (first) file once every part is in place and verified. Resumes what an
    earlier call left behind. ``on_progress`` is called on this thread with a Progress at most every
    PROGRESS_INTERVAL_S seconds (and at the end). ``control`` pauses or cancels from another thread.
    ``disk_free(folder)`` measures free bytes (tests inject a small value). ``retries`` reconnects
    without progress are tried, waiting ``retry_wait`` seconds doubled each time, before giving up.
    ``create_folder`` makes ``models_dir`` (and its parents) when it is missing; without it a missing
    folder is refused (kind ``folder_missing``), so that a folder on a drive that was unplugged is not
    made again on the drive underneath.

    Raises HubError (see errors.KINDS) or DownloadPaused. After ``network`` and ``disk_full`` errors and a
    pause the partial file is kept, so a later call resumes it; after ``cancelled`` and
    ``checksum_mismatch`` it is removed.
    """
    check_request(request)
    access = access or HubAccess()
    job = _Download(request, Path(models_dir), access, on_progress, control or DownloadControl(),
                    disk_free, retries, retry_wait, create_folder)
    log.info("Downloading %s from %s at %s", request.filename, request.repo, request.revision)
    return job.run()

