"""DocumentChat: the chat answering from the user's documents; Retrieval, the part of it the kiosk shares.

When collections are chosen (the DocumentsChooser above the input box), a request for an answer waits
for the passages that match its question (found on the DocumentsController's search thread), goes to the
engine with them (app.core.documents.grounding), and the answer names them as numbered sources; clicking
one shows the passage and opens the file. When no passage matches, MoEscope says so itself and the model
is not asked. Stop while the passages are looked for ends the answer at once: nothing reaches the engine.

The passages an answer was given are kept with it (app.core.chat.model.Source, through the
ConversationKeeper), as are the collections each conversation asks: opening a conversation chooses its
collections again, and its answers show their sources as they were, also once a file has gone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QWidget

from app.core.chat.model import Source
from app.core.documents.grounding import grounded, question_of
from app.core.documents.store import Hit
from app.core.engine import protocol
from app.ui.chat.keeper import ConversationKeeper
from app.ui.chat.pane import ChatPane
from app.ui.documents.chooser import DocumentsChooser
from app.ui.documents.controller import DocumentsController
from app.ui.documents.dialog import DocumentsDialog
from app.ui.documents.source_dialog import SourceDialog
from app.ui.documents.words import nothing_found


class Answering(Protocol):
    """What shows the answer being written: the window's ChatPane, the kiosk's ConversationScreen."""

    generating: bool

    def set_sources(self, sources: list[Source]) -> None: ...

    def answer_without_model(self, text: str, footer: str) -> None: ...

    def abort_answer(self, reason: str) -> None: ...


def source_of(hit: Hit) -> Source:
    """A passage the search found, as an answer keeps it."""
    return Source(collection=hit.collection, path=hit.path, page=hit.page, heading=hit.heading, text=hit.text,
                  score=hit.score)


class Retrieval(QObject):
    """A request for an answer waits for the passages of some collections that match its question, then goes
    to the engine (``send``) with them, and ``answer`` shows them as its sources; with none found, ``answer``
    is written by MoEscope (``nothing_found``'s words) and the engine is not asked.

    Attributes:
        controller: the DocumentsController whose search thread finds the passages.
        waiting: the request waiting for its passages (its search's number, the request, the collections), or None.
    """

    def __init__(self, controller: DocumentsController, answer: Answering, send: Callable[[protocol.Generate], None],
                 context_size: Callable[[], int], parent: QObject,
                 nothing_found: Callable[[list[str]], str] = nothing_found) -> None:
        super().__init__(parent)
        self.controller, self.answer, self.send, self.context_size = controller, answer, send, context_size
        self.nothing_found = nothing_found
        self.waiting: tuple[int, protocol.Generate, list[str]] | None = None
        controller.retrieved.connect(self._on_retrieved)

    def take(self, request: protocol.Generate, names: list[str]) -> bool:
        """Whether ``request`` waits for the passages of the collections ``names`` (none: it does not)."""
        if not names or request.messages is None:
            return False
        self.waiting = (self.controller.retrieve(names, question_of(request)), request, list(names))
        return True

    def stop(self) -> bool:
        """Stop pressed: whether it ended an answer still waiting for its passages (the engine never got it)."""
        if self.waiting is None:
            return False
        self.waiting = None
        self.answer.abort_answer(QCoreApplication.translate("DocumentChat", "stopped"))
        return True

    def cancel(self) -> None:
        """Forget a request waiting for its passages (the conversation went)."""
        self.waiting = None

    def _on_retrieved(self, request_id: int, hits: list) -> None:
        if self.waiting is None or self.waiting[0] != request_id:
            return  # stopped, or an older question
        _id, request, names = self.waiting
        self.waiting = None
        if not self.answer.generating:
            return
        if not hits:
            self.answer.answer_without_model(self.nothing_found(names), QCoreApplication.translate(
                "DocumentChat", "no matching passage; the model was not asked"))
            return
        request, used = grounded(request, hits, self.context_size())
        self.answer.set_sources([source_of(hit) for hit in used])
        self.send(request)


class DocumentChat(QObject):
    """Between the chat, its keeper and the engine, for answers from documents.

    Attributes:
        controller: the DocumentsController (its threads end with ``close``).
        retrieval: the Retrieval the chat's requests go through.
        chooser: the DocumentsChooser, put above the chat's input box; its choice is the current
            conversation's (kept by ``keeper``).
        dialog: the DocumentsDialog once opened, else None.
        source_dialog: the last SourceDialog opened, else None.
        embedding_models: returns the embedding models the dialog offers, as (name, file); the window
            sets it to the library's.
        meaning_problem: what the status bar last said about search by meaning being unavailable, or "".
    """

    def __init__(self, chat: ChatPane, keeper: ConversationKeeper, send: Callable[[protocol.Generate], None],
                 context_size: Callable[[], int], window: QWidget, path: Path | None = None) -> None:
        super().__init__(window)
        self.chat, self.keeper, self.window = chat, keeper, window
        self.controller = DocumentsController(path, self)
        self.retrieval = Retrieval(self.controller, chat, send, context_size, self)
        self.chooser = DocumentsChooser()
        self.dialog: DocumentsDialog | None = None
        self.source_dialog: SourceDialog | None = None
        self.embedding_models: Callable[[], list[tuple[str, str]]] = list
        self.meaning_problem = ""
        chat.set_documents_bar(self.chooser)
        chat.sourceRequested.connect(self.show_source)
        self.chooser.manageRequested.connect(self.show_dialog)
        self.chooser.chosenChanged.connect(keeper.set_collections)
        self.chooser.chosenChanged.connect(self.controller.warm)
        self.controller.meaningUnavailable.connect(self.say_meaning_unavailable)
        keeper.collectionsShown.connect(self.chooser.set_chosen)
        self.controller.collectionsChanged.connect(self.chooser.set_collections)
        self.controller.refresh()

    def take(self, request: protocol.Generate) -> bool:
        """Whether ``request`` waits for passages (collections are chosen); it is sent once they are found."""
        return self.retrieval.take(request, list(self.chooser.chosen))

    def stop(self) -> bool:
        """Stop pressed: whether it ended an answer still waiting for its passages; the keeper then keeps
        it as interrupted at once (no Finished comes from an engine that never got it)."""
        if not self.retrieval.stop():
            return False
        self.keeper.answer_interrupted()
        return True

    def say_meaning_unavailable(self, reason: str) -> None:
        """An embedding model could not embed the question: the window's status bar says so, and why."""
        self.meaning_problem = self.tr("Search by meaning is not available, so the passages were found by their "
                                       "words: {reason}").format(reason=reason)
        self.window.statusBar().showMessage(self.meaning_problem, 15_000)

    def show_dialog(self) -> DocumentsDialog:
        if self.dialog is None:
            self.dialog = DocumentsDialog(self.controller, self.window)
        self.dialog.set_embedding_models(self.embedding_models())
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def show_source(self, source: tuple[int, Source]) -> None:
        number, passage = source
        self.source_dialog = SourceDialog(number, passage, self.window)
        self.source_dialog.open()

    def close(self) -> None:
        self.retrieval.cancel()
        self.controller.close()
