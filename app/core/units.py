"""How sizes and durations are rounded for people: the one rule, shared by the window and the command line.

The window passes its locale's number formatting and translated unit words; the command line and the
English reasons in core use the plain defaults. Decimal units (1 GB = 10^9 bytes), as disks and the Hub count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

SIZE_UNITS = ("B", "kB", "MB", "GB", "TB")
DURATION_WORDS = {"hours": "{hours} h {minutes} min", "minutes": "{minutes} min", "seconds": "{seconds} s"}


def _plain_number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def size_parts(n_bytes: int) -> tuple[float, int, str]:
    """``(value, decimals, unit)`` for ``n_bytes``: the unit that keeps the value below 1000, one decimal
    below 10 unless it would be ".0" ("4.7 GB", "8 GB"), whole numbers above ("820 MB", "21 GB")."""
    value = float(max(0, n_bytes))
    unit = 0
    while unit < len(SIZE_UNITS) - 1 and round(value) >= 1000:
        value /= 1000
        unit += 1
    decimals = 1 if value < 10 and round(value, 1) != round(value) else 0
    return value, decimals, SIZE_UNITS[unit]


def format_size(n_bytes: int, number: Callable[[float, int], str] = _plain_number, space: str = " ") -> str:
    """``n_bytes`` as "820 MB", "4.7 GB", "21 GB"; ``number(value, decimals)`` formats the number."""
    value, decimals, unit = size_parts(n_bytes)
    return f"{number(value, decimals)}{space}{unit}"


def duration_parts(seconds: float) -> tuple[int, int, int]:
    """``(hours, minutes, seconds)`` as a person says a time left: whole minutes from one minute on
    (rounded), hours and minutes from one hour on."""
    seconds = max(0, int(seconds))
    minutes = round(seconds / 60)
    if seconds < 60:
        return 0, 0, seconds
    return minutes // 60, minutes % 60, 0


def format_duration(seconds: float, words: Mapping[str, str] = DURATION_WORDS) -> str:
    """A time left as "40 s", "5 min", "1 h 20 min"; ``words`` holds the three templates."""
    hours, minutes, rest = duration_parts(seconds)
    if hours:
        return words["hours"].format(hours=hours, minutes=minutes)
    if minutes:
        return words["minutes"].format(minutes=minutes)
    return words["seconds"].format(seconds=rest)
