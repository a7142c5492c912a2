"""FolderScan: the library's models folder, read into the LibraryModel off the GUI thread, and the computer
measured beside it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.core.models.catalog import CatalogEntry
from app.core.models.fit import Hardware
from app.core.models.folder import ScannedModel, catalog_entry_for
from app.core.models.gguf import GGUFError, ModelInfo
from app.ui import settings
from app.ui.library.controller import LibraryController
from app.ui.library.jobs import LibraryJobs, folder_problem
from app.ui.library.table_model import INSTALLED, UNUSABLE, LibraryModel, installed_item, unusable_item
from app.ui.model_errors import model_error_text


class FolderScan(LibraryController):
    """Reads the models folder and the files used where they are (settings.references) into the
    LibraryModel's INSTALLED and UNUSABLE items, and measures the computer for the fit of every item.

    A newer scan makes the results of an older one uninteresting (they carry its id).

    Attributes:
        models_dir: the folder the library lists, downloads and imports into.
        scanning: whether the folder is being read.
        folder_problem: what keeps the library from reading and changing the models folder, in words, as
            last found ("" when nothing does: the folder is there and can be written).
        models: ModelInfo of every usable file found, by path.
        hardware: this computer as measured off the GUI thread, or None until then.

    Signals:
        problemChanged(str): ``folder_problem`` was found again.
        selectRequested(str): a scan ended; the file to select (the one selected before, the one just
            added, else the loaded or the first one).
        folderChanged(str): the library uses another models folder now (it is read again next).
    """

    problemChanged = Signal(str)
    selectRequested = Signal(str)
    folderChanged = Signal(str)

    def __init__(
        self,
        dialog_parent: QWidget,
        jobs: LibraryJobs,
        model: LibraryModel,
        models_dir: Path,
        catalog: list[CatalogEntry],
        language: str,
        *,
        selected: Callable[[], str | None],
        loaded: Callable[[], str | None],
    ) -> None:
        """``selected()`` is the file selected now, ``loaded()`` the one loaded in the engine."""
        super().__init__(dialog_parent)
        self.models_dir = Path(models_dir)
        self.scanning = False
        self.folder_problem = ""
        self.models: dict[str, ModelInfo] = {}
        self.hardware: Hardware | None = None
        self._jobs = jobs
        self._model = model
        self._catalog = catalog
        self._language = language
        self._selected = selected
        self._loaded = loaded
        self._scan_id = 0
        self._seen: dict[str, ModelInfo] = {}
        self._seen_keys: set[tuple] = set()
        self._select_after_scan: str | None = None
        jobs.folderChecked.connect(self._on_folder_checked)
        jobs.modelRead.connect(self._on_model_read)
        jobs.modelUnreadable.connect(self._on_model_unreadable)
        jobs.scanFinished.connect(self._on_scan_finished)
        jobs.hardwareDetected.connect(self._on_hardware)

    def refresh(self) -> None:
        """Read the models folder again and measure the computer again (both off the GUI thread)."""
        self._scan_id += 1
        self._select_after_scan = self._select_after_scan or self._selected()
        self.scanning = True
        self._seen = {}
        self._seen_keys = set()
        self._jobs.scan(self._scan_id, self.models_dir, [Path(p) for p in settings.references()])
        self._jobs.detect_hardware(self.models_dir)
        self.changed.emit()

    def select_after_scan(self, path: str) -> None:
        """Select ``path`` once the next scan has ended (a file just added)."""
        self._select_after_scan = path

    def check_folder(self) -> str:
        """Look at the models folder now (quick, on the GUI thread): ``folder_problem`` again."""
        self._set_problem(folder_problem(self.models_dir))
        return self.folder_problem

    def use_folder(self, folder: Path) -> None:
        """Use ``folder`` for the models from now on (remembered for the next start) and read it."""
        self.models_dir = Path(folder)
        settings.set_models_dir(self.models_dir)
        self.folderChanged.emit(str(self.models_dir))
        self.refresh()

    def empty_text(self, filtered: bool) -> str:
        """What the Installed view says when it shows nothing (``filtered``: the filter has words)."""
        if self.scanning:
            return ""
        files = self._model.items((INSTALLED, UNUSABLE))
        if self.folder_problem and not files:
            return self.folder_problem
        if filtered and files:
            return self.tr("No model in the library matches the filter.")
        return self.tr(
            "No models yet. Download one from the Catalog, or click “Import GGUF file…” to add a "
            "model file (.gguf) from this computer."
        )

    def _set_problem(self, problem: str) -> None:
        self.folder_problem = problem
        self.problemChanged.emit(problem)
        self.changed.emit()

    def _on_folder_checked(self, scan_id: int, problem: str) -> None:
        if scan_id == self._scan_id:
            self._set_problem(problem)

    def _on_model_read(self, scan_id: int, scanned: ScannedModel) -> None:
        if scan_id != self._scan_id:
            return
        info, origin = scanned.info, scanned.origin
        self._seen[info.path] = info
        self.models[info.path] = info
        entry = catalog_entry_for(
            self._catalog, origin.get("catalog_id"), origin.get("repo"), origin.get("filename"),
            Path(info.path).name,
        )
        item = installed_item(info, scanned.estimate, entry, self._language, origin, scanned.referenced)
        self._seen_keys.add(item.key)
        self._model.put(dataclasses.replace(item.with_fit(self.hardware), loaded=info.path == self._loaded()))
        self.changed.emit()

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
        self._model.put(item)
        self.changed.emit()

    def _on_scan_finished(self, scan_id: int) -> None:
        if scan_id != self._scan_id:
            return
        self.scanning = False
        self.models = dict(self._seen)
        for item in self._model.items((INSTALLED, UNUSABLE)):
            if item.key not in self._seen_keys:
                self._model.remove(item.key)
        self._model.mark_installed()
        wanted = self._select_after_scan or self._loaded() or next(iter(sorted(self.models)), "")
        self._select_after_scan = None
        if wanted:
            self.selectRequested.emit(wanted)
        self.changed.emit()

    def _on_hardware(self, hardware: Hardware) -> None:
        self.hardware = hardware
        self._model.update(lambda item: item.with_fit(hardware))
        self.changed.emit()
