"""A stand-in for the Hugging Face Hub on 127.0.0.1, for tests that must never reach the internet.

Two HTTP servers on free ports: the *hub* (``endpoint``) and a *CDN* on another origin, as on the real
Hub, where large (LFS) files are served from a storage host the resolve URL redirects to.

The hub answers what huggingface_hub really calls:
- ``HEAD|GET /{repo}/resolve/{revision}/{path}``: for an LFS file a 302 to the CDN carrying
  ``X-Repo-Commit``, ``X-Linked-Etag`` (the sha256), ``X-Linked-Size`` and ``ETag``; for a small file
  kept in git a 200 with the git blob sha1 as ETag (GET serves it, with Range). Errors as the real
  Hub sends them: ``X-Error-Code`` RepoNotFound / EntryNotFound / RevisionNotFound / GatedRepo,
  401 "Invalid credentials in Authorization header" for a token it does not know, 401 GatedRepo
  without a token, 403 GatedRepo for a token without access.
- ``GET /api/models?search=&filter=gguf&limit=`` (search) and ``GET /api/models/{repo}[/revision/{rev}]``
  with ``blobs=true`` (siblings with size and lfs sha256).

The CDN serves ``GET|HEAD /blobs/{sha256}`` with Range requests, and the injected faults:
``drop_at`` (close the connection after a byte offset, once per listed offset), ``corrupt`` (serve
wrong bytes of the right length), ``slow`` (bytes per second), ``stall_at`` (stop sending after an
offset until the hub is closed), ``ignore_range`` (answer 200 with the whole file), ``expire_once``
(answer 403 once, like an expired signed link), ``down`` (answer 503: the line is gone) and
``down_after_drop`` (put the file in ``down`` once its connection was dropped).

On the hub, ``api_delay`` (seconds) holds back every ``/api/`` answer, like a Hub that stopped answering.

Every request is recorded in ``requests`` (server, method, path, headers) for assertions.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlparse

GATED_MESSAGE = ("Access to model {repo} is restricted. You must have access to it and be authenticated to "
                 "access it. Please log in.")
NOT_AUTHORIZED_MESSAGE = ("Access to model {repo} is restricted and you are not in the authorized list. "
                          "Visit https://huggingface.co/{repo} to ask for access.")


@dataclass
class FakeFile:
    data: bytes
    lfs: bool = True

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def git_sha1(self) -> str:
        return hashlib.sha1(b"blob %d\0" % len(self.data) + self.data).hexdigest()


@dataclass
class FakeRepo:
    repo_id: str
    files: dict[str, FakeFile]
    commit: str
    gated: bool = False
    granted_tokens: set[str] = field(default_factory=set)
    downloads: int = 0


@dataclass
class Recorded:
    server: str  # "hub" or "cdn"
    method: str
    path: str
    headers: dict[str, str]


class FakeHub:
    """Start with ``with FakeHub() as hub:``; ``hub.endpoint`` is the URL to use as HF_ENDPOINT."""

    def __init__(self, valid_tokens: tuple[str, ...] = (), cdn_host: str = "127.0.0.1") -> None:
        """``valid_tokens``: tokens the hub accepts; ``cdn_host``: loopback address the CDN listens on."""
        self.valid_tokens = set(valid_tokens)
        self.repos: dict[str, FakeRepo] = {}
        self.requests: list[Recorded] = []
        self.drop_at: dict[str, list[int]] = {}
        self.corrupt: set[str] = set()
        self.slow: dict[str, float] = {}
        self.stall_at: dict[str, int] = {}
        self.ignore_range: set[str] = set()
        self.expire_once: set[str] = set()
        self.down: set[str] = set()
        self.down_after_drop: set[str] = set()
        self.api_delay = 0.0
        self.closing = threading.Event()
        self._lock = threading.Lock()
        self._hub = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self, "hub"))
        self._cdn = ThreadingHTTPServer((cdn_host, 0), _handler(self, "cdn"))
        self._hub.daemon_threads = self._cdn.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self._hub.server_port}"
        self.cdn = f"http://{cdn_host}:{self._cdn.server_port}"
        self._threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (self._hub, self._cdn)]

    def __enter__(self) -> "FakeHub":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        for server in (self._hub, self._cdn):
            server.shutdown()
            server.server_close()

    def add_repo(self, repo_id: str, files: dict[str, bytes], *, gated: bool = False, lfs: bool = True,
                 granted_tokens: tuple[str, ...] = (), downloads: int = 0) -> FakeRepo:
        commit = hashlib.sha1(repo_id.encode()).hexdigest()
        repo = FakeRepo(repo_id, {name: FakeFile(data, lfs) for name, data in files.items()}, commit, gated,
                        set(granted_tokens), downloads)
        self.repos[repo_id] = repo
        return repo

    def record(self, entry: Recorded) -> None:
        with self._lock:
            self.requests.append(entry)

    def cdn_gets(self, name: str | None = None) -> list[Recorded]:
        """GET requests the CDN received (for one file name, if given)."""
        return [r for r in self.requests if r.server == "cdn" and r.method == "GET"
                and (name is None or parse_qs(urlparse(r.path).query)["name"][0].endswith(name))]

    def find_blob(self, sha: str) -> tuple[str, FakeFile] | None:
        for repo in self.repos.values():
            for name, file in repo.files.items():
                if file.sha256 == sha:
                    return name, file
        return None


def _handler(hub: FakeHub, server: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def do_GET(self) -> None:
            self._serve(head=False)

        def _serve(self, head: bool) -> None:
            hub.record(Recorded(server, self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
            try:
                if server == "cdn":
                    self._cdn(head)
                else:
                    self._hub(head)
            except (BrokenPipeError, ConnectionResetError):
                pass

        # -- helpers
        def _reply(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"",
                   head: bool = False) -> None:
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _json(self, data: object, head: bool = False) -> None:
            self._reply(200, {"Content-Type": "application/json"}, json.dumps(data).encode(), head)

        def _error(self, status: int, code: str | None, message: str, head: bool,
                   extra: dict[str, str] | None = None) -> None:
            headers = {"X-Error-Message": message, **(extra or {})}
            if code:
                headers["X-Error-Code"] = code
            self._reply(status, headers, json.dumps({"error": message}).encode(), head)

        def _token(self) -> str | None:
            auth = self.headers.get("Authorization", "")
            return auth[7:] if auth.startswith("Bearer ") else None

        # -- hub
        def _hub(self, head: bool) -> None:
            url = urlparse(self.path)
            path = unquote(url.path)
            query = parse_qs(url.query)
            token = self._token()
            if token is not None and token not in hub.valid_tokens:
                self._error(401, None, "Invalid credentials in Authorization header", head)
                return
            if path.startswith("/api/") and hub.api_delay and hub.closing.wait(hub.api_delay):
                return
            if path == "/api/models":
                self._search(query, head)
                return
            if path.startswith("/api/models/"):
                rest = path[len("/api/models/"):].split("/")
                repo = hub.repos.get("/".join(rest[:2]))
                if repo is None:
                    self._error(404 if token else 401, "RepoNotFound", "Repository not found", head)
                    return
                self._model_info(repo, query, head)
                return
            segments = path.lstrip("/").split("/")
            if len(segments) >= 5 and segments[2] == "resolve":
                self._resolve("/".join(segments[:2]), segments[3], "/".join(segments[4:]), token, head)
                return
            self._error(404, None, "Not found", head)

        def _search(self, query: dict[str, list[str]], head: bool) -> None:
            words = (query.get("search") or [""])[0].lower()
            wants_gguf = "gguf" in query.get("filter", [])
            limit = int((query.get("limit") or ["1000"])[0])
            found = [r for r in hub.repos.values() if words in r.repo_id.lower()
                     and (not wants_gguf or any(n.endswith(".gguf") for n in r.files))]
            found.sort(key=lambda r: -r.downloads)
            self._json([{"_id": r.commit[:24], "id": r.repo_id, "downloads": r.downloads, "likes": 1,
                         "gated": "manual" if r.gated else False, "lastModified": "2025-05-01T12:00:00.000Z",
                         "tags": ["gguf"], "private": False} for r in found[:limit]], head)

        def _model_info(self, repo: FakeRepo, query: dict[str, list[str]], head: bool) -> None:
            blobs = query.get("blobs") == ["True"] or query.get("blobs") == ["true"]
            siblings = []
            for name, file in sorted(repo.files.items()):
                sibling: dict[str, object] = {"rfilename": name}
                if blobs:
                    sibling["size"] = len(file.data) if not file.lfs else 135
                    sibling["blobId"] = file.git_sha1
                    if file.lfs:
                        sibling["lfs"] = {"sha256": file.sha256, "size": len(file.data), "pointerSize": 135}
                siblings.append(sibling)
            self._json({"_id": repo.commit[:24], "id": repo.repo_id, "sha": repo.commit, "private": False,
                        "gated": "manual" if repo.gated else False, "downloads": repo.downloads, "likes": 1,
                        "tags": ["gguf"], "library_name": "gguf", "siblings": siblings,
                        "lastModified": "2025-05-01T12:00:00.000Z"}, head)

        def _resolve(self, repo_id: str, revision: str, name: str, token: str | None, head: bool) -> None:
            repo = hub.repos.get(repo_id)
            if repo is None:
                self._error(404 if token else 401, "RepoNotFound", "Repository not found", head)
                return
            if repo.gated and token is None:
                self._error(401, "GatedRepo", GATED_MESSAGE.format(repo=repo_id), head)
                return
            if repo.gated and token not in repo.granted_tokens:
                self._error(403, "GatedRepo", NOT_AUTHORIZED_MESSAGE.format(repo=repo_id), head)
                return
            if revision not in ("main", repo.commit):
                self._error(404, "RevisionNotFound", "Invalid rev id: " + revision, head)
                return
            file = repo.files.get(name)
            commit = {"X-Repo-Commit": repo.commit}
            if file is None:
                self._error(404, "EntryNotFound", "Entry not found", head, commit)
                return
            if file.lfs:
                location = f"{hub.cdn}/blobs/{file.sha256}?name={quote(name)}&expires={int(time.time()) + 3600}"
                self._reply(302, {**commit, "Location": location, "X-Linked-Etag": f'"{file.sha256}"',
                                  "X-Linked-Size": str(len(file.data)), "ETag": f'"{file.git_sha1}"'},
                            head=head)
                return
            self._send_bytes(name, file.data, {**commit, "ETag": f'"{file.git_sha1}"'}, head)

        # -- cdn
        def _cdn(self, head: bool) -> None:
            url = urlparse(self.path)
            found = hub.find_blob(url.path.rpartition("/")[2])
            if found is None:
                self._error(404, None, "NoSuchKey", head)
                return
            name, file = found
            if name in hub.down:
                self._error(503, None, "Service Unavailable", head)
                return
            if name in hub.expire_once:
                hub.expire_once.discard(name)
                self._error(403, None, "Request has expired", head)
                return
            self._send_bytes(name, file.data, {"ETag": f'"{file.sha256}"'}, head)

        def _send_bytes(self, name: str, data: bytes, headers: dict[str, str], head: bool) -> None:
            """Serve data with Range support and the faults injected for ``name``."""
            if name in hub.corrupt:
                data = bytes(b ^ 0xFF for b in data[:64]) + data[64:]
            start = 0
            range_header = self.headers.get("Range")
            status = 200
            if range_header and name not in hub.ignore_range:
                total = len(data)
                first, _, last = range_header.removeprefix("bytes=").partition("-")
                start = int(first)
                if start >= total:
                    self._reply(416, {"Content-Range": f"bytes */{total}"}, head=head)
                    return
                end = min(int(last), total - 1) if last else total - 1
                data = data[start:end + 1]
                status = 206
                headers = {**headers, "Content-Range": f"bytes {start}-{end}/{total}"}
            self.send_response(status)
            for key, value in {**headers, "Accept-Ranges": "bytes"}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if head:
                return
            self._write_body(name, data, start)

        def _write_body(self, name: str, data: bytes, start: int) -> None:
            drops = hub.drop_at.get(name, [])
            drop = next((d for d in drops if start < d < start + len(data)), None)
            if drop is not None:
                drops.remove(drop)
                if name in hub.down_after_drop:
                    hub.down.add(name)
                self.wfile.write(data[:drop - start])
                self.wfile.flush()
                self.close_connection = True
                return
            stall = hub.stall_at.get(name)
            rate = hub.slow.get(name)
            sent = 0
            step = 4096 if rate else 1 << 20
            while sent < len(data):
                if stall is not None and start + sent >= stall:
                    hub.closing.wait()
                    return
                chunk = data[sent:sent + step]
                self.wfile.write(chunk)
                sent += len(chunk)
                if rate:
                    self.wfile.flush()
                    if hub.closing.wait(len(chunk) / rate):
                        return

    return Handler
