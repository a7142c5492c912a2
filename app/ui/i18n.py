"""Translations: MoEscope's own strings and Qt's standard dialogs, for the system language or a chosen one."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.core.paths import resources_dir

SUPPORTED_LANGUAGES = ("en", "de")


def translations_dir() -> str:
    return str(resources_dir() / "translations")


def install_translators(app: QApplication, lang: str | None = None) -> list[QTranslator]:
    """Install the translators for ``lang`` ("de", "en") or else the system language.

    English is the source language and needs only its plural forms. A chosen ``lang`` also becomes the default
    locale, so numbers are written the way that language writes them. The translators are
    parented to ``app``; they are returned so that a caller can remove them again.
    """
    locale = QLocale(lang) if lang else QLocale.system()
    if lang:
        QLocale.setDefault(locale)
    language = QLocale.languageToCode(locale.language())
    if language not in SUPPORTED_LANGUAGES or language == "en":
        # English is the source language; its file holds only the plural forms ("1 attempt", "2 attempts").
        files = [("moescope_en", translations_dir())]
    else:
        files = [(f"moescope_{language}", translations_dir()),
                 (f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    installed = []
    for name, folder in files:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
