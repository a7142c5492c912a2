"""LocalityIndicator: the status bar's promise that everything stays on this computer."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.ui.resources import icon


class LocalityIndicator(QWidget):
    """Icon and words saying that no data leaves this computer; the tooltip names the model file.

    Attributes:
        text_label: the words shown.
        model_path: the loaded model file, or None.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_path: str | None = None
        icon_label = QLabel()
        size = self.fontMetrics().height() + 4
        icon_label.setPixmap(icon("local").pixmap(size, size))
        self.text_label = QLabel(self.tr("Local — no data leaves this computer"))
        self.text_label.setObjectName("localityText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(icon_label)
        layout.addWidget(self.text_label)
        self.set_model_path(None)

    def set_model_path(self, path: str | None) -> None:
        self.model_path = path
        lines = [
            self.tr(
                "The model runs in a separate process on this computer. "
                "MoEscope sends nothing you type over the network."
            )
        ]
        lines.append(self.tr("Model file: {path}").format(path=path) if path else self.tr("No model loaded."))
        self.setToolTip("\n".join(lines))
