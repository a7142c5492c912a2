"""How a Hub request can fail: HubError with its KINDS, and the mapping of HTTP and network errors to them.

``call_hub`` runs one request of huggingface_hub inside the caller's network scope and turns what it
raises into a HubError; the transfer maps the errors of its own streaming requests with
``hub_http_error`` and ``network_error``. Messages are English sentences that never contain the token;
the UI words each kind itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import socket

import httpx2
from huggingface_hub.errors import (
    DisabledRepoError,
    GatedRepoError,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

if TYPE_CHECKING:
    from app.core.hub.access import HubAccess

KINDS = {
    "not_found": "the repository, revision or file does not exist (or is private)",
    "gated_needs_token": "the repository is gated: a Hugging Face token is needed",
    "no_access": "the token is valid but has no access (licence not accepted, or the repo is disabled)",
    "bad_token": "the Hub rejected the token",
    "offline": "no internet connection: the Hub's name could not be looked up (not retried)",
    "network": "no connection, the connection broke too often, or the Hub is unavailable",
    "bad_response": "the Hub's answer lacks what is needed to download and verify the file",
    "disk_full": "not enough free space in the models folder",
    "local_io": "the models folder cannot be written",
    "folder_missing": "the models folder is not there any more (on a drive that is not connected?)",
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


def hub_http_error(exc: HfHubHTTPError, has_token: bool, what: str) -> HubError:
    """An HTTP error from the Hub, in words. ``what`` names the thing asked for; ``has_token`` says
    whether the request carried a token."""
    response = exc.response
    status = response.status_code if response is not None else 0
    server_says = (response.headers.get("X-Error-Message", "") if response is not None else "").lower()
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


def network_error(exc: Exception, url: str) -> HubError:
    """A connection to ``url`` that failed (or was refused by the network policy), in words.

    A refusal by the network policy is kind "blocked", a failed name lookup kind "offline"; neither is
    retried (a computer without internet fails the lookup at once, and would again in a second).
    """
    host = urlparse(url).hostname or url
    cause: BaseException | None = exc
    for _ in range(8):  # the root cause decides: a refused socket or a name that does not resolve
        if cause is None:
            break
        if isinstance(cause, PermissionError):
            return HubError("blocked", str(cause) or f"MoEscope's network policy refused the connection to {host}.")
        if isinstance(cause, socket.gaierror):
            return HubError("offline", f"No internet connection: the name {host} could not be looked up "
                                       f"({cause.strerror or cause}).")
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
        raise hub_http_error(exc, bool(access.token), what) from None
    except (httpx2.TransportError, OfflineModeIsEnabled) as exc:
        raise network_error(exc, url) from None
