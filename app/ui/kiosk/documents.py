"""KioskDocuments: a kiosk answering from the one document collection its configuration names.

A visitor's question goes through the window's own Retrieval (app.ui.documents.document_chat), from that
collection alone: visitors cannot choose another, and the sources under an answer are named by file and
page only, nothing to open (app.ui.kiosk.conversation). The index is only read; where there is none, no
file is made. A collection that is not there does not stop the kiosk: a visitor is told to ask the staff,
and the admin screen says what is missing. The collections are listed again between visitors and when the
admin screen opens, so a collection made meanwhile is used from the next visitor on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject

from app.core.engine import protocol
from app.ui.documents.controller import DocumentsController
from app.ui.documents.document_chat import Retrieval
from app.ui.kiosk.admin import AdminScreen
from app.ui.kiosk.conversation import ConversationScreen

translate = QCoreApplication.translate


class KioskDocuments(QObject):
    """The collection ``name`` for the kiosk's ``conversation``; what it holds goes to ``admin``.

    Attributes:
        name: the collection's name.
        controller: the DocumentsController over the data folder's document index.
        retrieval: the Retrieval a question goes through.
        missing: whether the collection is not in the index (as last listed; before that, whether there is
            no index file at all).
    """

    def __init__(self, name: str, conversation: ConversationScreen, send: Callable[[protocol.Generate], None],
                 context_size: Callable[[], int], admin: AdminScreen, parent: QObject) -> None:
        super().__init__(parent)
        self.name, self.conversation, self.admin = name, conversation, admin
        self.controller = DocumentsController(parent=self)
        self.missing = not self.controller.path.is_file()  # a search would make the file
        self.retrieval = Retrieval(self.controller, conversation, send, context_size, self,
                                   lambda _names: self._nothing_found())
        conversation.stopRequested.connect(self.retrieval.stop)
        self.controller.collectionsChanged.connect(self._on_collections)
        self.controller.failed.connect(self._on_failed)
        self.controller.refresh()

    def ask(self, request: protocol.Generate) -> None:
        """Answer ``request`` from the collection: it waits for the passages (or, without the collection,
        the visitor is told to ask the staff, and the model is not asked)."""
        if self.missing:
            self.conversation.answer_without_model(
                self.tr("This kiosk answers from its documents, and they are not there at the moment. Please "
                        "tell the staff."), self.tr("the model was not asked"))
        else:
            self.retrieval.take(request, [self.name])

    def refresh(self) -> None:
        """List the collections again (between visitors, for the admin screen)."""
        self.controller.refresh()

    def cancel(self) -> None:
        """Forget a question waiting for its passages (the visitor's conversation was wiped)."""
        self.retrieval.cancel()

    def close(self) -> None:
        self.retrieval.cancel()
        self.controller.close()

    def _nothing_found(self) -> str:
        return self.tr("Nothing in this kiosk's documents matches this question, so the model was not asked: it "
                       "would only guess. Please try other words.")

    def _on_collections(self, collections: list) -> None:
        found = next((collection for collection in collections if collection.name == self.name), None)
        self.missing = found is None
        if found is None:
            self.admin.set_documents(self.tr(
                "Documents: the collection “{name}” does not exist on this computer, so visitors' questions are "
                "not answered. Make it in the window (File › Documents…) or with “moescope docs index”, then "
                "open this screen again.").format(name=self.name), missing=True)
        else:
            holds = ", ".join((translate("DocumentsDialog", "%n document(s)", "", found.files),  # the dialog's words
                               translate("DocumentsDialog", "%n passage(s)", "", found.chunks)))
            self.admin.set_documents(self.tr("Documents: “{name}”, {holds}").format(name=self.name, holds=holds),
                                     missing=False)
            self.controller.warm([self.name])  # a visitor's first question need not wait for the vectors

    def _on_failed(self, problem: str) -> None:
        self.admin.set_documents(self.tr("Documents: {problem}").format(problem=problem), missing=True)
