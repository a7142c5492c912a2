"""Asking your own documents in the window: File › Documents… indexes a folder off the GUI thread and names
the files it could not read; with the collection chosen, a question goes to the real engine with the
passages that match it, the answer names them as sources (the same passages, in the same order), a
source opens its passage, and a question no passage matches is answered by MoEscope without the model."""

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from documents_corpus import write_corpus
from PySide6.QtCore import Qt
from window_helpers import ENGINE_TIMEOUT_MS, load

from app.core.engine import protocol
from app.core.models.demo import write_demo_model
from app.ui.chat.transcript import SOURCE
from app.ui.i18n import install_translators
from app.ui.main_window import MainWindow
from app.worker import start_engine_thread, stop_engine_thread

pytestmark = pytest.mark.slow


def send(qtbot, window, text: str) -> None:
    """Type ``text`` (QTest cannot type umlauts key by key) and press Enter."""
    window.chat.input.setPlainText(text)
    qtbot.keyClick(window.chat.input, Qt.Key.Key_Return)
    assert window.chat.generating


@pytest.fixture
def window(qtbot, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    moe = write_demo_model(models / "demo-moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3)
    previous_locale = QLocale()
    translators = install_translators(QCoreApplication.instance(), "en")  # as the app: English plural forms
    worker, thread = start_engine_thread()
    main_window = None
    try:
        main_window = MainWindow(worker, models, documents_path=tmp_path / "data" / "documents.sqlite3")
        qtbot.addWidget(main_window)
        main_window.show()
        qtbot.waitUntil(lambda: main_window.engine_ready and not main_window.library.scanning,
                        timeout=ENGINE_TIMEOUT_MS)
        load(qtbot, main_window, moe)
        yield main_window
    finally:
        if main_window is not None:
            main_window.close()
        stop_engine_thread(worker, thread)
        for translator in translators:
            QCoreApplication.removeTranslator(translator)
        QLocale.setDefault(previous_locale)


@pytest.fixture
def indexed(qtbot, window, tmp_path):
    """The corpus indexed as "Firma" through the Documents dialog."""
    corpus = write_corpus(tmp_path / "docs")
    dialog = window.document_chat.show_dialog()
    with qtbot.waitSignal(window.document_chat.controller.indexed, timeout=60_000):
        assert dialog.add("Firma", [str(tmp_path / "docs")])
    return dialog, corpus


def test_the_documents_dialog_indexes_a_folder_and_names_what_it_could_not_read(qtbot, window, indexed):
    dialog, corpus = indexed
    qtbot.waitUntil(lambda: dialog.collection_list.count() == 1)
    assert dialog.collection_list.item(0).text() == "Firma — 5 documents, 10 passages, 3 not readable"
    rows = {dialog.skipped_tree.topLevelItem(row).text(0): dialog.skipped_tree.topLevelItem(row).text(1)
            for row in range(dialog.skipped_tree.topLevelItemCount())}
    assert rows == {"geheim.pdf": "protected with a password",
                    "kaputt.pdf": "damaged, or not the kind of file its name says",
                    "scan.pdf": "holds no text, only images (a scanned document?)"}
    assert dialog.status_label.text() == "“Firma” is up to date: 5 added, 0 changed, 0 removed, 3 not readable."
    assert [action.text() for action in window.document_chat.chooser.menu().actions()][0] == "Firma"
    assert window.document_chat.chooser.text() == "Documents: off"


def test_an_answer_from_documents_names_the_passages_it_was_given(qtbot, window, indexed):
    _dialog, corpus = indexed
    sent = []
    window.generateRequested.connect(sent.append)
    window.document_chat.chooser.set_chosen(["Firma"])
    assert window.document_chat.chooser.text() == "Documents: Firma"
    window.chat.settings.update(max_tokens=12, temperature=0.0, seed=1)
    send(qtbot, window, "Wann verfällt der Resturlaub im Urlaub?")
    qtbot.waitUntil(lambda: not window.chat.generating, timeout=ENGINE_TIMEOUT_MS)

    assert len(sent) == 1
    system = sent[0].messages[0]
    assert system.role == protocol.SYSTEM and "Cite each passage you use by its number" in system.content
    assert "[1] Urlaubsregelung.pdf, p. 2\n" in system.content and "Resturlaub verfällt am 31. März." in system.content
    assert sent[0].messages[-1] == protocol.ChatMessage(protocol.USER, "Wann verfällt der Resturlaub im Urlaub?")
    answer = window.chat.transcript.entries[-1]
    labels = [label for label, _source in answer.sources]
    assert labels[0] == "Urlaubsregelung.pdf, page 2"
    in_prompt = [line for line in system.content.splitlines() if line[:1] == "[" and "] " in line]
    assert len(in_prompt) == len(labels)  # every passage in the prompt is a source, and no other
    for number, (_label, (shown_number, hit)) in enumerate(answer.sources, start=1):
        assert shown_number == number and f"[{number}] " in in_prompt[number - 1] and hit.text in system.content
    assert window.experts.answer_tokens == 12  # the expert view follows an answer from documents too

    number = window.chat.transcript.entries.index(answer)
    window.chat.transcript.actionRequested.emit(SOURCE, number, 0)
    source = window.document_chat.source_dialog
    assert source.passage.toPlainText() == answer.sources[0][1][1].text and source.open_button.isEnabled()
    assert str(corpus["urlaub_pdf"]) == source.hit.path


def test_a_question_no_passage_matches_is_answered_without_the_model(qtbot, window, indexed):
    sent = []
    window.generateRequested.connect(sent.append)
    window.document_chat.chooser.set_chosen(["Firma"])
    send(qtbot, window, "Quantenchromodynamik")
    qtbot.waitUntil(lambda: not window.chat.generating, timeout=10_000)
    assert sent == []
    assert window.chat.answer_text.startswith("Nothing in the documents “Firma” matches this question")
    assert window.chat.transcript.entries[-1].footer == "no matching passage; the model was not asked"

    window.document_chat.chooser.set_chosen([])  # documents off: the question goes to the model as it is
    send(qtbot, window, "Quantenchromodynamik")
    qtbot.waitUntil(lambda: not window.chat.generating, timeout=ENGINE_TIMEOUT_MS)
    assert len(sent) == 1 and sent[0].messages[0].role == protocol.USER
