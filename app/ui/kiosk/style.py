"""The kiosk's look: large type for people standing a step away, touch targets of at least 44 px (most are
56 px and more), in the window theme's colours (``$name``: app.ui.theme)."""

from __future__ import annotations

MIN_TOUCH_PX = 44
"""The smallest touch target a visitor gets (WCAG 2.5.5); tests/kiosk checks every button against it."""

KIOSK_STYLE = """
QWidget#kioskWindow { background: $window; }
QLabel#brand { font-size: 22pt; font-weight: bold; color: $primary; }
QLabel#modelName { font-size: 15pt; color: $detail; }
QFrame#expertsFrame QPushButton, QFrame#expertsFrame QComboBox { min-height: 44px; min-width: 44px; }
QWidget#localityIndicator, QWidget#localityIndicator QLabel { font-size: 15pt; }
QLabel#welcomeTitle { font-size: 40pt; font-weight: bold; color: $text; }
QLabel#welcomeLead { font-size: 20pt; color: $detail; }
QLabel#welcomePrivacy { font-size: 14pt; color: $detail; }
QPushButton#exampleButton {
    background: $base; border: 2px solid $line; border-radius: 18px; min-height: 96px;
}
QPushButton#exampleButton:hover { border-color: $primary; }
QPushButton#exampleButton:pressed { background: $selection; border-color: $primary; }
QPushButton#exampleButton:disabled { background: $disabled; border-color: $disabled_border; }
QLabel#exampleText { font-size: 19pt; color: $text; }
QLineEdit#question {
    font-size: 20pt; padding: 12px 18px; min-height: 48px;
    border: 2px solid $line; border-radius: 14px; background: $base; color: $text;
}
QLineEdit#question:focus { border: 3px solid $primary; }
QPushButton#askButton, QPushButton#stopButton, QPushButton#startOverButton {
    font-size: 20pt; font-weight: bold; padding: 12px 32px; min-height: 52px; border-radius: 14px;
}
QPushButton#askButton { background: $primary; color: $primary_text; border: 2px solid $primary_border; }
QPushButton#askButton:disabled {
    background: $primary_disabled; color: $primary_disabled_text; border-color: $primary_disabled;
}
QTextBrowser#kioskTranscript {
    font-size: 19pt; border: 1px solid $line; border-radius: 14px; background: $base;
}
QFrame#overlayCard { background: $base; border-radius: 28px; }
QLabel#overlayTitle { font-size: 40pt; font-weight: bold; color: $text; }
QLabel#countdownNumber { font-size: 96pt; font-weight: bold; color: $primary; }
QLabel#overlayText { font-size: 26pt; color: $text; }
QLabel#overlayHint { font-size: 20pt; color: $detail; }
QLabel#adminTitle { font-size: 28pt; font-weight: bold; color: $text; }
QLabel#pinDots { font-size: 32pt; color: $text; min-height: 48px; }
QLabel#pinMessage { font-size: 16pt; color: $detail; }
QPushButton#pinKey, QPushButton#pinOk {
    font-size: 24pt; min-width: 112px; min-height: 72px; border-radius: 18px;
}
QPushButton#pinOk { background: $primary; color: $primary_text; border: 2px solid $primary_border; }
QPushButton#pinOk:disabled { background: $primary_disabled; color: $primary_disabled_text; }
QPushButton#pinCancel { font-size: 18pt; min-height: 56px; border-radius: 14px; }
QLabel#adminModel { font-size: 16pt; color: $detail; }
QLabel#adminDocuments { font-size: 16pt; color: $detail; }
QLabel#adminDocumentsMissing { font-size: 16pt; font-weight: bold; color: $problem; }
QFrame#adminTile { background: $base; border: 1px solid $line; border-radius: 18px; }
QLabel#adminName { font-size: 14pt; color: $detail; }
QLabel#adminValue { font-size: 26pt; font-weight: bold; color: $text; }
QPushButton#adminButton, QPushButton#adminPrimary {
    font-size: 16pt; min-height: 52px; padding: 8px 24px; border-radius: 14px;
}
QPushButton#adminPrimary { background: $primary; color: $primary_text; border: 2px solid $primary_border; }
QPushButton#adminButton:checked { background: $strong; color: $strong_text; border-color: $strong; }
"""
