"""How the token strip looks in its styles — the window theme's (light or dark) and the dark, large
presentation one — and the palette that tells the experts of a "which expert took which word" colouring apart."""

from __future__ import annotations

from PySide6.QtGui import QColor

from app.ui.theme import PROJECTOR, current

PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#882255",
           "#44aa99", "#999933")
"""Colours of the experts that took the most tokens (Okabe–Ito, then Tol's muted): told apart on a
projector and by most colour-blind viewers."""


class StripLook:
    """Colours and type size of one style of the strip: the presentation one, else the window theme's."""

    def __init__(self, presentation: bool) -> None:
        colours = PROJECTOR if presentation else current()
        self.font_scale = 1.6 if presentation else 1.0
        self.background = QColor(colours.view)
        self.text = QColor(colours.view_text)
        self.muted = QColor(colours.view_muted)
        self.answer = QColor(colours.chip)
        self.answer_border = QColor(colours.chip_border)
        self.prompt = QColor(colours.prompt_chip)
        self.other = QColor(colours.other)
        self.focus = QColor(colours.marker)
        self.focus_text = QColor(colours.marker_text)
        self.range = QColor(colours.range)
