"""LibraryPane: the model library's layout. It builds the widgets (Installed, Catalog and Search views over
one LibraryModel, filter and sort, buttons, status lines, the downloads panel, the models folder) and
wires them to the controllers that do the library's flows: FolderScan, FolderMove, LoadFlow, ImportFlow,
DeleteFlow, DownloadController and HubSearch (each in its own module), and the TokenSetting (token_dialog.py).

Everything slow runs elsewhere: disk work and the hardware check in LibraryJobs (a thread pool),
downloads in the DownloadQueue's threads, Hub requests in the HubBrowser's; their results reach the
controllers as queued signals.

Longer than 500 lines because it lays out some thirty widgets, shows the controllers' state on them
(``_update_state``) and keeps the API the main window and the tests use; the flows are the controllers'.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QProgressBar, QPushButton,
    QStackedWidget, QStyle, QVBoxLayout, QWidget,
)

from app.core.hub.token_store import TokenStore
from app.core.locality.policy import NetworkPolicy
from app.core.models.catalog import CatalogEntry, CatalogError, load_catalog
from app.core.models.fit import Hardware, detect_hardware, free_disk_bytes
from app.core.models.gguf import ModelInfo
from app.ui.library.card import ModelList
from app.ui.library.delete_flow import DeleteFlow
from app.ui.library.download_controller import DownloadController
from app.ui.library.downloads import DownloadsPanel
from app.ui.library.folder_move import FolderMove
from app.ui.library.folder_scan import FolderScan
from app.ui.library.hub_search import HubSearch
from app.ui.library.import_flow import ImportFlow
from app.ui.library.jobs import LibraryJobs
from app.ui.library.load_flow import LoadFlow
from app.ui.library.table_model import (
    CATALOG, HUB_FILE, HUB_REPO, INSTALLED, UNUSABLE, LibraryFilter, LibraryItem, LibraryModel, catalog_item,
)
from app.ui.library.token_dialog import TokenSetting
from app.ui.library.words import ui_language

VIEWS = ("installed", "catalog", "search")
_VIEW_KINDS = {"installed": (INSTALLED, UNUSABLE), "catalog": (CATALOG,), "search": (HUB_REPO, HUB_FILE)}


class LibraryPane(QWidget):
    """The model library: Installed, Catalog and Search views over one LibraryModel, with a text filter
    and a sort order; downloads with progress; import by file dialog or drag and drop; deleting; the
    models folder; and the request to load a model (asking first when it does not fit).

    Attributes:
        catalog: the catalog entries (empty when the catalog cannot be read).
        catalog_problem: why the catalog cannot be read ("" when it can).
        model: the LibraryModel behind every view.
        views, filters: the ModelList and LibraryFilter of each view ("installed", "catalog", "search").
        list: the Installed view's ModelList.
        current_view: the view shown.
        message_box: the last message box shown (non-modal), or None.
        jobs: the LibraryJobs doing the disk work.
        folder_scan, folder_move, load_flow, import_flow, delete_flow, downloads, hub_search: the controllers.
        token: the TokenSetting (the Hugging Face token and its dialog).
        downloads_panel: the DownloadsPanel.
        token_action, models_dir_action: menu actions (Settings › Hugging Face token…, Models folder…).
        models_dir, scanning, folder_problem, models, hardware (FolderScan), loading_path (LoadFlow),
            importing (ImportFlow), searching (HubSearch): read-only, as their controllers have them.

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
        self.message_box: QMessageBox | None = None
        self.current_view = "installed"
        self.catalog_problem = ""
        if catalog is None:
            try:
                catalog = load_catalog()
            except CatalogError as exc:
                catalog, self.catalog_problem = [], str(exc)
        self.catalog = catalog
        language = ui_language()

        self.model = LibraryModel(self)
        self.jobs = LibraryJobs(self, hardware_probe)
        self.token = TokenSetting(token_store, self)
        self.load_flow = LoadFlow(self, self.model)
        self.folder_scan = FolderScan(
            self, self.jobs, self.model, models_dir, catalog, language,
            selected=self.selected_path,
            loaded=lambda: self.load_flow.loaded_path,
        )
        self.folder_move = FolderMove(
            self, self.jobs, self.folder_scan, self.model,
            loaded=lambda: self.load_flow.loaded_path,
            loading=lambda: self.load_flow.loading_path is not None,
            busy=lambda: self.downloads.busy() or self.import_flow.importing,
        )
        self.import_flow = ImportFlow(self, self.jobs, self.folder_scan, disk_free)
        self.delete_flow = DeleteFlow(self, self.jobs, self.folder_scan)
        self.hub_search = HubSearch(
            self, self.model, self.folder_scan, catalog, language,
            token_provider=self.token.token, endpoint=endpoint, policy=policy,
        )
        self._build()
        self.downloads = DownloadController(
            self, self.downloads_panel, self.model, self.folder_scan, catalog,
            token_provider=self.token.token, endpoint=endpoint, policy=policy, disk_free=disk_free,
            retry_wait=retry_wait,
        )
        self._wire()
        self.model.replace_kinds((CATALOG,), [catalog_item(entry, language) for entry in catalog])
        self.import_flow.take_drops(self)
        self.downloads.offer_partial_downloads()
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
            button = _button(text, tip, lambda _checked=False, view=name: self.show_view(view), "segment")
            button.setCheckable(True)
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
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(QLabel(self.tr("Sort:")))
        filter_row.addWidget(self.sort_box)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search Hugging Face, e.g. Qwen3 30B"))
        self.search_edit.setAccessibleName(self.tr("Search words"))
        self.search_edit.returnPressed.connect(self.search)
        self.search_button = _button(self.tr("Search"), "", self.search)
        self.back_button = _button(self.tr("← All results"), "", self.show_search_results)
        self.repo_label = _label("caption")
        self._search_row = _row(self.search_edit, self.search_button)
        self._repo_row = _row(self.back_button, self.repo_label, stretch=1)

        self.views: dict[str, ModelList] = {}
        self.filters: dict[str, LibraryFilter] = {}
        self._stack = QStackedWidget()
        for name in VIEWS:
            proxy = LibraryFilter(_VIEW_KINDS[name], self)
            proxy.setSourceModel(self.model)
            view = ModelList()
            view.setModel(proxy)
            view.setAccessibleName(self.view_buttons[name].text())
            view.setAccessibleDescription(self.view_buttons[name].toolTip())
            view.selectionModel().selectionChanged.connect(self._update_state)
            view.doubleClicked.connect(lambda _index, which=name: self._on_double_click(which))
            proxy.rowsInserted.connect(self._update_state)
            proxy.rowsRemoved.connect(self._update_state)
            proxy.modelReset.connect(self._update_state)
            self.filters[name] = proxy
            self.views[name] = view
            self._stack.addWidget(view)
        self.list = self.views["installed"]

        self._empty_label = _label("note")
        self._progress = QProgressBar()
        self._progress.setTextVisible(False)
        self._progress.setFixedHeight(8)
        self._status_label = _label()
        self._error_label = _label("errorText", selectable=True)
        self._errors = {"library": "", "search": ""}
        self.cancel_import_button = _button(self.tr("Stop copying"), "", self.jobs.cancel_import)
        self.downloads_panel = DownloadsPanel()
        self.downloads_panel.tokenRequested.connect(self.token.open_dialog)

        self.load_button = _button(
            self.tr("Load"), self.tr("Load the selected model so you can chat with it"), self.request_load, "primary"
        )
        self.download_button = _button(
            self.tr("Download"), self.tr("Download the selected model into the models folder"),
            self.download_selected, "primary",
        )
        self.show_files_button = _button(
            self.tr("Show files"), self.tr("List the model files of the selected repository"),
            self.show_selected_repo, "primary",
        )
        for button in (self.load_button, self.download_button, self.show_files_button):
            button.setMinimumHeight(button.sizeHint().height() + 8)

        self.import_button = _button(
            self.tr("Import GGUF file…"),
            self.tr(
                "Add a model file (.gguf) from this computer: copied into the models folder, or used where "
                "it is. You can also drop files onto the library."
            ),
            self.import_flow.choose_files,
        )
        self.delete_button = _button(
            self.tr("Delete…"), self.tr("Delete the selected model file to free space"), self.delete_selected
        )
        self.refresh_button = _button("", self.tr("Read the models folder again"), self.refresh)
        self.refresh_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.refresh_button.setAccessibleName(self.tr("Refresh"))
        self._file_buttons = _row(self.import_button, self.delete_button, self.refresh_button, stretch=0)

        folder_caption = _label("caption", self.tr("Models folder:"), wrap=False)
        self._folder_label = _label("detail", selectable=True)
        self._folder_problem_label = _label("errorText")
        self._folder_problem_label.hide()
        self._folder_note_label = _label("note")
        self._folder_note_label.hide()
        self.change_folder_button = _button(
            self.tr("Change…"),
            self.tr("Use another folder for the models, e.g. on an external drive"),
            self.folder_move.choose_folder,
        )
        folder_row = QHBoxLayout()  # one line: the library's height is for its list
        folder_row.addWidget(folder_caption, 0, Qt.AlignmentFlag.AlignTop)
        folder_row.addWidget(self._folder_label, 1)
        folder_row.addWidget(self.change_folder_button, 0, Qt.AlignmentFlag.AlignTop)
        self._show_folder()

        self.token_action = QAction(self.tr("Hugging Face &token…"), self)
        self.token_action.triggered.connect(self.token.open_dialog)
        self.models_dir_action = QAction(self.tr("&Models folder…"), self)
        self.models_dir_action.triggered.connect(self.folder_move.choose_folder)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(segments)
        layout.addLayout(filter_row)
        layout.addWidget(self._search_row)
        layout.addWidget(self._repo_row)
        layout.addWidget(self._stack, 1)
        for widget in (
            self._empty_label, self._progress, self._status_label, self._error_label,
            self.cancel_import_button, self.downloads_panel, self.load_button, self.download_button,
            self.show_files_button, self._file_buttons,
        ):
            layout.addWidget(widget)
        layout.addLayout(folder_row)
        layout.addWidget(self._folder_problem_label)
        layout.addWidget(self._folder_note_label)

    def _wire(self) -> None:
        """The controllers' results onto the widgets."""
        for controller in (
            self.folder_scan, self.folder_move, self.load_flow, self.import_flow, self.delete_flow, self.downloads,
            self.hub_search,
        ):
            controller.statusChanged.connect(self._set_status)
            controller.errorChanged.connect(
                lambda text, where="search" if controller is self.hub_search else "library": self._set_error(
                    text, where
                )
            )
            controller.boxOpened.connect(self._box_opened)
            controller.changed.connect(self._update_state)
        self.folder_scan.problemChanged.connect(self._show_folder_problem)
        self.folder_move.noteChanged.connect(self._show_folder_note)
        self.folder_scan.selectRequested.connect(self.select_path)
        self.folder_scan.folderChanged.connect(self._show_folder)
        self.folder_scan.folderChanged.connect(self.modelsDirChanged)
        self.load_flow.selectRequested.connect(self.select_path)
        self.load_flow.loadRequested.connect(self.loadRequested)
        self.import_flow.filesDropped.connect(lambda: self.show_view("installed"))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.downloads_panel.set_room(self.height() // 5)  # the list keeps most of the height

    def shutdown(self) -> None:
        """Pause downloads (they resume at the next start), cancel the disk jobs still running (an
        unfinished import is removed) and wait for them. A move of the models stops between files, and the
        folder setting follows the models already moved."""
        self.downloads.shutdown()
        self.jobs.cancel()
        if self.folder_move.moving:
            QCoreApplication.sendPostedEvents(self.folder_move)  # its result, queued by the stopped job

    # --- what the controllers have (read-only) ---------------------------------------------------------

    models_dir = property(lambda self: self.folder_scan.models_dir, doc="The folder the library lists.")
    scanning = property(lambda self: self.folder_scan.scanning, doc="Whether the folder is being read.")
    folder_problem = property(lambda self: self.folder_scan.folder_problem, doc="Why it cannot be used.")
    models = property(lambda self: self.folder_scan.models, doc="ModelInfo of every usable file, by path.")
    hardware = property(lambda self: self.folder_scan.hardware, doc="This computer, once measured.")
    loading_path = property(lambda self: self.load_flow.loading_path, doc="The model being loaded, or None.")
    importing = property(lambda self: self.import_flow.importing, doc="Whether a file is being imported.")
    searching = property(lambda self: self.hub_search.searching, doc="Whether the Hub is being asked.")

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
        self.folder_scan.refresh()

    def set_models_dir(self, folder: Path) -> bool:
        """Use ``folder`` for the models from now on (remembered for the next start), asking first whether
        the models of the old folder move along (see FolderMove.change_folder); False when refused."""
        return self.folder_move.change_folder(Path(folder))

    def _show_folder(self) -> None:
        self._folder_label.setText(str(self.models_dir))
        self._folder_label.setToolTip(str(self.models_dir))

    def _show_folder_problem(self, problem: str) -> None:
        self._folder_problem_label.setText(problem)
        self._folder_problem_label.setVisible(bool(problem))

    def _show_folder_note(self, note: str) -> None:
        self._folder_note_label.setText(note)
        self._folder_note_label.setVisible(bool(note))

    # --- loading --------------------------------------------------------------------------------------

    def request_load(self) -> None:
        """Ask for the selected model to be loaded; first ask the user when it does not fit."""
        item = self._selected_item("installed")
        if self.load_flow.can_load(item) and self.load_button.isEnabled():
            self.load_flow.request(item)

    def set_loading(self, path: str, again: bool = False) -> None:
        """A model is being loaded; ``again`` when it is reloaded into a fresh engine."""
        self.load_flow.set_loading(path, again)

    def set_loaded(self, info: ModelInfo, seconds: float, compatibility_mode: bool = False) -> None:
        self.load_flow.set_loaded(info, seconds, compatibility_mode)

    def set_load_failed(self, message: str) -> None:
        self.load_flow.set_load_failed(message)

    def set_unloaded(self) -> None:
        self.load_flow.set_unloaded()

    def set_engine_busy(self, busy: bool) -> None:
        self.load_flow.set_engine_busy(busy)

    # --- import and delete ------------------------------------------------------------------------------

    def import_file(self, path: str, mode: str | None = "copy") -> None:
        """Add a GGUF file to the library (see ImportFlow.add)."""
        self.import_flow.add(path, mode)

    def delete_selected(self) -> None:
        """Delete the selected file after asking (a file used where it is is only removed from the list)."""
        item = self._selected_item("installed")
        if item is not None and self.delete_button.isEnabled():
            self.delete_flow.ask(item)

    # --- downloads and the Hub ------------------------------------------------------------------------

    def download_selected(self) -> None:
        """Download the catalog entry or Hub file selected in the current view."""
        item = self._selected_item()
        if item is not None and item.downloadable:
            self.download(item)

    def download(self, item: LibraryItem) -> int | None:
        """Queue the download of a catalog entry or Hub file; its job id, or None when refused (also while
        the models are moved to another folder)."""
        return None if self.folder_move.moving else self.downloads.download(item)

    def search(self, text: str | None = None) -> None:
        """Search the Hub for GGUF repositories (off the GUI thread)."""
        query = (text if isinstance(text, str) else self.search_edit.text()).strip()
        if not query:
            return
        self.search_edit.setText(query)
        self.hub_search.search(query)
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
        self.hub_search.list_files(repo)
        self.filters["search"].set_repo(repo)
        self.show_view("search")

    # --- state ------------------------------------------------------------------------------------------

    def _set_status(self, text: str) -> None:
        self._status_label.setText(text)
        self._update_state()

    def _set_error(self, text: str, where: str) -> None:
        """The error line says ``text`` ("" empties it); a search's error ("search") only in the Search view."""
        self._errors[where] = text
        self._update_state()

    def _box_opened(self, box: QMessageBox) -> None:
        self.message_box = box

    def _empty_text(self) -> str:
        filtered = bool(self.filter_edit.text().strip())
        if self.current_view == "installed":
            return self.folder_scan.empty_text(filtered)
        if self.current_view == "search":
            return self.hub_search.empty_text(filtered, self.filters["search"].repo)
        if self.catalog_problem:
            return self.tr("The catalog cannot be shown: {reason}").format(reason=self.catalog_problem)
        return self.tr("No catalog model matches the filter.")

    def _update_state(self) -> None:
        view = self.current_view
        loading = self.loading_path is not None
        moving = self.folder_move.moving
        busy = loading or self.scanning or self.importing or self.searching or moving
        copied = self.import_flow.copied if self.importing else self.folder_move.copied
        if copied is None:
            self._progress.setRange(0, 0)
        else:
            done, total = copied
            self._progress.setRange(0, 1000)
            self._progress.setValue(round(1000 * done / total) if total else 0)
        self._progress.setVisible(busy)
        self.cancel_import_button.setVisible(copied is not None)
        reading = self.tr("Reading the models folder…")
        if self.scanning and not self._status_label.text():
            self._status_label.setText(reading)
        elif not self.scanning and self._status_label.text() == reading:
            self._status_label.clear()
        self._status_label.setVisible(bool(self._status_label.text()))
        errors = (self._errors["library"], self._errors["search"] if view == "search" else "")
        self._error_label.setText("\n".join(error for error in errors if error))
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
        self.import_button.setEnabled(not loading and not moving)
        self.refresh_button.setEnabled(not self.scanning and not self.importing and not loading and not moving)
        self.load_button.setEnabled(view == "installed" and self.load_flow.can_load(item) and not moving)
        self.change_folder_button.setEnabled(self.folder_move.target is None)
        self.models_dir_action.setEnabled(self.folder_move.target is None)
        loaded = item is not None and item.loaded
        self.load_button.setText(self.tr("✓ Loaded") if loaded else self.tr("Load"))
        self.load_button.setToolTip(
            self.tr("This model is loaded: ask it something in the chat")
            if loaded
            else self.tr("Load the selected model so you can chat with it")
        )
        in_use = self.load_flow.in_use(item)
        self.delete_button.setEnabled(view == "installed" and item is not None and not in_use and not moving)
        if item is None:
            why = self.tr("Select a model in the list to delete it")
        elif in_use:
            why = self.tr("This model is in use; load another one before deleting it.")
        else:
            why = self.tr("Delete the selected model file to free space")
        self.delete_button.setToolTip(why)
        self.delete_button.setAccessibleDescription(why)
        self.show_files_button.setEnabled(item is not None and item.kind == HUB_REPO)
        self.download_button.setEnabled(item is not None and item.downloadable and not moving)
        self.download_button.setText(self.downloads.button_text(item))
        self.search_button.setEnabled(not self.searching)


def _button(text: str, tip: str, slot: Callable, name: str = "") -> QPushButton:
    """A push button that calls ``slot`` when clicked; ``name`` is its style sheet object name."""
    button = QPushButton(text)
    if name:
        button.setObjectName(name)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def _label(name: str = "", text: str = "", *, wrap: bool = True, selectable: bool = False) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _row(*widgets: QWidget, stretch: int = 0) -> QWidget:
    """The widgets side by side; the one at index ``stretch`` takes the room left."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for index, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if index == stretch else 0)
    return row
