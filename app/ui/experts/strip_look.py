"""How the token strip looks in its two styles — the window's light one and the dark, large presentation
one — and the palette that tells the experts of a "which expert took which word" colouring apart."""

from __future__ import annotations

from PySide6.QtGui import QColor

PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#882255",
           "#44aa99", "#999933")
"""Colours of the experts that took the most tokens (Okabe–Ito, then Tol's muted): told apart on a
projector and by most colour-blind viewers."""


class StripLook:
    """Colours and type size of one style of the strip."""

    def __init__(self, presentation: bool) -> None:
        dark = presentation
        self.font_scale = 1.6 if dark else 1.0
        self.background = QColor("#0b0d10" if dark else "#ffffff")
        self.text = QColor("#f2f4f7" if dark else "#1f1f1f")
        self.muted = QColor("#9aa3ad" if dark else "#5f6670")
        self.answer = QColor("#2a303a" if dark else "#ffffff")
        self.answer_border = QColor("#5b6675" if dark else "#aab2bf")
        self.prompt = QColor("#171b21" if dark else "#e9ecf1")
        self.other = QColor("#5b6675" if dark else "#b8bec7")
        self.focus = QColor("#ff9e1b" if dark else "#1a5fb4")
        self.range = QColor("#5a3a08" if dark else "#d3e3f8")
