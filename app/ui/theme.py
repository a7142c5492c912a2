"""Every colour of the window in one place: the light and the dark theme, and the projector look of the
expert view (presentation mode), which stays dark in both.

A ``Theme`` names its colours by what they are for; app/ui/style.py builds the palette and the style
sheet from it, and the widgets that paint themselves read ``current()`` when they paint or build. After
a switch, ``switcher().changed`` tells the widgets that keep colours (rendered text, cached pictures,
style sheets of their own) to take them again; ``ThemedStyleSheet`` does that for a widget's style sheet
written as a template with ``$name`` placeholders.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from string import Template

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Theme:
    """The colours of one theme, as "#rrggbb", by role. Text colours reach WCAG AA on the backgrounds
    they are drawn on (tests/ui/test_contrast.py computes it for every theme)."""

    name: str
    dark: bool
    # the window: palette, panes, buttons
    window: str
    text: str
    base: str  # text fields, lists, the transcript
    alternate: str
    detail: str  # secondary text: captions, notes, card details
    muted: str  # quiet text inside views: footers, thinking, headings of the token strip
    placeholder: str
    line: str  # frames of fields and cards
    divider: str  # rules between list rows
    dock_title: str
    status_bar: str
    button: str
    button_border: str
    hover: str
    pressed: str
    disabled: str
    disabled_text: str
    disabled_border: str
    primary: str  # the one main action, the highlight
    primary_text: str
    primary_border: str
    primary_hover: str
    primary_disabled: str
    primary_disabled_text: str
    strong: str  # checked segments, the MoE chip, the big token, the undo bar
    strong_text: str
    focus: str  # the keyboard focus frame
    selection: str  # a chosen list row or card
    link: str
    problem: str
    chip_dense: str
    chip_loaded: str
    chip_text: str  # on the dense and the loaded chip
    good: str  # "fits", "real model", the locality panel's good news
    good_text: str
    good_border: str
    caution: str  # "tight", "demo", a blocked attempt, the locality warning
    caution_text: str
    caution_border: str
    caution_frame: str  # the locality warning's frame
    bad: str  # "does not fit", an unexpected connection
    bad_text: str
    bad_border: str
    # the transcript
    user_bubble: str
    user_border: str
    assistant_bubble: str
    assistant_border: str
    notice_bubble: str
    notice_border: str
    error_bubble: str
    error_border: str
    user_name: str
    assistant_name: str
    code: str  # code blocks and table headers
    thinking: str
    # the expert view: heatmap, token strip, router diagram
    view: str
    view_text: str
    view_muted: str
    unchosen: str  # an expert the router did not choose
    outline: str  # the ring around a chosen cell
    marker: str  # the focused cell, the selected token
    marker_text: str
    shared: str
    hatch: str
    chip: str  # an answer token's chip
    chip_border: str
    prompt_chip: str
    other: str  # tokens of experts outside the strip's palette
    range: str  # chips of a selected range
    box: str  # the router diagram's boxes
    box_border: str
    bar: str
    lit: str  # a chosen expert lighting up in the router diagram
    lit_text: str
    token: str
    token_text: str

    def fill(self, template: str, **more: str) -> str:
        """``template`` with each ``$name`` replaced by this theme's colour of that name, or by ``more[name]``."""
        return Template(template).substitute(dataclasses.asdict(self), **more)


LIGHT = Theme(
    name="light", dark=False,
    window="#f7f8fa", text="#1f1f1f", base="#ffffff", alternate="#f1f3f6", detail="#4a4f57", muted="#5f6670",
    placeholder="#6b7280", line="#cfd5de", divider="#e3e6eb", dock_title="#e9ecf1", status_bar="#f3f5f8",
    button="#ffffff", button_border="#aab2bf", hover="#f0f4fa", pressed="#dde3ec",
    disabled="#f3f4f6", disabled_text="#767c86", disabled_border="#d5d9df",
    primary="#1a5fb4", primary_text="#ffffff", primary_border="#15508f", primary_hover="#1c6bcc",
    primary_disabled="#c9d6e8", primary_disabled_text="#46566e",
    strong="#2d3142", strong_text="#ffffff", focus="#d9650a", selection="#dce8f8", link="#1a5fb4",
    problem="#b00020", chip_dense="#6b7280", chip_loaded="#1b7a3a", chip_text="#ffffff",
    good="#dff3e4", good_text="#14532d", good_border="#8fcf9f",
    caution="#fff1c2", caution_text="#5c4400", caution_border="#e0c25e", caution_frame="#c27c00",
    bad="#fde2e1", bad_text="#7a1800", bad_border="#e8a29c",
    user_bubble="#e3efff", user_border="#b7d0f5", assistant_bubble="#f4f5f7", assistant_border="#dadde2",
    notice_bubble="#fff6da", notice_border="#e8d28a", error_bubble="#fde8e8", error_border="#e7a5a5",
    user_name="#1a4f8b", assistant_name="#3c4043", code="#e9ecf1", thinking="#eceef2",
    view="#ffffff", view_text="#1f1f1f", view_muted="#5f6670", unchosen="#e4e7eb", outline="#111111",
    marker="#1a5fb4", marker_text="#ffffff", shared="#5b6675", hatch="#ffffff",
    chip="#ffffff", chip_border="#aab2bf", prompt_chip="#e9ecf1", other="#b8bec7", range="#d3e3f8",
    box="#f4f6f9", box_border="#b9c1cc", bar="#9aa3ae", lit="#c04d00", lit_text="#ffffff",
    token="#2d3142", token_text="#ffffff",
)

DARK = Theme(
    name="dark", dark=True,
    window="#1b1e23", text="#e6e8eb", base="#131519", alternate="#1f2329", detail="#b3bac4", muted="#a3abb6",
    placeholder="#8f97a2", line="#3d444f", divider="#2b3038", dock_title="#262a31", status_bar="#16181c",
    button="#2a2f37", button_border="#707988", hover="#333943", pressed="#3d4450",
    disabled="#22262c", disabled_text="#868d98", disabled_border="#363c45",
    primary="#8ab4f8", primary_text="#0b1526", primary_border="#8ab4f8", primary_hover="#a6c6fa",
    primary_disabled="#2c3a4f", primary_disabled_text="#a9b6c8",
    strong="#d5d9e0", strong_text="#15181d", focus="#ff9e1b", selection="#223a5c", link="#8ab4f8",
    problem="#ff8a80", chip_dense="#5b6472", chip_loaded="#1b7a3a", chip_text="#ffffff",
    good="#173523", good_text="#9fe0b0", good_border="#2f6b43",
    caution="#3a3112", caution_text="#ffe08a", caution_border="#7a6520", caution_frame="#c9a227",
    bad="#3d1b1b", bad_text="#ffb4a8", bad_border="#8a3b35",
    user_bubble="#1d3250", user_border="#2f4f7a", assistant_bubble="#21252b", assistant_border="#353b45",
    notice_bubble="#353014", notice_border="#6b5a22", error_bubble="#3b1d20", error_border="#7a3a3e",
    user_name="#9cc3f5", assistant_name="#c9ced6", code="#2a2f37", thinking="#262a31",
    view="#131519", view_text="#e6e8eb", view_muted="#a3abb6", unchosen="#2c323b", outline="#ffffff",
    marker="#8ab4f8", marker_text="#0b1526", shared="#8a94a3", hatch="#131519",
    chip="#262b33", chip_border="#5b6472", prompt_chip="#1c2026", other="#5b6472", range="#24406a",
    box="#1d2127", box_border="#4a5362", bar="#66707f", lit="#ffb020", lit_text="#15181d",
    token="#e8eaed", token_text="#15181d",
)

PROJECTOR = dataclasses.replace(
    DARK, name="projector",
    window="#0b0d10", text="#f2f4f7", base="#161a20", detail="#b8c0ca", muted="#aab2bf",
    button="#2a303a", button_border="#5b6675", disabled="#161a20", disabled_text="#7a8594",
    disabled_border="#2c323b", primary="#ff9e1b", primary_text="#0b0d10", primary_border="#ff9e1b",
    primary_disabled="#3a3226", primary_disabled_text="#a8937a", strong="#ff9e1b", strong_text="#0b0d10",
    problem="#ffb4a8",
    view="#0b0d10", view_text="#f2f4f7", view_muted="#aab2bf", unchosen="#2c323b", outline="#ffffff",
    marker="#ff9e1b", marker_text="#0b0d10", shared="#8a94a3", hatch="#0b0d10",
    chip="#2a303a", chip_border="#5b6675", prompt_chip="#171b21", other="#5b6675", range="#5a3a08",
    box="#181c23", box_border="#4a5362", token_text="#0b0d10", lit_text="#0b0d10",
)
"""The expert view's presentation look (F5): dark, high-contrast, the same whichever theme the window has."""

THEMES = {LIGHT.name: LIGHT, DARK.name: DARK}
"""The window's themes by the name Settings › Theme keeps."""

def current() -> Theme:
    """The window's theme now (light until app.ui.style applies one)."""
    return switcher().theme


def for_scheme(scheme: Qt.ColorScheme) -> Theme:
    """The theme for the system's colour scheme: dark for dark, else light."""
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


class ThemeSwitcher(QObject):
    """The window's theme, and the signal that tells the widgets keeping colours of their own that it
    changed (app.ui.style.apply_theme sets ``theme``, then the palette and style sheet, then emits).

    Attributes:
        theme: the current Theme.
        text_scale: how much larger than normal the window's text is, following the system's text size
            (app.ui.style.text_scale); 1 unless the system's text is set larger.

    Signals:
        changed(): the theme was switched; ``theme`` is the new one.
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.theme = LIGHT
        self.text_scale = 1.0


_SWITCHER: ThemeSwitcher | None = None


def switcher() -> ThemeSwitcher:
    """The one ThemeSwitcher of the process."""
    global _SWITCHER
    if _SWITCHER is None:
        _SWITCHER = ThemeSwitcher()
    return _SWITCHER


class ThemedStyleSheet(QObject):
    """Keeps ``widget``'s style sheet filled from ``template`` (``$name``: the current theme's colour of
    that name), again after every switch; it ends with the widget."""

    def __init__(self, widget: QWidget, template: str) -> None:
        super().__init__(widget)
        self._widget, self._template = widget, template
        switcher().changed.connect(self.fill)
        self.fill()

    def fill(self) -> None:
        self._widget.setStyleSheet(current().fill(self._template))
