"""The first-run guide's model step: choose a model by what this computer can run, in plain words.

The page shows the models already on this computer (the demo models among them) and the catalog's, each
with one line a newcomer can judge ("✓ Fits · good German · needs about 5 GB of memory"), and three ways
to get one: use an installed model, download a catalog model (through the library's own downloads, with
the progress shown here), or add a file from a USB stick (through the library's import flow).

Everything it shows comes from the window's LibraryPane and its LibraryModel; it keeps no model list of
its own, so the library and the guide always agree.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QProgressBar, QPushButton, QVBoxLayout,
    QWidget,
)

from app.ui.formatting import format_size
from app.ui.library.pane import LibraryPane
from app.ui.library.table_model import CATALOG, INSTALLED, LibraryItem
from app.ui.library.words import fit_label, fit_sentence, hub_error_text, item_speed_text, job_state_text, ui_language

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
"""The LibraryItem key a list row stands for (header rows have none)."""

_FIT_ORDER = {"fits": 0, "tight": 1, "does_not_fit": 2}


def removable_media_folder() -> Path:
    """Where USB sticks appear on this system (the first that exists), else the home folder."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name known to the system
        user = ""
    if sys.platform == "darwin":
        candidates = [Path("/Volumes")]
    elif sys.platform.startswith("linux"):
        candidates = [Path("/run/media") / user, Path("/media") / user] if user else []
    else:
        candidates = []
    return next((folder for folder in candidates if folder.is_dir()), Path.home())


class ModelPage(QWidget):
    """Choose, download or add a model; the library does the work.

    Attributes:
        list: the QListWidget of models: a header row, then the installed models; a header row, then the
            catalog's models not yet downloaded (best fit first). Model rows carry their key in KEY_ROLE.
        action_button: "Use this model" (installed), "Download (…)" (catalog), disabled when it cannot.
        file_button: "Use a file from a USB stick…".
        detail_label: the chosen model's fit in words and what it is good at.
        status_label, progress, error_label: the download or import under way, and what went wrong.
        download_key: the catalog entry whose download was started here, or None.
    """

    def __init__(self, library: LibraryPane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.download_key: tuple | None = None
        self._known_installed = {item.key for item in library.model.items((INSTALLED,))}
        self._language = ui_language()

        title = QLabel(self.tr("Choose a model"))
        title.setObjectName("guideTitle")
        intro = QLabel(self.tr(
            "A model is the part that writes the answers. Larger models answer better, but need more memory "
            "and answer more slowly. Each line says whether it runs well on this computer."))
        intro.setWordWrap(True)

        self.list = QListWidget()
        self.list.setObjectName("guideModelList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName(self.tr("Models to choose from"))
        self.list.currentItemChanged.connect(self._show_choice)
        self.list.itemActivated.connect(lambda _item: self.action_button.click())

        self.detail_label = QLabel()
        self.detail_label.setObjectName("guideDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setMinimumHeight(self.detail_label.fontMetrics().lineSpacing() * 3)
        self.action_button = QPushButton()
        self.action_button.setObjectName("primary")
        self.action_button.clicked.connect(self._act)
        self.file_button = QPushButton(self.tr("Use a file from a USB stick…"))
        self.file_button.setToolTip(self.tr(
            "Add a model file (.gguf) that someone gave you, for example on a USB stick."))
        self.file_button.clicked.connect(self.choose_file)
        buttons = QHBoxLayout()
        buttons.addWidget(self.action_button)
        buttons.addStretch(1)
        buttons.addWidget(self.file_button)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(10)
        self.progress.setAccessibleName(self.tr("Download progress"))
        self.error_label = QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        note = QLabel(self.tr("You can close this guide at any time: a download continues in the model library."))
        note.setObjectName("note")
        note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.detail_label)
        layout.addLayout(buttons)
        for widget in (self.status_label, self.progress, self.error_label, note):
            layout.addWidget(widget)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(100)  # progress reports come often; the list follows at most 10 times a second
        self._refresh_timer.timeout.connect(self.refresh)
        model = library.model
        for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._refresh_timer.start)
        library.import_flow.statusChanged.connect(self._show_import_status)
        library.import_flow.errorChanged.connect(self._show_import_error)
        self.refresh()

    # --- what is shown ---------------------------------------------------------------------------------

    def installed_items(self) -> list[LibraryItem]:
        """The usable models on this computer: the loaded one first, then real models before demos."""
        items = self.library.model.items((INSTALLED,))
        return sorted(items, key=lambda item: (not item.loaded, item.demo, item.name.casefold()))

    def catalog_items(self) -> list[LibraryItem]:
        """The catalog's models not in the library yet: those that fit first, those in the window's
        language before others, then the smaller first."""
        items = [item for item in self.library.model.items((CATALOG,)) if item.installed_path is None]
        return sorted(items, key=lambda item: (
            _FIT_ORDER.get(item.fit.level, 3) if item.fit else 3,
            self._language not in item.languages,
            item.size_bytes or 0,
            item.name.casefold(),
        ))

    def line(self, item: LibraryItem) -> str:
        """The plain-words line under a model's name: fit, language, memory, download size."""
        parts = [fit_label(item.fit.level if item.fit else None)]
        if item.languages:
            good = self._language in item.languages
            if self._language == "de":
                parts.append(self.tr("good German") if good else self.tr("little German"))
            else:
                parts.append(self.tr("good English") if good else self.tr("little English"))
        if item.estimate is not None:
            parts.append(self.tr("needs about {size} of memory").format(size=format_size(item.estimate.total_bytes)))
        speed = item_speed_text(item.estimate, item.fit)
        if speed:
            parts.append(speed)
        if item.kind == CATALOG and item.size_bytes:
            parts.append(self.tr("{size} to download").format(size=format_size(item.size_bytes)))
        if item.kind == INSTALLED and item.loaded:
            parts.append(self.tr("in use now"))
        if item.demo:
            parts.append(self.tr("demo: answers are gibberish on purpose"))
        return " · ".join(parts)

    def refresh(self) -> None:
        """Show the library's models again (a model just added is chosen) and the download under way.

        When the same models are listed, only their lines change, so the list does not jump while a
        download reports its progress."""
        installed = self.installed_items()
        new = [item.key for item in installed if item.key not in self._known_installed]
        self._known_installed = {item.key for item in installed}
        rows = [self._header(self.tr("On this computer"))]
        if not installed:
            rows.append(self._header(self.tr("No model yet: download one below, or use a file."), "note"))
        rows += [self._model_row(item) for item in installed]
        rows.append(self._header(self.tr("To download from the internet (Hugging Face)")))
        rows += [self._model_row(item) for item in self.catalog_items()]
        listed = [self.list.item(index).data(KEY_ROLE) for index in range(self.list.count())]
        if listed == [key for key, _text, _tip, _kind in rows]:
            for index, (_key, text, tip, _kind) in enumerate(rows):
                self.list.item(index).setText(text)
                self.list.item(index).setToolTip(tip)
            if new:
                self.select_key(new[0])
            else:
                self._show_choice()
        else:
            chosen = new[0] if new else self.chosen_key()
            self.list.blockSignals(True)
            self.list.clear()
            for row in rows:
                self._add_row(*row)
            self.list.blockSignals(False)
            self.select_key(chosen or next((item.key for item in installed), None) or self._first_catalog_key())
        self._show_download()

    def _header(self, text: str, kind: str = "header") -> tuple:
        return (None, text, "", kind)

    def _model_row(self, item: LibraryItem) -> tuple:
        return (item.key, f"{item.name}\n{self.line(item)}", fit_sentence(item.fit) if item.fit else "", "model")

    def _add_row(self, key: tuple | None, text: str, tip: str, kind: str) -> None:
        row = QListWidgetItem(text)
        row.setToolTip(tip)
        if key is None:
            row.setFlags(Qt.ItemFlag.NoItemFlags)
            font = row.font()
            font.setBold(kind == "header")
            font.setItalic(kind == "note")
            row.setFont(font)
        else:
            row.setData(KEY_ROLE, key)
        self.list.addItem(row)

    def _first_catalog_key(self) -> tuple | None:
        items = self.catalog_items()
        return items[0].key if items else None

    def chosen_key(self) -> tuple | None:
        row = self.list.currentItem()
        return row.data(KEY_ROLE) if row is not None else None

    def chosen_item(self) -> LibraryItem | None:
        key = self.chosen_key()
        return self.library.model.find(key) if key is not None else None

    def select_key(self, key: tuple | None) -> None:
        """Choose the row of ``key`` (nothing when it is not listed)."""
        for index in range(self.list.count()):
            if key is not None and self.list.item(index).data(KEY_ROLE) == key:
                self.list.setCurrentRow(index)
                return
        self._show_choice()

    def _show_choice(self, *_args) -> None:
        item = self.chosen_item()
        button = self.action_button
        if item is None:
            self.detail_label.clear()
            button.setText(self.tr("Use this model"))
            button.setEnabled(False)
            return
        detail = fit_sentence(item.fit) if item.fit else self.tr("Checking what this computer can run…")
        if item.description:
            detail += "\n" + item.description
        self.detail_label.setText(detail)
        if item.kind == INSTALLED:
            button.setText(self.tr("Use this model"))
            button.setToolTip(self.tr("Load it, so that you can chat with it"))
            button.setEnabled(not item.loaded and self.library.loading_path is None)
        elif item.download is not None and item.download.state in ("queued", "running"):
            button.setText(self.tr("Downloading…"))
            button.setEnabled(False)
        elif item.fit is not None and item.fit.level == "does_not_fit":
            button.setText(self.tr("Too big for this computer"))
            button.setEnabled(False)
        else:
            size = format_size(item.size_bytes) if item.size_bytes else ""
            button.setText(self.tr("Download ({size})").format(size=size) if size else self.tr("Download"))
            button.setToolTip(self.tr("Download it into the models folder; it takes a while"))
            button.setEnabled(item.downloadable)

    # --- actions -------------------------------------------------------------------------------------

    def _act(self) -> None:
        item = self.chosen_item()
        if item is None or not self.action_button.isEnabled():
            return
        if item.kind == INSTALLED:
            self.use(item)
        else:
            self.download(item)

    def use(self, item: LibraryItem) -> None:
        """Load an installed model, as the library's Load button does (asking first when it does not fit)."""
        self.library.show_view("installed")
        self.library.select_path(item.path)
        self.library.request_load()
        self.status_label.setText(self.tr("“{name}” is being loaded. When it is ready, you can chat with it.")
                                  .format(name=item.name))
        self.action_button.setEnabled(False)

    def download(self, item: LibraryItem) -> None:
        """Start the download through the library; its progress shows on this page."""
        if self.library.download(item) is not None:
            self.download_key = item.key
            self.error_label.clear()
        self._show_download()
        self._show_choice()

    def choose_file(self) -> None:
        """Ask for model files (starting where USB sticks appear) and add them through the library's import."""
        paths, _filter = QFileDialog.getOpenFileNames(self, self.tr("Choose a model file"),
                                                   str(removable_media_folder()),
                                                   self.tr("Model files (*.gguf)"))
        for path in paths:
            self.library.import_file(path, mode=None)

    # --- progress ---------------------------------------------------------------------------------------

    def _show_download(self) -> None:
        item = self.library.model.find(self.download_key) if self.download_key is not None else None
        status = item.download if item is not None else None
        if item is None:
            self.progress.hide()
        elif status is not None:
            progress = status.progress
            total = progress.total_bytes if progress else 0
            self.progress.setValue(round(1000 * progress.done_bytes / total) if total else 0)
            self.progress.setVisible(status.state in ("queued", "running", "paused"))
            self.status_label.setText(self.tr("“{name}”: {state}").format(name=item.name, state=job_state_text(status)))
            self.error_label.setText(hub_error_text(status.error) if status.error is not None else "")
        elif item.installed_path is not None:
            self.progress.hide()
            self.status_label.setText(self.tr("“{name}” is downloaded and ready: choose “Use this model”.")
                                      .format(name=item.name))
        self.status_label.setVisible(bool(self.status_label.text()))
        self.error_label.setVisible(bool(self.error_label.text()))

    def _show_import_status(self, text: str) -> None:
        if text:
            self.status_label.setText(text)
        self.status_label.setVisible(bool(self.status_label.text()))

    def _show_import_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
