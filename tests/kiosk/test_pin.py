"""The administrator's PIN: its hash (format, salt), its check, and the lock-out after wrong PINs."""

from __future__ import annotations

import base64
import hashlib

import pytest

from app.core.kiosk.pin import Lockout, hash_pin, is_pin_hash, is_valid_pin, verify_pin


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_hash_is_scrypt_with_its_parameters_salt_and_hash():
    stored = hash_pin("2468")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    salt, digest = base64.b64decode(salt), base64.b64decode(digest)
    assert len(salt) == 16 and len(digest) == 32
    assert hashlib.scrypt(b"2468", salt=salt, n=2**14, r=8, p=1, dklen=32) == digest
    assert "2468" not in stored and is_pin_hash(stored)


def test_the_right_pin_is_accepted_and_wrong_ones_are_not():
    stored = hash_pin("20250917")
    assert verify_pin("20250917", stored)
    for wrong in ("20250918", "2025091", "202509170", "", "abcd", "20250917 "):
        assert not verify_pin(wrong, stored), wrong


def test_the_same_pin_gets_a_different_salt_every_time():
    first, second = hash_pin("1234"), hash_pin("1234")
    assert first != second
    assert first.split("$")[4] != second.split("$")[4]
    assert verify_pin("1234", first) and verify_pin("1234", second)


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "", "１２３４", "12 34"])
def test_a_pin_is_4_to_12_ascii_digits(pin):
    assert not is_valid_pin(pin)
    with pytest.raises(ValueError, match="4 to 12 digits"):
        hash_pin(pin)


def test_malformed_or_greedy_hashes_are_refused_without_running_them():
    good = hash_pin("1234")
    scheme, n, r, p, salt, digest = good.split("$")
    for bad in ("", "1234", good.replace("scrypt", "bcrypt"), good + "$", f"{scheme}${n}$x${p}${salt}${digest}",
                f"{scheme}$1048577${r}${p}${salt}${digest}", f"{scheme}${2**24}${r}${p}${salt}${digest}",
                f"{scheme}${n}${r}${p}$!!!!${digest}", f"{scheme}${n}${r}${p}${salt}$QUJD"):
        assert not is_pin_hash(bad), bad
        assert not verify_pin("1234", bad), bad


def test_three_free_tries_then_waits_that_double_up_to_a_quarter_of_an_hour():
    clock = FakeClock()
    lockout = Lockout(clock)
    waits = []
    for _ in range(10):
        assert lockout.locked_for() == 0.0
        lockout.failed()
        waits.append(lockout.locked_for())
        clock.now += waits[-1]
    assert waits == [0, 0, 30, 60, 120, 240, 480, 900, 900, 900]


def test_the_wait_runs_out_with_the_clock_and_the_right_pin_starts_over():
    clock = FakeClock()
    lockout = Lockout(clock)
    for _ in range(3):
        lockout.failed()
    assert lockout.locked_for() == 30.0
    clock.now += 12.5
    assert lockout.locked_for() == 17.5
    clock.now += 17.5
    assert lockout.locked_for() == 0.0
    lockout.succeeded()
    assert lockout.failures == 0
    for _ in range(2):
        lockout.failed()
    assert lockout.locked_for() == 0.0  # three free tries again

