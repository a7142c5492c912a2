"""SourceDialog: one source of an answer — the passage the model was given, where it is, and the file
opened in the system's own viewer."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.core.documents.store import Hit
from app.ui.documents.words import source_label


class SourceDialog(QDialog):
    """Shows ``hit`` (its number in the answer is ``number``); "Open the file" hands the file to the system.

    Attributes:
        passage: the passage's text, read-only.
        open_button: opens the document (disabled, with a word why, when the file is gone).
    """

    def __init__(self, number: int, hit: Hit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hit = hit
        self.setWindowTitle(self.tr("Source [{number}] — MoEscope").format(number=number))
        where = QLabel(f"<b>[{number}] {html.escape(source_label(hit))}</b>")
        path = QLabel(hit.path)
        path.setObjectName("note")
        path.setWordWrap(True)
        self.passage = QPlainTextEdit(hit.text)
        self.passage.setReadOnly(True)
        self.passage.setAccessibleName(self.tr("The passage the model was given"))
        self.open_button = QPushButton(self.tr("Open the file"))
        self.open_button.setToolTip(self.tr("Opens the document in the program your system uses for it"))
        self.open_button.clicked.connect(self.open_file)
        if not Path(hit.path).exists():
            self.open_button.setEnabled(False)
            path.setText(self.tr("{path} (no longer there)").format(path=hit.path))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(path)
        layout.addWidget(self.passage, 1)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def open_file(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(self.hit.path))
