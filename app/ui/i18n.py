"""Translations: MoEscope's own strings and Qt's standard dialogs, for the system language or a chosen one."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.ui.resources import resources_dir

SUPPORTED_LANGUAGES = ("en", "de")


def install_translators(app: QApplication, lang: str | None = None) -> str:
    """Install the translators for ``lang`` ("de", "en") or the system language; returns the language used.

    English is the source language and needs no translator. The translators are parented to ``app``
    so they live as long as it does.
    """
    locale = QLocale(lang) if lang else QLocale.system()
    language = QLocale.languageToCode(locale.language())
    if language not in SUPPORTED_LANGUAGES:
        language = "en"
    if lang:
        QLocale.setDefault(locale)
    if language == "en":
        return language
    own = QTranslator(app)
    if own.load(f"moescope_{language}", str(resources_dir() / "translations")):
        app.installTranslator(own)
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
    return language
