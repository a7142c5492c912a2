"""DocumentsChooser: which document collections the chat asks, as a button with a menu of them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget


class DocumentsChooser(QToolButton):
    """A button, "Documents: off" or "Documents: Handbuch, Verträge", whose menu ticks collections on and off and
    opens the Documents dialog.

    A name that is no collection (any more) is left out of ``chosen`` without a word: a conversation kept
    with a collection that was removed since simply asks the others. Until the collections are first listed,
    the names chosen are kept as given, and checked then.

    Attributes:
        chosen: the names of the collections the chat asks, in the order of the menu.

    Signals:
        chosenChanged(list): ``chosen`` changed.
        manageRequested(): "Manage documents…" was chosen.
    """

    chosenChanged = Signal(list)
    manageRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsChooser")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAccessibleName(self.tr("Documents the chat asks"))
        self.setToolTip(self.tr("Answer from your own documents: the passages that match a question go to the "
                                "model with it, and the answer names its sources"))
        self.chosen: list[str] = []
        self._names: list[str] = []
        self._listed = False
        self.setMenu(QMenu(self))
        self._rebuild()

    def set_collections(self, collections: list) -> None:
        """The collections there are; chosen ones that are gone are no longer chosen."""
        self._names = [collection.name for collection in collections]
        self._listed = True
        kept = [name for name in self.chosen if name in self._names]
        self._rebuild()
        if kept != self.chosen:
            self.set_chosen(kept)

    def set_chosen(self, names: list[str]) -> None:
        self.chosen = [name for name in self._names if name in names] if self._listed else list(dict.fromkeys(names))
        self._rebuild()
        self.chosenChanged.emit(list(self.chosen))

    def _toggle(self, name: str, on: bool) -> None:
        self.set_chosen([each for each in self._names if (each == name and on) or (each != name and each in self.chosen)])

    def _rebuild(self) -> None:
        menu = self.menu()
        menu.clear()
        for name in self._names:
            action = QAction(name, menu)
            action.setCheckable(True)
            action.setChecked(name in self.chosen)
            action.toggled.connect(lambda on, name=name: self._toggle(name, on))
            menu.addAction(action)
        if not self._names:
            empty = menu.addAction(self.tr("No collections yet"))
            empty.setEnabled(False)
        menu.addSeparator()
        manage = menu.addAction(self.tr("Manage documents…"))
        manage.triggered.connect(self.manageRequested)
        self.setText(self.tr("Documents: {names}").format(names=", ".join(self.chosen)) if self.chosen
                     else self.tr("Documents: off"))
