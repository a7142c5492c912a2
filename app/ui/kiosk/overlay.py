"""Overlay: a dimmed layer over the whole kiosk window with a card of large words in the middle (the idle
countdown, the "one moment" notice)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

DIM = QColor(11, 13, 16, 190)
"""The layer's colour: the screen below stays visible, darkened."""
CARD_WIDTH = 1000
"""The card's width on a screen wide enough for it."""


class Overlay(QWidget):
    """Covers its parent (following its size) while shown; the card holds the labels ``add_label`` makes.
    It takes every touch and click meant for what lies below."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.card = QFrame()
        self.card.setObjectName("overlayCard")
        self._card_layout = QVBoxLayout(self.card)
        self._card_layout.setContentsMargins(64, 48, 64, 48)
        self._card_layout.setSpacing(24)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addStretch(1)
        layout.addWidget(self.card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def add_label(self, object_name: str, text: str = "") -> QLabel:
        label = QLabel(text)
        label.setObjectName(object_name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        self._card_layout.addWidget(label)
        return label

    def cover(self) -> None:
        """Show it over the whole of its parent, above everything else there."""
        self._fit()
        self.raise_()
        self.show()

    def _fit(self) -> None:
        # A card of fixed width: word-wrapped labels in a card sized by its contents get cut off.
        area = self.parentWidget().rect()
        self.card.setFixedWidth(min(CARD_WIDTH, area.width() - 96))
        self.setGeometry(area)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self._fit()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        QPainter(self).fillRect(self.rect(), DIM)
