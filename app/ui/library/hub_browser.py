"""HubBrowser: searching the Hugging Face Hub for GGUF models and listing a repository's files, off the GUI
thread and inside the network policy."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from urllib.parse import urlparse

from PySide6.QtCore import QObject, Signal

from app.core.hub.access import HubAccess
from app.core.hub.errors import HubError
from app.core.hub.search import list_gguf_files, search_gguf
from app.core.locality.policy import NetworkPolicy

WHAT_SEARCH = "the search results"
"""What a search receives, in the locality indicator's words (it translates them)."""


class HubBrowser(QObject):
    """Runs Hub searches and file listings on threads of their own; each request has a number, and a
    newer request makes the answers of older ones uninteresting (the receiver compares numbers).

    The threads are daemon threads that nobody waits for: closing the window while the Hub is slow
    to answer must not hang (a late answer finds no receiver and is dropped).

    While a request runs, the Hub's host is allowed as one user action ("search") of the network
    policy; in offline mode the request fails with HubError kind "blocked".

    Signals:
        searchFinished(int, object): request number, and the list of HubRepo found.
        filesFinished(int, str, object): request number, repository and its list of HubFile.
        failed(int, object): request number and the HubError.
    """

    searchFinished = Signal(int, object)
    filesFinished = Signal(int, str, object)
    failed = Signal(int, object)

    def __init__(
        self,
        *,
        token_provider: Callable[[], str | None],
        endpoint: str | None = None,
        policy: NetworkPolicy | None = None,
        timeout: float = 30.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._threads: list[threading.Thread] = []
        self._token_provider = token_provider
        self._endpoint = endpoint
        self._policy = policy
        self._timeout = timeout
        self._next = 0

    def search(self, query: str) -> int:
        return self._start(
            lambda access: search_gguf(query, access),
            lambda number, found: self.searchFinished.emit(number, found),
        )

    def list_files(self, repo_id: str) -> int:
        return self._start(
            lambda access: list_gguf_files(repo_id, access),
            lambda number, files: self.filesFinished.emit(number, repo_id, files),
        )

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the requests still running (they end at the latest after their timeout)."""
        for thread in list(self._threads):
            thread.join(timeout)

    def _start(self, call: Callable[[HubAccess], object], report: Callable[[int, object], None]) -> int:
        self._next += 1
        number = self._next
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        thread = threading.Thread(
            target=self._run, args=(number, call, report), name="moescope-hub", daemon=True
        )
        self._threads.append(thread)
        thread.start()
        return number

    def _run(
        self, number: int, call: Callable[[HubAccess], object], report: Callable[[int, object], None]
    ) -> None:
        access = HubAccess(token=self._token_provider(), endpoint=self._endpoint, timeout=self._timeout)
        host = urlparse(access.base_url).hostname or ""
        try:
            with self._allowed(host):
                result = call(access)
        except HubError as exc:
            self._emit(self.failed.emit, number, exc)
            return
        except PermissionError as exc:  # the policy refused the search (offline mode)
            self._emit(self.failed.emit, number, HubError("blocked", access.scrub(str(exc))))
            return
        except Exception as exc:  # a bug must not take the window down: report it like any failure
            self._emit(
                self.failed.emit, number, HubError("unexpected", access.scrub(f"{type(exc).__name__}: {exc}"))
            )
            return
        self._emit(report, number, result)

    def _allowed(self, host: str):
        if self._policy is None:
            return contextlib.nullcontext()
        return self._policy.allow_action("search", host, what=WHAT_SEARCH)

    @staticmethod
    def _emit(emit: Callable, *args) -> None:
        with contextlib.suppress(RuntimeError):  # the window is gone
            emit(*args)
