"""LocalityPanel: where MoEscope keeps data, every connection of this session and of earlier ones, the
offline switch, and the evidence report for a security officer."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.locality.audit import AuditEntry
from app.core.locality.report import summarize, write_evidence_report
from app.core.locality.state import LocalityKind, LocalityState
from app.core.paths import conversations_db, data_dir, documents_db
from app.ui import settings
from app.ui.locality.audit_table import AuditTableModel, AuditTableView
from app.ui.locality.indicator import STATE_ICONS, LocalityGuard, state_explanation, state_words
from app.ui.locality.report_words import evidence_file_name, evidence_report_words
from app.ui.resources import icon
from app.ui.theme import switcher

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard

class LocalityPanel(QDialog):
    """Where data goes and stays: the state, storage locations, this session's audit log (live),
    earlier sessions, the offline switch, the warning's acknowledgement and the evidence report.

    Non-modal. Earlier sessions are read and the report is written on the panel's own thread pool.

    Attributes:
        guard: the window's LocalityGuard (policy, monitor, tracker).
        models_dir: the models folder in use.
        offline_switch: the offline-mode check box (kept in the settings, ``settings.OFFLINE``).
        warning_box: shown while the indicator warns; acknowledge_button ends the warning.
        session_model, session_table: this session's audit log; session_summary: its verdict in words.
        earlier_list: earlier sessions, newest first, each with its verdict; earlier_model, earlier_table:
            the chosen one.
        export_button, export_status: the evidence report and what became of it.
        delete_conversations_button, conversations_status: deleting every kept conversation, and how it
            went; message_box: the question asked before.
        jobs: the thread pool for file work.

    Signals:
        reportExported(str): the evidence report was written; its path.
        reportFailed(str): the report could not be written; why.
        deleteConversationsRequested(): the user confirmed deleting every kept conversation (the window
            deletes them and calls ``conversations_deleted``).
    """

    reportExported = Signal(str)
    reportFailed = Signal(str)
    deleteConversationsRequested = Signal()
    _entryArrived = Signal()
    _stateArrived = Signal(object)
    _earlierLoaded = Signal(object)

    def __init__(self, guard: LocalityGuard, models_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guard = guard
        self.models_dir = Path(models_dir)
        self.jobs = QThreadPool(self)
        self.jobs.setMaxThreadCount(1)
        self.message_box: QMessageBox | None = None
        self._earlier_sessions: list[tuple[float, list[AuditEntry]]] | None = None
        self._sync_lock = threading.Lock()
        self._sync_pending = False
        self.setWindowTitle(self.tr("Data locality — MoEscope"))
        self.setModal(False)
        self.resize(1060, 760)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(self._build_header())
        layout.addWidget(self._build_warning_box())
        layout.addWidget(self._build_storage())
        layout.addWidget(self._build_logs(), 1)
        layout.addLayout(self._build_footer())

        for signal, slot in ((self._entryArrived, self._sync_entries), (self._stateArrived, self._show_state),
                             (self._earlierLoaded, self._show_earlier)):
            signal.connect(slot, Qt.ConnectionType.QueuedConnection)
        self.reportExported.connect(self._on_exported)
        self.reportFailed.connect(self._on_export_failed)
        unsubscribe = [guard.monitor.subscribe(self._on_entry),
                       guard.tracker.subscribe(self._stateArrived.emit)]
        self.destroyed.connect(lambda *_args: [stop() for stop in unsubscribe])
        self._sync_entries()
        self._show_state(guard.tracker.state)
        switcher().changed.connect(self.restyle)

    # --- building ---------------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        self._state_icon = QLabel()
        self.state_label = QLabel()
        self.state_label.setObjectName("activeLine")
        self.state_label.setWordWrap(True)
        self.explanation_label = QLabel()
        self.explanation_label.setWordWrap(True)
        self.policy_label = QLabel()
        self.policy_label.setObjectName("note")
        self.policy_label.setWordWrap(True)
        self.offline_switch = QCheckBox(
            self.tr("Offline mode: refuse every connection to another computer, even downloads and searches")
        )
        self.offline_switch.setToolTip(self.tr("Kept for the next start. Models already in the library keep "
                                               "working; nothing can be downloaded while it is on."))
        self.offline_switch.toggled.connect(self.guard.set_offline)
        words = QVBoxLayout()
        words.setSpacing(4)
        for widget in (self.state_label, self.explanation_label, self.policy_label, self.offline_switch):
            words.addWidget(widget)
        header = QHBoxLayout()
        header.setSpacing(12)
        header.addWidget(self._state_icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(words, 1)
        return header

    def _build_warning_box(self) -> QFrame:
        self.warning_box = QFrame()
        self.warning_box.setObjectName("localityWarning")  # its colours: app/ui/style.py
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setTextInteractionFlags(_SELECTABLE)
        self.acknowledge_button = QPushButton(self.tr("Acknowledge warning"))
        self.acknowledge_button.setToolTip(self.tr("You have seen the warning: the indicator goes back to "
                                                   "the current state. The entry stays in the log."))
        self.acknowledge_button.clicked.connect(self.guard.tracker.acknowledge)
        row = QHBoxLayout(self.warning_box)
        row.setContentsMargins(10, 8, 10, 8)
        row.addWidget(self.warning_label, 1)
        row.addWidget(self.acknowledge_button, 0, Qt.AlignmentFlag.AlignVCenter)
        return self.warning_box

    def _build_storage(self) -> QGroupBox:
        box = QGroupBox(self.tr("Where your data is stored (all on this computer)"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        audit = self.guard.monitor.audit
        self.storage = {
            "models": str(self.models_dir),
            "conversations": str(conversations_db()),
            "documents": str(documents_db()),
            "settings": settings.location(),
            "data": str(data_dir()),
            "audit": str(audit.directory),
        }
        captions = {
            "models": self.tr("Models:"),
            "conversations": self.tr("Conversations:"),
            "documents": self.tr("Document index:"),
            "settings": self.tr("Settings:"),
            "data": self.tr("Application data:"),
            "audit": self.tr("Connection log:"),
        }
        self.storage_labels: dict[str, QLabel] = {}
        for key, where in self.storage.items():
            value = QLabel(where)
            self.storage_labels[key] = value
            value.setTextInteractionFlags(_SELECTABLE)
            value.setWordWrap(True)
            caption = QLabel(captions[key])
            caption.setObjectName("caption")
            caption.setBuddy(value)
            form.addRow(caption, value)
        self.delete_conversations_button = QPushButton(self.tr("Delete all conversations…"))
        self.delete_conversations_button.setToolTip(self.tr(
            "Deletes every kept conversation, with its answers and routing traces, from this computer."))
        self.delete_conversations_button.clicked.connect(self.confirm_delete_conversations)
        self.conversations_status = QLabel()
        self.conversations_status.setObjectName("note")
        self.conversations_status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.delete_conversations_button)
        row.addWidget(self.conversations_status, 1)
        form.addRow(row)
        if audit.write_error:
            problem = QLabel(self.tr("The connection log could not be written to disk ({error}); it is kept "
                                     "in memory for this session.").format(error=audit.write_error))
            problem.setObjectName("problem")
            problem.setWordWrap(True)
            form.addRow(problem)
        return box

    def confirm_delete_conversations(self) -> None:
        """Ask before deleting every kept conversation (a box that does not block the window)."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete all conversations?"),
                          self.tr("Every conversation kept on this computer is deleted for good, with its "
                                  "answers and routing traces. This cannot be undone."),
                          QMessageBox.StandardButton.Cancel, self)
        delete = box.addButton(self.tr("Delete all"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self._delete_conversations() if button is delete else None)
        self.message_box = box
        box.open()

    def _delete_conversations(self) -> None:
        self.delete_conversations_button.setEnabled(False)
        self.conversations_status.setText(self.tr("Deleting…"))
        self.deleteConversationsRequested.emit()

    def conversations_deleted(self, count: int) -> None:
        """The window deleted the conversations: say how many."""
        self.delete_conversations_button.setEnabled(True)
        self.conversations_status.setText(
            self.tr("%n conversation(s) deleted.", "", count))

    def conversations_not_deleted(self, why: str) -> None:
        self.delete_conversations_button.setEnabled(True)
        self.conversations_status.setText(self.tr("The conversations could not be deleted: {why}").format(why=why))

    def set_models_dir(self, folder: str) -> None:
        """The library moved to another models folder: show it, and report it in exports."""
        self.models_dir = Path(folder)
        self.storage["models"] = folder
        self.storage_labels["models"].setText(folder)

    def _build_logs(self) -> QTabWidget:
        self.session_model = AuditTableModel(parent=self)
        self.session_table = AuditTableView(self.session_model, self.tr("Connections of this session"))
        self.session_summary = QLabel()
        self.session_summary.setWordWrap(True)
        self.session_summary.setTextInteractionFlags(_SELECTABLE)
        session_page = QWidget()
        session_layout = QVBoxLayout(session_page)
        session_layout.setContentsMargins(6, 6, 6, 6)
        session_layout.addWidget(self.session_summary)
        session_layout.addWidget(self.session_table, 1)

        self.earlier_list = QListWidget()
        self.earlier_list.setWordWrap(True)
        self.earlier_list.setAccessibleName(self.tr("Earlier sessions"))
        self.earlier_list.currentRowChanged.connect(self._show_earlier_session)
        self.earlier_model = AuditTableModel(with_date=True, parent=self)
        self.earlier_table = AuditTableView(self.earlier_model, self.tr("Connections of the chosen session"))
        earlier_page = QSplitter(Qt.Orientation.Vertical)
        earlier_page.addWidget(self.earlier_list)
        earlier_page.addWidget(self.earlier_table)
        earlier_page.setSizes([150, 300])

        self.logs = QTabWidget()
        self.logs.addTab(session_page, "")
        self.logs.addTab(earlier_page, self.tr("Earlier sessions"))
        return self.logs

    def _build_footer(self) -> QHBoxLayout:
        self.export_button = QPushButton(self.tr("Export evidence report…"))
        self.export_button.setToolTip(self.tr("A one-page HTML report for your records or your security "
                                              "officer: version, network policy, storage and this session's "
                                              "log."))
        self.export_button.clicked.connect(self.choose_report_file)
        self.export_status = QLabel()
        self.export_status.setObjectName("note")
        self.export_status.setWordWrap(True)
        self.export_status.setTextInteractionFlags(_SELECTABLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        footer = QHBoxLayout()
        footer.addWidget(self.export_button)
        footer.addWidget(self.export_status, 1)
        footer.addWidget(buttons)
        return footer

    # --- state and log ----------------------------------------------------------------------------

    def restyle(self) -> None:
        """The window's theme changed: the state's icon in its colours."""
        self._show_state(self.guard.tracker.state)

    def _show_state(self, state: LocalityState) -> None:
        size = self.fontMetrics().height() * 2 + 8
        self._state_icon.setPixmap(icon(STATE_ICONS[state.kind]).pixmap(size, size))
        warning = self.guard.tracker.warning_entry
        self.state_label.setText(state_words(state))
        self.explanation_label.setText(state_explanation(state, warning))
        policy = self.guard.policy
        if policy.offline:
            self.policy_label.setText(self.tr("Rule: connections only within this computer. Downloads and "
                                              "searches are refused. No telemetry, no update checks."))
        elif state.kind is LocalityKind.SERVER:
            self.policy_label.setText(self.tr(
                "Rule: connections only within this computer and to the company server {host} while it is in "
                "use, and to the host of a download or search you start, while it runs. No telemetry, no "
                "update checks.").format(host=state.host))
        else:
            self.policy_label.setText(self.tr(
                "Rule: connections only within this computer, except to the host of a download or search you "
                "start, while it runs. No telemetry, no update checks."))
        self.offline_switch.blockSignals(True)
        self.offline_switch.setChecked(policy.offline)
        self.offline_switch.blockSignals(False)
        self.warning_box.setVisible(state.kind is LocalityKind.WARNING)
        if state.kind is LocalityKind.WARNING and warning is not None:
            where = warning.host if warning.port is None else f"{warning.host}:{warning.port}"
            self.warning_label.setText(self.tr("{time} · {process} · {where}\n{detail}").format(
                time=self.session_model.cell_text(warning, AuditTableModel.TIME),
                process=self.session_model.cell_text(warning, AuditTableModel.PROCESS),
                where=where, detail=warning.detail))

    def _on_entry(self, _entry: AuditEntry) -> None:
        """Any thread: ask the GUI thread to look at the log, unless it is asked already (bursts of
        entries cost one look, not one each)."""
        with self._sync_lock:
            if self._sync_pending:
                return
            self._sync_pending = True
        self._entryArrived.emit()

    def _sync_entries(self) -> None:
        """Append the entries the log gained since the last look (the log only grows)."""
        with self._sync_lock:
            self._sync_pending = False
        table = self.session_table
        at_end = table.verticalScrollBar().value() >= table.verticalScrollBar().maximum()
        entries = self.guard.monitor.audit.entries()
        self.session_model.extend(entries[len(self.session_model.entries):])
        entries = self.session_model.entries
        self.logs.setTabText(0, self.tr("This session ({count})").format(count=len(entries)))
        if entries:
            self.session_summary.setText(self.verdict_words(entries))
        else:
            self.session_summary.setText(self.tr("Nothing yet: no connection, no attempt and no listening "
                                                 "socket has been seen in this session."))
        if at_end:
            table.scrollToBottom()

    # --- earlier sessions -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._earlier_sessions is None:
            self._earlier_sessions = []
            self.earlier_list.addItem(self.tr("Reading…"))
            audit = self.guard.monitor.audit
            self.jobs.start(lambda: self._earlierLoaded.emit(
                [(session.started, session.entries()) for session in audit.earlier_sessions()]))

    def _show_earlier(self, sessions: list[tuple[float, list[AuditEntry]]]) -> None:
        self._earlier_sessions = sessions
        self.earlier_list.clear()
        if not sessions:
            item = QListWidgetItem(self.tr("There is no log of an earlier session on this computer."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.earlier_list.addItem(item)
            return
        for started, entries in sessions:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(started))
            text = self.tr("{when} — %n entries. {verdict}", "", len(entries)).format(
                when=when, verdict=self.verdict_words(entries))
            item = QListWidgetItem(text)
            item.setToolTip(text)
            self.earlier_list.addItem(item)
        self.earlier_list.setCurrentRow(0)

    def verdict_words(self, entries: list[AuditEntry]) -> str:
        """The verdict on a session's entries in the user's language: the evidence report's, without the
        hosts (the table lists them)."""
        summary = summarize(entries)
        declined = self.tr("%n download(s) or search(es) you started were not run because offline mode was on.",
                           "", summary.declined) if summary.declined else ""
        if summary.nothing_left:
            if summary.refused:
                text = self.tr("Nothing left this computer: %n attempt(s) blocked before anything was "
                               "sent.", "", summary.refused)
                return f"{text} {declined}" if declined else text
            if declined:
                return self.tr("Nothing left this computer: {declined}").format(declined=declined)
            return self.tr("Nothing left this computer: no connection to another computer was made or "
                           "attempted.")
        sentences = []
        if summary.unexpected:
            sentences.append(self.tr("%n UNEXPECTED connection(s) or listening socket(s) seen open.", "",
                                     summary.unexpected))
        if summary.reached:
            actions = ", ".join(self.session_model.user_action_words(label) for label in summary.reached)
            sentences.append(self.tr("Connections to other computers were made for downloads or searches you "
                                     "started: {actions}.").format(actions=actions))
        elif summary.tried:
            sentences.append(self.tr("No connection to another computer was made for downloads or searches "
                                     "you started."))
        if summary.failed:
            sentences.append(self.tr("%n attempt(s) failed.", "", summary.failed))
        if summary.refused:
            sentences.append(self.tr("%n attempt(s) blocked before anything was sent.", "", summary.refused))
        if declined:
            sentences.append(declined)
        return " ".join(sentences)

    def _show_earlier_session(self, row: int) -> None:
        sessions = self._earlier_sessions or []
        self.earlier_model.set_entries(sessions[row][1] if 0 <= row < len(sessions) else [])

    # --- evidence report --------------------------------------------------------------------------

    def choose_report_file(self) -> None:
        stamp = time.strftime("%Y%m%d-%H%M")
        suggested = str(Path.home() / evidence_file_name(stamp))
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Export evidence report"), suggested,
                                                    self.tr("Web page (*.html)"))
        if path:
            if not path.lower().endswith((".html", ".htm")):
                path += ".html"
            self.export_report(Path(path))

    def export_report(self, path: Path) -> None:
        """Write the evidence report to ``path`` on the panel's thread pool; reportExported or reportFailed
        tells how it went."""
        self.export_button.setEnabled(False)
        self.export_status.setText(self.tr("Writing the report…"))
        monitor, models_dir = self.guard.monitor, self.models_dir
        settings_location = self.storage["settings"]
        conversations = (self.tr("Conversations"), self.storage["conversations"])
        documents = (self.tr("Document index (the text of the document collections)"), self.storage["documents"])
        words = evidence_report_words(self.session_model)

        def write() -> None:
            try:
                written = write_evidence_report(path, monitor, models_dir=models_dir,
                                                settings_location=settings_location,
                                                extra_locations=[conversations, documents], words=words)
            except OSError as exc:
                self.reportFailed.emit(str(exc))
            else:
                self.reportExported.emit(str(written))

        self.jobs.start(write)

    def _on_exported(self, path: str) -> None:
        self.export_button.setEnabled(True)
        self.export_status.setText(self.tr("Report saved: {path}").format(path=path))

    def _on_export_failed(self, reason: str) -> None:
        self.export_button.setEnabled(True)
        self.export_status.setText(self.tr("The report could not be saved: {reason}").format(reason=reason))

    def shutdown(self) -> None:
        """Wait for file work still running (the window is closing)."""
        self.jobs.waitForDone(10_000)
