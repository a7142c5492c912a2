"""The kiosk's counters for the admin screen: uptime by the clock, visitors, answers, engine restarts."""

from __future__ import annotations

from app.core.kiosk.stats import KioskStats


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_kiosk_stats_count_in_memory():
    clock = FakeClock()
    stats = KioskStats(clock)
    clock.now += 3600
    for _ in range(3):
        stats.visitor()
    stats.answer()
    stats.restart()
    assert (stats.uptime_s, stats.visitors, stats.answers, stats.restarts) == (3600, 3, 1, 1)
