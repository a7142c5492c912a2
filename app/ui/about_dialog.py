"""Help › About MoEscope: the version, what MoEscope is in one sentence, and the parts it brings along
with their versions and licences (``app.core.diagnostics.PARTS`` and the two demo models)."""

from __future__ import annotations

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from app import __version__
from app.core.diagnostics import DEMO_MOE, GEMMA, PARTS, part_version
from app.ui.resources import icon


class AboutDialog(QDialog):
    """Non-modal; the window keeps one and shows it again.

    Attributes:
        title: "MoEscope" and the version.
        parts: the table of parts: name, version, licence.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About MoEscope"))
        logo = QLabel()
        size = self.fontMetrics().height() * 4
        logo.setPixmap(icon("moescope").pixmap(size, size))
        self.title = QLabel(self.tr("MoEscope {version}").format(version=__version__))
        self.title.setObjectName("cardTitle")
        summary = QLabel(self.tr(
            "Chat with a language model on this computer and watch which experts of a Mixture-of-Experts "
            "model work on each word. Nothing you write leaves this computer."))
        summary.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(summary)
        top = QHBoxLayout()
        top.addWidget(logo)
        top.addLayout(heading, 1)

        caption = QLabel(self.tr("MoEscope brings these parts along:"))
        caption.setObjectName("caption")
        self.parts = QTreeWidget()
        self.parts.setObjectName("aboutParts")
        self.parts.setAccessibleName(self.tr("Parts and their licences"))
        self.parts.setHeaderLabels([self.tr("Part"), self.tr("Version"), self.tr("Licence")])
        self.parts.setRootIsDecorated(False)
        self.parts.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        qt = qVersion()
        rows = [(part.name, part_version(part, qt) or self.tr("unknown"), part.licence) for part in PARTS]
        rows.append((self.tr("{name} (the demo text model)").format(name=GEMMA.name),
                     part_version(GEMMA, qt) or self.tr("not installed"), GEMMA.licence))
        rows.append((self.tr("{name} (random weights, written by MoEscope)").format(name=DEMO_MOE.name),
                     "—", DEMO_MOE.licence))
        self.parts.addTopLevelItems([QTreeWidgetItem(list(row)) for row in rows])
        header = self.parts.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        frame = 2 * self.parts.frameWidth()
        self.parts.setMinimumSize(  # the whole table without scrolling, at any font size
            sum(max(self.parts.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(3))
            + frame + self.fontMetrics().averageCharWidth() * 2,
            self.parts.sizeHintForRow(0) * len(rows) + header.sizeHint().height() + frame)
        notes = QLabel(self.tr(
            "MoEscope is free software under the MIT licence. Qt and PySide6 are used under the GNU LGPL "
            "version 3: you may replace them with your own build. The Gemma model's weights are Google's and "
            "are provided under the Gemma Terms of Use (ai.google.dev/gemma/terms)."))
        notes.setObjectName("note")
        notes.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(caption)
        layout.addWidget(self.parts, 1)
        layout.addWidget(notes)
        layout.addWidget(buttons)
