"""The look of MoEscope: Fusion with large type that reads well on a projector, in the light or the dark
theme (app/ui/theme.py): the one chosen in Settings › Theme, else the system's, followed while it changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption

from app.ui import settings
from app.ui.theme import LIGHT, THEMES, Theme, for_scheme, switcher

BASE_POINT_SIZE = 11
"""The window's text size in points where the system's text is of normal size."""

SYSTEM_NORMAL_POINTS = 10.0
"""A system text size of up to this many points counts as normal; larger sizes scale the window's text."""

_LARGER_TEXT = {"title_size": 12, "lead_size": 13, "big_token_size": 26}
"""The style sheet's larger text sizes, in points at the normal scale."""

_STYLE_TEMPLATE = """
QDockWidget { font-weight: bold; }
QDockWidget::title { background: $dock_title; padding: 6px 10px; border-bottom: 1px solid $line; }
QDockWidget > QWidget { font-weight: normal; }
QPushButton { padding: 6px 14px; border: 1px solid $button_border; border-radius: 5px; background: $button; }
QPushButton:hover { background: $hover; }
QPushButton:disabled { color: $disabled_text; background: $disabled; border-color: $disabled_border; }
QPushButton#primary { background: $primary; color: $primary_text; border-color: $primary_border; font-weight: bold; }
QPushButton#primary:hover { background: $primary_hover; }
QPushButton#primary:disabled { background: $primary_disabled; color: $primary_disabled_text; border-color: $primary_disabled; }
QPushButton#segment { border-radius: 0; padding: 5px 16px; }
QPushButton#segment:checked { background: $strong; color: $strong_text; border-color: $strong; }
QPushButton:focus, QPushButton#segment:focus, QPushButton#primary:focus { border: 3px solid $focus; }
QComboBox:focus, QLineEdit:focus, QSpinBox:focus, QListWidget:focus, QTextBrowser:focus { border: 2px solid $focus; }
QTextBrowser#transcript, QPlainTextEdit#messageInput, QListWidget#modelList {
    border: 1px solid $line; border-radius: 6px; background: $base;
}
QPlainTextEdit#messageInput:focus { border: 2px solid $primary; }
QListWidget#modelList::item { border-bottom: 1px solid $divider; }
QListWidget#modelList::item:selected { background: $selection; border: 2px solid $primary; border-radius: 6px; }
QLabel#cardTitle { font-weight: bold; font-size: $title_size; }
QLabel#detail { color: $detail; }
QLabel#caption { color: $detail; font-weight: bold; }
QLabel#note { color: $detail; }
QLabel#problem, QLabel#errorText { color: $problem; }
QLabel#moeChip, QLabel#denseChip, QLabel#loadedChip {
    color: $chip_text; border-radius: 4px; padding: 1px 7px; font-weight: bold;
}
QLabel#moeChip { background: $strong; color: $strong_text; }
QLabel#denseChip { background: $chip_dense; }
QLabel#loadedChip { background: $chip_loaded; }
QLabel#demoBadge, QLabel#realBadge { border-radius: 4px; padding: 2px 6px; }
QLabel#demoBadge { background: $caution; color: $caution_text; border: 1px solid $caution_border; }
QLabel#realBadge { background: $good; color: $good_text; border: 1px solid $good_border; }
QLabel#bigToken {
    font-size: $big_token_size; font-weight: bold; font-family: "DejaVu Sans Mono", "Consolas", "Menlo", monospace;
    background: $strong; color: $strong_text; border-radius: 8px; padding: 6px 16px;
}
QLabel#activeLine { font-size: $lead_size; font-weight: bold; }
QLabel#explanation { font-size: $lead_size; }
QLabel#localityText { color: $good_text; font-weight: bold; }
QFrame#undoBar { background: $strong; border-radius: 6px; }
QFrame#undoBar QLabel { color: $strong_text; }
QFrame#localityWarning { background: $caution; border: 1px solid $caution_frame; border-radius: 6px; }
QFrame#localityWarning QLabel { color: $caution_text; }
QStatusBar { background: $status_bar; border-top: 1px solid $line; }
QStatusBar QLabel { padding: 0 8px; }
"""


class FramedFusion(QProxyStyle):
    """Fusion, with the frames of fields and check boxes in the theme's border colour: Fusion draws them a
    shade darker than the window, which on a dark window is nearly black and cannot be seen."""

    _PRIMITIVES = (QStyle.PrimitiveElement.PE_FrameLineEdit, QStyle.PrimitiveElement.PE_IndicatorCheckBox,
                   QStyle.PrimitiveElement.PE_Frame, QStyle.PrimitiveElement.PE_FrameGroupBox)
    _CONTROLS = (QStyle.ComplexControl.CC_SpinBox, QStyle.ComplexControl.CC_ComboBox)

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt override)
        super().drawPrimitive(element, _outlined(option) if element in self._PRIMITIVES else option, painter, widget)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # noqa: N802 (Qt override)
        super().drawComplexControl(control, _outlined(option) if control in self._CONTROLS else option, painter,
                                   widget)


def _outlined(option: QStyleOption) -> QStyleOption:
    """``option`` with a palette whose window colour makes Fusion's outline (the window 140 % darker) the
    theme's border colour; unchanged on a light theme, where Fusion's own outline shows."""
    theme = switcher().theme
    if not theme.dark:
        return option
    outlined = type(option)(option)
    palette = QPalette(option.palette)
    palette.setColor(QPalette.ColorRole.Window, QColor(theme.button_border).lighter(140))
    outlined.palette = palette
    return outlined


def text_scale(system_points: float) -> float:
    """How much larger than normal the window's text is for a system text size of ``system_points``: 1 up
    to SYSTEM_NORMAL_POINTS, in proportion above it (a system set to 15 pt gives 1.5)."""
    return max(1.0, system_points / SYSTEM_NORMAL_POINTS)


def style_sheet(theme: Theme, scale: float = 1.0) -> str:
    """The window's style sheet in ``theme``'s colours, its larger text sizes times ``scale``."""
    return theme.fill(_STYLE_TEMPLATE, **{name: f"{points * scale:.1f}pt" for name, points in _LARGER_TEXT.items()})


STYLE_SHEET = style_sheet(LIGHT)
"""The light theme's style sheet, for a widget styled on its own (as tests of the focus frame do)."""


def apply_style(app: QApplication) -> None:
    """Fusion with the chosen theme's palette and style sheet, the same on every system; follows the
    system's colour scheme while Settings › Theme says "As the system"."""
    app.setStyle(FramedFusion())
    font = QFont(app.font())
    scale = text_scale(font.pointSizeF())
    font.setPointSizeF(BASE_POINT_SIZE * scale)
    app.setFont(font)
    switcher().text_scale = scale
    QGuiApplication.styleHints().colorSchemeChanged.connect(follow_system)
    apply_theme(app, chosen_theme())


def chosen_theme() -> Theme:
    """The theme chosen in Settings › Theme, else the one for the system's colour scheme."""
    name = settings.theme()
    return THEMES[name] if name else for_scheme(QGuiApplication.styleHints().colorScheme())


def follow_system(scheme: Qt.ColorScheme) -> None:
    """The system's colour scheme changed: switch with it, unless a theme was chosen."""
    if settings.theme() is None:
        apply_theme(QApplication.instance(), for_scheme(scheme))


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Switch the window to ``theme`` as it runs: palette, style sheet, then the widgets that keep colours."""
    themes = switcher()
    themes.theme = theme
    app.setPalette(window_palette(theme))
    app.setStyleSheet(style_sheet(theme, themes.text_scale))
    themes.changed.emit()


def window_palette(theme: Theme) -> QPalette:
    """The window's palette in ``theme``'s colours (disabled text in its own colour)."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    palette = QPalette(QColor(theme.button), QColor(theme.window))
    for name, colour in ((role.Window, theme.window), (role.WindowText, theme.text), (role.Base, theme.base),
                         (role.AlternateBase, theme.alternate), (role.Text, theme.text),
                         (role.Button, theme.button), (role.ButtonText, theme.text),
                         (role.Highlight, theme.primary), (role.HighlightedText, theme.primary_text),
                         (role.Accent, theme.primary), (role.ToolTipBase, theme.base),
                         (role.ToolTipText, theme.text), (role.PlaceholderText, theme.placeholder),
                         (role.Link, theme.link), (role.LinkVisited, theme.link), (role.BrightText, theme.problem)):
        palette.setColor(name, QColor(colour))
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, name, QColor(theme.disabled_text))
    palette.setColor(group.Disabled, role.Button, QColor(theme.disabled))
    return palette


def contrast_ratio(foreground: QColor | str, background: QColor | str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21); AA asks for 4.5 for text, 3 for large text."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())

    lighter, darker = sorted((luminance(QColor(foreground)), luminance(QColor(background))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
