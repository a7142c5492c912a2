"""Transcript: the conversation as one document, a framed block per message.

Answers are Markdown, rendered by Qt itself (QTextDocument.setMarkdown): headings, lists, tables and
code blocks in a monospace font, each code block with a "Copy" link above it. An answer's reasoning
shows as a "Thinking…" line that opens and closes. A message is rendered again only when it changes,
together with the ones after it (while an answer streams, that is the answer alone), so a long history
costs nothing per token.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
    QTextFrameFormat,
    QTextTable,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from app.ui.formatting import format_decimal, format_duration
from app.ui.theme import current, switcher

USER = "user"
ASSISTANT = "assistant"
NOTICE = "notice"
ERROR = "error"

BUBBLES = {
    # kind: (background, border: the theme's colour names; left margin, right margin)
    USER: ("user_bubble", "user_border", 48, 0),
    ASSISTANT: ("assistant_bubble", "assistant_border", 0, 32),
    NOTICE: ("notice_bubble", "notice_border", 24, 24),
    ERROR: ("error_bubble", "error_border", 24, 24),
}
MONOSPACE = ["DejaVu Sans Mono", "Consolas", "Menlo", "monospace"]

COPY = "copy"
EDIT = "edit"
REGENERATE = "regenerate"
ROUTING = "routing"
COPY_CODE = "code"
TOGGLE_THINKING = "think"
SOURCE = "source"


@dataclass(eq=False)
class Entry:
    """One block of the transcript: a message, or a notice from MoEscope itself.

    ``text`` is the user's text, the answer's Markdown or the notice (what Copy copies). ``expanded`` None: the
    thinking line is open while the model thinks and closed once the answer starts."""

    kind: str
    text: str = ""
    shown: str | None = None  # what the view shows in place of ``text`` (shortened, a placeholder)
    header: str = ""
    thinking: str = ""
    thinking_s: float | None = None
    thinking_now: bool = False
    expanded: bool | None = None
    footer: str = ""
    actions: tuple[str, ...] = ()
    index: int | None = None  # where the message is in ChatPane.messages; None for a notice
    sources: list[tuple[str, object]] = field(default_factory=list)  # an answer's (label, passage), numbered from 1;
    # a passage of None: its label is shown, not a link (the kiosk)
    code_blocks: list[str] = field(default_factory=list)
    start: int = 0  # where its frame begins in the document

    @property
    def visible_text(self) -> str:
        return self.text if self.shown is None else self.shown

    @property
    def thinking_open(self) -> bool:
        return self.thinking_now if self.expanded is None else self.expanded


class Transcript(QTextBrowser):
    """The rendered conversation: entries and their links, and a scroll position that follows the end.

    The view follows new text while it is scrolled to the bottom; scrolling up stops that, scrolling
    back to the bottom resumes it.

    Attributes:
        entries: what is shown, in order.
        following: whether the view keeps to the end as text arrives.

    Signals:
        actionRequested(str, int, int): a link was clicked: its action (COPY, EDIT, REGENERATE,
            COPY_CODE, TOGGLE_THINKING, SOURCE), the entry's number and, for COPY_CODE and SOURCE, the
            code block's or the source's (from 0).
    """

    actionRequested = Signal(str, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setAccessibleName(self.tr("Conversation"))
        self.setOpenLinks(False)
        self.document().setDocumentMargin(12)
        self.document().setUndoRedoEnabled(False)  # else every render of a streaming answer is kept
        self.setMinimumWidth(260)
        self.entries: list[Entry] = []
        self.following = True
        self._moving = False
        self.anchorClicked.connect(self._on_anchor)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range)
        switcher().changed.connect(self.restyle)

    def append(self, entry: Entry) -> int:
        """Show ``entry`` at the end; returns its number."""
        entry.start = self.document().rootFrame().lastPosition()
        self.entries.append(entry)
        self.render_from(len(self.entries) - 1)
        return len(self.entries) - 1

    def truncate(self, number: int) -> None:
        """Remove entry ``number`` and all after it."""
        if number < len(self.entries):
            self._remove_from(self.entries[number].start)
            del self.entries[number:]

    def show_entries(self, entries: list[Entry]) -> None:
        """Show ``entries`` in place of all there are."""
        self.clear_entries()
        if entries:
            entries[0].start = self.document().rootFrame().lastPosition()
            self.entries = list(entries)
            self.render_from(0)

    def clear_entries(self) -> None:
        self.entries.clear()
        self._remove_from(0)
        self.following = True

    def render_from(self, number: int) -> None:
        """Render entry ``number`` and those after it again, as they are now."""
        bar = self.verticalScrollBar()
        value = bar.value()
        self._moving = True
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        self._remove_from(self.entries[number].start, cursor)
        for entry_number in range(number, len(self.entries)):
            self._render(entry_number, cursor)
        cursor.endEditBlock()
        bar.setValue(bar.maximum() if self.following else value)
        self._moving = False

    def restyle(self) -> None:
        """The window's theme changed: every entry rendered again in its colours."""
        if self.entries:
            self.render_from(0)

    def scroll_to_end(self) -> None:
        self.following = True
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _remove_from(self, position: int, cursor: QTextCursor | None = None) -> None:
        cursor = cursor or QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()

    def _on_scrolled(self, value: int) -> None:
        if not self._moving:
            self.following = value >= self.verticalScrollBar().maximum() - 4

    def _on_range(self, _minimum: int, maximum: int) -> None:
        if self.following:
            self._moving = True
            self.verticalScrollBar().setValue(maximum)
            self._moving = False

    def _on_anchor(self, url: QUrl) -> None:
        action, _, rest = url.toString().partition(":")
        entry, _, block = rest.partition(":")
        if entry.isdigit() and int(entry) < len(self.entries):
            self.actionRequested.emit(action, int(entry), int(block) if block.isdigit() else 0)

    # --- one entry ---------------------------------------------------------------------------------

    def _render(self, number: int, cursor: QTextCursor) -> None:
        entry = self.entries[number]
        cursor.setPosition(self.document().rootFrame().lastPosition())
        entry.start = cursor.position()
        background, border, left, right = BUBBLES[entry.kind]
        frame_format = QTextFrameFormat()
        frame_format.setBackground(_colour(background))
        frame_format.setBorder(1)
        frame_format.setBorderBrush(_colour(border))
        frame_format.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        frame_format.setPadding(10)
        frame_format.setTopMargin(4)
        frame_format.setBottomMargin(8)
        frame_format.setLeftMargin(left)
        frame_format.setRightMargin(right)
        cursor.insertFrame(frame_format)
        first = True
        if entry.header or entry.actions:
            self._header_line(entry, number, cursor)
            first = False
        if entry.thinking.strip() or entry.thinking_now:
            if not first:
                cursor.insertBlock(QTextBlockFormat(), _char_format())
            self._thinking(entry, number, cursor)
            first = False
        if entry.kind == ASSISTANT:
            if entry.visible_text:
                self._markdown(entry, number, cursor, first)
        else:
            if not first:
                cursor.insertBlock(QTextBlockFormat(), _char_format())
            body_start = cursor.position()
            cursor.insertText(entry.visible_text, _char_format())
            _set_directions(self.document(), body_start, cursor.position())
        if entry.sources:
            self._sources_line(entry, number, cursor)
        if entry.footer:
            footer = QTextBlockFormat()
            footer.setTopMargin(4)
            cursor.insertBlock(footer, _char_format("muted", small=True))
            cursor.insertText(entry.footer, _char_format("muted", small=True))

    def _header_line(self, entry: Entry, number: int, cursor: QTextCursor) -> None:
        name = _char_format("user_name" if entry.kind == USER else "assistant_name")
        name.setFontWeight(QFont.Weight.Bold)
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.insertText(entry.header, name)
        words = {COPY: self.tr("Copy"), EDIT: self.tr("Edit"), REGENERATE: self.tr("Regenerate"),
                 ROUTING: self.tr("Experts")}
        for action in entry.actions:
            cursor.insertText("    ", _char_format(small=True))
            cursor.insertText(words[action], _link_format(f"{action}:{number}"))

    def _sources_line(self, entry: Entry, number: int, cursor: QTextCursor) -> None:
        line = QTextBlockFormat()
        line.setTopMargin(6)
        cursor.insertBlock(line, _char_format(small=True))
        cursor.insertText(self.tr("Sources:"), _char_format("muted", small=True))
        for place, (label, passage) in enumerate(entry.sources):
            cursor.insertText("  ", _char_format(small=True))
            cursor.insertText(f"[{place + 1}] {label}", _char_format("muted", small=True) if passage is None
                              else _link_format(f"{SOURCE}:{number}:{place}"))

    def _thinking(self, entry: Entry, number: int, cursor: QTextCursor) -> None:
        band = QTextBlockFormat()
        band.setBackground(_colour("thinking"))
        band.setTopMargin(6)
        band.setBottomMargin(6)
        band.setLeftMargin(2)
        cursor.setBlockFormat(band)
        if entry.thinking_now:
            label = self.tr("Thinking…")
        elif entry.thinking_s is None:
            label = self.tr("Thoughts")
        else:
            label = self.tr("Thought for {duration}").format(duration=_thinking_time(entry.thinking_s))
        arrow = "▾ " if entry.thinking_open else "▸ "
        cursor.insertText(arrow + label, _link_format(f"{TOGGLE_THINKING}:{number}", colour="muted", small=False))
        if entry.thinking_open and entry.thinking.strip():
            opened = QTextBlockFormat(band)
            opened.setBottomMargin(0)
            cursor.setBlockFormat(opened)
            text_format = QTextBlockFormat(band)
            text_format.setTopMargin(2)
            text_format.setLeftMargin(18)
            cursor.insertBlock(text_format, _char_format("muted"))
            start = cursor.position()
            quiet = _char_format("muted")
            quiet.setFontItalic(True)
            cursor.insertText(entry.thinking.strip(), quiet)
            _set_directions(self.document(), start, cursor.position())

    def _markdown(self, entry: Entry, number: int, cursor: QTextCursor, first: bool) -> None:
        source = QTextDocument()
        source.setDefaultFont(self.font())
        source.setMarkdown(entry.visible_text)
        _calm_headings(source)
        _style_tables(source)
        entry.code_blocks = self._mark_code_blocks(source, number)
        _set_directions(source, 0, source.characterCount())
        if not first:
            cursor.insertBlock(QTextBlockFormat(), _char_format())
        start = cursor.position()
        cursor.insertFragment(QTextDocumentFragment(source))
        # The first block of a fragment takes on the format of the block it is inserted into.
        head = QTextCursor(self.document())
        head.setPosition(start)
        head.setBlockFormat(source.begin().blockFormat())

    def _mark_code_blocks(self, source: QTextDocument, number: int) -> list[str]:
        """Give every code block of ``source`` a background and a "Copy" line; returns their texts.
        Two code blocks with nothing between them read as one (Qt's document keeps no border)."""
        groups: list[list[QTextBlock]] = []
        previous_key = None
        for block in _blocks(source):
            key = _code_key(block)
            if key is None:
                previous_key = None
                continue
            if key != previous_key:
                groups.append([])
            groups[-1].append(block)
            previous_key = key
        texts = [_code_text(group) for group in groups]
        for group_number in range(len(groups) - 1, -1, -1):
            group = groups[group_number]
            language = str(group[0].blockFormat().property(QTextFormat.Property.BlockCodeLanguage) or "")
            for block in group:
                code_format = QTextBlockFormat(block.blockFormat())
                code_format.setBackground(_colour("code"))
                code_format.setNonBreakableLines(False)  # a long line wraps rather than widen the chat
                code_format.setLeftMargin(6)
                code_format.setRightMargin(6)
                cursor = QTextCursor(block)
                cursor.setBlockFormat(code_format)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                mono = QTextCharFormat()
                mono.setFontFamilies(MONOSPACE)
                mono.setFontFixedPitch(True)
                cursor.mergeCharFormat(mono)
            cursor = QTextCursor(group[0])
            cursor.insertBlock()
            cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
            bar = QTextBlockFormat()
            bar.setBackground(_colour("code"))
            bar.setLeftMargin(6)
            bar.setRightMargin(6)
            bar.setTopMargin(6)
            cursor.setBlockFormat(bar)
            if language:
                cursor.insertText(language + "    ", _char_format("muted", small=True))
            cursor.insertText(self.tr("Copy"), _link_format(f"{COPY_CODE}:{number}:{group_number}"))
            last = QTextCursor(group[-1])
            last_format = QTextBlockFormat(group[-1].blockFormat())
            last_format.setBottomMargin(6)
            last.setBlockFormat(last_format)
        return texts


def _thinking_time(seconds: float) -> str:
    """"4.2 s" below ten seconds, then as format_duration says it ("40 s", "2 min")."""
    if seconds < 10:
        return QCoreApplication.translate("Formatting", "{seconds} s").format(seconds=format_decimal(seconds))
    return format_duration(seconds)


def _blocks(document: QTextDocument) -> Iterator[QTextBlock]:
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


HEADING_SIZES = {1: 2, 2: 1}
"""Font size steps (QTextCharFormat's FontSizeAdjustment) of Markdown headings by level; Qt's own
(+3, +2, +1 …) dwarf a chat message. Deeper levels are bold at the body's size."""


def _calm_headings(document: QTextDocument) -> None:
    for block in _blocks(document):
        level = block.blockFormat().headingLevel()
        if level:
            heading = QTextCharFormat()
            heading.setProperty(QTextFormat.Property.FontSizeAdjustment, HEADING_SIZES.get(level, 0))
            heading.setFontWeight(QFont.Weight.Bold)
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(heading)
            block_format = block.blockFormat()
            block_format.setTopMargin(10)
            block_format.setBottomMargin(4)
            cursor.setBlockFormat(block_format)


def _style_tables(document: QTextDocument) -> None:
    """Tables on the theme's base with thin rules and a shaded header row."""
    for frame in document.rootFrame().childFrames():
        if not isinstance(frame, QTextTable):
            continue
        table_format = frame.format()
        table_format.setBackground(_colour("base"))
        table_format.setBorderBrush(_colour("line"))
        table_format.setBorderCollapse(True)
        table_format.setCellPadding(5)
        table_format.setTopMargin(4)
        table_format.setBottomMargin(6)
        frame.setFormat(table_format)
        for column in range(frame.columns()):
            cell = frame.cellAt(0, column)
            cell_format = cell.format().toTableCellFormat()
            cell_format.setBackground(_colour("code"))
            cell.setFormat(cell_format)


def _code_key(block: QTextBlock) -> tuple[str, str] | None:
    block_format = block.blockFormat()
    if not block_format.hasProperty(QTextFormat.Property.BlockCodeLanguage):
        return None
    fence = block_format.property(QTextFormat.Property.BlockCodeFence)
    return str(block_format.property(QTextFormat.Property.BlockCodeLanguage) or ""), str(fence or "")


def _code_text(group: list[QTextBlock]) -> str:
    return "\n".join(block.text() for block in group)


def _colour(name: str) -> QColor:
    """The current theme's colour of that name (app/ui/theme.py), read as the text is rendered."""
    return QColor(getattr(current(), name))


def _char_format(colour: str = "text", *, small: bool = False) -> QTextCharFormat:
    char_format = QTextCharFormat()
    char_format.setForeground(_colour(colour))
    char_format.setFontWeight(QFont.Weight.Normal)
    if small:
        char_format.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
    return char_format


def _link_format(href: str, *, colour: str = "link", small: bool = True) -> QTextCharFormat:
    link = _char_format(colour, small=small)
    link.setAnchor(True)
    link.setAnchorHref(href)
    return link


def right_to_left(text: str) -> bool:
    """Whether ``text`` reads right to left: its first strongly directed character does (the rule
    of Unicode's bidirectional algorithm for a paragraph's direction)."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction == "L":
            return False
        if direction in ("R", "AL"):
            return True
    return False


def _set_directions(document: QTextDocument, start: int, end: int) -> None:
    """Lay out each block between ``start`` and ``end`` right to left where its text reads so."""
    block = document.findBlock(start)
    while block.isValid() and block.position() <= end:
        if right_to_left(block.text()):
            block_format = block.blockFormat()
            block_format.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
            QTextCursor(block).setBlockFormat(block_format)
        block = block.next()
