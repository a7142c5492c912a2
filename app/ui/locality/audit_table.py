"""The audit log as a table: AuditTableModel words each entry in the user's language, AuditTableView
shows it with the action column as wide as the entries need. The locality panel shows this session's
log and the chosen earlier session's in it."""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.core.locality.audit import AuditEntry
from app.core.locality.outcome import CONNECTED, FAILED, NAME_NOT_RESOLVED, PENDING, REFUSED, RESOLVED, SENT
from app.core.locality.policy import ALLOWED, BLOCKED, LOCAL, UNEXPECTED
from app.ui.theme import current

_ROW_TINTS = {BLOCKED: "caution", UNEXPECTED: "bad"}  # the theme's colour names (app/ui/theme.py)
_ROOT = QModelIndex()
Index = QModelIndex | QPersistentModelIndex


class AuditTableModel(QAbstractTableModel):
    """Audit entries as a table: time, process, host, port, action, verdict, outcome; each row's detail as
    its tooltip. Blocked and unexpected rows are bold and tinted, and their verdict says so in words; an
    allowed attempt that failed is not tinted (nothing went where it should not), its outcome says why.

    Attributes:
        entries: the entries shown, oldest first.
        with_date: whether the time column shows the date too (for earlier sessions).
    """

    TIME, PROCESS, HOST, PORT, ACTION, VERDICT, OUTCOME = range(7)

    def __init__(self, with_date: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[AuditEntry] = []
        self.with_date = with_date

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def extend(self, entries: list[AuditEntry]) -> None:
        if not entries:
            return
        first = len(self.entries)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        self.entries.extend(entries)
        self.endInsertRows()

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt override)
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Time"), self.tr("Process"), self.tr("Host"), self.tr("Port"), self.tr("Action"),
                self.tr("Verdict"), self.tr("Outcome"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(entry, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.detail or None
        problem = entry.verdict in _ROW_TINTS
        if role == Qt.ItemDataRole.FontRole and problem and index.column() == self.VERDICT:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return QColor(getattr(current(), _ROW_TINTS[entry.verdict]))
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return QColor(current().text)
        return None

    def cell_text(self, entry: AuditEntry, column: int) -> str:
        """What a cell shows, in the user's language."""
        if column == self.TIME:
            return time.strftime("%Y-%m-%d %H:%M:%S" if self.with_date else "%H:%M:%S",
                                 time.localtime(entry.time))
        if column == self.PROCESS:
            role = {"gui": self.tr("window"), "engine": self.tr("engine")}.get(entry.role, entry.role)
            return f"{role} ({entry.pid})"
        if column == self.HOST:
            return entry.host
        if column == self.PORT:
            return "—" if entry.port is None else str(entry.port)
        if column == self.ACTION:
            return self.action_words(entry)
        if column == self.VERDICT:
            return self.verdict_words(entry.verdict)
        return self.outcome_words(entry)

    def verdict_words(self, verdict: str) -> str:
        return {
            LOCAL: self.tr("local"),
            ALLOWED: self.tr("allowed (your action)"),
            BLOCKED: self.tr("blocked"),
            UNEXPECTED: self.tr("UNEXPECTED"),
        }.get(verdict, verdict)

    def outcome_words(self, entry: AuditEntry) -> str:
        """What became of the entry's attempt or connection, in the user's language."""
        if entry.outcome == FAILED:
            return self.tr("failed: {error}").format(error=self.error_words(entry.error))
        if entry.outcome is None and entry.verdict == ALLOWED and entry.kind == "attempt":
            return self.tr("not recorded")  # a log from before outcomes were recorded
        return {
            CONNECTED: self.tr("connected"),
            RESOLVED: self.tr("name resolved"),
            SENT: self.tr("sent"),
            PENDING: self.tr("begun, end not awaited"),
            REFUSED: self.tr("nothing sent"),
        }.get(entry.outcome or "", "—")

    def error_words(self, error: str | None) -> str:
        """Why an attempt failed (``outcome.short_error``'s words) in the user's language; words
        the system gave are shown as they are."""
        known = {
            NAME_NOT_RESOLVED: self.tr("name not resolved"),
            "connection refused by the host": self.tr("connection refused by the host"),
            "no route to host": self.tr("no route to host"),
            "network unreachable": self.tr("network unreachable"),
            "timed out": self.tr("timed out"),
            "connection reset": self.tr("connection reset"),
        }
        return known.get(error or "", error or "")

    def action_words(self, entry: AuditEntry) -> str:
        action = self.user_action_words(entry.action) if entry.action else ""
        if entry.kind == "refused":
            return self.tr("{action} refused: offline mode").format(action=action)
        if entry.kind == "listening":
            return self.tr("listening socket")
        if entry.kind == "attempt":
            return action or self.tr("connection attempt")
        if action:
            return self.tr("{action} (seen open)").format(action=action)
        return self.tr("open connection")

    def user_action_words(self, label: str) -> str:
        """A user action's label ("download huggingface.co") in the user's language."""
        kind, _, host = label.partition(" ")
        if kind == "download":
            return self.tr("download from {host}").format(host=host)
        if kind == "search":
            return self.tr("search on {host}").format(host=host)
        if kind == "server":
            return self.tr("chat with the company server {host}").format(host=host)
        if kind == "server-test":
            return self.tr("connection test of the company server {host}").format(host=host)
        return label


class AuditTableView(QTableView):
    """Audit entries, a row each. The action column fills the width left, unless the entries are too wide
    for the table: then every column keeps the width its words need and the table scrolls sideways, so
    that no action is cut short."""

    def __init__(self, model: AuditTableModel, name: str) -> None:
        super().__init__()
        self.setModel(model)
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        model.modelReset.connect(self.fit_columns)
        model.rowsInserted.connect(self.fit_columns)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Let the action column stretch if every column fits at the width its words need."""
        header = self.horizontalHeader()
        needed = sum(max(self.sizeHintForColumn(column), header.sectionSizeHint(column))
                     for column in range(header.count()))
        fits = needed <= self.viewport().width()
        header.setSectionResizeMode(AuditTableModel.ACTION, QHeaderView.ResizeMode.Stretch if fits
                                    else QHeaderView.ResizeMode.ResizeToContents)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.fit_columns()
