"""Asking your own documents in the window: File › Documents… indexes a folder off the GUI thread and names
the files it could not read; with the collection chosen, a question goes to the real engine with the
passages that match it, the answer names them as sources (the same passages, in the same order), a
source opens its passage, and a question no passage matches is answered by MoEscope without the model.
Kept conversations keep their sources (shown again after a restart, also once the file has gone) and
their collections (each conversation brings its own back); Stop while the passages are still looked for
sends nothing to the engine."""

import threading

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTimer
from documents_corpus import write_corpus
from PySide6.QtCore import Qt
from window_helpers import ENGINE_TIMEOUT_MS, load

from app.core.chat.model import ASSISTANT, COMPLETE, INTERRUPTED, USER
from app.core.chat.store import ConversationStore
from app.core.engine import protocol
from app.core.models.demo import write_demo_model
from app.core.models.demo_embedding import write_embedding_model
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
def open_window(qtbot, tmp_path):
    """``open_window()``: a window with the demo model loaded, its document index and conversation store in
    tmp_path (opened again, after the first was closed with ``close``, it finds what the first kept)."""
    models = tmp_path / "models"
    models.mkdir()
    moe = write_demo_model(models / "demo-moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3)
    write_embedding_model(models / "demo-embedding.gguf")
    previous_locale = QLocale()
    translators = install_translators(QCoreApplication.instance(), "en")  # as the app: English plural forms
    opened = []

    def start() -> MainWindow:
        worker, thread = start_engine_thread()
        opened.append((None, worker, thread))
        main_window = MainWindow(worker, models, documents_path=tmp_path / "data" / "documents.sqlite3",
                                 conversations_path=tmp_path / "data" / "conversations.sqlite3")
        opened[-1] = (main_window, worker, thread)
        qtbot.addWidget(main_window)
        main_window.show()
        qtbot.waitUntil(lambda: main_window.engine_ready and not main_window.library.scanning,
                        timeout=ENGINE_TIMEOUT_MS)
        load(qtbot, main_window, moe)
        return main_window

    try:
        yield start
    finally:
        for main_window, worker, thread in opened:
            if main_window is not None:
                main_window.close()
            stop_engine_thread(worker, thread)
        for translator in translators:
            QCoreApplication.removeTranslator(translator)
        QLocale.setDefault(previous_locale)


@pytest.fixture
def window(open_window):
    return open_window()


def index(qtbot, window, name: str, sources: list) -> None:
    dialog = window.document_chat.show_dialog()
    with qtbot.waitSignal(window.document_chat.controller.indexed, timeout=60_000):
        assert dialog.add(name, [str(source) for source in sources])


@pytest.fixture
def indexed(qtbot, window, tmp_path):
    """The corpus indexed as "Firma" through the Documents dialog."""
    corpus = write_corpus(tmp_path / "docs")
    index(qtbot, window, "Firma", [tmp_path / "docs"])
    return window.document_chat.dialog, corpus


def answered(qtbot, window, text: str) -> None:
    send(qtbot, window, text)
    qtbot.waitUntil(lambda: not window.chat.generating, timeout=ENGINE_TIMEOUT_MS)


def kept(tmp_path) -> dict:
    """The kept conversations by title, as the store has them (read beside the window)."""
    with ConversationStore(tmp_path / "data" / "conversations.sqlite3", housekeeping=False) as store:
        return {summary.title: store.get(summary.id) for summary in store.summaries()}


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
    assert str(corpus["urlaub_pdf"]) == source.source.path


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


def close(window: MainWindow) -> None:
    """Close the window as a user does: its conversation store and document index close with it."""
    window.close()
    stop_engine_thread(window.worker, window.worker.thread())


def test_a_kept_answer_shows_its_sources_again_after_a_restart_also_once_the_file_is_gone(
        qtbot, open_window, tmp_path):
    window = open_window()
    corpus = write_corpus(tmp_path / "docs")
    index(qtbot, window, "Firma", [tmp_path / "docs"])
    window.document_chat.chooser.set_chosen(["Firma"])
    window.chat.settings.update(max_tokens=12, temperature=0.0, seed=1)
    answered(qtbot, window, "Wann verfällt der Resturlaub im Urlaub?")
    fresh = window.chat.transcript.entries[-1].sources
    assert fresh and fresh[0][0] == "Urlaubsregelung.pdf, page 2" and window.chat.answer_text
    close(window)

    (conversation,) = kept(tmp_path).values()
    assert conversation.collections == ("Firma",)
    answer = conversation.messages[-1]
    assert answer.role == ASSISTANT and answer.sources == tuple(source for _label, (_n, source) in fresh)
    corpus["urlaub_pdf"].unlink()

    window = open_window()
    assert window.document_chat.chooser.chosen == []  # a new window starts with no documents chosen
    window.keeper.open(conversation.id)
    qtbot.waitUntil(lambda: window.conversation_store.current_id == conversation.id)
    shown = window.chat.transcript.entries[-1]
    assert shown.sources == fresh  # the same numbered links: labels, numbers and passages
    assert window.document_chat.chooser.chosen == ["Firma"]  # and the conversation's collections

    window.chat.transcript.actionRequested.emit(SOURCE, window.chat.transcript.entries.index(shown), 0)
    source = window.document_chat.source_dialog
    assert source.passage.toPlainText() == fresh[0][1][1].text and "Resturlaub verfällt am 31. März." in \
        source.passage.toPlainText()
    assert not source.open_button.isEnabled() and source.open_button.text() == "The file is gone"
    assert source.path_label.text().startswith(f"{corpus['urlaub_pdf']} is no longer there: it was moved or deleted.")
    assert source.open_file() is False


def test_each_conversation_brings_back_the_collections_it_asks(qtbot, window, indexed, tmp_path):
    _dialog, corpus = indexed
    index(qtbot, window, "Notizen", [corpus["notes_md"]])
    chooser, store = window.document_chat.chooser, window.conversation_store
    qtbot.waitUntil(lambda: len(window.document_chat.controller.collections) == 2)
    window.chat.settings.update(max_tokens=6, temperature=0.0, seed=1)

    chooser.set_chosen(["Firma"])
    answered(qtbot, window, "Wann verfällt der Resturlaub im Urlaub?")
    first = store.current_id
    qtbot.mouseClick(window.chat.new_chat_button, Qt.MouseButton.LeftButton)
    assert chooser.chosen == ["Firma"]  # a new chat goes on with the documents on screen
    chooser.set_chosen(["Notizen"])
    answered(qtbot, window, "Where is the server room key?")
    second = store.current_id
    assert first is not None and second not in (None, first)
    qtbot.mouseClick(window.chat.new_chat_button, Qt.MouseButton.LeftButton)
    chooser.set_chosen([])
    answered(qtbot, window, "Hallo")
    third = store.current_id

    for conversation, expected in ((first, ["Firma"]), (second, ["Notizen"]), (third, []), (first, ["Firma"])):
        window.keeper.open(conversation)
        qtbot.waitUntil(lambda conversation=conversation: store.current_id == conversation)
        assert chooser.chosen == expected
        assert chooser.text() == (f"Documents: {expected[0]}" if expected else "Documents: off")
    titles = {conversation.id: conversation.collections for conversation in kept(tmp_path).values()}
    assert titles == {first: ("Firma",), second: ("Notizen",), third: ()}

    # a collection removed since is dropped from its conversation's choice without a word
    with qtbot.waitSignal(window.document_chat.controller.collectionsChanged, timeout=10_000):
        window.document_chat.controller.remove("Notizen")
    window.keeper.open(second)
    qtbot.waitUntil(lambda: store.current_id == second)
    assert chooser.chosen == [] and chooser.text() == "Documents: off"
    errors = [entry for entry in window.chat.transcript.entries if entry.kind == "error"]
    assert errors == []
    qtbot.waitUntil(lambda: {c.id: c.collections for c in kept(tmp_path).values()}[second] == ())


def test_stop_while_the_passages_are_looked_for_sends_nothing_and_gives_the_input_back(qtbot, window, indexed,
                                                                                        tmp_path):
    sent = []
    window.generateRequested.connect(sent.append)
    window.document_chat.chooser.set_chosen(["Firma"])
    window.chat.settings.update(max_tokens=6, temperature=0.0, seed=1)
    gate = threading.Event()
    searching = window.document_chat.controller._searcher  # its thread is held busy until the gate opens
    QTimer.singleShot(0, searching, lambda: gate.wait(30))
    question = "Wann verfällt der Resturlaub im Urlaub?"

    def statuses() -> list:
        """Every kept message as (role, status, whether it has sources)."""
        return [(message.role, message.status, bool(message.sources))
                for conversation in kept(tmp_path).values() for message in conversation.messages]

    send(qtbot, window, question)
    assert window.document_chat.retrieval.waiting is not None  # the question waits for its passages

    qtbot.mouseClick(window.chat.stop_button, Qt.MouseButton.LeftButton)
    assert not window.chat.generating and window.document_chat.retrieval.waiting is None
    assert window.chat.transcript.entries[-1].footer == "stopped"
    asked = window.chat.transcript.entries[-2]
    assert (asked.kind, asked.text) == (USER, question)  # the question stays on screen
    assert window.chat.messages == []  # ... but is not asked again with the next one
    with qtbot.waitSignal(window.document_chat.controller.retrieved, timeout=10_000):
        gate.set()  # the search ends now; its passages go nowhere
    qtbot.wait(200)
    assert sent == [] and not window.chat.generating
    qtbot.waitUntil(lambda: statuses() == [(USER, COMPLETE, False), (ASSISTANT, INTERRUPTED, False)])  # kept at once

    window.chat.input.setPlainText(question)  # the input works as before
    assert window.chat.send_button.isEnabled()
    qtbot.mouseClick(window.chat.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.chat.generating, timeout=ENGINE_TIMEOUT_MS)
    assert len(sent) == 1 and sent[0].messages[-1] == protocol.ChatMessage(protocol.USER, question)
    assert window.chat.answer_text and window.chat.transcript.entries[-1].sources

    # the stopped answer stays kept, interrupted and without sources; the next one is kept with its sources
    qtbot.waitUntil(lambda: statuses() == [(USER, COMPLETE, False), (ASSISTANT, INTERRUPTED, False),
                                           (USER, COMPLETE, False), (ASSISTANT, COMPLETE, True)], timeout=10_000)


def test_the_dialog_offers_the_embedding_models_of_the_library_and_the_library_does_not_load_them(qtbot, window):
    from app.ui.library.table_model import INSTALLED

    embedding = next(item for item in window.library.model.items((INSTALLED,)) if item.embedding)
    assert not window.library.load_flow.can_load(embedding)
    dialog = window.document_chat.show_dialog()
    offered = {dialog.meaning_combo.itemText(row): dialog.meaning_combo.itemData(row)
               for row in range(dialog.meaning_combo.count())}
    assert offered == {"Words only": "", embedding.name: embedding.path}


def test_the_status_bar_says_when_search_by_meaning_was_not_available(qtbot, window):
    window.document_chat.controller.meaningUnavailable.emit("embedding.gguf cannot be used: it is gone")
    assert window.statusBar().currentMessage() == (
        "Search by meaning is not available, so the passages were found by their words: embedding.gguf cannot be "
        "used: it is gone")
