"""Downloads in the window: the DownloadQueue (a DownloadManager whose reports arrive as Qt signals, inside
the network policy) and the DownloadController that starts, pauses, resumes and cancels downloads, offers
those an earlier session left unfinished, and shows each one in the DownloadsPanel and on its item."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.hub.access import HubAccess
from app.core.hub.errors import HubError
from app.core.hub.queue import DownloadManager, JobStatus
from app.core.hub.request import DownloadRequest
from app.core.hub.sidecars import PartialDownload, discard_partial, partial_downloads
from app.core.locality.policy import NetworkPolicy
from app.core.models.catalog import CatalogEntry
from app.core.models.fit import free_disk_bytes
from app.core.models.folder import catalog_entry_for
from app.ui.formatting import format_size
from app.ui.library.controller import LibraryController
from app.ui.library.downloads import DownloadsPanel
from app.ui.library.folder_scan import FolderScan
from app.ui.library.table_model import CATALOG, HUB_FILE, LibraryItem, LibraryModel
from app.ui.library.words import hub_error_text

WHAT_DOWNLOAD = "the model file"
"""What a download receives, in the locality indicator's words (it translates them)."""

HUB_STORAGE_HOSTS = ("hf.co",)
"""Where huggingface.co sends the bytes of large files (cdn-lfs.hf.co, cas-bridge.xethub.hf.co ...)."""


class DownloadQueue(QObject):
    """The window's downloads: a DownloadManager whose reports become the ``jobChanged`` signal.

    Every connection runs inside the network policy, as the command line's do (each one allowed for its
    own host); besides, while a job runs, its Hub host stays allowed as one user action, so that the
    status bar shows one steady "Download from …" instead of flickering between connections.

    Attributes:
        models_dir: where the files go.
        manager: the DownloadManager (its callbacks run on its worker threads).
        policy: the NetworkPolicy the downloads run in, or None (tests without one).

    Signals:
        jobChanged(object): a job's JobStatus after any change; queued to the GUI thread.
    """

    jobChanged = Signal(object)

    def __init__(
        self,
        models_dir: Path,
        *,
        token_provider: Callable[[], str | None],
        endpoint: str | None = None,
        policy: NetworkPolicy | None = None,
        disk_free: Callable[[Path], int | None] = free_disk_bytes,
        retry_wait: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.models_dir = Path(models_dir)
        self.policy = policy
        self._host = urlparse(HubAccess(endpoint=endpoint).base_url).hostname or ""
        self._held: dict[int, contextlib.ExitStack] = {}
        self.manager = DownloadManager(
            self.models_dir,
            token_provider=token_provider,
            endpoint=endpoint,
            network_scope=self._connection_scope if policy is not None else None,
            on_update=self._on_update,
            disk_free=disk_free,
            retry_wait=retry_wait,
        )

    def submit(self, request: DownloadRequest) -> int:
        return self.manager.submit(request)

    def pause(self, job_id: int) -> None:
        self.manager.pause(job_id)

    def resume(self, job_id: int) -> None:
        self.manager.resume(job_id)

    def cancel(self, job_id: int) -> None:
        self.manager.cancel(job_id)

    def busy(self) -> bool:
        """Whether a download is queued or running."""
        return any(job.state in ("queued", "running") for job in self.manager.jobs())

    def shutdown(self) -> None:
        """Pause running downloads (their partial files stay for the next start) and stop the threads."""
        self.manager.shutdown(timeout=5.0)
        for stack in self._held.values():
            stack.close()
        self._held.clear()

    def _connection_scope(self, host: str):
        return self.policy.allow_action("download", host, what=WHAT_DOWNLOAD)

    def _on_update(self, status: JobStatus) -> None:
        """On the manager's threads, one call at a time."""
        if self.policy is not None:
            self._hold_host(status)
        with contextlib.suppress(RuntimeError):  # the window is gone: nobody listens any more
            self.jobChanged.emit(status)

    def _hold_host(self, status: JobStatus) -> None:
        running = status.state == "running"
        if running and status.job_id not in self._held and not self.policy.offline:
            also = HUB_STORAGE_HOSTS if self._host == "huggingface.co" else ()
            stack = contextlib.ExitStack()
            try:
                stack.enter_context(
                    self.policy.allow_action("download", self._host, what=WHAT_DOWNLOAD, also=also)
                )
            except PermissionError:  # offline mode came on just now: the job's connections are refused
                return
            self._held[status.job_id] = stack
        elif not running and status.job_id in self._held:
            self._held.pop(status.job_id).close()


def error_text_for(
    status: JobStatus,
    models_dir: Path,
    size_bytes: int | None,
    disk_free: Callable[[Path], int | None] = free_disk_bytes,
    kept_before: int = 0,
) -> str:
    """A failed job's error in words: a disk-space refusal with the numbers, a lost connection with
    what is kept of the file (``kept_before``: the bytes an earlier session left; nothing, when not a
    byte is on disk)."""
    if status.error is None:
        return ""
    needed = free = None
    done = status.progress.done_bytes if status.progress else kept_before
    if status.error.kind == "disk_full":
        total = status.progress.total_bytes if status.progress and status.progress.total_bytes else size_bytes
        needed = total - done if total is not None else None
        free = disk_free(models_dir)
    return hub_error_text(status.error, needed_bytes=needed, free_bytes=free, kept_bytes=done)


class DownloadController(LibraryController):
    """The library's downloads: into the models folder of ``scan``, shown in ``panel`` and on the
    catalog entries and Hub files of ``model``. A new models folder gets a new DownloadQueue.

    Attributes:
        queue: the DownloadQueue of the models folder.
    """

    def __init__(
        self,
        dialog_parent: QWidget,
        panel: DownloadsPanel,
        model: LibraryModel,
        scan: FolderScan,
        catalog: list[CatalogEntry],
        *,
        token_provider: Callable[[], str | None],
        endpoint: str | None = None,
        policy: NetworkPolicy | None = None,
        disk_free: Callable[[Path], int | None] = free_disk_bytes,
        retry_wait: float = 1.0,
    ) -> None:
        super().__init__(dialog_parent)
        self._panel = panel
        self._model = model
        self._scan = scan
        self._catalog = catalog
        self._queue_options = dict(
            token_provider=token_provider, endpoint=endpoint, policy=policy, disk_free=disk_free,
            retry_wait=retry_wait,
        )
        self._disk_free = disk_free
        self._names: dict[tuple, str] = {}
        self._sizes: dict[tuple, int | None] = {}
        self._offered: dict[tuple, PartialDownload] = {}
        self._kept_before: dict[tuple, int] = {}
        self._warned_disk: set[int] = set()
        self.queue = self._make_queue()
        panel.pauseRequested.connect(self._on_pause_requested)
        panel.resumeRequested.connect(self._on_resume_requested)
        panel.cancelRequested.connect(self._on_cancel_requested)
        scan.folderChanged.connect(self._on_folder_changed)
        self.follow_offline_mode(policy)

    def busy(self) -> bool:
        """Whether a download is queued or running."""
        return self.queue.busy()

    def shutdown(self) -> None:
        """Pause the downloads; they are offered again at the next start."""
        self.queue.shutdown()

    def download(self, item: LibraryItem) -> int | None:
        """Queue the download of a catalog entry or Hub file; its job id, or None when refused."""
        if not self._folder_usable(self.tr("This model cannot be downloaded")):
            return None
        request = DownloadRequest(item.repo, item.filename, catalog_id=item.catalog_id)
        self._names[request.key] = item.name
        self._sizes[request.key] = item.size_bytes
        self._offered.pop(request.key, None)
        try:
            return self.queue.submit(request)
        except HubError as exc:
            self.show_message(
                QMessageBox.Icon.Warning,
                self.tr("This model cannot be downloaded"),
                hub_error_text(exc),
                exc.message,  # the details, in English: which other download holds the file name
            )
            return None

    def button_text(self, item: LibraryItem | None) -> str:
        """The Download button's words for the selected ``item``: its size, or why it is not offered."""
        if item is not None and item.installed_path is not None:
            return self.tr("Already in the library")
        if item is not None and item.download is not None and item.download.state in ("queued", "running"):
            return self.tr("Downloading…")
        if item is not None and item.size_bytes:
            size = format_size(item.size_bytes)
            return (
                self.tr("Download ({size})").format(size=size)
                if item.size_exact
                else self.tr("Download (about {size})").format(size=size)
            )
        return self.tr("Download")

    def offline_mode_changed(self, offline: bool) -> None:
        """Offline mode switched off: the downloads it stopped say they can be tried again now."""
        if offline:
            return
        for status in self.queue.manager.jobs():
            row = self._panel.rows.get(status.request.key)
            if status.state == "failed" and status.error is not None and status.error.kind == "blocked" and row:
                row.error_label.setText(self.tr("Offline mode is off now: press Try again to download."))

    def offer_partial_downloads(self) -> None:
        """Show the downloads an earlier session left unfinished, for the user to resume or discard."""
        for partial in partial_downloads(self._scan.models_dir):
            request = partial.request
            self._offered[request.key] = partial
            self._kept_before[request.key] = partial.done_bytes
            self._names[request.key] = self._name(request)
            self._panel.row(request, self._names[request.key]).offer(partial)
        self._panel.refit()

    def _make_queue(self) -> DownloadQueue:
        queue = DownloadQueue(self._scan.models_dir, parent=self, **self._queue_options)
        queue.jobChanged.connect(self._on_job_changed)
        return queue

    def _on_folder_changed(self, _folder: str) -> None:
        """Pause the downloads into the old folder (they are offered when it is used again); offer those
        of the new one (and those moved there), and again the failed ones that had not a byte on disk."""
        unstarted = [
            status.request for status in self.queue.manager.jobs()
            if status.state == "failed" and not (status.progress and status.progress.done_bytes)
        ]
        self.queue.jobChanged.disconnect(self._on_job_changed)
        self.queue.shutdown()
        for key in list(self._panel.rows):
            self._panel.remove(key)
        self._offered.clear()
        self._kept_before.clear()
        self._model.update(lambda item: dataclasses.replace(item, download=None), (CATALOG, HUB_FILE))
        self.queue = self._make_queue()
        self.offer_partial_downloads()
        for request in unstarted:
            if request.key not in self._offered:
                self._offered[request.key] = PartialDownload(request, 0, self._sizes.get(request.key))
                self._panel.row(request, self._names.get(request.key) or self._name(request)).offer(
                    self._offered[request.key]
                )
        self._panel.refit()

    def _folder_usable(self, title: str) -> bool:
        """Whether files can go into the models folder now; if not, a message box titled ``title`` says so."""
        problem = self._scan.check_folder()
        if problem:
            self.show_message(QMessageBox.Icon.Warning, title, problem)
        return not problem

    def _name(self, request: DownloadRequest) -> str:
        entry = catalog_entry_for(self._catalog, request.catalog_id, request.repo, request.filename)
        return entry.name if entry else request.local_names[0]

    def _on_job_changed(self, status: JobStatus) -> None:
        key = status.request.key
        name = self._names.get(key) or self._name(status.request)
        active = status.state in ("queued", "running", "paused", "failed")

        def follow(item: LibraryItem) -> LibraryItem:
            if (item.repo, item.filename) != key:
                return item
            return dataclasses.replace(item, download=status if active else None)

        self._model.update(follow, (CATALOG, HUB_FILE))
        if status.state == "done":
            self._panel.remove(key)
            self.statusChanged.emit(
                self.tr("“{name}” was downloaded and checked; it is now in your library.").format(name=name)
            )
            self._scan.select_after_scan(str(status.path))
            self._scan.refresh()
            return
        if status.state == "cancelled":
            self._kept_before.pop(key, None)
            self._panel.remove(key)
            return
        error = error_text_for(
            status, self._scan.models_dir, self._sizes.get(key), self._disk_free, self._kept_before.get(key, 0)
        )
        self._panel.row(status.request, name).set_status(status, error)
        self._panel.refit()
        if (
            status.state == "failed"
            and status.error is not None
            and status.error.kind == "disk_full"
            and status.job_id not in self._warned_disk
        ):
            self._warned_disk.add(status.job_id)
            self.show_message(QMessageBox.Icon.Warning, self.tr("Not enough free space"), error)
        self.changed.emit()

    def _on_pause_requested(self, key: tuple) -> None:
        row = self._panel.rows.get(key)
        if row is not None and row.job_id is not None:
            self.queue.pause(row.job_id)

    def _on_resume_requested(self, key: tuple) -> None:
        row = self._panel.rows.get(key)
        if row is None:
            return
        if not self._folder_usable(self.tr("The download cannot continue")):
            return
        if row.job_id is None or key in self._offered:
            self._offered.pop(key, None)
            try:
                self.queue.submit(row.request)
            except HubError as exc:
                row.error_label.setText(hub_error_text(exc))
                row.error_label.show()
        else:
            self.queue.resume(row.job_id)

    def _on_cancel_requested(self, key: tuple) -> None:
        row = self._panel.rows.get(key)
        if row is None:
            return
        if row.job_id is None or key in self._offered:
            self._offered.pop(key, None)
            discard_partial(self._scan.models_dir, row.request)
            self._kept_before.pop(key, None)
            self._panel.remove(key)
        else:
            self.queue.cancel(row.job_id)
