"""The model library's data: one list model of everything a user can choose from, and filtered views of it.

``LibraryModel`` holds ``LibraryItem`` rows of five kinds: GGUF files in the library (usable or not),
catalog entries, and Hub search results (repositories, and the GGUF files of one of them). The
Installed, Catalog and Search views are ``LibraryFilter`` proxies over that one model, each with the
same text filter and sort order; the cards on screen are painted from the items (card.py).

Items are immutable; a change (a fit computed, a download's progress, the loaded model) replaces the
row's item and emits ``dataChanged``, so every view follows.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.core.hub.queue import JobStatus
from app.core.hub.search import HubFile, HubRepo
from app.core.models.catalog import EMBEDDING, CatalogEntry, license_name
from app.core.models.estimates import estimate_for_download
from app.core.models.fit import Fit, Hardware, MemoryEstimate, estimate_for_entry, fit
from app.core.models.demo import is_demo_model
from app.core.models.gguf import ModelInfo
from app.ui.library.words import model_display_name

INSTALLED = "installed"
UNUSABLE = "unusable"
CATALOG = "catalog"
HUB_REPO = "hub_repo"
HUB_FILE = "hub_file"
KINDS = (INSTALLED, UNUSABLE, CATALOG, HUB_REPO, HUB_FILE)

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's LibraryItem."""

SORT_KEYS = ("name", "size", "fit")

_FIT_RANK = {"fits": 0, "tight": 1, "does_not_fit": 2}


@dataclass(frozen=True)
class LibraryItem:
    """One row of the library: a file, a catalog entry or a search result, with what a user needs to choose.

    Attributes:
        kind: INSTALLED (a usable GGUF file), UNUSABLE (a file that cannot be used), CATALOG, HUB_REPO
            or HUB_FILE.
        key: identity of the row: ("file", path), ("catalog", id), ("repo", repo) or ("hub", repo, file).
        name: display name.
        description: what the model is good at, in the UI language ("" when unknown).
        moe: Mixture-of-Experts (True), dense (False), or None when unknown.
        total_params, active_params: parameter counts, or None when unknown.
        n_experts, experts_per_token, n_shared_experts: the MoE layout (0 for dense or unknown).
        size_bytes: bytes on disk or to download (all parts), or None when unknown.
        size_exact: False when size_bytes is a rounded figure.
        quantization: Q4_K_M, Q8_0 ... or "".
        license: the licence's name ("MIT", "Apache 2.0": catalog.license_name), or "".
        gated: the repository needs an accepted licence and a token.
        languages: language codes the model handles well (catalog only).
        path: the file (INSTALLED, UNUSABLE).
        repo, filename: where the Hub has it (CATALOG, HUB_REPO, HUB_FILE; INSTALLED when downloaded).
        catalog_id: the catalog entry this is (or was downloaded from), or None.
        estimate: memory needed to chat with it, or None when it cannot be estimated.
        fit: the estimate against this computer, or None while the computer is measured.
        demo: a MoEscope demo model with random weights.
        embedding: an embedding model, for searching documents, not for chatting.
        problem: why an UNUSABLE file cannot be used.
        referenced: the file is used where it is, outside the models folder.
        loaded: the file is loaded in the engine.
        installed_path: for CATALOG and HUB_FILE: the library file it already is, or None.
        download: for CATALOG and HUB_FILE: its unfinished download, or None.
        downloads: for HUB_REPO: downloads last month, or None.
        projector: a HUB_FILE that is a vision add-on (mmproj), not a model of its own.
        complete: False for a HUB_FILE set with parts missing on the Hub.
        info: the header of an INSTALLED file.
    """

    kind: str
    key: tuple
    name: str
    description: str = ""
    moe: bool | None = None
    total_params: int | None = None
    active_params: int | None = None
    n_experts: int = 0
    experts_per_token: int = 0
    n_shared_experts: int = 0
    size_bytes: int | None = None
    size_exact: bool = True
    quantization: str = ""
    license: str = ""
    gated: bool = False
    languages: tuple[str, ...] = ()
    path: str | None = None
    repo: str | None = None
    filename: str | None = None
    catalog_id: str | None = None
    estimate: MemoryEstimate | None = None
    fit: Fit | None = None
    demo: bool = False
    embedding: bool = False
    problem: str = ""
    referenced: bool = False
    loaded: bool = False
    installed_path: str | None = None
    download: JobStatus | None = None
    downloads: int | None = None
    projector: bool = False
    complete: bool = True
    info: ModelInfo | None = None

    @property
    def usable(self) -> bool:
        return self.kind != UNUSABLE

    @property
    def downloadable(self) -> bool:
        """A catalog entry or Hub file that can be downloaded now (not already there, not under way)."""
        busy = self.download is not None and self.download.state in ("queued", "running")
        return (
            self.kind in (CATALOG, HUB_FILE)
            and self.installed_path is None
            and not busy
            and self.complete
            and not self.projector
        )

    def haystack(self) -> str:
        """The words the text filter looks in."""
        parts = (
            self.name,
            self.description,
            self.repo,
            self.filename,
            self.license,
            self.quantization,
            self.path and Path(self.path).name,
            self.info.architecture if self.info else "",
            "moe" if self.moe else "",
        )
        return " ".join(p for p in parts if p).casefold()

    def with_fit(self, hardware: Hardware | None) -> "LibraryItem":
        if hardware is None or self.estimate is None:
            return self
        return dataclasses.replace(self, fit=fit(self.estimate.total_bytes, hardware))


# --- Building items ---------------------------------------------------------------------------------------


def installed_item(
    info: ModelInfo,
    estimate: MemoryEstimate | None,
    entry: CatalogEntry | None,
    language: str,
    origin: dict | None = None,
    referenced: bool = False,
) -> LibraryItem:
    """A usable file; ``entry`` is the catalog entry it was downloaded from (for its description)."""
    origin = origin or {}
    return LibraryItem(
        kind=INSTALLED,
        key=("file", info.path),
        name=model_display_name(info),
        description=entry.describe(language) if entry else "",
        moe=info.is_moe,
        total_params=info.total_params,
        active_params=info.active_params,
        n_experts=info.n_experts,
        experts_per_token=info.n_experts_used,
        n_shared_experts=info.n_shared_experts,
        size_bytes=estimate.weights_bytes if estimate else info.file_size,
        quantization=info.quantization,
        license=license_name(entry.license) if entry else "",
        gated=False,
        languages=entry.languages if entry else (),
        path=info.path,
        repo=origin.get("repo"),
        filename=origin.get("filename"),
        catalog_id=entry.id if entry else None,
        estimate=estimate,
        demo=is_demo_model(info),
        embedding=info.is_embedding,
        referenced=referenced,
        info=info,
    )


def unusable_item(path: str, problem: str, size_bytes: int | None, referenced: bool = False) -> LibraryItem:
    return LibraryItem(
        kind=UNUSABLE,
        key=("file", path),
        name=Path(path).name,
        path=path,
        problem=problem,
        size_bytes=size_bytes,
        referenced=referenced,
    )


def catalog_item(entry: CatalogEntry, language: str) -> LibraryItem:
    return LibraryItem(
        kind=CATALOG,
        key=("catalog", entry.id),
        name=entry.name,
        description=entry.describe(language),
        moe=entry.moe,
        total_params=entry.total_params,
        active_params=entry.active_params,
        n_experts=entry.n_experts,
        experts_per_token=entry.experts_per_token,
        n_shared_experts=entry.n_shared_experts,
        size_bytes=entry.display_size_bytes,
        size_exact=entry.size_bytes is not None,
        quantization=entry.quantization,
        license=license_name(entry.license),
        gated=entry.gated,
        languages=entry.languages,
        repo=entry.repo,
        filename=entry.filename,
        catalog_id=entry.id,
        estimate=estimate_for_entry(entry),
        embedding=entry.kind == EMBEDDING,
    )


def hub_repo_item(repo: HubRepo) -> LibraryItem:
    return LibraryItem(
        kind=HUB_REPO,
        key=("repo", repo.repo_id),
        name=repo.repo_id,
        repo=repo.repo_id,
        gated=repo.gated,
        downloads=repo.downloads,
    )


def hub_file_item(file: HubFile, gated: bool, entry: CatalogEntry | None, language: str) -> LibraryItem:
    """A GGUF file (or set) of a repository; ``entry`` is a catalog entry of the same repository, whose
    model figures make the estimate exact (and whose description applies)."""
    return LibraryItem(
        kind=HUB_FILE,
        key=("hub", file.repo_id, file.filename),
        name=file.filename.rpartition("/")[2],
        description=entry.describe(language) if entry else "",
        moe=entry.moe if entry else None,
        total_params=entry.total_params if entry else None,
        active_params=entry.active_params if entry else None,
        n_experts=entry.n_experts if entry else 0,
        experts_per_token=entry.experts_per_token if entry else 0,
        n_shared_experts=entry.n_shared_experts if entry else 0,
        size_bytes=file.size_bytes,
        quantization=file.quantization,
        license=license_name(entry.license) if entry else "",
        gated=gated,
        languages=entry.languages if entry else (),
        repo=file.repo_id,
        filename=file.filename,
        catalog_id=entry.id if entry and entry.filename == file.filename else None,
        estimate=estimate_for_download(file.size_bytes, file.quantization, entry),
        projector=file.projector,
        complete=file.complete,
        embedding=entry is not None and entry.kind == EMBEDDING,
    )


# --- The model and its views --------------------------------------------------------------------------------


class LibraryModel(QAbstractListModel):
    """Every LibraryItem the library knows, in one list; views filter and sort it.

    Rows are found by their item's key. ``ITEM_ROLE`` gives the item, DisplayRole its name, ToolTipRole
    its fit in words (set by the pane through ``tooltip``).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[LibraryItem] = []

    # -- Qt
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.name
        return None

    # -- queries
    def items(self, kinds: tuple[str, ...] = KINDS) -> list[LibraryItem]:
        return [item for item in self._items if item.kind in kinds]

    def find(self, key: tuple) -> LibraryItem | None:
        row = self._row(key)
        return self._items[row] if row is not None else None

    def _row(self, key: tuple) -> int | None:
        for row, item in enumerate(self._items):
            if item.key == key:
                return row
        return None

    # -- changes
    def put(self, item: LibraryItem) -> None:
        """Add the item, or replace the one with the same key."""
        row = self._row(item.key)
        if row is None:
            self.beginInsertRows(QModelIndex(), len(self._items), len(self._items))
            self._items.append(item)
            self.endInsertRows()
        elif self._items[row] != item:
            self._items[row] = item
            self.dataChanged.emit(self.index(row), self.index(row))

    def replace_kinds(self, kinds: tuple[str, ...], items: list[LibraryItem]) -> None:
        """Remove every item of ``kinds`` that is not in ``items``, then put ``items``."""
        wanted = {item.key for item in items}
        for row in range(len(self._items) - 1, -1, -1):
            if self._items[row].kind in kinds and self._items[row].key not in wanted:
                self.remove(self._items[row].key)
        for item in items:
            self.put(item)

    def remove(self, key: tuple) -> None:
        row = self._row(key)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._items[row]
            self.endRemoveRows()

    def update(self, change, kinds: tuple[str, ...] = KINDS) -> None:
        """Replace each item of ``kinds`` by ``change(item)`` where that differs."""
        for row, item in enumerate(self._items):
            if item.kind in kinds:
                new = change(item)
                if new != item:
                    self._items[row] = new
                    self.dataChanged.emit(self.index(row), self.index(row))

    def mark_installed(self) -> None:
        """Tell each catalog entry and Hub file whether it is already in the library (as which file)."""
        installed = self.items((INSTALLED,))
        by_name = {Path(item.path).name: item.path for item in installed}
        by_catalog = {item.catalog_id: item.path for item in installed if item.catalog_id}

        def mark(item: LibraryItem) -> LibraryItem:
            path = by_catalog.get(item.catalog_id) if item.catalog_id else None
            path = path or by_name.get(Path(item.filename or "").name)
            return dataclasses.replace(item, installed_path=path)

        self.update(mark, (CATALOG, HUB_FILE))

    def mark_loaded(self, path: str | None) -> None:
        """Tell each library file whether it is the one at ``path``, loaded in the engine."""
        self.update(lambda item: dataclasses.replace(item, loaded=item.path == path), (INSTALLED,))


class LibraryFilter(QSortFilterProxyModel):
    """One view of the library: the items of some kinds that contain every word of the filter text,
    sorted by name, size or fit (best first; unknown last). Search results (HUB_REPO) keep the Hub's
    order, most downloaded first, whatever the sort key: that is how people tell the well-known
    repository from a copy.

    Attributes:
        kinds: the item kinds shown.
        text: the filter text.
        sort_key: one of SORT_KEYS.
        repo: for HUB_FILE items, only those of this repository (None: none of them).
    """

    def __init__(self, kinds: tuple[str, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kinds = kinds
        self.text = ""
        self.sort_key = "name"
        self.repo: str | None = None
        self._words: list[str] = []
        self.setDynamicSortFilter(True)
        self.sort(0)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_repo(self, repo: str | None) -> None:
        self.beginFilterChange()
        self.repo = repo
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_sort_key(self, key: str) -> None:
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {key!r}")
        self.sort_key = key
        self.invalidate()
        self.sort(0)

    def item(self, index: QModelIndex) -> LibraryItem | None:
        return index.data(ITEM_ROLE) if index.isValid() else None

    def items(self) -> list[LibraryItem]:
        """The items shown, in order."""
        return [self.index(row, 0).data(ITEM_ROLE) for row in range(self.rowCount())]

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802 (Qt override)
        item = self.sourceModel().index(source_row, 0, source_parent).data(ITEM_ROLE)
        if item is None or item.kind not in self.kinds:
            return False
        if item.kind == HUB_FILE and item.repo != self.repo:
            return False
        if item.kind == HUB_REPO and self.repo is not None:
            return False
        haystack = item.haystack()
        return all(word in haystack for word in self._words)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:  # noqa: N802 (Qt override)
        return self._sort_value(left.data(ITEM_ROLE)) < self._sort_value(right.data(ITEM_ROLE))

    def _sort_value(self, item: LibraryItem) -> tuple:
        name = item.name.casefold()
        size = item.size_bytes if item.size_bytes is not None else math.inf
        usable = 0 if item.usable and not item.projector else 1
        if item.kind == HUB_REPO:
            return (usable, -(item.downloads or 0), name)
        if self.sort_key == "size":
            return (usable, size, name)
        if self.sort_key == "fit":
            rank = _FIT_RANK.get(item.fit.level, 3) if item.fit else 3
            return (usable, rank, size, name)
        return (usable, name)
