"""WelcomeScreen: what a new visitor sees: the welcome text, the example questions as big buttons, and a
box to type a question of their own."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.ui.kiosk.conversation import QuestionBox


class ExampleButton(QPushButton):
    """A large button whose words wrap onto several lines (a plain QPushButton keeps them on one)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exampleButton")
        self.setAccessibleName(text)
        self.words = text
        self.label = QLabel(text)
        self.label.setObjectName("exampleText")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.label)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        return self.layout().totalHeightForWidth(width)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.layout().minimumSize()


class WelcomeScreen(QWidget):
    """The welcome text, up to six example questions in two columns, and the question box.

    Attributes:
        examples: the ExampleButtons.
        question: the QuestionBox.

    Signals:
        asked(str): the visitor chose an example or typed a question.
    """

    asked = Signal(str)

    def __init__(self, welcome: str | None, examples: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(welcome or self.tr("Ask the model something!"))
        self.title.setObjectName("welcomeTitle")
        self.title.setWordWrap(True)
        self.lead = QLabel(self.tr(
            "A language model answers right here, on this computer. Choose a question or type your own."))
        self.lead.setObjectName("welcomeLead")
        self.lead.setWordWrap(True)
        self.examples = [ExampleButton(text) for text in examples]
        grid = QGridLayout()
        grid.setSpacing(20)
        for place, button in enumerate(self.examples):
            button.clicked.connect(lambda _checked=False, words=button.words: self.asked.emit(words))
            grid.addWidget(button, place // 2, place % 2)
        self.question = QuestionBox()
        self.question.asked.connect(self.asked)
        self.privacy = QLabel(self.tr(
            "Nothing you type is stored. When you leave, the conversation is cleared for the next visitor."))
        self.privacy.setObjectName("welcomePrivacy")
        self.privacy.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(24)
        layout.addWidget(self.title)
        layout.addWidget(self.lead)
        layout.addStretch(1)
        layout.addLayout(grid)
        layout.addSpacing(16)
        layout.addWidget(self.question)
        layout.addStretch(2)
        layout.addWidget(self.privacy)

    def set_ready(self, ready: bool) -> None:
        """Whether questions can be asked now (the model is loaded)."""
        for button in self.examples:
            button.setEnabled(ready)
        self.question.set_ready(ready)

    @property
    def empty(self) -> bool:
        return not self.question.input.text()

    def clear(self) -> None:
        self.question.clear()
