"""LibraryPane: the models on this computer, the curated catalog and Hub search, downloads, import, and
loading a model.

Everything slow runs elsewhere: disk work and the hardware check in LibraryJobs (a thread pool),
downloads in the DownloadQueue's threads, Hub requests in the HubBrowser's; their results reach this
widget as queued signals.

Over 600 lines: it still holds the import, download, search and folder-scan flows besides the
layout; splitting them into controllers is the next issue (the house), kept for one move.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.core.models.catalog import CatalogEntry, CatalogError, find_entry, load_catalog
from app.core.hub.downloads import (
    DownloadRequest,
    HubError,
    JobStatus,
    PartialDownload,
    discard_partial,
    partial_downloads,
)
from app.core.models.gguf import GGUFError, ModelInfo
from app.core.models.fit import Hardware, detect_hardware, free_disk_bytes
from app.core.hub.search import HubFile, HubRepo
from app.core.locality.guard import NetworkPolicy
from app.core.hub.token_store import TokenStore
from app.ui.library.downloads import DownloadQueue, DownloadsPanel, error_text_for
from app.ui.formatting import format_decimal, format_file_size
from app.ui.library.hub_browser import HubBrowser
from app.ui.library.jobs import LibraryJobs, ScannedModel, files_of, folder_problem
from app.ui.library.table_model import (
    CATALOG,
    HUB_FILE,
    HUB_REPO,
    INSTALLED,
    UNUSABLE,
    LibraryFilter,
    LibraryItem,
    LibraryModel,
    catalog_item,
    hub_file_item,
    hub_repo_item,
    installed_item,
    unusable_item,
)
from app.ui.library.words import fit_reason, hub_error_text, ui_language
from app.ui.library.card import ModelList
from app.ui.model_errors import model_error_text
from app.ui.library.token_dialog import TokenDialog

MODELS_DIR_SETTING = "library/models_dir"
"""QSettings key of the models folder the user chose (absent: the default folder)."""

REFERENCES_SETTING = "library/references"
"""QSettings key of the model files used where they are (a list of paths)."""

VIEWS = ("installed", "catalog", "search")
_VIEW_KINDS = {"installed": (INSTALLED, UNUSABLE), "catalog": (CATALOG,), "search": (HUB_REPO, HUB_FILE)}


def saved_models_dir() -> Path | None:
    """The models folder chosen in the window earlier, or None."""
    value = QSettings().value(MODELS_DIR_SETTING)
    return Path(value) if value else None


class LibraryPane(QWidget):
    """The model library: Installed, Catalog and Search views over one LibraryModel, with a text filter
    and a sort order; downloads with progress; import by file dialog or drag and drop; deleting; the
    models folder; and the request to load a model (asking first when it does not fit).

    Attributes:
        models_dir: the folder the library lists, downloads and imports into.
        models: ModelInfo of every usable file found, by path.
        catalog: the catalog entries (empty when the catalog cannot be read).
        hardware: this computer as measured off the GUI thread, or None until then.
        model: the LibraryModel behind every view.
        views, filters: the ModelList and LibraryFilter of each view ("installed", "catalog", "search").
        list: the Installed view's ModelList.
        current_view: the view shown.
        scanning: whether the folder is being read.
        folder_problem: what keeps the library from reading and changing the models folder, in words, as
            the last scan found it ("" when nothing does: the folder is there and can be written).
        importing: whether a file is being checked or copied.
        searching: whether a Hub search or file listing runs.
        loading_path: the model being loaded, or None.
        loaded_path: the model loaded in the engine, or None.
        message_box: the last message box shown (non-modal), or None.
        token_dialog: the Hugging Face token dialog once opened, else None.
        jobs: the LibraryJobs doing the disk work.
        downloads: the DownloadQueue.
        downloads_panel: the DownloadsPanel.
        hub: the HubBrowser.
        token_action, models_dir_action: menu actions (Settings › Hugging Face token…, Models folder…).

    Signals:
        loadRequested(str): the user asked to load the model file at this path.
        modelsDirChanged(str): the user chose another models folder.
    """

    loadRequested = Signal(str)
    modelsDirChanged = Signal(str)

    def __init__(
        self,
        models_dir: Path,
        parent: QWidget | None = None,
        *,
        catalog: list[CatalogEntry] | None = None,
        hardware_probe: Callable[[Path], Hardware] = detect_hardware,
        token_store: TokenStore | None = None,
        endpoint: str | None = None,
        policy: NetworkPolicy | None = None,
        disk_free: Callable[[Path], int | None] = free_disk_bytes,
        retry_wait: float = 1.0,
    ) -> None:
        """``catalog`` defaults to resources/catalog.json; ``token_store`` to the system keyring's
        (opened when first needed); ``endpoint`` to huggingface_hub's (HF_ENDPOINT); ``policy`` is the
        network policy downloads and searches run in. Tests inject the others."""
        super().__init__(parent)
        self.models_dir = Path(models_dir)
        self.models: dict[str, ModelInfo] = {}
        self.hardware: Hardware | None = None
        self.scanning = False
        self.folder_problem = ""
        self.importing = False
        self.searching = False
        self.loading_path: str | None = None
        self.loaded_path: str | None = None
        self.message_box: QMessageBox | None = None
        self.token_dialog: TokenDialog | None = None
        self.current_view = "installed"
        self._engine_busy = False
        self._scan_id = 0
        self._seen: dict[str, ModelInfo] = {}
        self._seen_keys: set[tuple] = set()
        self._select_after_scan: str | None = None
        self._imports: deque[tuple[str, str | None]] = deque()
        self._import_modes: dict[str, str | None] = {}
        self._token_store = token_store
        self._token_lock = threading.Lock()
        self._endpoint = endpoint
        self._policy = policy
        self._disk_free = disk_free
        self._retry_wait = retry_wait
        self._language = ui_language()
        self._download_names: dict[tuple, str] = {}
        self._download_sizes: dict[tuple, int | None] = {}
        self._offered: dict[tuple, PartialDownload] = {}
        self._warned_disk: set[int] = set()
        self._search_number = 0
        self._files_number = 0
        self._last_query = ""
        self._hub_gated: dict[str, bool] = {}

        self.catalog_problem = ""
        if catalog is None:
            try:
                catalog = load_catalog()
            except CatalogError as exc:
                catalog, self.catalog_problem = [], str(exc)
        self.catalog = catalog

        self.model = LibraryModel(self)
        self.jobs = LibraryJobs(self, hardware_probe)
        self.jobs.folderChecked.connect(self._on_folder_checked)
        self.jobs.modelRead.connect(self._on_model_read)
        self.jobs.modelUnreadable.connect(self._on_model_unreadable)
        self.jobs.scanFinished.connect(self._on_scan_finished)
        self.jobs.importChecked.connect(self._on_import_checked)
        self.jobs.importRefused.connect(self._on_import_refused)
        self.jobs.importProgress.connect(self._on_import_progress)
        self.jobs.importFinished.connect(self._on_import_finished)
        self.jobs.importFailed.connect(self._on_import_failed)
        self.jobs.importCancelled.connect(self._on_import_cancelled)
        self.jobs.hardwareDetected.connect(self._on_hardware)
        self.jobs.deleteFinished.connect(self._on_delete_finished)
        self.jobs.deleteFailed.connect(self._on_delete_failed)
        self.hub = HubBrowser(token_provider=self._token, endpoint=endpoint, policy=policy, parent=self)
        self.hub.searchFinished.connect(self._on_search_finished)
        self.hub.filesFinished.connect(self._on_files_finished)
        self.hub.failed.connect(self._on_hub_failed)
        self.downloads = self._make_download_queue()

        self._build()
        self.model.replace_kinds((CATALOG,), [catalog_item(entry, self._language) for entry in self.catalog])
        self.setAcceptDrops(True)
        self._offer_partial_downloads()
        self.show_view("installed")

    # --- construction -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.view_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        segments = QHBoxLayout()
        segments.setSpacing(0)
        for name, text, tip in (
            ("installed", self.tr("Installed"), self.tr("The models on this computer")),
            ("catalog", self.tr("Catalog"), self.tr("Recommended models to download")),
            ("search", self.tr("Search"), self.tr("Search Hugging Face for more models")),
        ):
            button = QPushButton(text)
            button.setObjectName("segment")
            button.setCheckable(True)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, view=name: self.show_view(view))
            group.addButton(button)
            segments.addWidget(button, 1)
            self.view_buttons[name] = button

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter by name, purpose, licence…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Filter the list"))
        self.filter_edit.textChanged.connect(self._on_filter_text)
        self.sort_box = QComboBox()
        for key, text in (("name", self.tr("Name")), ("size", self.tr("Size")), ("fit", self.tr("Fit"))):
            self.sort_box.addItem(text, key)
        self.sort_box.setAccessibleName(self.tr("Sort by"))
        self.sort_box.setToolTip(self.tr("Sort by name, size, or how well the model fits this computer"))
        self.sort_box.currentIndexChanged.connect(self._on_sort)
        sort_caption = QLabel(self.tr("Sort:"))
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(sort_caption)
        filter_row.addWidget(self.sort_box)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search Hugging Face, e.g. Qwen3 30B"))
        self.search_edit.setAccessibleName(self.tr("Search words"))
        self.search_edit.returnPressed.connect(self.search)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.search)
        self.back_button = QPushButton(self.tr("← All results"))
        self.back_button.clicked.connect(self.show_search_results)
        self.repo_label = QLabel()
        self.repo_label.setObjectName("caption")
        self.repo_label.setWordWrap(True)
        self._search_row = QWidget()
        search_row = QHBoxLayout(self._search_row)
        search_row.setContentsMargins(0, 0, 0, 0)
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.search_button)
        self._repo_row = QWidget()
        repo_row = QHBoxLayout(self._repo_row)
        repo_row.setContentsMargins(0, 0, 0, 0)
        repo_row.addWidget(self.back_button)
        repo_row.addWidget(self.repo_label, 1)

        self.views: dict[str, ModelList] = {}
        self.filters: dict[str, LibraryFilter] = {}
        self._stack = QStackedWidget()
        for name in VIEWS:
            proxy = LibraryFilter(_VIEW_KINDS[name], self)
            proxy.setSourceModel(self.model)
            view = ModelList()
            view.setModel(proxy)
            view.setAccessibleName(name)
            view.selectionModel().selectionChanged.connect(self._update_state)
            view.doubleClicked.connect(lambda _index, which=name: self._on_double_click(which))
            proxy.rowsInserted.connect(self._update_state)
            proxy.rowsRemoved.connect(self._update_state)
            proxy.modelReset.connect(self._update_state)
            self.filters[name] = proxy
            self.views[name] = view
            self._stack.addWidget(view)
        self.list = self.views["installed"]

        self._empty_label = QLabel()
        self._empty_label.setWordWrap(True)
        self._empty_label.setObjectName("note")

        self._progress = QProgressBar()
        self._progress.setTextVisible(False)
        self._progress.setFixedHeight(8)
        self._status_label = QLabel()
        self._status_label.setWordWrap(True)
        self._error_label = QLabel()
        self._error_label.setObjectName("errorText")
        self._error_label.setWordWrap(True)
        self._error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_import_button = QPushButton(self.tr("Stop copying"))
        self.cancel_import_button.clicked.connect(self.jobs.cancel_import)

        self.downloads_panel = DownloadsPanel()
        self.downloads_panel.pauseRequested.connect(self._on_pause_requested)
        self.downloads_panel.resumeRequested.connect(self._on_resume_requested)
        self.downloads_panel.cancelRequested.connect(self._on_cancel_requested)
        self.downloads_panel.tokenRequested.connect(self.open_token_dialog)

        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setObjectName("primary")
        self.load_button.setToolTip(self.tr("Load the selected model so you can chat with it"))
        self.load_button.clicked.connect(self.request_load)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setObjectName("primary")
        self.download_button.setToolTip(self.tr("Download the selected model into the models folder"))
        self.download_button.clicked.connect(self.download_selected)
        self.show_files_button = QPushButton(self.tr("Show files"))
        self.show_files_button.setObjectName("primary")
        self.show_files_button.setToolTip(self.tr("List the model files of the selected repository"))
        self.show_files_button.clicked.connect(self.show_selected_repo)
        for button in (self.load_button, self.download_button, self.show_files_button):
            button.setMinimumHeight(button.sizeHint().height() + 8)

        self.import_button = QPushButton(self.tr("Import GGUF file…"))
        self.import_button.setToolTip(
            self.tr(
                "Add a model file (.gguf) from this computer: copied into the models folder, or used where "
                "it is. You can also drop files onto the library."
            )
        )
        self.import_button.clicked.connect(self._choose_import_files)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setToolTip(self.tr("Delete the selected model file to free space"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.refresh_button = QPushButton()
        self.refresh_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.refresh_button.setAccessibleName(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the models folder again"))
        self.refresh_button.clicked.connect(self.refresh)
        self._file_buttons = QWidget()
        file_buttons = QHBoxLayout(self._file_buttons)
        file_buttons.setContentsMargins(0, 0, 0, 0)
        file_buttons.addWidget(self.import_button, 1)
        file_buttons.addWidget(self.delete_button)
        file_buttons.addWidget(self.refresh_button)

        folder_caption = QLabel(self.tr("Models folder"))
        folder_caption.setObjectName("caption")
        self._folder_label = QLabel()
        self._folder_label.setObjectName("detail")
        self._folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._folder_label.setWordWrap(True)
        self._folder_problem_label = QLabel()
        self._folder_problem_label.setObjectName("errorText")
        self._folder_problem_label.setWordWrap(True)
        self._folder_problem_label.hide()
        self.change_folder_button = QPushButton(self.tr("Change…"))
        self.change_folder_button.setToolTip(
            self.tr("Use another folder for the models, e.g. on an external drive")
        )
        self.change_folder_button.clicked.connect(self.choose_models_dir)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self._folder_label, 1)
        folder_row.addWidget(self.change_folder_button, 0, Qt.AlignmentFlag.AlignTop)
        self._show_folder()

        self.token_action = QAction(self.tr("Hugging Face &token…"), self)
        self.token_action.triggered.connect(self.open_token_dialog)
        self.models_dir_action = QAction(self.tr("&Models folder…"), self)
        self.models_dir_action.triggered.connect(self.choose_models_dir)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(segments)
        layout.addLayout(filter_row)
        layout.addWidget(self._search_row)
        layout.addWidget(self._repo_row)
        layout.addWidget(self._stack, 1)
        layout.addWidget(self._empty_label)
        layout.addWidget(self._progress)
        layout.addWidget(self._status_label)
        layout.addWidget(self._error_label)
        layout.addWidget(self.cancel_import_button)
        layout.addWidget(self.downloads_panel)
        layout.addWidget(self.load_button)
        layout.addWidget(self.download_button)
        layout.addWidget(self.show_files_button)
        layout.addWidget(self._file_buttons)
        layout.addWidget(folder_caption)
        layout.addLayout(folder_row)
        layout.addWidget(self._folder_problem_label)

    def _make_download_queue(self) -> DownloadQueue:
        queue = DownloadQueue(
            self.models_dir,
            token_provider=self._token,
            endpoint=self._endpoint,
            policy=self._policy,
            disk_free=self._disk_free,
            retry_wait=self._retry_wait,
            parent=self,
        )
        queue.jobChanged.connect(self._on_job_changed)
        return queue

    def shutdown(self) -> None:
        """Pause downloads (they resume at the next start), cancel the disk jobs still running (an
        unfinished import is removed) and wait for them."""
        self.downloads.shutdown()
        self.jobs.cancel()

    # --- views, filter, sort ------------------------------------------------------------------------

    def show_view(self, name: str) -> None:
        """Show the "installed", "catalog" or "search" view."""
        self.current_view = name
        self.view_buttons[name].setChecked(True)
        self._stack.setCurrentWidget(self.views[name])
        if name == "search":
            self.search_edit.setFocus()
        self._update_state()

    def _on_filter_text(self, text: str) -> None:
        for proxy in self.filters.values():
            proxy.set_text(text)
        self._update_state()

    def _on_sort(self) -> None:
        for proxy in self.filters.values():
            proxy.set_sort_key(self.sort_box.currentData())

    def _on_double_click(self, view: str) -> None:
        """Installed: load the model; Search: open the repository. (A download is never a double-click.)"""
        if view == "installed":
            self.request_load()
        elif view == "search":
            self.show_selected_repo()

    def _selected_item(self, view: str | None = None) -> LibraryItem | None:
        return self.views[view or self.current_view].selected_item()

    def selected_path(self) -> str | None:
        """The usable model file selected in the Installed view, or None."""
        item = self._selected_item("installed")
        return item.path if item is not None and item.kind == INSTALLED else None

    def select_path(self, path: str) -> None:
        self.list.select_key(("file", path))

    # --- the models folder ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the models folder again and measure the computer again (both off the GUI thread)."""
        self._scan_id += 1
        self._select_after_scan = self._select_after_scan or self.selected_path()
        self.scanning = True
        self._seen = {}
        self._seen_keys = set()
        self.jobs.scan(self._scan_id, self.models_dir, [Path(p) for p in self._references()])
        self.jobs.detect_hardware(self.models_dir)
        self._update_state()

    def choose_models_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the models folder"), str(self.models_dir)
        )
        if folder:
            self.set_models_dir(Path(folder))

    def set_models_dir(self, folder: Path) -> bool:
        """Use ``folder`` for the models from now on (remembered for the next start); False when refused."""
        folder = Path(folder)
        if folder == self.models_dir:
            return True
        if self.downloads.busy() or self.importing:
            self._show_message(
                QMessageBox.Icon.Information,
                self.tr("The models folder cannot change now"),
                self.tr(
                    "Wait until the downloads and imports have finished, or pause the "
                    "downloads, then change the folder."
                ),
            )
            return False
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._show_message(
                QMessageBox.Icon.Warning,
                self.tr("This folder cannot be used"),
                self.tr("“{folder}” cannot be created: {reason}").format(
                    folder=str(folder), reason=exc.strerror or exc
                ),
            )
            return False
        self.downloads.jobChanged.disconnect(self._on_job_changed)
        self.downloads.shutdown()
        for key in list(self.downloads_panel.rows):
            self.downloads_panel.remove(key)
        self._offered.clear()
        self.model.update(lambda item: dataclasses.replace(item, download=None), (CATALOG, HUB_FILE))
        self.models_dir = folder
        QSettings().setValue(MODELS_DIR_SETTING, str(folder))
        self.downloads = self._make_download_queue()
        self._show_folder()
        self._offer_partial_downloads()
        self.refresh()
        self.modelsDirChanged.emit(str(folder))
        return True

    def _show_folder(self) -> None:
        self._folder_label.setText(str(self.models_dir))
        self._folder_label.setToolTip(str(self.models_dir))

    def _references(self) -> list[str]:
        value = QSettings().value(REFERENCES_SETTING, [])
        if isinstance(value, str):  # QSettings gives a one-element list back as its element on some systems
            value = [value]
        return [str(v) for v in value or []]

    def _set_references(self, paths: list[str]) -> None:
        QSettings().setValue(REFERENCES_SETTING, list(dict.fromkeys(paths)))

    def _on_folder_checked(self, scan_id: int, problem: str) -> None:
        if scan_id != self._scan_id:
            return
        self._show_folder_problem(problem)

    def _show_folder_problem(self, problem: str) -> None:
        self.folder_problem = problem
        self._folder_problem_label.setText(problem)
        self._folder_problem_label.setVisible(bool(problem))
        self._update_state()

    def _folder_usable(self, title: str) -> bool:
        """Whether files can go into the models folder now; if not, a message box titled ``title`` says so."""
        problem = folder_problem(self.models_dir)
        self._show_folder_problem(problem)
        if problem:
            self._show_message(QMessageBox.Icon.Warning, title, problem)
        return not problem

    def _on_model_read(self, scan_id: int, scanned: ScannedModel) -> None:
        if scan_id != self._scan_id:
            return
        info = scanned.info
        self._seen[info.path] = info
        self.models[info.path] = info
        item = installed_item(
            info,
            scanned.estimate,
            self._entry_of(info, scanned.origin),
            self._language,
            scanned.origin,
            scanned.referenced,
        )
        self._seen_keys.add(item.key)
        self.model.put(
            dataclasses.replace(item.with_fit(self.hardware), loaded=info.path == self.loaded_path)
        )
        self._update_state()

    def _on_model_unreadable(self, scan_id: int, path: str, error: GGUFError) -> None:
        if scan_id != self._scan_id:
            return
        referenced = Path(path).parent != self.models_dir
        try:
            size = Path(path).stat().st_size
        except OSError:
            size = None
        item = unusable_item(path, model_error_text(error, Path(path).name), size, referenced)
        self._seen_keys.add(item.key)
        self.models.pop(path, None)
        self.model.put(item)
        self._update_state()

    def _on_scan_finished(self, scan_id: int) -> None:
        if scan_id != self._scan_id:
            return
        self.scanning = False
        self.models = dict(self._seen)
        for item in self.model.items((INSTALLED, UNUSABLE)):
            if item.key not in self._seen_keys:
                self.model.remove(item.key)
        self._mark_installed()
        wanted = self._select_after_scan or self.loaded_path or next(iter(sorted(self.models)), "")
        self._select_after_scan = None
        if wanted:
            self.select_path(wanted)
        self._update_state()

    def _entry_of(self, info: ModelInfo, origin: dict) -> CatalogEntry | None:
        """The catalog entry a file was downloaded from, or whose file it is by name."""
        by_id = {entry.id: entry for entry in self.catalog}
        if origin.get("catalog_id") in by_id:
            return by_id[origin["catalog_id"]]
        if isinstance(origin.get("repo"), str) and isinstance(origin.get("filename"), str):
            entry = find_entry(self.catalog, origin["repo"], origin["filename"])
            if entry is not None:
                return entry
        name = Path(info.path).name
        return next((entry for entry in self.catalog if Path(entry.filename).name == name), None)

    def _mark_installed(self) -> None:
        """Tell each catalog entry and Hub file whether it is already in the library."""
        by_name = {Path(item.path).name: item.path for item in self.model.items((INSTALLED,))}
        by_catalog = {
            item.catalog_id: item.path for item in self.model.items((INSTALLED,)) if item.catalog_id
        }

        def mark(item: LibraryItem) -> LibraryItem:
            path = by_catalog.get(item.catalog_id) if item.catalog_id else None
            path = path or by_name.get(Path(item.filename or "").name)
            return dataclasses.replace(item, installed_path=path)

        self.model.update(mark, (CATALOG, HUB_FILE))

    def _on_hardware(self, hardware: Hardware) -> None:
        self.hardware = hardware
        self.model.update(lambda item: item.with_fit(hardware))
        self._update_state()

    # --- loading ------------------------------------------------------------------------------------

    def request_load(self) -> None:
        """Ask for the selected model to be loaded; first ask the user when it does not fit."""
        item = self._selected_item("installed")
        if item is None or item.kind != INSTALLED or not self.load_button.isEnabled():
            return
        if item.fit is None or item.fit.level != "does_not_fit":
            self.loadRequested.emit(item.path)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("This model probably does not fit"),
            self.tr("“{name}” needs more memory than this computer can give: {reason}.").format(
                name=item.name, reason=fit_reason(item.fit, item.estimate.kv_exact)
            ),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            self.tr(
                "Loading it may take very long, make the computer slow for a while, or fail. A smaller "
                "model, or a smaller file of the same model (a lower quantization such as Q3_K_M), will run "
                "better."
            )
        )
        load_anyway = box.addButton(self.tr("Load anyway"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        path = item.path
        box.finished.connect(
            lambda _result: box.clickedButton() is load_anyway and self.loadRequested.emit(path)
        )
        self.message_box = box
        box.open()

    def set_loading(self, path: str, again: bool = False) -> None:
        """A model is being loaded; ``again`` when it is reloaded into a fresh engine."""
        self.loading_path = path
        self._error_label.clear()
        text = self.tr("Loading “{name}” again…") if again else self.tr("Loading “{name}”…")
        self._status_label.setText(text.format(name=Path(path).name))
        self._update_state()

    def set_loaded(self, info: ModelInfo, seconds: float, compatibility_mode: bool = False) -> None:
        self.loading_path = None
        self.loaded_path = info.path
        text = self.tr("“{name}” is ready (loaded in {seconds} s).").format(
            name=info.name, seconds=format_decimal(seconds))
        if compatibility_mode:
            text += " " + self.tr("It runs in compatibility mode on this computer.")
        self._status_label.setText(text)
        self._mark_loaded()
        self.select_path(info.path)
        self._update_state()

    def set_load_failed(self, message: str) -> None:
        path = self.loading_path
        self.loading_path = None
        self._status_label.clear()
        name = Path(path).name if path else ""
        self._error_label.setText(
            self.tr("“{name}” could not be loaded: {message}").format(name=name, message=message)
        )
        self._update_state()

    def set_unloaded(self) -> None:
        self.loaded_path = None
        self._status_label.clear()
        self._mark_loaded()
        self._update_state()

    def set_engine_busy(self, busy: bool) -> None:
        self._engine_busy = busy
        self._update_state()

    def _mark_loaded(self) -> None:
        self.model.update(
            lambda item: dataclasses.replace(item, loaded=item.path == self.loaded_path), (INSTALLED,)
        )

    # --- import ----------------------------------------------------------------------------------------

    def import_file(self, path: str, mode: str | None = "copy") -> None:
        """Add a GGUF file to the library once it was checked, off the GUI thread.

        ``mode``: "copy" copies it into the models folder; "reference" uses it where it is; None asks the
        user, once the file is known to be usable. Several imports run one after the other.
        """
        self._imports.append((str(path), mode))
        if not self.importing:
            self._next_import()

    def _next_import(self) -> None:
        if not self._imports:
            self.importing = False
            self._update_state()
            return
        path, mode = self._imports.popleft()
        self.importing = True
        self._error_label.clear()
        name = Path(path).name
        if Path(path).parent == self.models_dir:
            self._status_label.setText(self.tr("“{name}” is already in the models folder.").format(name=name))
            self._next_import()
            return
        if mode == "copy":
            self._status_label.setText(self.tr("Checking and copying “{name}”…").format(name=name))
            self._progress.setRange(0, 0)
            self.jobs.import_file(Path(path), self.models_dir, self._disk_free)
        else:
            self._status_label.setText(self.tr("Checking “{name}”…").format(name=name))
            self._import_modes[path] = mode
            self.jobs.check_file(Path(path))
        self._update_state()

    def _choose_import_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Import a GGUF model file"), str(Path.home()), self.tr("GGUF model files (*.gguf)")
        )
        for path in paths:
            self.import_file(path, mode=None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        self.show_view("installed")
        for path in paths:
            self.import_file(path, mode=None)

    def _on_import_checked(self, path: str, info: ModelInfo) -> None:
        mode = self._import_modes.pop(path, None)
        if mode == "reference":
            self._add_reference(path)
            return
        size = format_file_size(info.file_size)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Add “{name}” to the library").format(name=info.name),
            self.tr("Copy the file into the models folder, or use it where it is?"),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            self.tr(
                "A copy takes {size} of space and stays usable when the original is gone (for example on a "
                "USB stick). Using it where it is takes no space, but the file must stay where it is."
            ).format(size=size)
        )
        copy = box.addButton(self.tr("Copy into the models folder"), QMessageBox.ButtonRole.AcceptRole)
        reference = box.addButton(self.tr("Use where it is"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(copy)

        def chosen(_result: int) -> None:
            if box.clickedButton() is copy:
                self._imports.appendleft((path, "copy"))
            elif box.clickedButton() is reference:
                self._imports.appendleft((path, "reference"))
            else:
                self._status_label.clear()
            self._next_import()

        box.finished.connect(chosen)
        self.message_box = box
        box.open()

    def _add_reference(self, path: str) -> None:
        self._set_references([*self._references(), path])
        self._status_label.setText(
            self.tr("“{name}” was added to the library; it stays where it is.").format(name=Path(path).name)
        )
        self._select_after_scan = path
        self.refresh()
        self._next_import()

    def _on_import_progress(self, done: int, total: int) -> None:
        self._progress.setRange(0, 1000)
        self._progress.setValue(round(1000 * done / total) if total else 0)
        self._status_label.setText(
            self.tr("Copying… {done} of {total}").format(
                done=format_file_size(done), total=format_file_size(total)
            )
        )
        self.cancel_import_button.setVisible(True)

    def _on_import_finished(self, path: str) -> None:
        self._status_label.setText(self.tr("“{name}” was added to the library.").format(name=Path(path).name))
        self._select_after_scan = path
        self.importing = bool(self._imports)
        self.refresh()
        self._next_import()

    def _on_import_cancelled(self) -> None:
        self._status_label.setText(self.tr("Copying was stopped; nothing was added."))
        self._next_import()

    def _on_import_refused(self, path: str, error: GGUFError) -> None:
        """The file is not a usable model: why in the user's words, the English message as details."""
        self._on_import_failed(model_error_text(error, Path(path).name), str(error))

    def _on_import_failed(self, message: str, details: str = "") -> None:
        self._status_label.clear()
        self.message_box = self._show_message(
            QMessageBox.Icon.Warning,
            self.tr("This file cannot be imported"),
            message,
            self.tr("Nothing was added to the library."),
            details,
        )
        self._next_import()

    # --- delete -----------------------------------------------------------------------------------------

    def delete_selected(self) -> None:
        """Delete the selected file after asking (a file used where it is is only removed from the list)."""
        item = self._selected_item("installed")
        if item is None or not self.delete_button.isEnabled():
            return
        path = Path(item.path)
        if item.referenced:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("Remove from the library"),
                self.tr("Remove “{name}” from the library?").format(name=item.name),
                QMessageBox.StandardButton.Cancel,
                self,
            )
            box.setInformativeText(
                self.tr("The file stays where it is ({folder}); nothing is deleted.").format(
                    folder=str(path.parent)
                )
            )
            confirm = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        else:
            files = files_of(path)
            freed = sum(p.stat().st_size for p in files if p.exists())
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("Delete model"),
                self.tr("Delete “{name}”?").format(name=item.name),
                QMessageBox.StandardButton.Cancel,
                self,
            )
            box.setInformativeText(
                self.tr(
                    "This deletes the file from the models folder for good and frees {size} on the drive. "
                    "You can download or import it again later."
                ).format(size=format_file_size(freed))
            )
            confirm = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def chosen(_result: int) -> None:
            if box.clickedButton() is not confirm:
                return
            if item.referenced:
                self._set_references([p for p in self._references() if p != item.path])
                self._status_label.setText(
                    self.tr("“{name}” was removed from the library.").format(name=item.name)
                )
                self.refresh()
            else:
                self.jobs.delete(files_of(path))

        box.finished.connect(chosen)
        self.message_box = box
        box.open()

    def _on_delete_finished(self, paths: list[str], freed: int) -> None:
        names = [Path(p).name for p in paths if p.lower().endswith(".gguf")]
        self._status_label.setText(
            self.tr("“{name}” was deleted; {size} were freed.").format(
                name=names[0] if names else "", size=format_file_size(freed)
            )
        )
        self.refresh()

    def _on_delete_failed(self, message: str) -> None:
        self._error_label.setText(message)
        self.refresh()

    # --- downloads ------------------------------------------------------------------------------------

    def download_selected(self) -> None:
        """Download the catalog entry or Hub file selected in the current view."""
        item = self._selected_item()
        if item is None or not item.downloadable:
            return
        self.download(item)

    def download(self, item: LibraryItem) -> int | None:
        """Queue the download of a catalog entry or Hub file; its job id, or None when refused."""
        if not self._folder_usable(self.tr("This model cannot be downloaded")):
            return None
        request = DownloadRequest(item.repo, item.filename, catalog_id=item.catalog_id)
        self._download_names[request.key] = item.name
        self._download_sizes[request.key] = item.size_bytes
        self._offered.pop(request.key, None)
        try:
            return self.downloads.submit(request)
        except HubError as exc:
            self._show_message(
                QMessageBox.Icon.Warning,
                self.tr("This model cannot be downloaded"),
                hub_error_text(exc),
                exc.message,  # the details, in English: which other download holds the file name
            )
            return None

    def _offer_partial_downloads(self) -> None:
        """Show the downloads an earlier session left unfinished, for the user to resume or discard."""
        for partial in partial_downloads(self.models_dir):
            request = partial.request
            self._offered[request.key] = partial
            self._download_names[request.key] = self._download_name(request)
            self.downloads_panel.row(request, self._download_names[request.key]).offer(partial)
        self.downloads_panel.refit()

    def _download_name(self, request: DownloadRequest) -> str:
        by_id = {entry.id: entry for entry in self.catalog}
        entry = by_id.get(request.catalog_id) or find_entry(self.catalog, request.repo, request.filename)
        return entry.name if entry else request.local_names[0]

    def _on_job_changed(self, status: JobStatus) -> None:
        key = status.request.key
        name = self._download_names.get(key) or self._download_name(status.request)
        active = status.state in ("queued", "running", "paused", "failed")

        def follow(item: LibraryItem) -> LibraryItem:
            if (item.repo, item.filename) != key:
                return item
            return dataclasses.replace(item, download=status if active else None)

        self.model.update(follow, (CATALOG, HUB_FILE))
        if status.state == "done":
            self.downloads_panel.remove(key)
            self._status_label.setText(
                self.tr("“{name}” was downloaded and checked; it is now in your library.").format(name=name)
            )
            self._select_after_scan = str(status.path)
            self.refresh()
            return
        if status.state == "cancelled":
            self.downloads_panel.remove(key)
            return
        error = error_text_for(status, self.models_dir, self._download_sizes.get(key), self._disk_free)
        self.downloads_panel.row(status.request, name).set_status(status, error)
        self.downloads_panel.refit()
        if (
            status.state == "failed"
            and status.error is not None
            and status.error.kind == "disk_full"
            and status.job_id not in self._warned_disk
        ):
            self._warned_disk.add(status.job_id)
            self._show_message(QMessageBox.Icon.Warning, self.tr("Not enough free space"), error)
        self._update_state()

    def _on_pause_requested(self, key: tuple) -> None:
        row = self.downloads_panel.rows.get(key)
        if row is not None and row.job_id is not None:
            self.downloads.pause(row.job_id)

    def _on_resume_requested(self, key: tuple) -> None:
        row = self.downloads_panel.rows.get(key)
        if row is None:
            return
        if not self._folder_usable(self.tr("The download cannot continue")):
            return
        if row.job_id is None or key in self._offered:
            self._offered.pop(key, None)
            try:
                self.downloads.submit(row.request)
            except HubError as exc:
                row.error_label.setText(hub_error_text(exc))
                row.error_label.show()
        else:
            self.downloads.resume(row.job_id)

    def _on_cancel_requested(self, key: tuple) -> None:
        row = self.downloads_panel.rows.get(key)
        if row is None:
            return
        if row.job_id is None or key in self._offered:
            self._offered.pop(key, None)
            discard_partial(self.models_dir, row.request)
            self.downloads_panel.remove(key)
        else:
            self.downloads.cancel(row.job_id)

    # --- the Hub ------------------------------------------------------------------------------------------

    def search(self, text: str | None = None) -> None:
        """Search the Hub for GGUF repositories (off the GUI thread)."""
        query = (text if isinstance(text, str) else self.search_edit.text()).strip()
        if not query:
            return
        self.search_edit.setText(query)
        self._last_query = query
        self._search_number = self.hub.search(query)
        self._files_number = 0
        self.searching = True
        self._error_label.clear()
        self._status_label.setText(self.tr("Searching Hugging Face for “{query}”…").format(query=query))
        self.show_search_results()

    def show_search_results(self) -> None:
        """Back from a repository's files to the list of repositories found."""
        self.filters["search"].set_repo(None)
        self.show_view("search")

    def show_selected_repo(self) -> None:
        item = self._selected_item("search")
        if item is not None and item.kind == HUB_REPO:
            self.show_repo(item.repo)

    def show_repo(self, repo: str) -> None:
        """List a repository's GGUF files with their fit (off the GUI thread)."""
        self._files_number = self.hub.list_files(repo)
        self.searching = True
        self._error_label.clear()
        self._status_label.setText(self.tr("Reading the files of {repo}…").format(repo=repo))
        self.filters["search"].set_repo(repo)
        self.show_view("search")

    def _on_search_finished(self, number: int, repos: list[HubRepo]) -> None:
        if number != self._search_number:
            return
        self.searching = False
        self._status_label.clear()
        self._hub_gated.update({repo.repo_id: repo.gated for repo in repos})
        self.model.replace_kinds((HUB_REPO, HUB_FILE), [hub_repo_item(repo) for repo in repos])
        self._update_state()

    def _on_files_finished(self, number: int, repo: str, files: list[HubFile]) -> None:
        if number != self._files_number:
            return
        self.searching = False
        self._status_label.clear()
        entry = next((e for e in self.catalog if e.repo.lower() == repo.lower()), None)
        gated = self._hub_gated.get(repo, False)
        for old in self.model.items((HUB_FILE,)):
            if old.repo == repo:
                self.model.remove(old.key)
        for file in files:
            self.model.put(hub_file_item(file, gated, entry, self._language).with_fit(self.hardware))
        self._mark_installed()
        self._update_state()

    def _on_hub_failed(self, number: int, error: HubError) -> None:
        if number not in (self._search_number, self._files_number):
            return
        self.searching = False
        self._status_label.clear()
        self._error_label.setText(hub_error_text(error, searching=True))
        self._update_state()

    # --- the token ----------------------------------------------------------------------------------------

    def token_store(self) -> TokenStore:
        """The TokenStore, opened on first use (the keyring may take a moment to answer)."""
        with self._token_lock:
            if self._token_store is None:
                self._token_store = TokenStore()
            return self._token_store

    def _token(self) -> str | None:
        return self.token_store().get()

    def open_token_dialog(self) -> None:
        """Settings › Hugging Face token…"""
        if self.token_dialog is None:
            self.token_dialog = TokenDialog(self.token_store(), self)
        self.token_dialog.open()
        self.token_dialog.raise_()

    # --- state ------------------------------------------------------------------------------------------

    def _show_message(
        self, icon: QMessageBox.Icon, title: str, text: str, informative: str = "", details: str = ""
    ) -> QMessageBox:
        """A non-modal message box; ``details`` (for support, behind "Show Details…") when given."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        if informative:
            box.setInformativeText(informative)
        if details:
            box.setDetailedText(details)
        self.message_box = box
        box.open()
        return box

    def _empty_text(self) -> str:
        view = self.current_view
        filtered = bool(self.filter_edit.text().strip())
        if view == "installed":
            if self.scanning:
                return ""
            if self.folder_problem and not self.model.items((INSTALLED, UNUSABLE)):
                return self.folder_problem
            if filtered and self.model.items((INSTALLED, UNUSABLE)):
                return self.tr("No model in the library matches the filter.")
            return self.tr(
                "No models yet. Download one from the Catalog, or click “Import GGUF file…” to add a "
                "model file (.gguf) from this computer."
            )
        if view == "catalog":
            if self.catalog_problem:
                return self.tr("The catalog cannot be shown: {reason}").format(reason=self.catalog_problem)
            return self.tr("No catalog model matches the filter.")
        if self.searching:
            return ""
        if self.filters["search"].repo is not None:
            return self.tr("This repository has no GGUF model files.")
        if self._last_query and not filtered:
            return self.tr("Nothing found for “{query}”. Try fewer or other words, e.g. “Qwen3 30B”.").format(
                query=self._last_query
            )
        if self._last_query:
            return self.tr("No search result matches the filter.")
        return self.tr(
            "Search Hugging Face for more models in the GGUF format, e.g. “Qwen3 30B” or “OLMoE”. "
            "Only the words you search for are sent."
        )

    def _update_state(self) -> None:
        view = self.current_view
        loading = self.loading_path is not None
        busy = loading or self.scanning or self.importing or self.searching
        copying = self.importing and self._progress.maximum() > 0
        if not copying:
            self._progress.setRange(0, 0)
        self._progress.setVisible(busy)
        self.cancel_import_button.setVisible(copying)
        reading = self.tr("Reading the models folder…")
        if self.scanning and not self._status_label.text():
            self._status_label.setText(reading)
        elif not self.scanning and self._status_label.text() == reading:
            self._status_label.clear()
        self._status_label.setVisible(bool(self._status_label.text()))
        self._error_label.setVisible(bool(self._error_label.text()))
        self._empty_label.setText(self._empty_text() if self.filters[view].rowCount() == 0 else "")
        self._empty_label.setVisible(bool(self._empty_label.text()))

        self._search_row.setVisible(view == "search")
        showing_repo = view == "search" and self.filters["search"].repo is not None
        self._repo_row.setVisible(showing_repo)
        if showing_repo:
            self.repo_label.setText(self.filters["search"].repo)

        item = self._selected_item()
        self.load_button.setVisible(view == "installed")
        self._file_buttons.setVisible(view == "installed")
        self.show_files_button.setVisible(view == "search" and not showing_repo)
        self.download_button.setVisible(view == "catalog" or showing_repo)
        self.import_button.setEnabled(not loading)
        self.refresh_button.setEnabled(not self.scanning and not self.importing and not loading)
        self.load_button.setEnabled(
            item is not None
            and view == "installed"
            and item.kind == INSTALLED
            and not loading
            and not self._engine_busy
        )
        in_use = item is not None and item.path in (self.loaded_path, self.loading_path)
        self.delete_button.setEnabled(view == "installed" and item is not None and not in_use)
        self.delete_button.setToolTip(
            self.tr("This model is in use; load another one before deleting it.")
            if in_use
            else self.tr("Delete the selected model file to free space")
        )
        self.show_files_button.setEnabled(item is not None and item.kind == HUB_REPO)
        self.download_button.setEnabled(item is not None and item.downloadable)
        self.download_button.setText(self._download_button_text(item))
        self.search_button.setEnabled(not self.searching)

    def _download_button_text(self, item: LibraryItem | None) -> str:
        if item is not None and item.installed_path is not None:
            return self.tr("Already in the library")
        if item is not None and item.download is not None and item.download.state in ("queued", "running"):
            return self.tr("Downloading…")
        if item is not None and item.size_bytes:
            size = format_file_size(item.size_bytes)
            return (
                self.tr("Download ({size})").format(size=size)
                if item.size_exact
                else self.tr("Download (about {size})").format(size=size)
            )
        return self.tr("Download")
