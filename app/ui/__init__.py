"""The Qt widgets of MoEscope. They talk to the engine only through the EngineWorker's signals and slots."""

from app.ui.qt_quirks import protect_singletons

protect_singletons()
