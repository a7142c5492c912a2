"""The look of MoEscope: a light, high-contrast theme with large type that reads well on a projector."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

BASE_POINT_SIZE = 11

STYLE_SHEET = """
QDockWidget { font-weight: bold; }
QDockWidget::title { background: #e9ecf1; padding: 6px 10px; border-bottom: 1px solid #cfd5de; }
QDockWidget > QWidget { font-weight: normal; }
QPushButton { padding: 6px 14px; border: 1px solid #aab2bf; border-radius: 5px; background: #ffffff; }
QPushButton:hover { background: #f0f4fa; }
QPushButton:disabled { color: #767c86; background: #f3f4f6; border-color: #d5d9df; }
QPushButton#primary { background: #1a5fb4; color: #ffffff; border-color: #15508f; font-weight: bold; }
QPushButton#primary:hover { background: #1c6bcc; }
QPushButton#primary:disabled { background: #c9d6e8; color: #46566e; border-color: #c9d6e8; }
QPushButton#segment { border-radius: 0; padding: 5px 16px; }
QPushButton#segment:checked { background: #2d3142; color: #ffffff; border-color: #2d3142; }
QPushButton:focus, QPushButton#segment:focus, QPushButton#primary:focus { border: 3px solid #e8710a; }
QComboBox:focus, QLineEdit:focus, QSpinBox:focus, QListWidget:focus, QTextBrowser:focus { border: 2px solid #e8710a; }
QTextBrowser#transcript, QPlainTextEdit#messageInput, QListWidget#modelList {
    border: 1px solid #cfd5de; border-radius: 6px; background: #ffffff;
}
QPlainTextEdit#messageInput:focus { border: 2px solid #1a5fb4; }
QListWidget#modelList::item { border-bottom: 1px solid #e3e6eb; }
QListWidget#modelList::item:selected { background: #dce8f8; border: 2px solid #1a5fb4; border-radius: 6px; }
QLabel#cardTitle { font-weight: bold; font-size: 12pt; }
QLabel#detail { color: #4a4f57; }
QLabel#caption { color: #4a4f57; font-weight: bold; }
QLabel#note { color: #4a4f57; }
QLabel#problem, QLabel#errorText { color: #b00020; }
QLabel#moeChip, QLabel#denseChip, QLabel#loadedChip {
    color: #ffffff; border-radius: 4px; padding: 1px 7px; font-weight: bold;
}
QLabel#moeChip { background: #2d3142; }
QLabel#denseChip { background: #6b7280; }
QLabel#loadedChip { background: #1b7a3a; }
QLabel#demoBadge, QLabel#realBadge { border-radius: 4px; padding: 2px 6px; }
QLabel#demoBadge { background: #fff1c2; color: #5c4400; border: 1px solid #e0c25e; }
QLabel#realBadge { background: #dff3e4; color: #14532d; border: 1px solid #8fcf9f; }
QLabel#bigToken {
    font-size: 26pt; font-weight: bold; font-family: "DejaVu Sans Mono", "Consolas", "Menlo", monospace;
    background: #2d3142; color: #ffffff; border-radius: 8px; padding: 6px 16px;
}
QLabel#activeLine { font-size: 13pt; font-weight: bold; }
QLabel#explanation { font-size: 13pt; }
QLabel#localityText { color: #14532d; font-weight: bold; }
QStatusBar { background: #f3f5f8; border-top: 1px solid #cfd5de; }
QStatusBar QLabel { padding: 0 8px; }
"""


def apply_style(app: QApplication) -> None:
    """Fusion with a fixed light palette, so kiosks and projectors look the same on every system."""
    app.setStyle("Fusion")
    app.setPalette(window_palette())
    font = QFont(app.font())
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)


def window_palette() -> QPalette:
    """The window's light palette."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f7f8fa"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1f1f1f"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f1f3f6"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1f1f1f"))
    palette.setColor(QPalette.ColorRole.Button, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor("#1f1f1f"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#1a5fb4"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor("#1f1f1f"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#6b7280"))
    return palette


def contrast_ratio(foreground: QColor | str, background: QColor | str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21); AA asks for 4.5 for text, 3 for large text."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())

    lighter, darker = sorted((luminance(QColor(foreground)), luminance(QColor(background))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
