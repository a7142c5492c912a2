"""The downloads under the library: the DownloadsPanel, one DownloadRow per download with its progress, where
it stands in words and its buttons (the DownloadController in download_controller.py fills them)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.hub.queue import JobStatus
from app.core.hub.request import DownloadRequest
from app.core.hub.sidecars import PartialDownload
from app.ui.formatting import format_size
from app.ui.library.words import job_state_text, needs_token


class DownloadRow(QFrame):
    """One download: name, a progress bar, where it stands in words, and its buttons.

    A row is either a job of the DownloadQueue or a partial download found at start (``offered``),
    which waits for the user to resume or discard it.

    Attributes:
        key: the request's key (repository, first file).
        request: what is downloaded.
        name: the name shown.
        job_id: the queue's job, or None while only offered.
        state: the JobStatus state, or "offered".
        state_label, error_label, progress: the widgets showing it.
        pause_button, resume_button, cancel_button, token_button: the buttons (some hidden per state).

    Signals:
        pauseClicked(), resumeClicked(), cancelClicked(), tokenClicked(): the user pressed that button.
    """

    pauseClicked = Signal()
    resumeClicked = Signal()
    cancelClicked = Signal()
    tokenClicked = Signal()

    def __init__(self, request: DownloadRequest, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = request.key
        self.request = request
        self.name = name
        self.job_id: int | None = None
        self.state = "offered"
        self.setObjectName("downloadRow")
        title = QLabel(name)
        title.setObjectName("cardTitle")
        title.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("%p %")
        self.state_label = QLabel()
        self.state_label.setObjectName("detail")
        self.state_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.setToolTip(self.tr("Stop for now; what was downloaded is kept"))
        self.resume_button = QPushButton(self.tr("Resume"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop and delete what was downloaded so far"))
        self.token_button = QPushButton(self.tr("Hugging Face token…"))
        self.pause_button.clicked.connect(self.pauseClicked)
        self.resume_button.clicked.connect(self.resumeClicked)
        self.cancel_button.clicked.connect(self.cancelClicked)
        self.token_button.clicked.connect(self.tokenClicked)
        bar = QHBoxLayout()  # the progress bar with the buttons beside it: a row takes little height
        bar.setSpacing(6)
        bar.addWidget(self.progress, 1)
        for button in (self.pause_button, self.resume_button, self.token_button, self.cancel_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.state_label)
        layout.addWidget(self.error_label)

    def offer(self, partial: PartialDownload) -> None:
        """Show a download left unfinished by an earlier session."""
        self.state = "offered"
        self.resume_button.setText(self.tr("Resume"))
        if not partial.done_bytes:
            self._set_fraction(0.0)
            text = self.tr("Not downloaded yet. Start it again?")
            self.resume_button.setText(self.tr("Try again"))
        elif partial.total_bytes:
            self._set_fraction(partial.done_bytes / partial.total_bytes)
            text = self.tr("Unfinished: {done} of {total} were downloaded before. Resume it?").format(
                done=format_size(partial.done_bytes), total=format_size(partial.total_bytes)
            )
        else:
            self._set_fraction(0.0)
            text = self.tr("Unfinished: {done} were downloaded before. Resume it?").format(
                done=format_size(partial.done_bytes)
            )
        self.state_label.setText(text)
        self.error_label.clear()
        self.cancel_button.setText(self.tr("Discard"))
        self.cancel_button.setToolTip(self.tr("Delete what was downloaded so far"))
        self._show_buttons(resume=True)

    def set_status(self, status: JobStatus, error_text: str = "") -> None:
        """Show a job's state; ``error_text`` says why a failed one failed."""
        self.job_id = status.job_id
        self.state = status.state
        if status.progress is not None:
            self._set_fraction(status.progress.fraction)
        self.state_label.setText(job_state_text(status))
        self.error_label.setText(error_text if status.state == "failed" else "")
        self.error_label.setVisible(bool(self.error_label.text()))
        failed = status.state == "failed"
        self.resume_button.setText(self.tr("Try again") if failed else self.tr("Resume"))
        self.cancel_button.setText(self.tr("Remove") if failed else self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop and delete what was downloaded so far"))
        self._show_buttons(
            pause=status.state in ("queued", "running"),
            resume=status.state in ("paused", "failed"),
            token=failed and needs_token(status.error),
        )

    def _set_fraction(self, fraction: float) -> None:
        self.progress.setValue(round(max(0.0, min(1.0, fraction)) * 1000))

    def _show_buttons(self, pause: bool = False, resume: bool = False, token: bool = False) -> None:
        self.pause_button.setVisible(pause)
        self.resume_button.setVisible(resume)
        self.token_button.setVisible(token)
        self.error_label.setVisible(bool(self.error_label.text()))


class DownloadsPanel(QWidget):
    """The list of downloads under the library (hidden while there are none). It shows as many rows as
    fit into its room (``set_room``, at least one, at most MAX_VISIBLE_ROWS) and scrolls to the others, so
    that the model list above keeps its height.

    Attributes:
        rows: the DownloadRow of each download, by its request's key.

    Signals:
        pauseRequested(object), resumeRequested(object), cancelRequested(object): the user pressed that
            button of the row with this key.
        tokenRequested(): the user wants to add or change the Hugging Face token.
    """

    pauseRequested = Signal(object)
    resumeRequested = Signal(object)
    cancelRequested = Signal(object)
    tokenRequested = Signal()

    MAX_VISIBLE_ROWS = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[tuple, DownloadRow] = {}
        self._room: int | None = None
        self._caption = QLabel()
        self._caption.setObjectName("caption")
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(4)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(self._rows_layout)
        inner.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(holder)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._caption)
        layout.addWidget(self._scroll)
        self.setVisible(False)

    def row(self, request: DownloadRequest, name: str) -> DownloadRow:
        """The row of this request, made if there is none yet."""
        row = self.rows.get(request.key)
        if row is None:
            row = DownloadRow(request, name)
            key = request.key
            row.pauseClicked.connect(lambda: self.pauseRequested.emit(key))
            row.resumeClicked.connect(lambda: self.resumeRequested.emit(key))
            row.cancelClicked.connect(lambda: self.cancelRequested.emit(key))
            row.tokenClicked.connect(self.tokenRequested)
            self.rows[key] = row
            self._rows_layout.addWidget(row)
            self.refit()
        return row

    def remove(self, key: tuple) -> None:
        row = self.rows.pop(key, None)
        if row is not None:
            row.hide()
            self._rows_layout.removeWidget(row)
            row.deleteLater()
            self.refit()

    def set_room(self, height: int) -> None:
        """The most height the panel should take (its rows scroll inside it beyond that)."""
        self._room = height
        self.refit()

    def refit(self) -> None:
        """Show the rows that fit into the room without scrolling (at least one, at most MAX_VISIBLE_ROWS),
        the rest by scrolling."""
        self.setVisible(bool(self.rows))
        count = len(self.rows)
        self._caption.setText(self.tr("Downloads") if count < 2 else self.tr("Downloads (%n)", "", count))
        width = self._scroll.viewport().width() or 300
        heights = [
            row.heightForWidth(width) if row.hasHeightForWidth() else row.sizeHint().height()
            for row in list(self.rows.values())[: self.MAX_VISIBLE_ROWS]
        ]
        room = None if self._room is None else self._room - self._caption.sizeHint().height()
        height = 0
        for shown, row_height in enumerate(heights):
            more = row_height + (4 if shown else 0)
            if shown and room is not None and height + more > room:
                break
            height += more
        self._scroll.setFixedHeight(height + 2)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.refit()

