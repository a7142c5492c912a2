"""LibraryPane: the GGUF models in the models folder, import of new files, and loading one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.core.gguf_info import ModelInfo
from app.ui.formatting import format_count, format_decimal, format_file_size
from app.ui.library_jobs import LibraryJobs

_PATH_ROLE = Qt.ItemDataRole.UserRole


def is_demo_model(info: ModelInfo) -> bool:
    """Synthetic MoEscope demo models carry "random weights" in their name."""
    return "random weights" in info.name.lower()


class ModelCard(QFrame):
    """One model in the library list: name, MoE or dense, parameters, experts, size, and whether it
    is a real text model or a random-weight demo.

    Attributes:
        path: the model file.
        kind: the chip beside the name ("MoE", "Dense"), or "" for a file that cannot be used.
        lines: the information lines under the name, as shown.
        badge: the line saying whether this is a real text model or a demo ("" for unusable files).
    """

    def __init__(
        self, path: str, info: ModelInfo | None, problem: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.kind = ""
        self.lines: list[str] = []
        self.badge = ""
        self.setObjectName("modelCard")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(3)
        title_row = QHBoxLayout()
        title = QLabel(info.name if info else Path(path).name)
        title.setObjectName("cardTitle")
        title.setWordWrap(True)
        title_row.addWidget(title, 1)
        self._loaded_chip = self._label(self.tr("Loaded"), "loadedChip")
        self._loaded_chip.hide()
        title_row.addWidget(self._loaded_chip, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title_row)
        if info is None:
            self.lines.append(self.tr("Cannot be used: {reason}").format(reason=problem))
            layout.addWidget(self._label(self.lines[-1], "problem"))
            return

        self.kind = self.tr("MoE") if info.is_moe else self.tr("Dense")
        chip = self._label(self.kind, "moeChip" if info.is_moe else "denseChip")
        chip.setToolTip(
            self.tr("Mixture of Experts: only some experts work on each token")
            if info.is_moe
            else self.tr("Dense: every parameter works on every token")
        )
        title_row.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)
        if info.is_moe:
            self.lines.append(
                self.tr("{total} total · {active} active").format(
                    total=format_count(info.total_params), active=format_count(info.active_params)
                )
            )
            experts = self.tr("{n} experts, {k} per token").format(n=info.n_experts, k=info.n_experts_used)
            if info.n_shared_experts:
                experts += self.tr(" + {count} shared").format(count=info.n_shared_experts)
            self.lines.append(experts)
        else:
            self.lines.append(
                self.tr("{total} parameters, all active").format(total=format_count(info.total_params))
            )
        for line in self.lines:
            layout.addWidget(self._label(line))
        details = f"{format_file_size(info.file_size)} · {info.quantization} · {Path(path).name}"
        self.lines.append(details)
        layout.addWidget(self._label(details, "detail"))
        demo = is_demo_model(info)
        self.badge = (
            self.tr("Demo: random weights — shows routing mechanics only")
            if demo
            else self.tr("Real text model")
        )
        layout.addWidget(self._label(self.badge, "demoBadge" if demo else "realBadge"))

    @staticmethod
    def _label(text: str, name: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        if name:
            label.setObjectName(name)
        return label

    def set_loaded(self, loaded: bool) -> None:
        self._loaded_chip.setVisible(loaded)


class ModelList(QListWidget):
    """A QListWidget of ModelCards whose rows grow and shrink with the cards' wrapped text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards: list[tuple[QListWidgetItem, ModelCard]] = []

    def add_card(self, card: ModelCard, selectable: bool) -> QListWidgetItem:
        item = QListWidgetItem()
        item.setData(_PATH_ROLE, card.path)
        if not selectable:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.addItem(item)
        self.setItemWidget(item, card)
        self._cards.append((item, card))
        self._fit(item, card)
        return item

    def cards(self) -> list[tuple[QListWidgetItem, ModelCard]]:
        return list(self._cards)

    def clear(self) -> None:
        self._cards.clear()
        super().clear()

    def _fit(self, item: QListWidgetItem, card: ModelCard) -> None:
        width = self.viewport().width() - 2 * self.spacing()
        item.setSizeHint(QSize(width, card.heightForWidth(width)))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        for item, card in self._cards:
            self._fit(item, card)


class LibraryPane(QWidget):
    """The model library: lists the models folder, imports GGUF files, asks for a model to be loaded.

    Reading headers and copying files run in LibraryJobs on a thread pool; this widget only shows
    their results.

    Attributes:
        models_dir: the folder the library lists and imports into.
        models: ModelInfo of every usable file found, by path.
        scanning: whether the folder is being read.
        importing: whether a file is being checked or copied.
        loading_path: the model being loaded, or None.
        loaded_path: the model loaded in the engine, or None.
        message_box: the last error message box shown (non-modal), or None.
        jobs: the LibraryJobs doing the disk work.

    Signals:
        loadRequested(str): the user asked to load the model file at this path.
    """

    loadRequested = Signal(str)

    def __init__(self, models_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.models_dir = Path(models_dir)
        self.models: dict[str, ModelInfo] = {}
        self.scanning = False
        self.importing = False
        self.loading_path: str | None = None
        self.loaded_path: str | None = None
        self.message_box: QMessageBox | None = None
        self._engine_busy = False
        self._scan_id = 0
        self._select_after_scan: str | None = None

        self.jobs = LibraryJobs(self)
        self.jobs.modelRead.connect(self._on_model_read)
        self.jobs.modelUnreadable.connect(self._on_model_unreadable)
        self.jobs.scanFinished.connect(self._on_scan_finished)
        self.jobs.importFinished.connect(self._on_import_finished)
        self.jobs.importFailed.connect(self._on_import_failed)

        folder_caption = QLabel(self.tr("Models folder"))
        folder_caption.setObjectName("caption")
        self._folder_label = QLabel(str(self.models_dir))
        self._folder_label.setObjectName("detail")
        self._folder_label.setToolTip(str(self.models_dir))
        self._folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._folder_label.setWordWrap(True)

        self.list = ModelList()
        self.list.setObjectName("modelList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSpacing(3)
        self.list.itemSelectionChanged.connect(self._update_state)
        self.list.itemDoubleClicked.connect(lambda _item: self.request_load())

        self._empty_label = QLabel(
            self.tr(
                "No models yet. Click “Import GGUF file…” to add a model file (.gguf) from this computer."
            )
        )
        self._empty_label.setWordWrap(True)
        self._empty_label.setObjectName("note")

        self._progress = QProgressBar()
        self._progress.setRange(0, 0)
        self._progress.setTextVisible(False)
        self._progress.setFixedHeight(8)
        self._status_label = QLabel()
        self._status_label.setWordWrap(True)
        self._error_label = QLabel()
        self._error_label.setObjectName("errorText")
        self._error_label.setWordWrap(True)
        self._error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.import_button = QPushButton(self.tr("Import GGUF file…"))
        self.import_button.setToolTip(
            self.tr("Copy a model file (.gguf) from this computer into the models folder")
        )
        self.import_button.clicked.connect(self._choose_import_file)
        self.refresh_button = QPushButton()
        self.refresh_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.refresh_button.setAccessibleName(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the models folder again"))
        self.refresh_button.clicked.connect(self.refresh)
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setObjectName("primary")
        self.load_button.setToolTip(self.tr("Load the selected model so you can chat with it"))
        self.load_button.clicked.connect(self.request_load)
        self.load_button.setMinimumHeight(self.load_button.sizeHint().height() + 8)

        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.import_button, 1)
        file_buttons.addWidget(self.refresh_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(folder_caption)
        layout.addWidget(self._folder_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self._empty_label)
        layout.addWidget(self._progress)
        layout.addWidget(self._status_label)
        layout.addWidget(self._error_label)
        layout.addWidget(self.load_button)
        layout.addLayout(file_buttons)
        self._update_state()

    def shutdown(self) -> None:
        """Cancel the disk jobs still running (an unfinished import is removed) and wait for them."""
        self.jobs.cancel()

    def refresh(self) -> None:
        """Read the models folder again (off the GUI thread)."""
        self._scan_id += 1
        self._select_after_scan = self._select_after_scan or self.selected_path()
        self.scanning = True
        self.models.clear()
        self.list.clear()
        self.jobs.scan(self._scan_id, self.models_dir)
        self._update_state()

    def import_file(self, path: str) -> None:
        """Check a GGUF file and copy it into the models folder, both off the GUI thread."""
        self.importing = True
        self._error_label.clear()
        self._status_label.setText(self.tr("Checking and copying “{name}”…").format(name=Path(path).name))
        self.jobs.import_file(Path(path), self.models_dir)
        self._update_state()

    def request_load(self) -> None:
        path = self.selected_path()
        if path is not None and self.load_button.isEnabled():
            self.loadRequested.emit(path)

    def selected_path(self) -> str | None:
        items = self.list.selectedItems()
        return items[0].data(_PATH_ROLE) if items else None

    def select_path(self, path: str) -> None:
        for item, _card in self.list.cards():
            if item.data(_PATH_ROLE) == path:
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item, QAbstractItemView.ScrollHint.EnsureVisible)
                return

    def set_loading(self, path: str, again: bool = False) -> None:
        """A model is being loaded; ``again`` when it is reloaded into a fresh engine."""
        self.loading_path = path
        self._error_label.clear()
        text = self.tr("Loading “{name}” again…") if again else self.tr("Loading “{name}”…")
        self._status_label.setText(text.format(name=Path(path).name))
        self._update_state()

    def set_loaded(self, info: ModelInfo, seconds: float) -> None:
        self.loading_path = None
        self.loaded_path = info.path
        self._status_label.setText(
            self.tr("“{name}” is ready (loaded in {seconds} s).").format(
                name=info.name, seconds=format_decimal(seconds)
            )
        )
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

    def _choose_import_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import a GGUF model file"), str(Path.home()), self.tr("GGUF model files (*.gguf)")
        )
        if path:
            self.import_file(path)

    def _on_model_read(self, scan_id: int, info: ModelInfo) -> None:
        if scan_id != self._scan_id:
            return
        self.models[info.path] = info
        card = ModelCard(info.path, info)
        card.set_loaded(info.path == self.loaded_path)
        self.list.add_card(card, selectable=True)
        self._update_state()

    def _on_model_unreadable(self, scan_id: int, path: str, message: str) -> None:
        if scan_id == self._scan_id:
            self.list.add_card(ModelCard(path, None, message), selectable=False)
            self._update_state()

    def _on_scan_finished(self, scan_id: int) -> None:
        if scan_id != self._scan_id:
            return
        self.scanning = False
        wanted = self._select_after_scan or self.loaded_path or next(iter(self.models), "")
        self._select_after_scan = None
        self.select_path(wanted)
        self._update_state()

    def _on_import_finished(self, path: str) -> None:
        self.importing = False
        self._status_label.setText(self.tr("“{name}” was added to the library.").format(name=Path(path).name))
        self._select_after_scan = path
        self.refresh()

    def _on_import_failed(self, message: str) -> None:
        self.importing = False
        self._status_label.clear()
        self._update_state()
        self.message_box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("This file cannot be imported"),
            message,
            QMessageBox.StandardButton.Ok,
            self,
        )
        self.message_box.setInformativeText(self.tr("Nothing was copied into the models folder."))
        self.message_box.open()

    def _mark_loaded(self) -> None:
        for _item, card in self.list.cards():
            card.set_loaded(card.path == self.loaded_path)

    def _update_state(self) -> None:
        loading = self.loading_path is not None
        busy = loading or self.scanning or self.importing
        self._progress.setVisible(busy)
        reading = self.tr("Reading the models folder…")
        if self.scanning and not self._status_label.text():
            self._status_label.setText(reading)
        elif not self.scanning and self._status_label.text() == reading:
            self._status_label.clear()
        self._status_label.setVisible(bool(self._status_label.text()))
        self._error_label.setVisible(bool(self._error_label.text()))
        self._empty_label.setVisible(not self.scanning and self.list.count() == 0)
        self.import_button.setEnabled(not self.importing and not loading)
        self.refresh_button.setEnabled(not self.scanning and not self.importing and not loading)
        selected = self.selected_path()
        self.load_button.setEnabled(selected is not None and not loading and not self._engine_busy)
