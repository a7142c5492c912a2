"""ViewControls: the expert view's choices — what the heatmap shows (this token or the whole answer), which
view is up (heatmap, router diagram, numbers), and the layer whose top expert colours the token chips."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from app.ui.experts.fitting import FitRow

VIEWS = ("heatmap", "router", "numbers")
MODES = ("token", "answer")


class _Segments(QWidget):
    """Buttons side by side of which one is checked."""

    chosen = Signal(str)

    def __init__(self, choices: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        for key, text, tip in choices:
            button = QPushButton(text)
            button.setCheckable(True)
            button.setObjectName("segment")
            button.setToolTip(tip)
            button.setAccessibleName(text)
            button.clicked.connect(lambda _checked=False, key=key: self.chosen.emit(key))
            self._group.addButton(button)
            row.addWidget(button)
            self.buttons[key] = button
        next(iter(self.buttons.values())).setChecked(True)

    def check(self, key: str) -> None:
        self.buttons[key].setChecked(True)


class ViewControls:
    """The expert view's choice widgets, placed by the pane: ``view_row`` (which view), ``mode_bar`` (this
    token or the whole answer: the heatmap's) and ``colour_row`` (what the strip shows, ``source_label``, and
    the chip colouring, side by side where they fit). Their signals: ``modes.chosen``, ``views.chosen`` (a key
    of MODES / VIEWS) and ``colour_box.currentIndexChanged``."""

    def __init__(self) -> None:
        self.modes = _Segments(
            [
                (
                    "token",
                    QCoreApplication.translate("ExpertsPane", "This token"),
                    QCoreApplication.translate(
                        "ExpertsPane",
                        "Experts the router picked for the selected token, with their gate weights",
                    ),
                ),
                (
                    "answer",
                    QCoreApplication.translate("ExpertsPane", "Whole answer"),
                    QCoreApplication.translate(
                        "ExpertsPane",
                        "Share of the routing weight each expert received over the "
                        "answer up to the selected token",
                    ),
                ),
            ]
        )
        self.views = _Segments(
            [
                (
                    "heatmap",
                    QCoreApplication.translate("ExpertsPane", "Heatmap"),
                    QCoreApplication.translate("ExpertsPane", "All layers and experts at once"),
                ),
                (
                    "router",
                    QCoreApplication.translate("ExpertsPane", "Router"),
                    QCoreApplication.translate(
                        "ExpertsPane",
                        "One layer's router at work: token, scores, chosen experts, weighted sum",
                    ),
                ),
                (
                    "numbers",
                    QCoreApplication.translate("ExpertsPane", "Numbers"),
                    QCoreApplication.translate(
                        "ExpertsPane", "Numbers a speaker can say out loud, with Copy for slide"
                    ),
                ),
            ]
        )
        show_caption = QLabel(QCoreApplication.translate("ExpertsPane", "Show"))
        show_caption.setObjectName("caption")
        self.mode_bar = FitRow([show_caption, self.modes], spacing=6)
        self.view_row = QHBoxLayout()
        self.view_row.addWidget(self.views)
        self.view_row.addStretch(1)

        self.colour_box = QComboBox()
        # as wide as its longest entry where there is room; down to a few letters ("top ex…") where there is not
        self.colour_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.colour_box.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.colour_box.setMinimumWidth(self.colour_box.fontMetrics().horizontalAdvance("0") * 10)
        self.colour_box.setAccessibleName(QCoreApplication.translate("ExpertsPane", "Colour the tokens by"))
        self.colour_box.setToolTip(
            QCoreApplication.translate(
                "ExpertsPane",
                "Colour each token by the expert that got the highest weight in a layer: "
                "which expert took which word",
            )
        )
        colour_caption = QLabel(QCoreApplication.translate("ExpertsPane", "Colour tokens by"))
        colour_caption.setObjectName("caption")
        self.source_label = QLabel()
        self.source_label.setObjectName("caption")
        self.source_label.setWordWrap(True)
        colouring = QWidget()
        colour_row = QHBoxLayout(colouring)
        colour_row.setContentsMargins(0, 0, 0, 0)
        colour_row.addWidget(colour_caption)
        colour_row.addWidget(self.colour_box)
        colour_row.addStretch(1)
        self.colour_row = FitRow([self.source_label, colouring], stretch=0)

    def set_layers(self, layers: list[int]) -> None:
        """The MoE layers a chip colouring can take (and "nothing"), without signalling."""
        box = self.colour_box
        box.blockSignals(True)
        box.clear()
        box.addItem(QCoreApplication.translate("ExpertsPane", "nothing"), None)
        for layer in layers:
            box.addItem(
                QCoreApplication.translate("ExpertsPane", "top expert in layer {layer}").format(layer=layer),
                layer,
            )
        box.blockSignals(False)
