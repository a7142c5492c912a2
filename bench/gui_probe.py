"""How long the GUI thread's event loop stalls: a precise timer that should fire every few milliseconds; a
later firing is a stall. Used by the benchmarks that measure the window while answers stream."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer

PROBE_INTERVAL_MS = 2


class StallProbe:
    """Call ``start`` before the work, ``stop`` after it; ``stalls`` are the sorted delays beyond the interval,
    in milliseconds. Its wake-ups cost the GUI thread some speed themselves, so measure speed without it."""

    def __init__(self, interval_ms: int = PROBE_INTERVAL_MS) -> None:
        self.interval_ms = interval_ms
        self._gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self._gaps.append(self._clock.nsecsElapsed() / 1e6)
        self._clock.restart()

    def start(self) -> None:
        self._gaps.clear()
        self._clock.start()
        self._timer.start(self.interval_ms)

    def stop(self) -> None:
        self._timer.stop()

    @property
    def stalls(self) -> list[float]:
        return sorted(max(0.0, gap - self.interval_ms) for gap in self._gaps[1:]) or [0.0]

    @property
    def stall_max_ms(self) -> float:
        return self.stalls[-1]

    @property
    def stall_p95_ms(self) -> float:
        stalls = self.stalls
        return stalls[int(0.95 * (len(stalls) - 1))]
