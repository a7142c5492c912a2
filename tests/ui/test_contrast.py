"""Every text colour of the window's style against the background it stands on reaches WCAG AA (4.5:1;
3:1 for large type), computed from the palette and the colours the style sheets and views use: the
light window, the transcript's bubbles, and the expert view's presentation style."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from app.ui.chat import transcript
from app.ui.experts.heatmap_static import NORMAL_THEME, PRESENTATION_THEME
from app.ui.experts.strip_look import StripLook
from app.ui.style import contrast_ratio, window_palette

AA_TEXT = 4.5
AA_LARGE = 3.0

# (what, text colour, background, large type) as the style sheet (app/ui/style.py) and the panes paint them
STYLE_PAIRS = [
    ("caption", "#4a4f57", "#f7f8fa", False),
    ("note", "#4a4f57", "#f7f8fa", False),
    ("detail on a card", "#4a4f57", "#ffffff", False),
    ("problem text", "#b00020", "#f7f8fa", False),
    ("primary button", "#ffffff", "#1a5fb4", False),
    ("checked segment", "#ffffff", "#2d3142", False),
    ("disabled button", "#767c86", "#f3f4f6", True),  # WCAG exempts inactive controls; kept legible anyway
    ("disabled primary button", "#46566e", "#c9d6e8", False),
    ("MoE chip", "#ffffff", "#2d3142", False),
    ("dense chip", "#ffffff", "#6b7280", False),
    ("loaded chip", "#ffffff", "#1b7a3a", False),
    ("demo badge", "#5c4400", "#fff1c2", False),
    ("real badge", "#14532d", "#dff3e4", False),
    ("big token", "#ffffff", "#2d3142", True),
    ("locality text", "#14532d", "#f3f5f8", False),
    ("presentation text", "#f2f4f7", "#0b0d10", False),
    ("presentation caption", "#b8c0ca", "#0b0d10", False),
    ("presentation big token", "#0b0d10", "#ff9e1b", True),
    ("presentation checked segment", "#0b0d10", "#ff9e1b", False),
    ("presentation button", "#f2f4f7", "#2a303a", False),
]


def _transcript_pairs():
    pairs = []
    for kind, (background, _border, _left, _right) in transcript._BUBBLES.items():
        pairs += [(f"{kind} text", transcript._TEXT, background, False),
                  (f"{kind} quiet", transcript._QUIET, background, False),
                  (f"{kind} link", transcript._LINK, background, False)]
    pairs += [("code", transcript._TEXT, transcript._CODE_BACKGROUND, False),
              ("thinking", transcript._QUIET, transcript._THINKING_BACKGROUND, False)]
    return pairs


def _view_pairs():
    pairs = []
    for name, theme in (("heatmap", NORMAL_THEME), ("heatmap presentation", PRESENTATION_THEME)):
        pairs.append((f"{name} axis", theme.text.name(), theme.background.name(), False))
    for presentation in (False, True):
        look = StripLook(presentation)
        name = "strip presentation" if presentation else "strip"
        pairs += [(f"{name} text", look.text.name(), look.background.name(), False),
                  (f"{name} muted", look.muted.name(), look.background.name(), False),
                  (f"{name} prompt chip", look.text.name(), look.prompt.name(), False),
                  (f"{name} answer chip", look.text.name(), look.answer.name(), False)]
    return pairs


def _palette_pairs():
    palette = window_palette()
    role = QPalette.ColorRole
    return [(f"palette {text.name} on {base.name}", palette.color(text).name(), palette.color(base).name(), False)
            for text, base in ((role.WindowText, role.Window), (role.Text, role.Base), (role.ButtonText, role.Button),
                               (role.HighlightedText, role.Highlight), (role.ToolTipText, role.ToolTipBase),
                               (role.PlaceholderText, role.Base))]


@pytest.mark.parametrize("what, text, background, large", STYLE_PAIRS + _transcript_pairs() + _view_pairs())
def test_text_colours_reach_wcag_aa(what, text, background, large):
    ratio = contrast_ratio(text, background)
    assert ratio >= (AA_LARGE if large else AA_TEXT), f"{what}: {text} on {background} is only {ratio:.2f}:1"


def test_the_window_palette_reaches_wcag_aa():
    for what, text, background, _large in _palette_pairs():
        assert contrast_ratio(text, background) >= AA_TEXT, f"{what}: {text} on {background}"


def test_contrast_ratio_matches_the_wcag_examples():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
