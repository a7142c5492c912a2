"""ConversationList: the side list of kept conversations, with search, New chat, rename, delete and undo.

The list only shows and asks: it emits requests (open, new, rename, delete, undo, search) and is told
what to show. ``connect_controller`` wires it both ways to a ConversationController.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QDateTime,
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.core.chat.model import ConversationSummary
from app.ui.chat.conversation_controller import ConversationController
from app.ui.theme import current

SEARCH_DELAY_MS = 150
"""Typing pauses this long before the search runs."""

SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def relative_date(timestamp: float, now: float | None = None) -> str:
    """When a conversation was last changed, as a list shows it: "14:32" today, "Yesterday", a weekday
    within the last week, else the date, in the user's locale."""
    locale = QLocale()
    then = QDateTime.fromSecsSinceEpoch(int(timestamp))
    today = QDateTime.fromSecsSinceEpoch(int(time.time() if now is None else now)).date()
    days = then.date().daysTo(today)
    if days == 0:
        return locale.toString(then.time(), QLocale.FormatType.ShortFormat)
    if days == 1:
        return ConversationList.tr("Yesterday")
    if 1 < days < 7:
        return locale.dayName(then.date().dayOfWeek(), QLocale.FormatType.LongFormat)
    return locale.toString(QDate(then.date()), QLocale.FormatType.ShortFormat)


def model_name(model_path: str) -> str:
    """A model file as the list names it: its file name without ".gguf"."""
    name = Path(model_path).name
    return name[:-5] if name.lower().endswith(".gguf") else name


class ConversationModel(QAbstractListModel):
    """Conversation summaries as rows: the title (editable: a rename), and a second line with the date
    and model, or for a search result the text around the hit.

    Signals:
        renameRequested(int, str): a title was edited in place: conversation id, new title (not empty).
    """

    renameRequested = Signal(int, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.summaries: list[ConversationSummary] = []

    def set_summaries(self, summaries: list[ConversationSummary]) -> None:
        self.beginResetModel()
        self.summaries = list(summaries)
        self.endResetModel()

    def row_of(self, conversation_id: int | None) -> int:
        return next((row for row, s in enumerate(self.summaries) if s.id == conversation_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.summaries)

    def flags(self, index):
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        summary = self.summaries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return summary.title or self.tr("New conversation")
        if role == Qt.ItemDataRole.EditRole:
            return summary.title
        if role == SUBTITLE_ROLE:
            return self._subtitle(summary)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{summary.title or self.tr('New conversation')}, {self._subtitle(summary)}"
        if role == ID_ROLE:
            return summary.id
        return None

    def _subtitle(self, summary: ConversationSummary) -> str:
        if summary.snippet:
            return " ".join(summary.snippet.split())
        parts = [relative_date(summary.updated_at)]
        if summary.model_path:
            parts.append(model_name(summary.model_path))
        return " · ".join(parts)

    def setData(self, index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 (Qt override)
        title = " ".join(str(value).split())
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not title:
            return False
        summary = self.summaries[index.row()]
        if title != summary.title:
            self.summaries[index.row()] = dataclasses.replace(summary, title=title)
            self.dataChanged.emit(index, index)
            self.renameRequested.emit(summary.id, title)
        return True


class ConversationDelegate(QStyledItemDelegate):
    """Paints a row as two lines: the title, and the date and model (or a search hit) in grey."""

    PADDING = 8

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802 (Qt override)
        lines = option.fontMetrics.lineSpacing() * 2 + 2
        return QSize(200, lines + 2 * self.PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        painter.save()
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colours = current()
        if selected:
            painter.fillRect(rect, QColor(colours.selection))
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), QColor(colours.primary))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor(colours.hover))
        painter.setPen(QColor(colours.divider))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        text = rect.adjusted(self.PADDING + 6, self.PADDING, -self.PADDING, -self.PADDING)
        line = option.fontMetrics.lineSpacing()
        title_font = QFont(option.font)
        title_font.setBold(True)
        title_font.setItalic(not index.data(Qt.ItemDataRole.EditRole))  # untitled: "New conversation"
        painter.setFont(title_font)
        painter.setPen(QColor(colours.text))
        title = painter.fontMetrics().elidedText(index.data(), Qt.TextElideMode.ElideRight, text.width())
        painter.drawText(QRect(text.left(), text.top(), text.width(), line), Qt.AlignmentFlag.AlignVCenter, title)
        painter.setFont(option.font)
        painter.setPen(QColor(colours.detail))
        subtitle = option.fontMetrics.elidedText(index.data(SUBTITLE_ROLE), Qt.TextElideMode.ElideRight,
                                                 text.width())
        painter.drawText(QRect(text.left(), text.top() + line + 2, text.width(), line),
                         Qt.AlignmentFlag.AlignVCenter, subtitle)
        painter.restore()

    def updateEditorGeometry(self, editor, option, index) -> None:  # noqa: N802 (Qt override)
        rect = option.rect
        editor.setGeometry(QRect(rect.left() + self.PADDING, rect.top() + self.PADDING - 4,
                                 rect.width() - 2 * self.PADDING, option.fontMetrics.lineSpacing() + 8))


class ConversationList(QWidget):
    """Search field, New chat, the conversations newest first, and an Undo bar after a delete.

    Keyboard: arrows move, Enter opens, F2 renames, Del deletes; in the search field Down goes to the
    list and Escape empties it. A click opens a conversation; a double click renames it.

    Attributes:
        model: the ConversationModel behind the view (the list, or the search results).
        view: the QListView.
        search_field, new_button, undo_bar, undo_button: the controls.

    Signals:
        openRequested(int): open the conversation with this id.
        newRequested(): start a new conversation.
        renameRequested(int, str): conversation id, new title.
        deleteRequested(int): delete this conversation (the controller offers undo).
        undoRequested(): bring back the conversation deleted last.
        searchRequested(str): search for this text (after a pause in typing; never empty).
    """

    openRequested = Signal(int)
    newRequested = Signal()
    renameRequested = Signal(int, str)
    deleteRequested = Signal(int)
    undoRequested = Signal()
    searchRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[ConversationSummary] = []
        self._current: int | None = None

        self.new_button = QPushButton(self.tr("New chat"))
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip(self.tr("Start a new conversation; this one stays in the list"))
        self.new_button.clicked.connect(self.newRequested)

        self.search_field = QLineEdit()
        self.search_field.setObjectName("conversationSearch")
        self.search_field.setPlaceholderText(self.tr("Search conversations"))
        self.search_field.setAccessibleName(self.tr("Search conversations"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.textChanged.connect(self._on_search_edited)
        self.search_field.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search)

        self.model = ConversationModel(self)
        self.model.renameRequested.connect(self.renameRequested)
        self.view = QListView()
        self.view.setObjectName("conversationList")
        self.view.setAccessibleName(self.tr("Conversations"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(ConversationDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMouseTracking(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_context_menu)
        self.view.clicked.connect(self._open_index)
        self.view.activated.connect(self._open_index)
        self.view.installEventFilter(self)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("note")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("undoBar")  # its colours: app/ui/style.py
        self._undo_label = QLabel()
        self._undo_label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo delete"))
        self.undo_button.clicked.connect(self.undoRequested)
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(10, 6, 6, 6)
        bar.addWidget(self._undo_label, 1)
        bar.addWidget(self.undo_button)
        self.undo_bar.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search_field)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.undo_bar)
        self._show_rows([])

    def connect_controller(self, controller: ConversationController) -> None:
        """Show what ``controller`` lists and finds, and send it this list's requests. Opening and New chat
        stay with the window (``openRequested``, ``newRequested``): it decides what the chat shows."""
        controller.listChanged.connect(self.set_conversations)
        controller.searchResults.connect(self.show_search_results)
        controller.deletePending.connect(lambda _id, title: self.offer_undo(title))
        controller.deleteSettled.connect(self.hide_undo)
        controller.currentChanged.connect(self.set_current)
        self.renameRequested.connect(controller.rename)
        self.deleteRequested.connect(controller.delete)
        self.undoRequested.connect(controller.undo_delete)
        self.searchRequested.connect(controller.search)

    # What the list shows
    @property
    def searching(self) -> bool:
        return bool(self.search_field.text().strip())

    def set_conversations(self, summaries: list[ConversationSummary]) -> None:
        """Every conversation, newest first; shown unless a search is under way (then it is run again)."""
        self._all = list(summaries)
        if self.searching:
            self._search()
        else:
            self._show_rows(self._all)

    def show_search_results(self, query: str, summaries: list[ConversationSummary]) -> None:
        """Results of the search for ``query``; ignored unless the search field still says so."""
        if query == self.search_field.text().strip():
            self._show_rows(summaries)

    def set_current(self, conversation_id: int | None) -> None:
        """Mark the conversation the chat shows (None: a new one, not in the list yet)."""
        self._current = conversation_id
        self._select_current()

    def offer_undo(self, title: str) -> None:
        """Show the Undo bar for a deleted conversation (until ``hide_undo``: the controller's deleteSettled)."""
        text = self.tr("“{title}” was deleted.").format(title=title) if title else self.tr(
            "The conversation was deleted.")
        self._undo_label.setText(text)
        self.undo_bar.show()

    def hide_undo(self) -> None:
        self.undo_bar.hide()

    def _show_rows(self, summaries: list[ConversationSummary]) -> None:
        self.model.set_summaries(summaries)
        empty = not summaries
        if self.searching:
            self.empty_label.setText(self.tr("No conversation contains “{text}”.").format(
                text=self.search_field.text().strip()))
        else:
            self.empty_label.setText(self.tr("No conversations yet. They are kept here as you chat."))
        self.view.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self._select_current()

    def _select_current(self) -> None:
        row = self.model.row_of(self._current)
        if row < 0:
            self.view.clearSelection()
            return
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    # Requests
    def _on_search_edited(self, _text: str) -> None:
        self._search_timer.start()

    def _search(self) -> None:
        self._search_timer.stop()
        query = self.search_field.text().strip()
        if query:
            self.searchRequested.emit(query)
        else:
            self._show_rows(self._all)

    def _open_index(self, index) -> None:
        if index.isValid() and index.data(ID_ROLE) != self._current:
            self.openRequested.emit(index.data(ID_ROLE))

    def selected_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(ID_ROLE) if index.isValid() and self.view.isVisible() else None

    def delete_selected(self) -> None:
        conversation_id = self.selected_id()
        if conversation_id is not None:
            self.deleteRequested.emit(conversation_id)

    def rename_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.edit(index)

    def context_menu(self, index) -> QMenu:
        """The menu of the conversation at ``index``: open, rename, delete."""
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self._open_index(index))
        menu.addAction(self.tr("Rename…"), self.rename_selected)
        menu.addAction(self.tr("Delete"), self.delete_selected)
        return menu

    def _show_context_menu(self, position) -> None:
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        self.view.setCurrentIndex(index)
        menu = self.context_menu(index)
        menu.exec(self.view.viewport().mapToGlobal(position))
        menu.deleteLater()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        """Down in the search field goes to the list, Escape empties it; Del in the list deletes."""
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        if watched is self.search_field and event.key() == Qt.Key.Key_Escape and self.search_field.text():
            self.search_field.clear()
            return True
        if watched is self.search_field and event.key() == Qt.Key.Key_Down and self.model.rowCount():
            self.view.setFocus()
            if not self.view.currentIndex().isValid():
                self.view.setCurrentIndex(self.model.index(0))
            return True
        if watched is self.view and event.matches(QKeySequence.StandardKey.Delete) \
                and self.view.state() != QAbstractItemView.State.EditingState:
            self.delete_selected()
            return True
        return super().eventFilter(watched, event)
