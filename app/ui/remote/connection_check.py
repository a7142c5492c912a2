"""ConnectionCheck: a company server's connection test (app.core.remote.probe) on a thread of its own, its
outcome as Qt signals on the GUI thread, so that the window never waits for a server."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThreadPool, Signal

from app.core.remote.errors import RemoteError
from app.core.remote.probe import test_connection
from app.core.remote.profiles import ServerProfile


class ConnectionCheck(QObject):
    """Tests one server at a time on its own thread pool.

    Attributes:
        running: whether a test runs now.

    Signals:
        succeeded(Capabilities): what the server can do.
        failed(RemoteError): why it could not be used.
    """

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.running = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.succeeded.connect(self._ended)
        self.failed.connect(self._ended)

    def start(self, profile: ServerProfile, api_key: str | None) -> None:
        """Test ``profile`` with ``api_key``; succeeded or failed follows (queued to this object's thread)."""
        self.running = True

        def run() -> None:
            try:
                capabilities = test_connection(profile, api_key)
            except RemoteError as error:
                self.failed.emit(error)
            else:
                self.succeeded.emit(capabilities)

        self._pool.start(run)

    def _ended(self, _outcome: object) -> None:
        self.running = False
