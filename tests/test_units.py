"""The one rounding rule for sizes and durations (app/core/units.py), as the command line shows it."""

import pytest

from app.core.units import format_duration, format_size, size_parts


@pytest.mark.parametrize("n, text", [
    (0, "0 B"), (999, "999 B"), (1000, "1 kB"), (12_600_000, "13 MB"), (820_000_000, "820 MB"),
    (999_600_000, "1 GB"), (4_680_000_000, "4.7 GB"), (8_000_000_000, "8 GB"), (21_400_000_000, "21 GB"),
    (3_200_000_000_000, "3.2 TB"), (-5, "0 B"),
])
def test_sizes_keep_two_or_three_digits(n, text):
    assert format_size(n) == text


def test_sizes_take_the_callers_number_format_and_space():
    assert format_size(4_680_000_000, number=lambda v, d: f"{v:.{d}f}".replace(".", ","), space="\u00a0") \
        == "4,7\u00a0GB"
    assert size_parts(9_960_000_000) == (9.96, 0, "GB")


@pytest.mark.parametrize("seconds, text", [
    (0, "0 s"), (59.9, "59 s"), (60, "1 min"), (221, "4 min"), (3569, "59 min"), (3599, "1 h 0 min"),
    (4800, "1 h 20 min"), (-3, "0 s"),
])
def test_durations_are_said_as_people_say_them(seconds, text):
    assert format_duration(seconds) == text


def test_durations_take_the_callers_words():
    words = {"hours": "{hours} Std. {minutes} Min.", "minutes": "{minutes} Min.", "seconds": "{seconds} Sek."}
    assert format_duration(4800, words) == "1 Std. 20 Min."
