"""HubSearch: searching the Hugging Face Hub for GGUF repositories and listing a repository's files (through
the HubBrowser's threads), with their fit, into the LibraryModel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.core.hub.errors import HubError
from app.core.hub.search import HubFile, HubRepo
from app.core.locality.policy import NetworkPolicy
from app.core.models.catalog import CatalogEntry
from app.ui.library.controller import LibraryController
from app.ui.library.folder_scan import FolderScan
from app.ui.library.hub_browser import HubBrowser
from app.ui.library.table_model import HUB_FILE, HUB_REPO, LibraryModel, hub_file_item, hub_repo_item
from app.ui.library.words import hub_error_text


class HubSearch(LibraryController):
    """The search results (HUB_REPO items) and the files of the repositories opened (HUB_FILE items).

    Only the answer to the latest search and the latest file listing are shown.

    Attributes:
        browser: the HubBrowser asking the Hub.
        searching: whether a search or file listing runs.
        last_query: the words searched for last ("" before the first search).
        error: the HubError of the latest search or file listing, or None when it succeeded.
    """

    def __init__(
        self,
        dialog_parent: QWidget,
        model: LibraryModel,
        scan: FolderScan,
        catalog: list[CatalogEntry],
        language: str,
        *,
        token_provider: Callable[[], str | None],
        endpoint: str | None = None,
        policy: NetworkPolicy | None = None,
    ) -> None:
        """``scan`` has this computer's hardware, for the fit of the files listed."""
        super().__init__(dialog_parent)
        self.searching = False
        self.last_query = ""
        self.error: HubError | None = None
        self._model = model
        self._scan = scan
        self._catalog = catalog
        self._language = language
        self._search_number = 0
        self._files_number = 0
        self._gated: dict[str, bool] = {}
        self.browser = HubBrowser(token_provider=token_provider, endpoint=endpoint, policy=policy, parent=self)
        self.browser.searchFinished.connect(self._on_search_finished)
        self.browser.filesFinished.connect(self._on_files_finished)
        self.browser.failed.connect(self._on_failed)
        self.follow_offline_mode(policy)

    def search(self, query: str) -> None:
        """Search the Hub for GGUF repositories (off the GUI thread)."""
        self.last_query = query
        self._search_number = self.browser.search(query)
        self._files_number = 0
        self._started(self.tr("Searching Hugging Face for “{query}”…").format(query=query))

    def list_files(self, repo: str) -> None:
        """List a repository's GGUF files with their fit (off the GUI thread)."""
        self._files_number = self.browser.list_files(repo)
        self._started(self.tr("Reading the files of {repo}…").format(repo=repo))

    def empty_text(self, filtered: bool, repo: str | None) -> str:
        """What the Search view says when it shows nothing (``filtered``: the filter has words; ``repo``:
        the repository whose files are shown, or None for the search results)."""
        if self.searching or self.error is not None:  # the error line says what went wrong
            return ""
        if repo is not None:
            return self.tr("This repository has no GGUF model files.")
        if self.last_query and not filtered:
            return self.tr("Nothing found for “{query}”. Try fewer or other words, e.g. “Qwen3 30B”.").format(
                query=self.last_query
            )
        if self.last_query:
            return self.tr("No search result matches the filter.")
        return self.tr(
            "Search Hugging Face for more models in the GGUF format, e.g. “Qwen3 30B” or “OLMoE”. "
            "Only the words you search for are sent."
        )

    def offline_mode_changed(self, offline: bool) -> None:
        """Offline mode switched off: an error saying it is on is wrong now, so it goes."""
        if not offline and self.error is not None and self.error.kind == "blocked":
            self.error = None
            self.errorChanged.emit("")
            self.changed.emit()

    def _started(self, status: str) -> None:
        self.searching = True
        self.error = None
        self.errorChanged.emit("")
        self.statusChanged.emit(status)

    def _on_search_finished(self, number: int, repos: list[HubRepo]) -> None:
        if number != self._search_number:
            return
        self.searching = False
        self.statusChanged.emit("")
        self._gated.update({repo.repo_id: repo.gated for repo in repos})
        self._model.replace_kinds((HUB_REPO, HUB_FILE), [hub_repo_item(repo) for repo in repos])
        self.changed.emit()

    def _on_files_finished(self, number: int, repo: str, files: list[HubFile]) -> None:
        if number != self._files_number:
            return
        self.searching = False
        self.statusChanged.emit("")
        entry = next((e for e in self._catalog if e.repo.lower() == repo.lower()), None)
        gated = self._gated.get(repo, False)
        for old in self._model.items((HUB_FILE,)):
            if old.repo == repo:
                self._model.remove(old.key)
        for file in files:
            self._model.put(hub_file_item(file, gated, entry, self._language).with_fit(self._scan.hardware))
        self._model.mark_installed()
        self.changed.emit()

    def _on_failed(self, number: int, error: HubError) -> None:
        if number not in (self._search_number, self._files_number):
            return
        self.searching = False
        self.error = error
        self.statusChanged.emit("")
        self.errorChanged.emit(hub_error_text(error, searching=True))
        self.changed.emit()
