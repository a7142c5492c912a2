"""What the kiosk's admin screen counts since the app started: uptime, visitors, answers, engine
restarts. In memory only: nothing about visitors is written anywhere."""

from __future__ import annotations

import time
from collections.abc import Callable


class KioskStats:
    """Counters of one kiosk session; ``clock`` is injectable for tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self.visitors = 0
        self.answers = 0
        self.restarts = 0

    @property
    def uptime_s(self) -> float:
        return self._clock() - self._started

    def visitor(self) -> None:
        """A visitor's conversation was wiped (the idle countdown ran out): one visitor served."""
        self.visitors += 1

    def answer(self) -> None:
        self.answers += 1

    def restart(self) -> None:
        """The engine was started again (lost, stalled, over its memory limit, or by the admin)."""
        self.restarts += 1
