"""The QApplication both windows start with (the main window's app.gui and the kiosk's app.kiosk_gui):
names, platform plugin failure in words, icon, theme."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QMessageLogContext, QtMsgType, qFormatLogMessage, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app.core.system_libs import platform_failure_message
from app.ui.resources import icon
from app.ui.style import apply_style


def set_application_names() -> None:
    """The organisation and application names QSettings files its settings under."""
    QCoreApplication.setOrganizationName("MoEscope")
    QCoreApplication.setApplicationName("MoEscope")


def _create_application(lang: str | None) -> QApplication:
    """The QApplication; where Qt cannot start a platform plugin, say why in words and exit with 2.

    Qt reports that as a fatal message and aborts the process, which no exception handler sees. So
    while the application is created, a message handler prints Qt's messages as Qt would and, on the
    fatal one, system_libs' explanation, then ends the process itself.
    """

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        print(qFormatLogMessage(kind, context, message), file=sys.stderr, flush=True)
        if kind == QtMsgType.QtFatalMsg:
            print(platform_failure_message(lang), file=sys.stderr, flush=True)
            os._exit(2)

    previous = qInstallMessageHandler(handler)
    try:
        return QApplication(sys.argv)
    finally:
        qInstallMessageHandler(previous)


def start_application(lang: str | None) -> QApplication:
    """The application (the one there is, else a new one) with MoEscope's names, icon and theme;
    ``lang`` is the language a platform plugin failure is explained in."""
    set_application_names()
    app = QApplication.instance() or _create_application(lang)
    app.setDesktopFileName("moescope")  # Wayland matches the window to moescope.desktop (icon, name)
    app.setWindowIcon(icon("moescope"))
    apply_style(app)
    return app
