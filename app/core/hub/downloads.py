"""Downloads of GGUF models from the Hugging Face Hub into the models folder, built for real networks.

What a download does, in order:

1. Asks the Hub for the file's metadata (``HEAD /{repo}/resolve/{revision}/{file}`` through
   huggingface_hub's ``get_hf_file_metadata``): the commit it resolves to (``X-Repo-Commit``), its
   checksum (``X-Linked-Etag``: the sha256 of an LFS file; a git blob sha1 for a small file), its size
   (``X-Linked-Size``) and where to fetch it (the ``Location`` of the redirect to the CDN). Every part
   of a multi-part set (``-00001-of-00003.gguf``) is resolved at the same commit.
2. Refuses to start when the drive lacks the bytes still to come plus a margin.
3. Streams each file into ``<name>.part`` next to a sidecar ``<name>.part.json`` (repository, commit,
   checksum, size), hashing as it writes. A dropped connection is resumed with an HTTP ``Range``
   request from the byte it stopped at; after a restart of the app, the sidecar lets the same request
   continue where it stopped (the bytes already on disk are hashed again first).
4. Checks size and checksum. A mismatch deletes the partial file (kind ``checksum_mismatch``).
5. Only when every part is complete and verified: writes ``<name>.origin.json`` (repository,
   revision, sha256, catalog id) and renames the parts to their final names, the first part last, so
   the library never sees a file that is incomplete or unverified.

Tokens go only to Hub hosts (never to the CDN) and never into a file, a log line or a message.
Every outgoing connection is opened inside ``HubAccess.network_scope(host)`` when one is given, so the
app's network policy can allow, show or refuse it.

``download`` is blocking and meant for a worker thread (or the CLI); ``DownloadManager`` runs a queue
of them on its own threads and reports through a plain callback. No Qt here.

Over 600 lines: HTTP error mapping, Hub access, sidecars, transfer and queue still live here
together; the house issue splits them into a hub package, kept for one move.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlparse

import httpx2
from huggingface_hub import constants, get_hf_file_metadata, hf_hub_url
from huggingface_hub.errors import (
    DisabledRepoError,
    GatedRepoError,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

from app import __version__
from app.core.models.catalog import split_parts
from app.core.models.fit import format_size, free_disk_bytes

log = logging.getLogger(__name__)

PART_SUFFIX = ".part"
PART_STATE_SUFFIX = ".part.json"
ORIGIN_SUFFIX = ".origin.json"

DISK_MARGIN_BYTES = 500_000_000
"""Free space left over after a download, at least (or 1 % of the download, if more)."""

HASH_READ_BYTES = 8 << 20
PROGRESS_INTERVAL_S = 0.25
SPEED_WINDOW_S = 5.0

KINDS = {
    "not_found": "the repository, revision or file does not exist (or is private)",
    "gated_needs_token": "the repository is gated: a Hugging Face token is needed",
    "no_access": "the token is valid but has no access (licence not accepted, or the repo is disabled)",
    "bad_token": "the Hub rejected the token",
    "network": "no connection, the connection broke too often, or the Hub is unavailable",
    "bad_response": "the Hub's answer lacks what is needed to download and verify the file",
    "disk_full": "not enough free space in the models folder",
    "local_io": "the models folder cannot be written",
    "checksum_mismatch": "the downloaded bytes do not match the Hub's checksum; the file was removed",
    "cancelled": "the download was cancelled; its partial file was removed",
    "blocked": "the app's network policy refused the connection (offline mode, for example)",
    "exists": "a different file with that name is already in the models folder",
    "invalid": "the request itself is not usable (not a .gguf file, bad repository id ...)",
    "unexpected": "an error MoEscope did not foresee",
}
"""Every ``HubError.kind``, with what it means (the UI translates by kind)."""


class HubError(Exception):
    """A download or Hub request failed; ``kind`` (a key of KINDS) says how, ``message`` in words.

    Attributes:
        kind: one of KINDS.
        message: a complete English sentence for people; it never contains the token.
        retryable: True for transient network trouble, which a later retry may fix.
    """

    def __init__(self, kind: str, message: str, retryable: bool = False) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown HubError kind {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.retryable = retryable


class DownloadPaused(Exception):
    """A download stopped because pause was requested; its partial file is kept for resuming."""


NetworkScope = Callable[[str], AbstractContextManager[Any]]
"""Factory of a context manager wrapped around every outgoing connection; receives the host name."""


@dataclass(frozen=True)
class HubAccess:
    """How to reach the Hub; shared by downloads and search.

    Attributes:
        token: Hugging Face token, or None (never sent to non-Hub hosts; not shown in repr).
        endpoint: Hub base URL; None means huggingface_hub's (the ``HF_ENDPOINT`` environment
            variable, else https://huggingface.co).
        network_scope: optional factory ``network_scope(host)`` of a context manager that every
            connection runs inside (the app's network policy). A PermissionError raised on entering
            it (the policy's refusal) becomes HubError kind "blocked" with its message.
        timeout: seconds to wait for a connection or for the next bytes before treating it as dropped.
    """

    token: str | None = field(default=None, repr=False)
    endpoint: str | None = None
    network_scope: NetworkScope | None = None
    timeout: float = 30.0

    @property
    def base_url(self) -> str:
        return (self.endpoint or constants.ENDPOINT).rstrip("/")

    @contextlib.contextmanager
    def scope(self, url: str) -> Iterator[None]:
        """Run the block inside ``network_scope(host of url)``, if there is one."""
        if self.network_scope is None:
            yield
            return
        host = urlparse(url).hostname or ""
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(self.network_scope(host))
            except PermissionError as exc:
                raise HubError("blocked", self.scrub(str(exc)) or f"The connection to {host} was refused "
                                                                  "by MoEscope's network policy.") from None
            yield

    def headers(self, url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Request headers; the token only when ``url`` is on the Hub's own host."""
        send_token = self.token if _same_origin(url, self.base_url) else None
        return build_hf_headers(token=send_token or False, library_name="moescope",
                                library_version=__version__, headers=extra)

    def scrub(self, text: str) -> str:
        """``text`` with the token replaced, for messages built from other libraries' errors."""
        return text.replace(self.token, "<token>") if self.token else text


def _same_origin(url: str, other: str) -> bool:
    a, b = urlparse(url), urlparse(other)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


@dataclass(frozen=True)
class DownloadRequest:
    """One model to download.

    Attributes:
        repo: ``owner/name`` on the Hub.
        filename: path of the file in the repository; any part of a multi-part set means the set.
        revision: branch, tag or commit to download from.
        catalog_id: the catalog entry this is, recorded in the origin sidecar (or None).
    """

    repo: str
    filename: str
    revision: str = "main"
    catalog_id: str | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        """Repository paths of every file to fetch (one, or each part of the set in order)."""
        return tuple(split_parts(self.filename))

    @property
    def local_names(self) -> tuple[str, ...]:
        """File names in the models folder (the repository's folders are dropped)."""
        return tuple(_local_name(path) for path in self.parts)

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the model: the same set requested twice has the same key."""
        return self.repo, self.parts[0]


_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_GIT_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


def _local_name(repo_path: str) -> str:
    return repo_path.rpartition("/")[2]


def _check_request(request: DownloadRequest) -> None:
    if not _REPO_ID.match(request.repo):
        raise HubError("invalid", f"{request.repo!r} is not a Hugging Face repository id (owner/name).")
    path = request.filename
    segments = path.split("/")
    name = segments[-1]
    if (not name.lower().endswith(".gguf") or name.startswith(".") or "\\" in path or "\0" in path
            or any(s in ("", ".", "..") for s in segments)):
        raise HubError("invalid", f"{path!r} is not the name of a GGUF file in a repository "
                                  "(it must end in .gguf and stay inside the repository).")
    if not request.revision or "\0" in request.revision:
        raise HubError("invalid", "The revision to download from is empty.")


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


def _hub_http_error(exc: HfHubHTTPError, access: HubAccess, what: str) -> HubError:
    """An HTTP error from the Hub, in words. ``what`` names the thing asked for."""
    response = exc.response
    status = response.status_code if response is not None else 0
    server_says = (response.headers.get("X-Error-Message", "") if response is not None else "").lower()
    has_token = bool(access.token)
    if status == 401 and has_token and "invalid" in server_says:
        return HubError("bad_token", "The Hugging Face Hub rejected your token. Check or replace it in "
                                     "the settings.")
    if isinstance(exc, GatedRepoError):
        if has_token:
            return HubError("no_access", f"{what} is gated and your token has no access to it yet: accept "
                                         "the licence on the model's page on huggingface.co, then try again.")
        return HubError("gated_needs_token", f"{what} is gated: accept its licence on huggingface.co and "
                                             "add a Hugging Face token in the settings.")
    if isinstance(exc, DisabledRepoError):
        return HubError("no_access", f"{what} has been disabled on the Hugging Face Hub.")
    if isinstance(exc, RepositoryNotFoundError):
        hint = "" if has_token else " If it is private, add a Hugging Face token that can read it."
        return HubError("not_found", f"{what}: the repository does not exist on the Hugging Face Hub.{hint}")
    if isinstance(exc, RevisionNotFoundError):
        return HubError("not_found", f"{what}: the requested revision does not exist.")
    if isinstance(exc, RemoteEntryNotFoundError) or status == 404:
        return HubError("not_found", f"{what} does not exist in the repository.")
    if status == 401:
        if has_token:
            return HubError("bad_token", "The Hugging Face Hub rejected your token. Check or replace it "
                                         "in the settings.")
        return HubError("gated_needs_token", f"{what} needs a Hugging Face token.")
    if status == 403:
        return HubError("no_access", f"The Hugging Face Hub refused access to {what}.")
    if status == 429 or status >= 500:
        return HubError("network", f"The Hugging Face Hub is busy or unavailable (HTTP {status}); "
                                   "try again later.", retryable=True)
    return HubError("network", f"The Hugging Face Hub answered with an unexpected error (HTTP {status}) "
                               f"for {what}.")


def _network_error(exc: Exception, url: str) -> HubError:
    host = urlparse(url).hostname or url
    cause: BaseException | None = exc
    for _ in range(8):  # a network policy refusing the socket: say so, and do not retry
        if cause is None:
            break
        if isinstance(cause, PermissionError):
            return HubError("blocked", str(cause) or f"MoEscope's network policy refused the connection to {host}.")
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, OfflineModeIsEnabled):
        return HubError("network", "Hugging Face offline mode is on (HF_HUB_OFFLINE), so nothing can be "
                                   "downloaded.")
    if isinstance(exc, httpx2.TimeoutException):
        why = "it stopped answering"
    elif isinstance(exc, httpx2.ConnectError):
        why = "no connection could be made (is the computer online?)"
    else:
        why = f"the connection broke ({type(exc).__name__})"
    return HubError("network", f"Could not download from {host}: {why}.", retryable=True)


def call_hub(access: HubAccess, url: str, what: str, call: Callable[[], Any]) -> Any:
    """Run one Hub request inside the network scope and turn its failures into HubError."""
    try:
        with access.scope(url):
            return call()
    except HfHubHTTPError as exc:
        raise _hub_http_error(exc, access, what) from None
    except (httpx2.TransportError, OfflineModeIsEnabled) as exc:
        raise _network_error(exc, url) from None


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


# --- Files in the models folder ---------------------------------------------------------------------------


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _unlink(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _io_error(exc: OSError, folder: Path) -> HubError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return HubError("disk_full", f"The drive of {folder} is full. The part downloaded so far is kept: "
                                     "free some space, then resume.")
    return HubError("local_io", f"Cannot write to {folder}: {exc.strerror or exc}.")


def discard_partial(models_dir: str | os.PathLike[str], request: DownloadRequest) -> None:
    """Remove the partial files and sidecars of a download that will not be resumed."""
    folder = Path(models_dir)
    for name in request.local_names:
        _unlink(folder / (name + PART_SUFFIX), folder / (name + PART_STATE_SUFFIX))


@dataclass(frozen=True)
class PartialDownload:
    """An unfinished download found in the models folder (e.g. after the app was closed).

    Attributes:
        request: the request to submit again to resume it.
        done_bytes: bytes already on disk (all parts).
        total_bytes: size of the whole model as recorded when it started (None if not recorded).
    """

    request: DownloadRequest
    done_bytes: int
    total_bytes: int | None


def partial_downloads(models_dir: str | os.PathLike[str]) -> list[PartialDownload]:
    """The unfinished downloads in the models folder, one per model (a set counts once)."""
    folder = Path(models_dir)
    found: dict[tuple[str, str], PartialDownload] = {}
    for state_path in sorted(folder.glob("*" + PART_STATE_SUFFIX)):
        state = _read_json(state_path)
        if not state or not isinstance(state.get("repo"), str) or not isinstance(state.get("set"), list):
            continue
        try:
            request = DownloadRequest(state["repo"], state["set"][0], state.get("requested_revision") or "main",
                                      state.get("catalog_id"))
            _check_request(request)
        except (HubError, IndexError, TypeError):
            continue
        if request.key in found:
            continue
        done = 0
        for name in request.local_names:
            for path in (folder / name, folder / (name + PART_SUFFIX)):
                if path.exists():
                    done += path.stat().st_size
                    break
        total = state.get("set_size")
        found[request.key] = PartialDownload(request, done, total if isinstance(total, int) and total else None)
    return list(found.values())


# --- The transfer -------------------------------------------------------------------------------------------


class _Download:
    """State of one call of ``download``."""

    def __init__(self, request: DownloadRequest, folder: Path, access: HubAccess,
                 on_progress: Callable[[Progress], None] | None, control: DownloadControl,
                 disk_free: Callable[[Path], int | None], retries: int, retry_wait: float) -> None:
        self.request = request
        self.folder = folder
        self.access = access
        self.on_progress = on_progress
        self.control = control
        self.disk_free = disk_free
        self.retries = retries
        self.retry_wait = retry_wait
        self.hasher: Any = None  # hash of the part being fetched, over the bytes on disk so far
        self.set_size = 0  # bytes of all parts together, known once every part is resolved

    # -- paths
    def final(self, name: str) -> Path:
        return self.folder / name

    def part(self, name: str) -> Path:
        return self.folder / (name + PART_SUFFIX)

    def state(self, name: str) -> Path:
        return self.folder / (name + PART_STATE_SUFFIX)

    def origin(self, name: str) -> Path:
        return self.folder / (name + ORIGIN_SUFFIX)

    # -- steps
    def run(self) -> Path:
        request = self.request
        names = request.local_names
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _io_error(exc, self.folder) from None
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
        state = _read_json(self.state(request.local_names[0])) or {}
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
        final, part = self.final(name), self.part(name)
        if final.exists():
            origin = _read_json(self.origin(name)) or {}
            same = (final.stat().st_size == remote.size
                    and (origin.get("etag") == remote.etag or self._file_digest(final, remote) == remote.etag))
            if not same:
                raise HubError("exists", f"{final} already exists and is a different file. Rename or delete "
                                         "it, then download again.")
            return None
        state = _read_json(self.state(name)) or {}
        matches = (state.get("repo") == self.request.repo and state.get("filename") == remote.path
                   and state.get("etag") == remote.etag and state.get("size") == remote.size)
        if not matches or not part.exists() or part.stat().st_size > remote.size:
            if part.exists():
                log.info("Starting %s afresh: the partial file does not match the Hub's file", name)
            _unlink(part, self.state(name))
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
        _write_json_atomic(self.state(name), {
            "repo": request.repo, "filename": remote.path, "revision": remote.commit,
            "requested_revision": request.revision, "catalog_id": request.catalog_id,
            "etag": remote.etag, "size": remote.size, "set": list(request.parts), "set_size": self.set_size,
            "verified": verified,
        })

    def _fetch(self, name: str, remote: _Remote, meter: _Meter, index: int, before: int) -> None:
        part = self.part(name)
        state = _read_json(self.state(name)) or {}
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
                _unlink(part, self.state(name))
            raise
        meter.report(before + remote.size, index, name, "verifying", force=True)
        if part.stat().st_size != remote.size or self.hasher.hexdigest() != remote.etag:
            _unlink(part, self.state(name))
            raise HubError("checksum_mismatch", f"{name} arrived damaged: its checksum does not match the "
                                                "Hub's, so it was deleted. Download it again.")
        self._write_state(name, remote, verified=True)

    def _transfer(self, name: str, remote: _Remote, report: Callable[[int], None]) -> _Remote:
        """Append the missing bytes to the part file, reconnecting with Range after every break.

        Gives up after ``retries`` reconnects in a row that brought no new bytes. Returns the remote
        description (renewed if its signed link expired on the way).
        """
        part = self.part(name)
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
                raise _network_error(exc, remote.url) from None
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
        if status in (401, 403, 410) and not _same_origin(remote.url, self.access.base_url):
            raise _LocationExpired()  # a signed CDN link that expired: ask the Hub for a fresh one
        response.read()
        try:
            hf_raise_for_status(response)
        except HfHubHTTPError as exc:
            raise _hub_http_error(exc, self.access, remote.path) from None
        raise HubError("network", f"Unexpected answer (HTTP {status}) while downloading {remote.path}.")

    def _finish(self, names: tuple[str, ...], remotes: list[_Remote]) -> None:
        """Origin sidecars, then the parts under their final names (first part last)."""
        request = self.request
        stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        try:
            for name, remote in zip(names, remotes):
                _write_json_atomic(self.origin(name), {
                    "repo": request.repo, "filename": remote.path, "revision": remote.commit,
                    "sha256": remote.etag if _SHA256.match(remote.etag) else None, "etag": remote.etag,
                    "size": remote.size, "catalog_id": request.catalog_id, "set": list(names),
                    "downloaded_at": stamp,
                })
            for name in reversed(names):
                if self.part(name).exists():
                    os.replace(self.part(name), self.final(name))
                _unlink(self.state(name))
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


# --- Public entry points -----------------------------------------------------------------------------------


def download(request: DownloadRequest, models_dir: str | os.PathLike[str], access: HubAccess | None = None, *,
             on_progress: Callable[[Progress], None] | None = None, control: DownloadControl | None = None,
             disk_free: Callable[[Path], int | None] = free_disk_bytes, retries: int = 5,
             retry_wait: float = 1.0) -> Path:
    """Download one model (a file or a whole multi-part set) into ``models_dir``; blocking.

    Returns the path of the (first) file once every part is in place and verified. Resumes what an
    earlier call left behind. ``on_progress`` is called on this thread with a Progress at most every
    PROGRESS_INTERVAL_S seconds (and at the end). ``control`` pauses or cancels from another thread.
    ``disk_free(folder)`` measures free bytes (tests inject a small value). ``retries`` reconnects
    without progress are tried, waiting ``retry_wait`` seconds doubled each time, before giving up.

    Raises HubError (see KINDS) or DownloadPaused. After ``network`` and ``disk_full`` errors and a
    pause the partial file is kept, so a later call resumes it; after ``cancelled`` and
    ``checksum_mismatch`` it is removed.
    """
    _check_request(request)
    access = access or HubAccess()
    job = _Download(request, Path(models_dir), access, on_progress, control or DownloadControl(),
                    disk_free, retries, retry_wait)
    log.info("Downloading %s from %s at %s", request.filename, request.repo, request.revision)
    return job.run()


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
        _check_request(request)
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
                            disk_free=self._disk_free, retries=self._retries, retry_wait=self._retry_wait)
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


# --- Command line --------------------------------------------------------------------------------------------


def _format_duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


def format_progress(p: Progress, width: int = 30) -> str:
    """One line for a terminal: bar, percent, bytes, speed and time left."""
    filled = int(p.fraction * width)
    part = f" part {p.file_index}/{p.file_count}" if p.file_count > 1 else ""
    line = (f"[{'#' * filled}{'.' * (width - filled)}] {p.fraction * 100:5.1f}% "
            f"{format_size(p.done_bytes)} of {format_size(p.total_bytes)}{part}")
    if p.phase == "downloading" and p.speed_bps > 0:
        line += f"  {p.speed_bps / 1e6:.1f} MB/s"
        if p.eta_s is not None:
            line += f"  {_format_duration(p.eta_s)} left"
    elif p.phase in ("checking", "verifying"):
        line += f"  {p.phase}"
    return line


def run_cli_download(repo: str, filename: str, models_dir: str | os.PathLike[str], *, revision: str = "main",
                     token: str | None = None, network_scope: NetworkScope | None = None,
                     stream: TextIO | None = None) -> int:
    """``moescope download``: download with a progress bar on ``stream``; 0 on success, 2 on failure.

    Ctrl-C stops the download and keeps the partial file: the same command resumes it. The endpoint
    is huggingface_hub's (``HF_ENDPOINT``); ``network_scope`` as in HubAccess.
    """
    stream = stream or sys.stderr
    interactive = stream.isatty()
    last_line = [""]
    last_print = [0.0]

    def show(p: Progress) -> None:
        line = format_progress(p)
        if interactive:
            stream.write("\r" + line.ljust(len(last_line[0])))
        elif time.monotonic() - last_print[0] >= 10 or p.phase == "done":
            stream.write(line + "\n")
            last_print[0] = time.monotonic()
        last_line[0] = line
        stream.flush()

    request = DownloadRequest(repo, filename, revision)
    try:
        path = download(request, models_dir, HubAccess(token=token, network_scope=network_scope),
                        on_progress=show)
    except HubError as exc:
        stream.write(("\n" if interactive and last_line[0] else "") + f"moescope: {exc.message}\n")
        return 2
    except KeyboardInterrupt:
        stream.write("\nmoescope: interrupted; the part downloaded so far is kept. Run the same command "
                     "again to resume.\n")
        return 2
    if interactive:
        stream.write("\n")
    print(path)
    return 0
