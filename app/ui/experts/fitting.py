"""Parts of the expert view that fit any dock width from about 300 px up, never asking for a horizontal
scroll bar: FitRow (parts side by side where they fit, else one under the other), ElidedLabel (one line
that ends in "…" where it has less room than its text), ShownPageStack (as small as the page shown allows),
and FitLayout (the view's scroll area content: it fills the height it has and scrolls vertically only
below what its pages need at the width it has)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QBoxLayout, QLabel, QLayout, QStackedWidget, QVBoxLayout, QWidget

_STACKED_SPACING = 4


class FitRow(QWidget):
    """``parts`` side by side where the width holds all of them at their preferred widths, else one under
    the other. Its minimum is the stacked one (the widest part's minimum), so the row never makes the view
    wider than its dock; a FitRow among the parts wraps in turn when it gets a row of its own.

    Attributes:
        parts: the widgets, in order; side by side, the one at index ``stretch`` takes the spare width (None:
            it stays empty on the right).
    """

    def __init__(self, parts: Sequence[QWidget], stretch: int | None = None, spacing: int = 12,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parts = list(parts)
        self._spacing = spacing
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(spacing)
        self._layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # the minimum is ours
        for index, part in enumerate(self.parts):
            self._layout.addWidget(part, 1 if index == stretch else 0)
        if stretch is None:
            self._layout.addStretch(1)

    @property
    def side_by_side(self) -> bool:
        return self._layout.direction() == QBoxLayout.Direction.LeftToRight

    def wide_width(self) -> int:
        """The width the parts need side by side, each at its preferred width."""
        shown = [part for part in self.parts if not part.isHidden()]
        return sum(_preferred_width(part) for part in shown) + self._spacing * max(len(shown) - 1, 0)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Side by side, whatever the arrangement now: given that width, the parts go side by side again."""
        return QSize(self.wide_width(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """As narrow as the widest part (they stack below the width of all side by side), as high as the
        parts are now arranged."""
        widths = [part.minimumSizeHint().expandedTo(part.minimumSize()).width()
                  for part in self.parts if not part.isHidden()]
        return QSize(max(widths, default=0), super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._arrange(event.size().width())
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a part's preferred size changed (its text, its style)
            self._arrange(self.width())
        return super().event(event)

    def _arrange(self, width: int) -> None:
        wide = width >= self.wide_width()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)
            self._layout.setSpacing(self._spacing if wide else _STACKED_SPACING)
            for part in self.parts:  # one under the other at its preferred width, but wrapped text fills the row
                left = not wide and not part.hasHeightForWidth()
                self._layout.setAlignment(part, Qt.AlignmentFlag.AlignLeft if left else Qt.AlignmentFlag(0))
            self.updateGeometry()


def _preferred_width(part: QWidget) -> int:
    if isinstance(part, FitRow):
        return part.wide_width()
    return part.sizeHint().expandedTo(part.minimumSize()).width()


class ElidedLabel(QLabel):
    """One line of plain text, cut with "…" where the label has less room than its text: the whole text is
    its preferred width, "…" its minimum (``setMinimumWidth`` sets another)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def full_text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        self._full = text
        self._elide(self.width() if self.isVisible() else None)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._text_width(self._full) + self._chrome(), super().sizeHint().height()).expandedTo(
            self.minimumSize())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._text_width("…") + self._chrome(), super().minimumSizeHint().height())

    def _text_width(self, text: str) -> int:
        """Whole pixels, rounded up: a text is never cut for a fraction of a pixel."""
        return math.ceil(QFontMetricsF(self.font()).horizontalAdvance(text))

    def _chrome(self) -> int:
        """The label's width around its text: padding, frame, margin."""
        return self.width() - self.contentsRect().width() + 2 * self.margin()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._elide(event.size().width())
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elide(self.width())

    def _elide(self, width: int | None) -> None:
        """Show as much of the text as ``width`` holds (None: all of it)."""
        shown = self._full
        room = width - self._chrome() if width is not None else None
        if room is not None and self._text_width(shown) > room:
            shown = self.fontMetrics().elidedText(shown, Qt.TextElideMode.ElideRight, max(room, 0))
        if shown != super().text():
            super().setText(shown)


class ShownPageStack(QStackedWidget):
    """Pages one at a time, asking for the minimum size of the page shown only (a QStackedWidget asks for the
    largest of all its pages'); a page in ``painted`` draws itself at any size and asks for no more than the
    first page's minimum."""

    def __init__(self, pages: Sequence[QWidget], painted: Sequence[QWidget] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for page in pages:
            self.addWidget(page)
        self._painted = list(painted)
        self.currentChanged.connect(self.updateGeometry)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        shown = self.currentWidget()
        if shown is None:
            return QSize(0, 0)
        hint = shown.minimumSizeHint().expandedTo(shown.minimumSize())
        return hint.boundedTo(self.widget(0).minimumSizeHint()) if shown in self._painted else hint


class FitLayout(QVBoxLayout):
    """The layout of a scroll area's content that holds ``stack``: it fills the height it has and scrolls only
    below its minimum. Without height-for-width, since then its word-wrapped labels made Qt size it by their
    preferred heights, which pushed the heatmap out of sight on a projector; but its minimum height is what
    the page shown needs at the width it has, its wrapped labels' lines included, so that a narrow dock
    scrolls instead of squeezing the heatmap below its minimum."""

    def __init__(self, parent: QWidget, stack: QStackedWidget) -> None:
        super().__init__(parent)
        self.setContentsMargins(0, 0, 0, 0)
        self.addWidget(stack)
        self._stack = stack
        self._width = 0

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return False

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt override)
        size = super().minimumSize()
        page = self._stack.currentWidget()
        layout = page.layout() if page is not None else None
        if self._width > 0 and layout is not None and layout.hasHeightForWidth():
            size.setHeight(max(size.height(), layout.minimumHeightForWidth(self._width)))
        return size

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt override)
        super().setGeometry(rect)
        if rect.width() != self._width:  # the wrapped labels take other heights: the minimum changed
            self._width = rect.width()
            self.parentWidget().updateGeometry()
