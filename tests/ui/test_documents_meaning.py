"""Search by meaning in the window: File › Documents offers the library's embedding models, a new collection
indexed with one gets a vector for every passage from an engine process of its own, a question whose word
is misspelt is then still answered with the right passage, the locality monitor watches that engine, and
"Words only" drops the vectors again."""

import os

import pytest
from documents_corpus import write_corpus

from app.core.models.demo_embedding import write_embedding_model
from app.ui.documents.controller import DocumentsController
from app.ui.documents.dialog import DocumentsDialog
from app.ui.locality.indicator import LocalityGuard

pytestmark = pytest.mark.slow


@pytest.fixture
def controller(qtbot, tmp_path):
    opened = DocumentsController(tmp_path / "data" / "documents.sqlite3")
    yield opened
    opened.close()


def test_a_collection_searched_by_meaning_finds_a_misspelt_word_and_words_only_drops_the_vectors(
        qtbot, controller, tmp_path):
    corpus = write_corpus(tmp_path / "docs")
    model = str(write_embedding_model(tmp_path / "models" / "embedding.gguf"))
    dialog = DocumentsDialog(controller)
    qtbot.addWidget(dialog)
    dialog.set_embedding_models([("Demo embedding", model)])
    assert [dialog.meaning_combo.itemText(row) for row in range(dialog.meaning_combo.count())] == [
        "Words only", "Demo embedding"]
    dialog.meaning_combo.setCurrentIndex(1)  # for the new collection
    with qtbot.waitSignal(controller.indexed, timeout=120_000) as indexed:
        assert dialog.add("Firma", [str(tmp_path / "docs")])
    assert indexed.args[1].vectors == 10 and indexed.args[1].embedding_problem == ""
    qtbot.waitUntil(lambda: dialog.collection_list.count() == 1)
    assert dialog.collection_list.item(0).text().endswith(", by meaning")
    assert dialog.meaning_combo.currentData() == model

    with qtbot.waitSignal(controller.retrieved, timeout=60_000) as found:
        controller.retrieve(["Firma"], "Urlaubsantrg")
    hits = found.args[1]
    assert hits and hits[0].path == str(corpus["urlaub_pdf"])
    guard = LocalityGuard(lambda: None)
    engines = guard.processes()
    guard.close()
    assert os.getpid() in engines and "engine" in engines.values()  # the search's embedding engine, watched

    dialog.meaning_combo.setCurrentIndex(0)
    with qtbot.waitSignal(controller.indexed, timeout=60_000):
        dialog.meaning_combo.activated.emit(0)
    qtbot.waitUntil(lambda: not dialog.collection_list.item(0).text().endswith(", by meaning"))
    with qtbot.waitSignal(controller.retrieved, timeout=60_000) as found:
        controller.retrieve(["Firma"], "Urlaubsantrg")
    assert found.args[1] == []


def test_a_gone_embedding_model_leaves_the_search_to_the_words_and_says_why(qtbot, controller, tmp_path):
    corpus = write_corpus(tmp_path / "docs")
    model = write_embedding_model(tmp_path / "models" / "embedding.gguf")
    with qtbot.waitSignal(controller.indexed, timeout=120_000):
        controller.index("Firma", [str(tmp_path / "docs")], str(model))
    model.unlink()
    with qtbot.waitSignal(controller.meaningUnavailable, timeout=60_000) as unavailable, \
            qtbot.waitSignal(controller.retrieved, timeout=60_000) as found:
        controller.retrieve(["Firma"], "Urlaubsantrag")
    assert "embedding.gguf cannot be used" in unavailable.args[0]
    assert found.args[1][0].path == str(corpus["urlaub_pdf"])  # by its words
