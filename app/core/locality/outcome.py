"""What became of a network attempt: the outcomes the audit log records, and why one failed, in short.

The policy records them with every attempt it allowed (``app.core.locality.policy``), the audit log keeps
them; the evidence report and the locality panel word them, the panel in the user's language.
"""

from __future__ import annotations

import errno
import os
import socket

CONNECTED = "connected"
RESOLVED = "resolved"
SENT = "sent"
PENDING = "pending"
FAILED = "failed"
REFUSED = "refused"
OUTCOMES = (CONNECTED, RESOLVED, SENT, PENDING, FAILED, REFUSED)
"""What became of an attempt: a connection made; a name lookup answered; a datagram sent; a connection
begun on a non-blocking socket, its end not awaited; failed (the entry's ``error`` says why); refused by
the policy, so nothing was sent."""

MADE = (CONNECTED, SENT, PENDING)
"""The outcomes of an attempt that reached (or may have reached) the other computer."""

NAME_NOT_RESOLVED = "name not resolved"
ERROR_WORDS = {
    "ECONNREFUSED": "connection refused by the host",
    "EHOSTUNREACH": "no route to host",
    "ENETUNREACH": "network unreachable",
    "ETIMEDOUT": "timed out",
    "ECONNRESET": "connection reset",
}
"""Short English words for the errors a failed connection most often ends in, by errno name (Windows'
WSA names without the prefix). With NAME_NOT_RESOLVED these are the words a UI translates; other errors
are the system's own words."""

_IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, getattr(errno, "WSAEWOULDBLOCK", errno.EWOULDBLOCK)}


def short_error(error: OSError | int) -> str:
    """Why a connection, lookup or datagram failed, in a few English words ("no route to host").

    ``error`` is the exception, or the error number ``connect_ex`` returned.
    """
    if isinstance(error, (socket.gaierror, socket.herror)):
        return NAME_NOT_RESOLVED
    code = error if isinstance(error, int) else error.errno
    words = ERROR_WORDS.get(errno.errorcode.get(code or 0, "").removeprefix("WSA"))
    if words is not None:
        return words
    if isinstance(error, TimeoutError):
        return ERROR_WORDS["ETIMEDOUT"]
    if code:
        return os.strerror(code).lower()
    return str(error) or type(error).__name__


def unsuccessful(error: OSError | int) -> tuple[str, str | None]:
    """The outcome of an attempt that raised ``error`` (or whose ``connect_ex`` returned it): PENDING for a
    connection still being made, else FAILED; and for FAILED why, in short."""
    if isinstance(error, BlockingIOError) or (isinstance(error, int) and error in _IN_PROGRESS):
        return PENDING, None
    return FAILED, short_error(error)
