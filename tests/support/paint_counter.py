"""PaintCounter: counts a widget's paint events (tests and the expert-view benchmarks)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject


class PaintCounter(QObject):
    """Event filter that counts a widget's paint events and, given ``snapshot``, keeps its result at each."""

    def __init__(self, widget, snapshot: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.paints = 0
        self.snapshots: list = []
        self._snapshot = snapshot
        widget.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
            if self._snapshot is not None:
                self.snapshots.append(self._snapshot())
        return False
