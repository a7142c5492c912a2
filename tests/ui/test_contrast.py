"""Every text colour of the window against the background it stands on reaches WCAG AA (4.5:1; 3:1 for
large type), and every frame that marks something (keyboard focus, a chosen heatmap cell, the selected
token) reaches 3:1 against what surrounds it — computed from the themes' colours and the palette built
from them, for the light and the dark theme alike, and for the expert view's projector look."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from app.ui.chat.transcript import BUBBLES
from app.ui.experts.colormap import ColourScale
from app.ui.style import contrast_ratio, window_palette
from app.ui.theme import DARK, LIGHT, PROJECTOR, Theme

AA_TEXT = 4.5
AA_LARGE = 3.0
AA_COMPONENT = 3.0  # WCAG 1.4.11: frames and marks that tell a state
THEMES = [pytest.param(LIGHT, id="light"), pytest.param(DARK, id="dark")]

# (what, text colour, background, large type): the colours' names in a Theme, as the style sheet
# (app/ui/style.py) and the widgets that paint themselves use them
WINDOW_TEXT = [
    ("text on the window", "text", "window", False),
    ("text in a field", "text", "base", False),
    ("text on a button", "text", "button", False),
    ("text on a hovered row", "text", "hover", False),
    ("text on a chosen row", "text", "selection", False),
    ("alternate rows", "text", "alternate", False),
    ("caption, note", "detail", "window", False),
    ("detail on a card", "detail", "base", False),
    ("subtitle of a chosen row", "detail", "selection", False),
    ("dock title", "text", "dock_title", False),
    ("placeholder", "placeholder", "base", False),
    ("problem text", "problem", "window", False),
    ("problem in a field", "problem", "base", False),
    ("link", "link", "base", False),
    ("primary button", "primary_text", "primary", False),
    ("checked segment, MoE chip, undo bar", "strong_text", "strong", False),
    ("disabled button", "disabled_text", "disabled", True),  # WCAG exempts inactive controls; legible anyway
    ("disabled primary button", "primary_disabled_text", "primary_disabled", False),
    ("dense chip", "chip_text", "chip_dense", False),
    ("loaded chip", "chip_text", "chip_loaded", False),
    ("demo badge, tight fit", "caution_text", "caution", False),
    ("real badge, fits", "good_text", "good", False),
    ("does not fit", "bad_text", "bad", False),
    ("blocked row of the audit log", "text", "caution", False),
    ("unexpected row of the audit log", "text", "bad", False),
    ("status bar text", "text", "status_bar", False),
    ("locality: local", "good_text", "status_bar", False),
    ("locality: download", "link", "status_bar", False),
    ("locality: offline", "strong", "status_bar", False),
    ("locality: warning", "bad_text", "caution", False),
    ("code", "text", "code", False),
    ("language of a code block", "muted", "code", False),
    ("Copy link of a code block", "link", "code", False),
    ("table", "text", "base", False),
    ("thinking", "muted", "thinking", False),
]
VIEW_TEXT = [
    ("view text, axes", "view_text", "view", False),
    ("view muted", "view_muted", "view", False),
    ("answer chip", "view_text", "chip", False),
    ("prompt chip", "view_muted", "prompt_chip", False),
    ("selected range", "view_text", "range", False),
    ("selected token", "marker_text", "marker", False),
    ("router diagram box", "view_text", "box", False),
    ("the token in the router diagram", "token_text", "token", False),
    ("a lit expert's weight", "lit_text", "lit", False),
]
MARKS = [
    ("focus frame on the window", "focus", "window"),
    ("focus frame on a button", "focus", "button"),
    ("focus frame in a field", "focus", "base"),
    ("chosen row's bar and card frame", "primary", "base"),
    ("chosen heatmap cell's ring", "outline", "view"),
    ("heatmap focus cell, cursor chip", "marker", "view"),
    ("hover ring", "view_text", "view"),
    ("warning panel's frame", "caution_frame", "status_bar"),
]
PROJECTOR_TEXT = [
    ("presentation text", "text", "window", False),
    ("presentation caption", "detail", "window", False),
    ("presentation button", "text", "button", False),
    ("presentation big token, checked segment", "strong_text", "strong", True),
    ("presentation primary button", "primary_text", "primary", False),
    ("presentation disabled button", "disabled_text", "disabled", True),
    ("presentation field", "text", "base", False),
    ("presentation warning", "problem", "window", False),
] + VIEW_TEXT


def _bubble_pairs():
    pairs = []
    for kind, (background, _border, _left, _right) in BUBBLES.items():
        pairs += [(f"{kind} text", "text", background, False), (f"{kind} quiet", "muted", background, False),
                  (f"{kind} link", "link", background, False)]
    pairs += [("user's name", "user_name", BUBBLES["user"][0], False),
              ("assistant's name", "assistant_name", BUBBLES["assistant"][0], False)]
    return pairs


def _ratio(theme: Theme, text: str, background: str) -> float:
    return contrast_ratio(getattr(theme, text), getattr(theme, background))


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("what, text, background, large", WINDOW_TEXT + VIEW_TEXT + _bubble_pairs())
def test_text_colours_reach_wcag_aa(theme, what, text, background, large):
    ratio = _ratio(theme, text, background)
    assert ratio >= (AA_LARGE if large else AA_TEXT), \
        f"{theme.name} {what}: {getattr(theme, text)} on {getattr(theme, background)} is only {ratio:.2f}:1"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("what, mark, background", MARKS)
def test_marks_reach_three_to_one(theme, what, mark, background):
    ratio = _ratio(theme, mark, background)
    assert ratio >= AA_COMPONENT, \
        f"{theme.name} {what}: {getattr(theme, mark)} on {getattr(theme, background)} is only {ratio:.2f}:1"


@pytest.mark.parametrize("what, text, background, large", PROJECTOR_TEXT)
def test_the_projector_look_reaches_wcag_aa(what, text, background, large):
    ratio = _ratio(PROJECTOR, text, background)
    assert ratio >= (AA_LARGE if large else AA_TEXT), f"{what}: only {ratio:.2f}:1"


@pytest.mark.parametrize("what, mark, background", MARKS[4:6])
def test_the_projector_marks_reach_three_to_one(what, mark, background):
    assert _ratio(PROJECTOR, mark, background) >= AA_COMPONENT, what


@pytest.mark.parametrize("theme", THEMES)
def test_the_window_palette_reaches_wcag_aa(theme):
    palette = window_palette(theme)
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for text, base in ((role.WindowText, role.Window), (role.Text, role.Base), (role.ButtonText, role.Button),
                       (role.HighlightedText, role.Highlight), (role.ToolTipText, role.ToolTipBase),
                       (role.PlaceholderText, role.Base), (role.Text, role.AlternateBase), (role.Link, role.Base)):
        ratio = contrast_ratio(palette.color(text), palette.color(base))
        assert ratio >= AA_TEXT, f"{theme.name} palette {text.name} on {base.name}: {ratio:.2f}:1"
    disabled = contrast_ratio(palette.color(group.Disabled, role.ButtonText), palette.color(group.Disabled, role.Button))
    assert disabled >= AA_LARGE, f"{theme.name} disabled text: {disabled:.2f}:1"


def test_numbers_inside_heatmap_cells_read_on_every_colour_of_the_scale():
    """The colour map is the same on both themes; the number written in a cell reads on its colour."""
    scale = ColourScale()
    worst = min(contrast_ratio(scale.text_colour(colour), colour) for colour in scale.colours)
    assert worst >= AA_LARGE  # bold numbers; the middle of viridis allows no more with black or white


def test_contrast_ratio_matches_the_wcag_examples():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
