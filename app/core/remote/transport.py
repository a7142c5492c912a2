"""HTTP to a company server: the httpx client a profile asks for, and every failure as a RemoteError.

TLS is verified by default against the operating system's certificates, or against the profile's CA
bundle; only a profile that turns verification off skips it. Proxies and other settings from the
environment are ignored (``trust_env=False``): the network policy allows exactly the server's host, so a
proxy would be refused anyway. The API key travels as ``Authorization: Bearer`` and nowhere else.
"""

from __future__ import annotations

import json
import socket
import ssl
from urllib.parse import urlsplit

import httpx

from app import __version__
from app.core.locality.policy import NetworkBlocked
from app.core.remote.errors import (
    BLOCKED,
    MALFORMED,
    MODEL_NOT_FOUND,
    RATE_LIMITED,
    SERVER,
    TLS,
    UNAUTHORIZED,
    UNREACHABLE,
    RemoteError,
)
from app.core.remote.profiles import ServerProfile

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 300.0
"""Longest wait for the next bytes of an answer (a big model's first token after a long prompt)."""
_SHOWN = 300  # characters of a server's own error message kept in a detail


def server_root(base_url: str) -> str:
    """The server's root URL: ``base_url`` without a trailing ``/`` or ``/v1`` (both forms are accepted)."""
    root = base_url.strip().rstrip("/")
    return root[:-3] if root.endswith("/v1") else root


def host_of(base_url: str) -> str:
    """The host name or address of ``base_url`` ("" when it has none)."""
    return urlsplit(base_url.strip()).hostname or ""


def open_client(profile: ServerProfile, api_key: str | None, read_timeout: float = READ_TIMEOUT_S) -> httpx.Client:
    """An httpx client for ``profile``'s server: its root as base URL, the key, TLS as the profile says.
    Raises RemoteError (TLS) when the CA bundle cannot be read."""
    if not profile.verify_tls:
        verify: ssl.SSLContext | bool = False
    else:
        try:
            verify = ssl.create_default_context(cafile=profile.ca_bundle or None)
        except (OSError, ssl.SSLError) as exc:
            raise RemoteError(TLS, f"The CA bundle {profile.ca_bundle} cannot be used: {exc}") from exc
    headers = {"User-Agent": f"MoEscope/{__version__}"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    timeout = httpx.Timeout(connect=CONNECT_TIMEOUT_S, read=read_timeout, write=30.0, pool=CONNECT_TIMEOUT_S)
    return httpx.Client(base_url=server_root(profile.base_url), headers=headers, verify=verify, timeout=timeout,
                        trust_env=False, follow_redirects=False)


def check_status(response: httpx.Response) -> None:
    """Raise the RemoteError for a response that is not a success (its body is read for the message)."""
    status = response.status_code
    if 200 <= status < 300:
        return
    message = _server_message(response)
    said = f" It said: {message}" if message else ""
    if status in (401, 403):
        raise RemoteError(UNAUTHORIZED, f"The server refused the API key (HTTP {status}).{said}", status)
    if status == 404:
        raise RemoteError(MODEL_NOT_FOUND, f"The server does not have this model or address (HTTP 404).{said}",
                          status)
    if status == 429:
        wait = _retry_after(response.headers.get("retry-after"))
        after = f" It asks to wait {wait:g} s." if wait is not None else ""
        raise RemoteError(RATE_LIMITED, f"The server is busy with other requests (HTTP 429).{after}{said}",
                          status, wait)
    raise RemoteError(SERVER, f"The server answered with an error (HTTP {status}).{said}", status)


def _server_message(response: httpx.Response) -> str:
    """The message in an OpenAI-style error body (``{"error": {"message": ...}}``), or its text."""
    try:
        response.read()
        text = response.text
    except (httpx.HTTPError, UnicodeDecodeError):
        return ""
    try:
        body = json.loads(text)
    except ValueError:
        return text.strip()[:_SHOWN]
    error = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(error, dict):
        error = error.get("message") or error.get("detail") or error
    return str(error).strip()[:_SHOWN]


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (its date form is not used by inference servers: None)."""
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and seconds >= 0 else None


def translate(exc: BaseException) -> RemoteError:
    """The RemoteError for a failure of httpx (or of the socket layer under it)."""
    if isinstance(exc, RemoteError):
        return exc
    cause = _find_cause(exc, (NetworkBlocked, ssl.SSLError, ssl.CertificateError))
    if isinstance(cause, NetworkBlocked):
        return RemoteError(BLOCKED, str(cause))
    if isinstance(cause, (ssl.SSLError, ssl.CertificateError)):
        return RemoteError(TLS, f"The secure connection to the server failed: {_short(cause)}")
    if isinstance(exc, httpx.TimeoutException):
        return RemoteError(UNREACHABLE, f"The server did not answer in time ({_short(exc)}).")
    if isinstance(exc, httpx.RemoteProtocolError):
        return RemoteError(UNREACHABLE, f"The connection to the server broke off ({_short(exc)}).")
    if isinstance(exc, httpx.DecodingError):
        return RemoteError(MALFORMED, f"The server's answer could not be decoded ({_short(exc)}).")
    if isinstance(exc, (httpx.TransportError, OSError)):
        if _find_cause(exc, (socket.gaierror,)) is not None:
            return RemoteError(UNREACHABLE, f"The server's name is not known ({_short(exc)}).")
        return RemoteError(UNREACHABLE, f"The server cannot be reached ({_short(exc)}).")
    return RemoteError(MALFORMED, f"The server's answer could not be used ({type(exc).__name__}: {_short(exc)}).")


def _find_cause(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> BaseException | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kinds):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:_SHOWN]
