"""SourceDialog: one source of an answer — the passage the model was given, where it is, and the file
opened in the system's own viewer. The passage is the one kept with the answer, so it shows also once the
file has changed or gone; the file's button then says that it is gone."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.core.chat.model import Source
from app.ui.documents.words import source_label


class SourceDialog(QDialog):
    """Shows ``source`` (its number in the answer is ``number``); "Open the file" hands the file to the system.

    Attributes:
        source: the passage shown.
        passage: the passage's text, read-only.
        path_label: the file's path, and whether it is still there.
        open_button: opens the document (disabled, saying the file is gone, when it is).
    """

    def __init__(self, number: int, source: Source, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.setWindowTitle(self.tr("Source [{number}] — MoEscope").format(number=number))
        where = QLabel(f"<b>[{number}] {html.escape(source_label(source))}</b>")
        self.path_label = QLabel(source.path)
        self.path_label.setObjectName("note")
        self.path_label.setWordWrap(True)
        self.passage = QPlainTextEdit(source.text)
        self.passage.setReadOnly(True)
        self.passage.setAccessibleName(self.tr("The passage the model was given"))
        self.open_button = QPushButton(self.tr("Open the file"))
        self.open_button.setToolTip(self.tr("Opens the document in the program your system uses for it"))
        self.open_button.clicked.connect(self.open_file)
        if not Path(source.path).is_file():
            self._file_gone()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(self.path_label)
        layout.addWidget(self.passage, 1)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def open_file(self) -> bool:
        """Hand the file to the system; False, and the dialog says the file is gone, when it is."""
        if not Path(self.source.path).is_file():
            self._file_gone()
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(self.source.path))

    def _file_gone(self) -> None:
        self.open_button.setEnabled(False)
        self.open_button.setText(self.tr("The file is gone"))
        self.path_label.setText(self.tr("{path} is no longer there: it was moved or deleted. The passage below "
                                        "is the one the answer was given.").format(path=self.source.path))
