"""Start the MoEscope window: application, translations, engine worker thread, main window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QApplication

from app.core import paths
from app.core.remote.profiles import ProfileStore
from app.ui.application import start_application
from app.ui.guide.dialog import maybe_show_guide
from app.ui.i18n import install_translators
from app.ui import settings
from app.ui.locality.indicator import apply_saved_offline
from app.ui.main_window import MainWindow
from app.worker import start_engine_thread, stop_engine_thread


def run_gui(
    models_dir: Path | None = None, model_to_load: Path | None = None, lang: str | None = None
) -> int:
    """Show the main window until it is closed; returns the exit status.

    Args:
        models_dir: the folder the model library lists and imports into (created if missing);
            when None or the default ``app.core.paths.models_dir()``, the folder last chosen in the
            library (if it exists), else that default.
        model_to_load: a GGUF file to load as soon as the engine is up, or None.
        lang: "de" or "en" to override the system language, or None.
    """
    app = start_application(lang)
    lang = lang or settings.language()
    translators = install_translators(app, lang)
    models_dir = Path(models_dir) if models_dir else paths.models_dir()
    chosen = settings.models_dir()  # the folder picked in the library, unless another one was asked for
    if chosen is not None and chosen.is_dir() and models_dir == paths.models_dir():
        models_dir = chosen
    models_dir.mkdir(parents=True, exist_ok=True)

    apply_saved_offline()  # before the engine starts: it inherits the policy from the environment
    worker, thread = start_engine_thread()
    session = WindowSession(app, worker, models_dir, translators)
    profiles = ProfileStore()
    server = profiles.active()
    if server is not None:  # the company server chosen last time answers again, not a model on this computer
        worker.use_server(server, profiles.api_key(server.name))
    elif model_to_load is not None:
        session.window.load_model(str(Path(model_to_load).resolve()))
    session.window.show()
    maybe_show_guide(session.window)
    try:
        return app.exec()
    finally:
        stop_engine_thread(worker, thread)


class WindowSession(QObject):
    """The main window over one engine worker; a language chosen in Settings builds the window again in
    that language, keeping the engine, its loaded model and the conversation shown."""

    def __init__(self, app: QApplication, worker, models_dir: Path, translators: list) -> None:
        super().__init__(app)
        self.app, self.worker, self.models_dir, self.translators = app, worker, models_dir, translators
        self.window = self._new_window()

    def _new_window(self) -> MainWindow:
        window = MainWindow(self.worker, self.models_dir)
        window.language_menu.chosen.connect(self.switch_language)
        return window

    def switch_language(self, code: str) -> None:
        """Translators for ``code`` ("" for the system's language), then the window anew in its place."""
        old = self.window
        if old.chat.generating:
            old.worker.stop()
        conversation = old.conversation_store.current_id
        quits = self.app.quitOnLastWindowClosed()
        self.app.setQuitOnLastWindowClosed(False)  # between the two windows none is open
        old.close()
        old.deleteLater()
        for translator in self.translators:
            self.app.removeTranslator(translator)
        QLocale.setDefault(QLocale.system())
        self.translators = install_translators(self.app, code or None)
        self.window = self._new_window()
        self.window.help_menu.trouble = old.help_menu.trouble  # the last engine problem stays in the report
        self.window.adopt_engine()
        if conversation is not None:
            self.window.keeper.open(conversation)
        self.window.show()
        self.app.setQuitOnLastWindowClosed(quits)
