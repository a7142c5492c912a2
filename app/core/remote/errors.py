"""Why a company server could not be used: a RemoteError of one kind, with an English detail.

The kinds are the protocol's REMOTE_ERROR_KINDS (app.core.engine.protocol), so that a RemoteError becomes
an Error event unchanged; a UI words each kind in the user's language and may show the detail beside it.
"""

from __future__ import annotations

from app.core.engine import protocol
from app.core.engine.protocol import (
    BLOCKED,
    MALFORMED,
    MODEL_NOT_FOUND,
    RATE_LIMITED,
    REMOTE_ERROR_KINDS,
    SERVER,
    TLS,
    UNAUTHORIZED,
    UNREACHABLE,
)

__all__ = ["BLOCKED", "MALFORMED", "MODEL_NOT_FOUND", "RATE_LIMITED", "REMOTE_ERROR_KINDS", "SERVER", "TLS",
           "UNAUTHORIZED", "UNREACHABLE", "RemoteError"]


class RemoteError(Exception):
    """A server that could not be used, and why.

    Attributes:
        kind: one of REMOTE_ERROR_KINDS.
        detail: what happened, in English (the server's own message where it sent one).
        status: the HTTP status, where there was one.
        retry_after: for RATE_LIMITED, the seconds the server asked to wait (its Retry-After), else None.
    """

    def __init__(self, kind: str, detail: str, status: int | None = None, retry_after: float | None = None) -> None:
        if kind not in REMOTE_ERROR_KINDS:
            raise ValueError(f"unknown remote error kind {kind!r}")
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.status = status
        self.retry_after = retry_after

    def details(self) -> dict:
        """The status and Retry-After, for an Error event's details (only those there are)."""
        return {key: value for key, value in (("status", self.status), ("retry_after", self.retry_after))
                if value is not None}

    def to_event(self) -> protocol.Error:
        return protocol.Error(self.kind, self.detail, details=self.details())
