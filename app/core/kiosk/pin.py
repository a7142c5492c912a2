"""The kiosk administrator's PIN: a salted scrypt hash (never the PIN itself), its check, and the
lock-out after wrong PINs.

A hash reads ``scrypt$16384$8$1$<salt>$<hash>`` (cost n, block size r, parallelism p, then the
16-byte salt and the 32-byte hash in base64), so that a later version can raise the cost and still
check older hashes. Lock-out: three wrong PINs are free; after the third the PIN pad waits 30 s, and
every further wrong PIN doubles the wait, up to 15 minutes. A right PIN starts over. The lock-out
lives in memory only, like everything else about a kiosk session.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import time
from collections.abc import Callable

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12
SCHEME = "scrypt"
COST_N = 2**14
BLOCK_SIZE_R = 8
PARALLEL_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
FREE_TRIES = 3
FIRST_LOCK_S = 30.0
LONGEST_LOCK_S = 15 * 60.0

_PIN = re.compile(rf"[0-9]{{{PIN_MIN_DIGITS},{PIN_MAX_DIGITS}}}")
_HASH = re.compile(r"scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)")


def is_valid_pin(pin: str) -> bool:
    """4 to 12 ASCII digits."""
    return _PIN.fullmatch(pin) is not None


def hash_pin(pin: str) -> str:
    """The hash to store in the kiosk configuration; ValueError for a PIN that is not 4 to 12 digits."""
    if not is_valid_pin(pin):
        raise ValueError(f"A PIN is {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits.")
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(pin, salt, COST_N, BLOCK_SIZE_R, PARALLEL_P, HASH_BYTES)
    return "$".join((SCHEME, str(COST_N), str(BLOCK_SIZE_R), str(PARALLEL_P),
                     base64.b64encode(salt).decode("ascii"), base64.b64encode(digest).decode("ascii")))


def is_pin_hash(stored: str) -> bool:
    """Whether ``stored`` is a hash ``hash_pin`` could have made (any cost within sane bounds)."""
    return _parse(stored) is not None


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` is the PIN ``stored`` was made from; False for a malformed hash or PIN."""
    parsed = _parse(stored)
    if parsed is None or not is_valid_pin(pin):
        return False
    n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(pin, salt, n, r, p, len(digest)), digest)


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    match = _HASH.fullmatch(stored) if isinstance(stored, str) else None
    if match is None:
        return None
    n, r, p = (int(match.group(index)) for index in (1, 2, 3))
    # Bounds keep a hand-edited hash from asking scrypt for gigabytes of memory or minutes of work.
    if n < 2**10 or n > 2**20 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16:
        return None
    try:
        salt = base64.b64decode(match.group(4), validate=True)
        digest = base64.b64decode(match.group(5), validate=True)
    except binascii.Error:
        return None
    if len(salt) < 8 or not 16 <= len(digest) <= 64:
        return None
    return n, r, p, salt, digest


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    memory = 128 * r * (n + p + 2)
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=memory + 2**20)


def lock_seconds(failures: int) -> float:
    """How long the PIN pad waits after ``failures`` wrong PINs in a row: 0, 0, 30, 60, 120 … 900 s."""
    if failures < FREE_TRIES:
        return 0.0
    doublings = min(failures - FREE_TRIES, 16)  # the cap is reached long before; no float overflow
    return min(FIRST_LOCK_S * 2**doublings, LONGEST_LOCK_S)


class Lockout:
    """Wrong PINs in a row and the wait they impose; ``clock`` is injectable for tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures = 0
        self._until = 0.0

    @property
    def failures(self) -> int:
        return self._failures

    def locked_for(self) -> float:
        """Seconds left before the next PIN is accepted; 0.0 when one may be tried now."""
        return max(0.0, self._until - self._clock())

    def failed(self) -> None:
        """A wrong PIN: count it, and start the wait it earns (from now)."""
        self._failures += 1
        self._until = self._clock() + lock_seconds(self._failures)

    def succeeded(self) -> None:
        """The right PIN: the count starts over."""
        self._failures = 0
        self._until = 0.0
