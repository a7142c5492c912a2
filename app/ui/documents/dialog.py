"""DocumentsDialog: the document collections — add a folder or files, bring a collection up to date,
pause or stop indexing, see which files could not be read and why, remove a collection with its index,
and choose the embedding model that lets a collection be searched by meaning as well as by its words.

The work runs on the DocumentsController's threads; the dialog only shows it and never blocks.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.documents.formats import SUFFIXES
from app.core.documents.indexer import WORDS_ONLY, IndexReport, Progress
from app.ui.documents.controller import DocumentsController
from app.ui.documents.words import skip_reason


class DocumentsDialog(QDialog):
    """Lists the collections and indexes them through ``controller``.

    Attributes:
        collection_list: one row per collection, with what it holds.
        progress_bar, progress_label: indexing: how far, and the file being read.
        pause_button, stop_button: pause (and go on with) or stop the indexing.
        skipped_tree: the files of the chosen collection that could not be read, with the reason.
        meaning_combo: "Words only" or an embedding model of the library, for the chosen collection (and
            for a new one); choosing another one for a collection gives its passages vectors at once.
        status_label: what happened last, in words.
    """

    def __init__(self, controller: DocumentsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Documents — MoEscope"))
        self.setObjectName("documentsDialog")
        intro = QLabel(self.tr(
            "Ask your own documents: MoEscope reads PDF, Word, text, Markdown and HTML files on this computer "
            "and finds the passages that answer a question. Nothing is sent anywhere. In the chat, choose "
            "Documents to ask them."))
        intro.setWordWrap(True)

        self.collection_list = QListWidget()
        self.collection_list.setAccessibleName(self.tr("Document collections"))
        self.collection_list.setWordWrap(True)  # a long summary wraps instead of hiding behind a scroll bar
        self.collection_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.collection_list.currentRowChanged.connect(self._show_skipped)
        self.new_button = QPushButton(self.tr("New collection…"))
        self.new_button.setToolTip(self.tr("Name a new collection and choose a folder for it"))
        self.new_button.clicked.connect(self.ask_new_collection)
        self.add_folder_button = QPushButton(self.tr("Add folder…"))
        self.add_folder_button.setToolTip(self.tr("Add a folder (with its subfolders) to the chosen collection"))
        self.add_folder_button.clicked.connect(self.ask_folder)
        self.add_files_button = QPushButton(self.tr("Add files…"))
        self.add_files_button.setToolTip(self.tr("Add single files to the chosen collection"))
        self.add_files_button.clicked.connect(self.ask_files)
        self.update_button = QPushButton(self.tr("Update"))
        self.update_button.setToolTip(self.tr("Read new and changed files again; deleted files leave the index"))
        self.update_button.clicked.connect(self.update_current)
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.remove_button.setToolTip(self.tr("Remove the collection and its index; the files themselves stay"))
        self.remove_button.clicked.connect(self.confirm_remove)
        actions = QVBoxLayout()
        for button in (self.new_button, self.add_folder_button, self.add_files_button, self.update_button,
                       self.remove_button):
            actions.addWidget(button)
        actions.addStretch(1)
        lists = QHBoxLayout()
        lists.addWidget(self.collection_list, 1)
        lists.addLayout(actions)

        self.meaning_combo = QComboBox()
        self.meaning_combo.setAccessibleName(self.tr("Search by meaning with"))
        self.meaning_combo.setToolTip(self.tr(
            "An embedding model finds passages that say the same in other words, in German and English. "
            "Without one, passages are found by the words of the question."))
        self.meaning_combo.activated.connect(self._on_meaning_chosen)
        meaning_label = QLabel(self.tr("Search by meaning with:"))
        meaning_label.setBuddy(self.meaning_combo)
        meaning_row = QHBoxLayout()
        meaning_row.addWidget(meaning_label)
        meaning_row.addWidget(self.meaning_combo, 1)
        self._embedding_models: list[tuple[str, str]] = []

        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(self.tr("Indexing progress"))
        self.progress_label = QLabel()
        self.progress_label.setObjectName("note")
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop indexing; what was read until now is kept"))
        self.stop_button.clicked.connect(controller.stop)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.pause_button)
        progress_row.addWidget(self.stop_button)

        self.skipped_tree = QTreeWidget()
        self.skipped_tree.setHeaderLabels([self.tr("File"), self.tr("Why it was skipped")])
        self.skipped_tree.setAccessibleName(self.tr("Files that could not be read"))
        self.skipped_tree.setRootIsDecorated(False)
        self.skipped_tree.setColumnWidth(0, 180)
        self.skipped_caption = QLabel(self.tr("Files that could not be read:"))
        self.skipped_caption.setBuddy(self.skipped_tree)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("note")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(lists, 2)
        layout.addLayout(meaning_row)
        layout.addLayout(progress_row)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.skipped_caption)
        layout.addWidget(self.skipped_tree, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(close)
        self.resize(760, 560)

        controller.collectionsChanged.connect(self._show_collections)
        controller.progressed.connect(self._on_progress)
        controller.indexed.connect(self._on_indexed)
        controller.stopped.connect(self._on_stopped)
        controller.failed.connect(self._on_failed)
        self._show_collections(controller.collections)
        self.set_embedding_models([])
        controller.refresh()

    @property
    def current_name(self) -> str | None:
        item = self.collection_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    # --- asking the user -------------------------------------------------------------------------------

    def ask_new_collection(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New collection"), self.tr("Name of the collection:"))
        if ok and name.strip():
            folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder of documents"))
            if folder:
                self.add(name.strip(), [folder])

    def ask_folder(self) -> None:
        if self.current_name is None:
            self.ask_new_collection()
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder of documents"))
        if folder:
            self.add(self.current_name, [folder])

    def ask_files(self) -> None:
        if self.current_name is None:
            return
        patterns = " ".join(f"*{suffix}" for suffix in SUFFIXES)
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose documents"), "",
                                                self.tr("Documents ({patterns})").format(patterns=patterns))
        if files:
            self.add(self.current_name, files)

    def confirm_remove(self) -> None:
        name = self.current_name
        if name is None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Remove the collection?"),
                          self.tr("The collection “{name}” and its index are removed from this computer. The "
                                  "documents themselves stay where they are.").format(name=name),
                          QMessageBox.StandardButton.Cancel, self)
        remove = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self.controller.remove(name) if button is remove else None)
        self.message_box = box
        box.open()

    # --- the work ----------------------------------------------------------------------------------------

    def add(self, name: str, sources: list[str]) -> bool:
        """Index ``sources`` into the collection ``name``, a new one with the embedding model chosen; False
        (and a word why) while another indexing runs."""
        known = {collection.name for collection in self.controller.collections}
        model = None if name in known else self.meaning_combo.currentData()
        if not self.controller.index(name, sources, model):
            self.status_label.setText(self.tr("Wait until “{name}” is indexed.").format(name=self.controller.indexing))
            return False
        self.status_label.setText(self.tr("Reading the documents of “{name}”…").format(name=name))
        self.progress_bar.setRange(0, 0)
        self._update_buttons()
        return True

    def update_current(self) -> None:
        if self.current_name is not None:
            self.add(self.current_name, [])

    def set_embedding_models(self, models: list[tuple[str, str]]) -> None:
        """The embedding models to offer, as (name, file); the library's, asked each time the dialog shows."""
        self._embedding_models = list(models)
        self._show_meaning()

    def _on_meaning_chosen(self, _row: int) -> None:
        name, model = self.current_name, self.meaning_combo.currentData()
        current = self._current_collection()
        if name is None or current is None or model == current.embedding_model:
            return
        if self.controller.index(name, [], model):
            self.status_label.setText(
                self.tr("Giving the passages of “{name}” their vectors…").format(name=name) if model
                else self.tr("“{name}” is searched by its words only from now on.").format(name=name))
            self.progress_bar.setRange(0, 0)
            self._update_buttons()
        else:
            self._show_meaning()

    def toggle_pause(self) -> None:
        if self.controller.paused:
            self.controller.resume()
        else:
            self.controller.pause()
        self._update_buttons()

    def _on_progress(self, progress: Progress) -> None:
        self.progress_bar.setRange(0, max(progress.total, 1))
        self.progress_bar.setValue(progress.done)
        if progress.vectors:
            self.progress_label.setText(self.tr("Vectors for search by meaning: {done} of {total} passages").format(
                done=progress.done, total=progress.total))
        elif progress.current is not None:
            self.progress_label.setText(self.tr("{done} of {total} files · {name}").format(
                done=progress.done, total=progress.total, name=Path(progress.current).name))

    def _on_indexed(self, name: str, report: IndexReport) -> None:
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        self.progress_label.clear()
        text = self.tr(
            "“{name}” is up to date: {added} added, {updated} changed, {removed} removed, {skipped} not "
            "readable.").format(name=name, added=report.added, updated=report.updated, removed=report.removed,
                                skipped=len(report.skipped))
        if report.embedding_problem:
            text += " " + self.tr("Some passages can only be found by their words: {reason}").format(
                reason=report.embedding_problem)
        self.status_label.setText(text)
        self._select(name)
        self._update_buttons()

    def _on_stopped(self, name: str) -> None:
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_label.clear()
        self.status_label.setText(self.tr("Indexing “{name}” was stopped; what was read until then is kept.")
                                  .format(name=name))
        self._update_buttons()

    def _on_failed(self, message: str) -> None:
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_label.clear()
        self.status_label.setText(message)
        self._update_buttons()

    # --- showing ---------------------------------------------------------------------------------------------

    def _show_collections(self, collections: list) -> None:
        current = self.current_name
        self.collection_list.clear()
        for collection in collections:
            item = QListWidgetItem(f"{collection.name} — {self.summary(collection)}")
            item.setData(Qt.ItemDataRole.UserRole, collection.name)
            self.collection_list.addItem(item)
        self._select(current or (collections[0].name if collections else None))
        self._show_meaning()
        self._update_buttons()

    def summary(self, collection) -> str:
        """What a collection holds: "12 documents, 340 passages" (and how many could not be read)."""
        text = self.tr("%n document(s)", "", collection.files) + ", " + self.tr("%n passage(s)", "", collection.chunks)
        if collection.skipped:
            text += ", " + self.tr("%n not readable", "", collection.skipped)
        if collection.embedding_model:
            text += ", " + self.tr("by meaning")
        return text

    def _current_collection(self):
        return next((each for each in self.controller.collections if each.name == self.current_name), None)

    def _show_meaning(self) -> None:
        """The combo's choices, showing the chosen collection's embedding model (a gone one marked so)."""
        current = self._current_collection()
        wanted = current.embedding_model if current is not None else self.meaning_combo.currentData()
        models = dict((path, name) for name, path in self._embedding_models)
        if wanted and wanted not in models:
            models[wanted] = self.tr("{name} (file not found)").format(
                name=current.embedding_name if current is not None and current.embedding_name else Path(wanted).name)
        self.meaning_combo.clear()
        self.meaning_combo.addItem(self.tr("Words only"), WORDS_ONLY)
        for path, name in models.items():
            self.meaning_combo.addItem(name, path)
        self.meaning_combo.setCurrentIndex(max(0, self.meaning_combo.findData(wanted or WORDS_ONLY)))

    def _select(self, name: str | None) -> None:
        for row in range(self.collection_list.count()):
            if self.collection_list.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.collection_list.setCurrentRow(row)
                return
        self._show_skipped()

    def _show_skipped(self, *_args) -> None:
        self.skipped_tree.clear()
        self._show_meaning()
        for file in self.controller.skipped.get(self.current_name, []):
            item = QTreeWidgetItem([Path(file.path).name, skip_reason(file.kind, file.reason)])
            item.setToolTip(0, file.path)
            self.skipped_tree.addTopLevelItem(item)
        has_skipped = self.skipped_tree.topLevelItemCount() > 0
        self.skipped_tree.setVisible(has_skipped)
        self.skipped_caption.setVisible(has_skipped)

    def _update_buttons(self) -> None:
        busy = self.controller.indexing is not None
        chosen = self.current_name is not None
        self.new_button.setEnabled(not busy)
        self.add_folder_button.setEnabled(not busy)
        self.add_files_button.setEnabled(not busy and chosen)
        self.update_button.setEnabled(not busy and chosen)
        self.remove_button.setEnabled(not busy and chosen)
        self.meaning_combo.setEnabled(not busy)
        self.pause_button.setEnabled(busy)
        self.stop_button.setEnabled(busy)
        self.pause_button.setText(self.tr("Go on") if self.controller.paused else self.tr("Pause"))
        if not busy:
            self.progress_label.clear()
