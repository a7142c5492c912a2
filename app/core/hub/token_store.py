"""The Hugging Face token: kept only in the operating system's keyring, never in a file MoEscope writes.

Where no keyring exists (a headless Linux without Secret Service, a keyring that is locked or broken),
the token lives in memory for the running session only, and ``TokenStore.persistent`` is False with
``TokenStore.problem`` saying why, so the settings dialog can tell the user it will be forgotten.

The token never appears in a message, a log line or the store's repr.
"""

from __future__ import annotations

import logging

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

SERVICE = "MoEscope"
USERNAME = "huggingface"

log = logging.getLogger(__name__)


def _usable(backend: KeyringBackend) -> bool:
    """False for keyring's stand-ins that store nothing (no backend found, or the null backend)."""
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    return True


class TokenStore:
    """Add, read, replace and remove the Hugging Face token.

    Attributes:
        persistent: True while the token is kept in the operating system's keyring; False when it is
            held in memory for this session only (the UI should say so).
        problem: why the token is not persistent, in English words ("" while it is).

    All methods are thread-safe in the sense keyring backends are; none of them raises because the
    keyring fails: they fall back to the session-only store and record the problem instead.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        """``backend``: the keyring backend to use (tests pass their own); default: keyring's choice."""
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._session_token: str | None = None
        self.problem = ""
        if not _usable(self._backend):
            self._fall_back("no keyring is available on this computer")

    @property
    def persistent(self) -> bool:
        return not self.problem

    def __repr__(self) -> str:
        return f"TokenStore(persistent={self.persistent}, has_token={self.get() is not None})"

    def _fall_back(self, why: str) -> None:
        self.problem = (f"The Hugging Face token cannot be stored safely: {why}. "
                        "It is kept only until MoEscope closes.")
        log.info("%s", self.problem)

    def get(self) -> str | None:
        """The token, or None when none is stored."""
        if not self.persistent:
            return self._session_token
        try:
            return self._backend.get_password(SERVICE, USERNAME) or None
        except Exception as exc:  # keyring errors, D-Bus failures: never fatal, never with the token
            self._fall_back(f"the keyring could not be read ({type(exc).__name__})")
            return self._session_token

    def set(self, token: str) -> None:
        """Store or replace the token (leading/trailing spaces removed); an empty token removes it."""
        token = token.strip()
        if not token:
            self.remove()
            return
        if self.persistent:
            try:
                self._backend.set_password(SERVICE, USERNAME, token)
                return
            except Exception as exc:
                self._fall_back(f"the keyring refused to store it ({type(exc).__name__})")
        self._session_token = token

    def remove(self) -> None:
        """Forget the token, in the keyring and in memory."""
        self._session_token = None
        if not self.persistent:
            return
        try:
            if self._backend.get_password(SERVICE, USERNAME) is not None:
                self._backend.delete_password(SERVICE, USERNAME)
        except Exception as exc:
            self._fall_back(f"the keyring could not remove it ({type(exc).__name__})")
