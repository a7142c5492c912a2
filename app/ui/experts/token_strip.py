"""TokenStrip: every prompt and answer token of an answer as a chip, to select and to colour by expert.

The chips are painted, not widgets: a 10,000-token answer is a few numpy arrays (each chip's row, x and
width) laid out once, and a paint draws only the chips in view. Chips wrap into rows under a "Prompt" and
an "Answer" heading (a line-break token ends its row, as in the text), or run in one horizontal row.

Click selects a token, shift-click (or drag) a range; Left/Right, Up/Down (a row), Home/End move the
selection, with Shift they extend it. Space and Page Up/Down are left to the replay keys
(app.ui.experts.replay_bar). The colour mode paints each chip in the colour of its top-1 expert in a
chosen MoE layer: a categorical palette for the experts that took the most tokens, grey for the rest.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QKeyEvent, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QToolTip, QWidget

from app.core.talks.timeline import Timeline
from app.ui.experts.colormap import ColourScale
from app.ui.experts.strip_look import PALETTE, StripLook
from app.ui.experts.token_names import chip_text, token_name
from app.ui.formatting import visible_token

_PAD_X, _PAD_Y, _GAP = 6, 4, 5
_PARTIAL_REPAINT_CHIPS = 200  # a selection change over fewer chips than this repaints only those chips
_NUMBER_TEMPLATE = "00000"
_REPLAY_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class TokenStrip(QAbstractScrollArea):
    """The tokens of a Timeline as chips; the selection is the timeline's.

    Signals:
        selectionChanged(lo, hi): the selected tokens changed (by the user, ``select`` or ``sync_selection``).
        tokensChanged: another timeline, or tokens appended to it, are shown.

    Attributes:
        timeline: the Timeline shown, or None.
        wrap: chips wrap into rows (True) or run in one horizontal row.
        colour_layer: the MoE layer whose top-1 expert colours the chips; None: plain chips.
        presentation: whether the dark, large-type presentation style is on.
        expert_colours: ``{expert: palette colour}`` of the experts coloured now.
    """

    selectionChanged = Signal(int, int)
    tokensChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: Timeline | None = None
        self.wrap = True
        self.colour_layer: int | None = None
        self.presentation = False
        self.expert_colours: dict[int, QColor] = {}
        self._look = StripLook(False)
        self._shown: list[str] = []
        self._selection_shown = (-1, -1, -1)  # (lo, hi, cursor) as last painted or asked to be
        self._text_width = np.zeros(0)
        self._width_of: dict[str, float] = {}
        self._row = np.zeros(0, dtype=np.int64)
        self._x = np.zeros(0)
        self._width = np.zeros(0)
        self._headings: dict[int, str] = {}
        self._rows = 0
        self._layout_width = -1
        self._top1 = np.zeros(0, dtype=np.int32)
        self._dragging = False
        self._legend = QLabel(self)
        self._legend.setTextFormat(Qt.TextFormat.RichText)
        self._legend.setWordWrap(True)
        self._legend.hide()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.setAccessibleName(self.tr("Token strip"))
        self._paint_background()
        self._fonts()

    # --- content ---------------------------------------------------------------------------------

    def set_timeline(self, timeline: Timeline | None) -> None:
        """Show ``timeline`` (a stored answer's, or a live one that ``tokens_added`` keeps up with)."""
        self.timeline = timeline
        self._shown, self._text_width = [], np.zeros(0)
        self._layout_width = -1  # lay out everything again
        self.tokens_added()

    def tokens_added(self) -> None:
        """Lay out the tokens appended to the timeline since the last call. A selection on the last token
        (or none) follows the newest token, as a live view does, unless a replay is playing."""
        timeline = self.timeline
        count = len(timeline) if timeline is not None else 0
        known = len(self._shown)
        shown = [chip_text(text) for text in timeline.texts[known:count]] if timeline is not None else []
        self._shown.extend(shown)
        self._text_width = np.concatenate([self._text_width, [self._measure(text) for text in shown]])
        full = self._layout_width != self._layout_target() or not known
        self._relayout(full=full)
        colours = dict(self.expert_colours)
        self._recolour()
        if timeline is not None and count and known < count and not timeline.replay.playing \
                and not timeline.is_range and timeline.cursor in (-1, known - 1):
            self.select(count - 1)
        if full or colours != self.expert_colours:
            self.viewport().update()
        else:  # only the new chips and the headings' counts changed
            self._update_chips(range(known, count))
            for row in self._headings:
                self._update_row(row)
        self.tokensChanged.emit()

    def set_wrap(self, wrap: bool) -> None:
        self.wrap = wrap
        self._relayout(full=True)
        self._keep_visible()

    def set_colour_layer(self, layer: int | None) -> None:
        """Colour each chip by its top-1 expert in MoE ``layer``; None: plain chips."""
        self.colour_layer = layer
        self.expert_colours = {}
        self._recolour()
        self.viewport().update()

    def set_presentation(self, on: bool) -> None:
        """The dark, high-contrast style with large type for projectors, or the normal one."""
        self.presentation = on
        self._look = StripLook(on)
        self._paint_background()
        self._fonts()
        self._width_of = {}
        self._text_width = np.array([self._measure(text) for text in self._shown])
        self._recolour()
        self._relayout(full=True)
        self._keep_visible()

    def _paint_background(self) -> None:
        """The look's background also behind the legend, around the chips."""
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, self._look.background)
        self.setPalette(palette)
        self.setAutoFillBackground(True)

    def _fonts(self) -> None:
        self._font = QFont(self.font())
        self._font.setPointSizeF(self.font().pointSizeF() * self._look.font_scale)
        self._small = QFont(self._font)
        self._small.setPointSizeF(self._font.pointSizeF() * 0.75)
        metrics = QFontMetricsF(self._font)
        self._metrics = metrics
        self._ascent = metrics.ascent()
        self._chip_height = metrics.height() + 2 * _PAD_Y
        self._row_height = self._chip_height + _GAP
        self._gutter = QFontMetricsF(self._small).horizontalAdvance(_NUMBER_TEMPLATE) + 2 * _PAD_X

    def _measure(self, text: str) -> float:
        width = self._width_of.get(text)
        if width is None:
            width = self._width_of[text] = self._metrics.horizontalAdvance(text)
        return width

    # --- layout ----------------------------------------------------------------------------------

    def _layout_target(self) -> int:
        return self.viewport().width() if self.wrap else 0

    def _relayout(self, full: bool) -> None:
        """Place the chips: all of them, or only those added since the last layout."""
        count = len(self._shown)
        start = 0 if full else len(self._row)
        if full:
            self._row, self._x, self._width, self._headings, self._rows = (
                np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0), {}, 0)
        self._layout_width = self._layout_target()
        widths = np.maximum(self._text_width[start:count] + 2 * _PAD_X, self._chip_height)
        rows, xs = np.zeros(count - start, dtype=np.int64), np.zeros(count - start)
        limit = self._layout_width - _GAP
        row = max(self._rows - 1, 0)
        x = float(self._x[-1] + self._width[-1] + _GAP) if start else float(_GAP)
        answer = self.timeline.is_answer if self.timeline is not None else np.zeros(0, dtype=bool)
        texts = self.timeline.texts if self.timeline is not None else []
        for offset, index in enumerate(range(start, count)):
            width = widths[offset]
            new_section = index == 0 or answer[index] != answer[index - 1]
            if self.wrap and new_section:
                row += 0 if index == 0 else 1
                self._headings[row] = "answer" if answer[index] else "prompt"
                row, x = row + 1, self._gutter
            elif self.wrap and (x + width > limit and x > self._gutter or texts[index - 1].endswith("\n")):
                row, x = row + 1, self._gutter
            elif new_section:
                x += 4 * _GAP
            rows[offset], xs[offset] = row, x
            x += width + _GAP
        self._row = np.concatenate([self._row, rows])
        self._x = np.concatenate([self._x, xs])
        self._width = np.concatenate([self._width, widths])
        self._rows = row + 1 if count else 0
        self._update_scrollbars()

    def _legend_height(self) -> int:
        if self._legend.isHidden():
            return 0
        return self._legend.heightForWidth(max(self.width() - 2 * _GAP, 1)) + _GAP

    def _update_scrollbars(self) -> None:
        self.setViewportMargins(0, self._legend_height(), 0, 0)
        self._legend.setGeometry(_GAP, 2, max(self.width() - 2 * _GAP, 0), self._legend_height())
        view = self.viewport()
        height = int(np.ceil(self._rows * self._row_height + _GAP))
        self.verticalScrollBar().setRange(0, self._whole_rows(height - view.height()))
        self.verticalScrollBar().setPageStep(view.height())
        self.verticalScrollBar().setSingleStep(int(self._row_height))
        extent = int(self._x[-1] + self._width[-1] + _GAP) if len(self._x) and not self.wrap else 0
        self.horizontalScrollBar().setRange(0, max(extent - view.width(), 0))
        self.horizontalScrollBar().setPageStep(view.width())
        self.horizontalScrollBar().setSingleStep(int(self._chip_height))

    def _whole_rows(self, pixels: float) -> int:
        """The least scroll position of whole rows (the top row never cut) that is at least ``pixels``."""
        return round(np.ceil(pixels / self._row_height) * self._row_height) if pixels > 0 else 0

    def chip_rect(self, index: int) -> QRectF:
        """Token ``index``'s chip in viewport coordinates (as scrolled now)."""
        return QRectF(self._x[index] - self.horizontalScrollBar().value(),
                      self._row[index] * self._row_height + _GAP - self.verticalScrollBar().value(),
                      self._width[index], self._chip_height)

    def index_at(self, point: QPointF) -> int:
        """The token whose chip is under ``point`` (viewport coordinates); -1 for none."""
        x = point.x() + self.horizontalScrollBar().value()
        row = int((point.y() + self.verticalScrollBar().value() - _GAP) // self._row_height)
        lo, hi = np.searchsorted(self._row, [row, row + 1])
        if lo == hi:
            return -1
        index = lo + int(np.searchsorted(self._x[lo:hi], x, side="right")) - 1
        return index if index >= lo and x <= self._x[index] + self._width[index] else -1

    # --- selection -------------------------------------------------------------------------------

    def select(self, index: int, extend: bool = False) -> None:
        """Select token ``index`` (``extend``: the range from the anchor to it) and scroll it into view."""
        if self.timeline is not None and self.timeline.select(index, extend):
            self.sync_selection()

    def sync_selection(self) -> None:
        """The timeline's selection was moved (by the replay, or here): show it and say so."""
        self._keep_visible()
        if self.timeline is not None:
            old_lo, old_hi, old_cursor = self._selection_shown
            lo, hi = self.timeline.selection
            self._selection_shown = (lo, hi, self.timeline.cursor)
            if max(old_hi - old_lo, hi - lo) < _PARTIAL_REPAINT_CHIPS:  # repaint the chips that change only
                self._update_chips([*range(max(old_lo, 0), old_hi + 1), old_cursor, *range(lo, hi + 1)])
            else:
                self.viewport().update()
            self.selectionChanged.emit(lo, hi)
        else:
            self.viewport().update()

    def _update_chips(self, indices) -> None:
        """Repaint these tokens' chips (those laid out), with room for their focus frames."""
        for index in indices:
            if 0 <= index < len(self._row):
                self.viewport().update(self.chip_rect(index).toAlignedRect().adjusted(-3, -3, 3, 3))

    def _update_row(self, row: int) -> None:
        y = int(row * self._row_height + _GAP - self.verticalScrollBar().value())
        self.viewport().update(0, y, self.viewport().width(), int(np.ceil(self._row_height)))

    def _keep_visible(self) -> None:
        timeline = self.timeline
        if timeline is None or timeline.cursor < 0 or timeline.cursor >= len(self._row):
            return
        rect = self.chip_rect(timeline.cursor)
        view = self.viewport().rect()
        bar = self.verticalScrollBar()
        if rect.top() < _GAP:
            bar.setValue(bar.value() + int(rect.top()) - _GAP)
        elif rect.bottom() > view.height() - _GAP:
            bar.setValue(self._whole_rows(bar.value() + rect.bottom() + _GAP - view.height()))
        bar = self.horizontalScrollBar()
        if rect.left() < _GAP:
            bar.setValue(bar.value() + int(rect.left()) - _GAP)
        elif rect.right() > view.width() - _GAP:
            bar.setValue(bar.value() + int(np.ceil(rect.right() - view.width())) + _GAP)

    def _row_step(self, steps: int) -> int:
        """The token a row up (-1) or down (1) from the cursor, nearest to it across."""
        cursor = self.timeline.cursor
        rows = self._row
        if steps < 0:
            target = rows[int(np.searchsorted(rows, rows[cursor])) - 1] if rows[0] < rows[cursor] else None
        else:
            after = int(np.searchsorted(rows, rows[cursor], side="right"))
            target = rows[after] if after < len(rows) else None
        if target is None:
            return cursor
        lo, hi = np.searchsorted(rows, [target, target + 1])
        centre = self._x[cursor] + self._width[cursor] / 2
        return lo + int(np.argmin(np.abs(self._x[lo:hi] + self._width[lo:hi] / 2 - centre)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        timeline = self.timeline
        if timeline is None or not len(timeline):
            event.ignore()
            return
        key, extend = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        cursor = max(timeline.cursor, 0)
        targets = {Qt.Key.Key_Left: cursor - 1, Qt.Key.Key_Right: cursor + 1, Qt.Key.Key_Home: 0,
                   Qt.Key.Key_End: len(timeline) - 1}
        if self.wrap and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            targets[key] = self._row_step(-1 if key == Qt.Key.Key_Up else 1)
        if key in _REPLAY_KEYS:
            event.ignore()  # for the replay keys further up (app.ui.experts.replay_bar)
            return
        if key not in targets:
            super().keyPressEvent(event)
            return
        timeline.replay.pause()
        self.select(targets[key], extend)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if event.button() != Qt.MouseButton.LeftButton or index < 0 or self.timeline is None:
            super().mousePressEvent(event)
            return
        self.timeline.replay.pause()
        self._dragging = True
        self.select(index, bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if self._dragging and index >= 0:
            self.select(index, extend=True)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._dragging = False
        super().mouseReleaseEvent(event)

    # --- colours ---------------------------------------------------------------------------------

    def _recolour(self) -> None:
        """Give the experts that took the most tokens (as top-1 in the colour layer) a palette colour each;
        an expert keeps its colour while it stays among them, so colours do not jump while tokens come."""
        timeline = self.timeline
        if timeline is None or self.colour_layer is None or self.colour_layer not in timeline.layers:
            self._top1 = np.zeros(0, dtype=np.int32)
            self.expert_colours = {}
            self._legend.hide()
            return
        self._top1 = timeline.top1(self.colour_layer)
        valid = self._top1[self._top1 >= 0]
        counts = np.bincount(valid, minlength=timeline.n_experts)
        ranked = [int(e) for e in np.argsort(-counts, kind="stable")[: len(PALETTE)] if counts[e] > 0]
        kept = {expert: colour for expert, colour in self.expert_colours.items() if expert in ranked}
        free = [QColor(name) for name in PALETTE if QColor(name) not in kept.values()]
        for expert in ranked:
            if expert not in kept:
                kept[expert] = free.pop(0)
        self.expert_colours = kept
        self._update_legend(ranked, counts)

    def _update_legend(self, ranked: list[int], counts: np.ndarray) -> None:
        look = self._look
        swatches = " ".join(
            f"<span style='color:{self.expert_colours[e].name()}'>■</span>&nbsp;{e}" for e in ranked)
        others = int((counts > 0).sum()) - len(ranked)
        text = self.tr("Top expert in layer {layer}:").format(layer=self.colour_layer) + " " + swatches
        if others > 0:
            text += " " + self.tr("<span style='color:{colour}'>■</span>&nbsp;{count} others").format(
                colour=look.other.name(), count=others)
        self._legend.setFont(self._font)
        self._legend.setStyleSheet(f"color: {look.text.name()}; background: transparent;")
        self._legend.setText(text)
        self._legend.show()
        self._update_scrollbars()

    def chip_colours(self, index: int) -> tuple[QColor, QColor]:
        """(fill, text) of token ``index``'s chip, before selection marks."""
        look = self._look
        answer = bool(self.timeline.is_answer[index])
        if not len(self._top1):
            return (look.answer, look.text) if answer else (look.prompt, look.muted)
        expert = int(self._top1[index])
        fill = self.expert_colours.get(expert, look.other)
        if not answer:  # a prompt token: the expert's colour, faded into the background
            fill = QColor.fromRgbF(*(0.45 * a + 0.55 * b for a, b in zip(fill.getRgbF()[:3],
                                                                       look.background.getRgbF()[:3])))
        return fill, ColourScale.text_colour(fill)

    # --- painting --------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.wrap and self._layout_width != self._layout_target():
            self._relayout(full=True)
        else:
            self._update_scrollbars()
        self._keep_visible()

    def sizeHint(self) -> QSize:
        rows = 4 if self.wrap else 1
        return QSize(640, int(rows * self._row_height + 2 * _GAP) + self._legend_height()
                     + (0 if self.wrap else self.horizontalScrollBar().sizeHint().height()))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, int(self._row_height + 2 * _GAP))

    def paintEvent(self, event) -> None:
        painter = QPainter(self.viewport())
        look = self._look
        view = self.viewport().rect()
        painter.fillRect(event.rect(), look.background)
        timeline = self.timeline
        if timeline is None or not len(self._row):
            painter.setPen(look.muted)
            painter.setFont(self._font)
            painter.drawText(view, Qt.AlignmentFlag.AlignCenter,
                             self.tr("The tokens of the answer appear here."))
            return
        top, left = self.verticalScrollBar().value(), self.horizontalScrollBar().value()
        dirty = event.rect()  # only the chips in the parts asked to be painted (the region's rectangles)
        first_row = int((top + dirty.top() - _GAP) // self._row_height)
        last_row = int((top + dirty.bottom() + 1) // self._row_height)
        lo, hi = (int(i) for i in np.searchsorted(self._row, [first_row, last_row + 1]))
        left_edges = self._x[lo:hi] - left
        tops = self._row[lo:hi] * self._row_height + _GAP - top
        inside = np.zeros(hi - lo, dtype=bool)
        for part in event.region():
            inside |= ((left_edges + self._width[lo:hi] >= part.left() - 3) & (left_edges <= part.right() + 3)
                       & (tops + self._chip_height >= part.top() - 3) & (tops <= part.bottom() + 3))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_margin(painter, first_row, last_row, top)
        selected_lo, selected_hi = timeline.selection
        painter.setFont(self._font)
        for index in (lo + np.flatnonzero(inside)).tolist():
            rect = self.chip_rect(index)
            fill, text = self.chip_colours(index)
            selected = selected_lo <= index <= selected_hi
            if selected and not len(self._top1):
                cursor = index == timeline.cursor
                fill, text = (look.focus, look.focus_text) if cursor else (look.range, look.text)
            border = look.answer_border if timeline.is_answer[index] and not len(self._top1) else fill
            width = 1.0
            if selected and len(self._top1):
                border, width = look.focus, 4.0 if index == timeline.cursor else 2.5
            elif index == timeline.cursor:
                border, width = look.focus, 2.0
            painter.setPen(QPen(border, width))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect.adjusted(width / 2, width / 2, -width / 2, -width / 2), 4, 4)
            painter.setPen(text)
            painter.drawText(QPointF(rect.left() + (rect.width() - self._text_width[index]) / 2,
                                     rect.top() + _PAD_Y + self._ascent), self._shown[index])

    def _paint_margin(self, painter: QPainter, first_row: int, last_row: int, top: int) -> None:
        """Headings, and in the left margin the number of each row's first token."""
        if not self.wrap:
            return
        look = self._look
        for row in range(max(first_row, 0), min(last_row, self._rows - 1) + 1):
            y = row * self._row_height + _GAP - top
            heading = self._headings.get(row)
            first = int(np.searchsorted(self._row, row))
            if heading is not None:
                painter.setFont(self._font)
                painter.setPen(look.muted)
                count = self.timeline.answer_count if heading == "answer" \
                    else len(self.timeline) - self.timeline.answer_count
                words = (self.tr("Answer · {count} tokens") if heading == "answer"
                         else self.tr("Prompt · {count} tokens"))
                painter.drawText(QRectF(_PAD_X, y, self.viewport().width(), self._chip_height),
                                 Qt.AlignmentFlag.AlignVCenter, words.format(count=count))
            elif first < len(self._row) and self._row[first] == row:
                painter.setFont(self._small)
                painter.setPen(look.muted)
                painter.drawText(QRectF(0, y, self._gutter - _PAD_X, self._chip_height),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 str(self.timeline.number(first)))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.timeline is not None:
            index = self.index_at(QPointF(event.pos()))
            if index >= 0:
                QToolTip.showText(event.globalPos(), self.details(index), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def details(self, index: int) -> str:
        """The token's name and text, with its top-1 expert in the colour layer: its tooltip."""
        timeline = self.timeline
        words = self.tr("{name}: “{text}”").format(name=token_name(timeline, index),
                                                   text=visible_token(timeline.texts[index]))
        if len(self._top1) and self._top1[index] >= 0:
            words += "\n" + self.tr("Top expert in layer {layer}: {expert}").format(
                layer=self.colour_layer, expert=int(self._top1[index]))
        return words
