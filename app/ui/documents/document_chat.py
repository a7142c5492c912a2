"""DocumentChat: the chat answering from the user's documents.

When collections are chosen (the DocumentsChooser above the input box), a request for an answer waits
for the passages that match its question (found on the DocumentsController's search thread), goes to the
engine with them (app.core.documents.grounding), and the answer names them as numbered sources; clicking
one shows the passage and opens the file. When no passage matches, MoEscope says so itself and the model
is not asked. Stop while the passages are looked for ends the answer at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.core.documents.grounding import grounded, question_of
from app.core.engine import protocol
from app.ui.chat.pane import ChatPane
from app.ui.documents.chooser import DocumentsChooser
from app.ui.documents.controller import DocumentsController
from app.ui.documents.dialog import DocumentsDialog
from app.ui.documents.source_dialog import SourceDialog
from app.ui.documents.words import nothing_found, source_label


class DocumentChat(QObject):
    """Between the chat and the engine, for answers from documents.

    Attributes:
        controller: the DocumentsController (its threads end with ``close``).
        chooser: the DocumentsChooser, put above the chat's input box.
        dialog: the DocumentsDialog once opened, else None.
        source_dialog: the last SourceDialog opened, else None.
        waiting: the request waiting for its passages, or None.
        embedding_models: returns the embedding models the dialog offers, as (name, file); the window
            sets it to the library's.
    """

    def __init__(self, chat: ChatPane, send: Callable[[protocol.Generate], None], context_size: Callable[[], int],
                 window: QWidget, path: Path | None = None) -> None:
        super().__init__(window)
        self.chat, self.send, self.context_size, self.window = chat, send, context_size, window
        self.controller = DocumentsController(path, self)
        self.chooser = DocumentsChooser()
        self.dialog: DocumentsDialog | None = None
        self.source_dialog: SourceDialog | None = None
        self.waiting: tuple[int, protocol.Generate, list[str]] | None = None
        self.embedding_models: Callable[[], list[tuple[str, str]]] = list
        chat.set_documents_bar(self.chooser)
        chat.sourceRequested.connect(self.show_source)
        self.chooser.manageRequested.connect(self.show_dialog)
        self.controller.collectionsChanged.connect(self.chooser.set_collections)
        self.controller.retrieved.connect(self._on_retrieved)
        self.controller.refresh()

    def take(self, request: protocol.Generate) -> bool:
        """Whether ``request`` waits for passages (collections are chosen); it is sent once they are found."""
        names = list(self.chooser.chosen)
        if not names or request.messages is None:
            return False
        self.waiting = (self.controller.retrieve(names, question_of(request)), request, names)
        return True

    def stop(self) -> bool:
        """Stop pressed: whether it ended an answer still waiting for its passages."""
        if self.waiting is None:
            return False
        self.waiting = None
        self.chat.abort_answer(self.tr("stopped"))
        return True

    def show_dialog(self) -> DocumentsDialog:
        if self.dialog is None:
            self.dialog = DocumentsDialog(self.controller, self.window)
        self.dialog.set_embedding_models(self.embedding_models())
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def show_source(self, source: tuple[int, object]) -> None:
        number, hit = source
        self.source_dialog = SourceDialog(number, hit, self.window)
        self.source_dialog.open()

    def close(self) -> None:
        self.waiting = None
        self.controller.close()

    def _on_retrieved(self, request_id: int, hits: list) -> None:
        if self.waiting is None or self.waiting[0] != request_id:
            return  # stopped, or an older question
        _id, request, names = self.waiting
        self.waiting = None
        if not self.chat.generating:
            return
        if not hits:
            self.chat.answer_without_model(nothing_found(names), self.tr("no matching passage; the model was not asked"))
            return
        request, used = grounded(request, hits, self.context_size())
        self.chat.set_sources([(source_label(hit), (number, hit)) for number, hit in enumerate(used, start=1)])
        self.send(request)
