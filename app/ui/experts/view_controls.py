"""ViewControls: the expert view's choices — what the heatmap shows (this token or the whole answer), which
view is up (heatmap, router diagram, numbers), and the layer whose top expert colours the token chips."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

VIEWS = ("heatmap", "router", "numbers")
MODES = ("token", "answer")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExpertsPane", text)


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
    """The expert view's choice widgets, placed by the pane: ``mode_row`` (mode and view buttons) and
    ``colour_row`` (the chip colouring). Their signals: ``modes.chosen``, ``views.chosen`` (a key of
    MODES / VIEWS) and ``colour_box.currentIndexChanged``."""

    def __init__(self) -> None:
        self.modes = _Segments([
            ("token", _tr("This token"), _tr("Experts the router picked for the selected token, with their gate "
                                             "weights")),
            ("answer", _tr("Whole answer"), _tr("Share of the routing weight each expert received over the "
                                                "answer up to the selected token")),
        ])
        self.views = _Segments([
            ("heatmap", _tr("Heatmap"), _tr("All layers and experts at once")),
            ("router", _tr("Router"), _tr("One layer's router at work: token, scores, chosen experts, weighted "
                                          "sum")),
            ("numbers", _tr("Numbers"), _tr("Numbers a speaker can say out loud, with Copy for slide")),
        ])
        show_caption = QLabel(_tr("Show"))
        show_caption.setObjectName("caption")
        self.mode_row = QHBoxLayout()
        self.mode_row.addWidget(show_caption)
        self.mode_row.addWidget(self.modes)
        self.mode_row.addStretch(1)
        self.mode_row.addWidget(self.views)

        self.colour_box = QComboBox()
        self.colour_box.setAccessibleName(_tr("Colour the tokens by"))
        self.colour_box.setToolTip(_tr("Colour each token by the expert that got the highest weight in a layer: "
                                       "which expert took which word"))
        colour_caption = QLabel(_tr("Colour tokens by"))
        colour_caption.setObjectName("caption")
        self.source_label = QLabel()
        self.source_label.setObjectName("caption")
        self.colour_row = QHBoxLayout()
        self.colour_row.addWidget(self.source_label, 1)
        self.colour_row.addWidget(colour_caption)
        self.colour_row.addWidget(self.colour_box)

    def set_layers(self, layers: list[int]) -> None:
        """The MoE layers a chip colouring can take (and "nothing"), without signalling."""
        box = self.colour_box
        box.blockSignals(True)
        box.clear()
        box.addItem(_tr("nothing"), None)
        for layer in layers:
            box.addItem(_tr("top expert in layer {layer}").format(layer=layer), layer)
        box.blockSignals(False)
