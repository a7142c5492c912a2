"""The first-run guide: a few pages for people who have never heard of GGUF, skippable, reachable again from
Help › First steps….

Pages: welcome (with what stays on this computer, linking the locality panel), choosing a model
(model_page.py; left out in offline bundles, which bring their model), and a tour of the window's three
panes. ``maybe_show_guide`` opens it at the first start; ``show_guide`` opens it whenever asked.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QFrame, QHBoxLayout, QLabel, QMainWindow, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from app.core.models.bundle import bundled_models
from app.ui import settings
from app.ui.guide.model_page import ModelPage
from app.ui.library.pane import LibraryPane

GUIDE_STYLE = """
QLabel#guideTitle { font-size: 17pt; font-weight: bold; }
QLabel#guideLead { font-size: 13pt; }
QLabel#guideStep { color: palette(text); }
QFrame#guidePane { border: 2px solid palette(mid); border-radius: 8px; background: palette(base); }
QLabel#guidePaneTitle { font-size: 13pt; font-weight: bold; }
QListWidget#guideModelList::item { padding: 6px 4px; }
QListWidget#guideModelList::item:selected { background: palette(highlight); color: palette(highlighted-text); }
"""
"""Styles of the guide's own parts; colours come from the palette, so they follow the theme."""


class FirstRunGuide(QDialog):
    """The guide: a stack of pages with Skip on every page, and Back, Next and Done.

    It is not modal: the window stays usable beside it (a download it started goes on in the library).
    However it ends (Done, Skip, Escape or closing it), it is marked done and no longer opens by itself.

    Attributes:
        pages: the page widgets by name, in order: "welcome", ("model",) "tour".
        model_page: the ModelPage, or None when the model step is left out.
        skip_button, back_button, next_button: the navigation.
        step_label: "Step 1 of 3".
        locality_label: the welcome page's sentence on what stays here, with its link.

    Signals:
        localityRequested(): the user asked to see what stays on this computer (the locality panel).
    """

    localityRequested = Signal()

    def __init__(self, library: LibraryPane, *, model_step: bool = True, parent: QWidget | None = None) -> None:
        """``model_step`` False leaves out the model page (offline bundles and kiosks bring their model)."""
        super().__init__(parent)
        self.setObjectName("firstRunGuide")
        self.setWindowTitle(self.tr("First steps — MoEscope"))
        self.setModal(False)
        self.setStyleSheet(GUIDE_STYLE)
        self.model_page = ModelPage(library) if model_step else None
        self.pages: dict[str, QWidget] = {"welcome": self._welcome_page()}
        if self.model_page is not None:
            self.pages["model"] = self.model_page
        self.pages["tour"] = self._tour_page()
        self._stack = QStackedWidget()
        for page in self.pages.values():
            self._stack.addWidget(page)

        self.step_label = QLabel()
        self.step_label.setObjectName("guideStep")
        self.skip_button = QPushButton(self.tr("&Skip"))
        self.skip_button.setToolTip(self.tr("Close the guide; Help › First steps… opens it again"))
        self.skip_button.clicked.connect(self.reject)
        self.back_button = QPushButton(self.tr("&Back"))
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton()
        self.next_button.setObjectName("primary")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        navigation = QHBoxLayout()
        navigation.addWidget(self.skip_button)
        navigation.addStretch(1)
        navigation.addWidget(self.step_label)
        navigation.addStretch(1)
        navigation.addWidget(self.back_button)
        navigation.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.setSpacing(14)
        layout.addWidget(self._stack, 1)
        layout.addLayout(navigation)
        self.setMinimumSize(560, 440)
        self.resize(860, 640)
        self.show_page("welcome")

    # --- pages --------------------------------------------------------------------------------------------

    def _welcome_page(self) -> QWidget:
        title = _label(self.tr("Welcome to MoEscope"), "guideTitle")
        lead = _label(self.tr(
            "MoEscope lets you chat with an AI language model that runs on this computer, and shows which of "
            "its “experts” work on each word of the answer."), "guideLead")
        steps = _label(
            self.tr("This guide takes two minutes: first you choose a model that suits this computer, then you "
                    "see what the three parts of the window are for.")
            if self.model_page is not None
            else self.tr("This guide takes a minute: it shows what the three parts of the window are for."))
        demo = _label(self.tr(
            "Good to know: the “demo MoE” model that comes with MoEscope has random weights. Its answers are "
            "gibberish on purpose; it only shows how the experts are chosen."), "note")
        link = html.escape(self.tr("See what stays on this computer"))
        locality = _label(html.escape(self.tr(
            "Your conversations and models stay on this computer; MoEscope only connects to the internet "
            "when you download or search for a model.")) + f' <a href="locality">{link}</a>')
        locality.setObjectName("guideLocality")
        locality.setTextFormat(Qt.TextFormat.RichText)
        locality.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        locality.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        locality.linkActivated.connect(lambda _link: self.localityRequested.emit())
        self.locality_label = locality
        return _page(title, lead, steps, locality, demo)

    def _tour_page(self) -> QWidget:
        title = _label(self.tr("The three parts of the window"), "guideTitle")
        lead = _label(self.tr("From left to right, as in the window:"))
        panes = QHBoxLayout()
        panes.setSpacing(12)
        for name, text in (
            (self.tr("Model library"), self.tr(
                "The models on this computer, and more to download. Choose one and press “Load” to chat "
                "with it.")),
            (self.tr("Chat"), self.tr(
                "Type a question and press Enter. The answer appears word by word; earlier conversations are "
                "listed beside it.")),
            (self.tr("Experts"), self.tr(
                "While the model writes, you see which of its experts work on each word. Click a word of "
                "the answer to see its experts.")),
        ):
            box = QFrame()
            box.setObjectName("guidePane")
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(_label(name, "guidePaneTitle"))
            box_layout.addWidget(_label(text))
            box_layout.addStretch(1)
            panes.addWidget(box, 1)
        hint = _label(self.tr("Help › First steps… opens this guide again."), "note")
        page = _page(title, lead)
        page.layout().insertLayout(2, panes)
        page.layout().addWidget(hint)
        return page

    # --- navigation ---------------------------------------------------------------------------------------

    @property
    def current_page(self) -> str:
        return next(name for name, page in self.pages.items() if page is self._stack.currentWidget())

    def show_page(self, name: str) -> None:
        names = list(self.pages)
        index = names.index(name)
        self._stack.setCurrentWidget(self.pages[name])
        self.step_label.setText(self.tr("Step {index} of {count}").format(index=index + 1, count=len(names)))
        self.back_button.setEnabled(index > 0)
        last = index == len(names) - 1
        self.next_button.setText(self.tr("&Done") if last else self.tr("&Next"))
        self.next_button.setToolTip(self.tr("Close the guide and start") if last else "")

    def next(self) -> None:
        """The next page; on the last, end the guide."""
        names = list(self.pages)
        index = names.index(self.current_page)
        if index == len(names) - 1:
            self.accept()
        else:
            self.show_page(names[index + 1])

    def back(self) -> None:
        names = list(self.pages)
        index = names.index(self.current_page)
        if index > 0:
            self.show_page(names[index - 1])

    def done(self, result: int) -> None:
        """Every way out (Done, Skip, Escape, closing) marks the guide done."""
        settings.set_guide_done(True)
        super().done(result)


def show_guide(window: QMainWindow) -> FirstRunGuide:
    """Open the guide over ``window`` (a MainWindow: its ``library`` and ``show_locality_panel``), or bring
    forward the one already open. Offline bundles leave out the model step."""
    guide = window.findChild(FirstRunGuide)
    if guide is None or not guide.isVisible():  # one that was closed is being deleted
        guide = FirstRunGuide(window.library, model_step=not bundled_models(), parent=window)
        guide.localityRequested.connect(window.show_locality_panel)
        guide.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide


def maybe_show_guide(window: QMainWindow) -> FirstRunGuide | None:
    """At the first start (the guide never finished or skipped), open it; else nothing."""
    return None if settings.guide_done() else show_guide(window)


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def _page(*widgets: QWidget) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(12)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return page
