"""A kiosk answering from one document collection: the ``documents`` key of kiosk.toml (checked, named in
mistakes by its line, written back), ``moescope kiosk-check`` saying when the collection is missing, and
the kiosk window with a real engine: answers from that collection only, sources by file and page with
nothing to open, a missing collection that does not stop the kiosk, Stop while the passages are looked for,
nothing about visitors written; and without the key, no documents at all."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from app.core.documents.indexer import index_collection
from app.core.documents.store import DocumentIndex
from app.core.engine import protocol
from app.core.kiosk.config import KioskConfigError, documents_problem, dump_config, load_config
from app.core.paths import documents_db
from documents_corpus import write_corpus
from kiosk_files import kiosk_toml, write_kiosk_config, write_kiosk_model
from kiosk_visitors import PIN, answer, demo_model, kiosk_config, open_kiosk, process_until, tap_corner, touch

WAIT_S = 120.0


@pytest.fixture
def data(monkeypatch, tmp_path) -> Path:
    """A data folder of the test's own (the document index is found there), also for child processes."""
    folder = tmp_path / "data"
    monkeypatch.setenv("MOESCOPE_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kiosk-documents-models")
    write_kiosk_model(folder)
    return folder


def make_collection(name: str, sources: list[Path]) -> None:
    with DocumentIndex(documents_db()) as index:
        index_collection(index, name, sources)


def other_collection(folder: Path) -> Path:
    """A collection that matches the corpus's question too, and must never be asked by the kiosk."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Anderswo.txt").write_text("Der Resturlaub im Urlaub verfällt bei uns nie.\n", encoding="utf-8")
    return folder


# --- the configuration --------------------------------------------------------------------------------


def test_documents_names_a_collection_and_is_written_back(tmp_path, models):
    path = write_kiosk_config(tmp_path / "kiosk.toml", "kiosk-moe.gguf",
                              replace={"idle_timeout = 90": 'documents = "Handbuch Ä"\nidle_timeout = 90'})
    config = load_config(path, models)
    assert config.documents == "Handbuch Ä"
    again = tmp_path / "again.toml"
    again.write_text(dump_config(config), encoding="utf-8")
    assert load_config(again, models) == config
    assert load_config(write_kiosk_config(tmp_path / "plain.toml", "kiosk-moe.gguf"), models).documents is None
    assert "\ndocuments = " not in dump_config(load_config(tmp_path / "plain.toml", models))


@pytest.mark.parametrize(("value", "message"), [
    ('""', '"documents" must be the name of a document collection, 1 to 200 characters, not "".'),
    ("3", '"documents" must be the name of a document collection, 1 to 200 characters, not 3.'),
    ('["Handbuch"]', '"documents" must be the name of a document collection, 1 to 200 characters, not ["Handbuch"].'),
    (f'"{"h" * 201}"', '"documents" must be the name of a document collection, 1 to 200 characters, not 201 '
                       "characters."),
])
def test_a_wrong_documents_value_is_refused_with_its_line(tmp_path, models, value, message):
    text = kiosk_toml("kiosk-moe.gguf", replace={"idle_timeout = 90": f"documents = {value}\nidle_timeout = 90"})
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KioskConfigError) as refused:
        load_config(path, models)
    line = next(number for number, row in enumerate(text.splitlines(), start=1) if row.startswith("documents"))
    assert (refused.value.line, refused.value.message) == (line, message)


def test_documents_problem_says_what_is_missing_and_makes_no_file(data, tmp_path, models):
    config = load_config(write_kiosk_config(tmp_path / "kiosk.toml", "kiosk-moe.gguf",
                                            replace={"idle_timeout = 90": 'documents = "Firma"\nidle_timeout = 90'}),
                         models)
    assert documents_problem(replace(config, documents=None), documents_db()) is None
    problem = documents_problem(config, documents_db())
    assert problem == (f'the document collection "Firma" does not exist: there is no document index yet '
                       f'({documents_db()}).\nMake it with: moescope docs index --collection "Firma" FOLDER')
    assert not documents_db().exists()
    make_collection("Andere", [other_collection(tmp_path / "other")])
    assert documents_problem(config, documents_db()).startswith(
        f'the document collection "Firma" does not exist in {documents_db()} (it has: "Andere").\n')
    make_collection("Firma", [write_corpus(tmp_path / "docs")["notes_md"]])
    assert documents_problem(config, documents_db()) is None


def moescope(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})


def test_kiosk_check_says_the_collection_is_missing_with_exit_status_1(data, tmp_path, models):
    path = write_kiosk_config(tmp_path / "kiosk.toml", "kiosk-moe.gguf",
                              replace={"idle_timeout = 90": 'documents = "Firma"\nidle_timeout = 90'})
    result = moescope("kiosk-check", str(path), "--models-dir", str(models))
    assert result.returncode == 1, result.stderr
    assert result.stdout == (f"OK: {path} (model {models / 'kiosk-moe.gguf'}, language de, 3 examples, "
                             "documents 'Firma')\n")
    assert result.stderr == (f'Missing: the document collection "Firma" does not exist: there is no document index '
                             f"yet ({documents_db()}).\n"
                             'Make it with: moescope docs index --collection "Firma" FOLDER\n'
                             "The kiosk starts, but answers no question until the collection is there.\n")
    assert not documents_db().exists()  # checking made no index

    make_collection("Firma", [write_corpus(tmp_path / "docs")["notes_md"]])
    result = moescope("kiosk-check", str(path), "--models-dir", str(models))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.endswith(", documents 'Firma')\n")


# --- the kiosk window ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    return demo_model(tmp_path_factory.mktemp("kiosk-documents-model"))


def enter_pin(window) -> None:
    tap_corner(window)
    for digit in PIN:
        touch(next(key for key in window.pin_pad.digit_buttons if key.text() == digit))
    touch(window.pin_pad.ok_button)
    assert window.pages.currentWidget() is window.admin


def ask(window, text: str) -> str:
    """Put ``text`` into the question box on screen (QTest cannot type umlauts) and press Enter; the answer."""
    box = window.welcome.question if window.screens.currentWidget() is window.welcome \
        else window.conversation.question
    box.input.setText(text)
    QTest.keyClick(box.input, Qt.Key.Key_Return)
    return answer(window)


def everything_under(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


@pytest.mark.slow
def test_the_kiosk_answers_from_its_collection_only_naming_file_and_page(qtbot, data, tmp_path, model):
    corpus = write_corpus(tmp_path / "docs")
    make_collection("Firma", [tmp_path / "docs"])
    make_collection("Andere", [other_collection(tmp_path / "other")])
    index_bytes = documents_db().read_bytes()
    with open_kiosk(kiosk_config(model, documents="Firma", max_answer_tokens=12), model.parent) as session:
        window = session.window
        sent: list[protocol.Generate] = []
        window.generateRequested.connect(sent.append)
        window.conversation.settings.update(temperature=0.0, seed=1)
        assert ask(window, "Wann verfällt der Resturlaub im Urlaub?")

        (request,) = sent
        system = request.messages[0]
        assert system.role == protocol.SYSTEM and "[1] Urlaubsregelung.pdf, p. 2\n" in system.content
        assert "verfällt bei uns nie" not in system.content  # the other collection is never asked
        answer = window.conversation.transcript.entries[-1]
        assert answer.sources and all(passage is None for _label, passage in answer.sources)  # nothing to click
        assert answer.sources[0][0] == "Urlaubsregelung.pdf, page 2"
        shown = window.conversation.transcript.toPlainText()
        assert "[1] Urlaubsregelung.pdf, page 2" in shown and str(corpus["urlaub_pdf"].parent) not in shown
        assert 'href="source' not in window.conversation.transcript.toHtml()

        assert ask(window, "Quantenchromodynamik").startswith("Nothing in this kiosk's documents matches this "
                                                              "question, so the model was not asked")
        assert len(sent) == 1
        assert window.conversation.transcript.entries[-1].footer == "no matching passage; the model was not asked"

        enter_pin(window)
        line = window.admin.documents_line
        process_until(lambda: line.text().startswith("Documents: “Firma”"), 10, "the admin's documents line")
        assert line.isVisible() and line.text() == "Documents: “Firma”, 5 documents, 10 passages"
        touch(window.admin.buttons["back"])
        touch(window.conversation.start_over_button)
    assert documents_db().read_bytes() == index_bytes  # only read
    assert "Quantenchromodynamik".encode() not in everything_under(data)  # no question written anywhere


@pytest.mark.slow
def test_a_missing_collection_does_not_stop_the_kiosk_and_the_admin_screen_says_so(qtbot, data, tmp_path, model):
    with open_kiosk(kiosk_config(model, documents="Firma", max_answer_tokens=8), model.parent) as session:
        window = session.window
        sent: list[protocol.Generate] = []
        window.generateRequested.connect(sent.append)
        assert window.ready
        assert ask(window, "Wann verfällt der Resturlaub?") == ("This kiosk answers from its documents, and they are "
                                                                "not there at the moment. Please tell the staff.")
        assert sent == [] and window.conversation.transcript.entries[-1].footer == "the model was not asked"
        assert not documents_db().exists()  # the kiosk made no index

        enter_pin(window)
        line = window.admin.documents_line
        process_until(lambda: line.isVisible(), 10, "the admin's documents line")
        assert line.objectName() == "adminDocumentsMissing"
        assert line.text().startswith("Documents: the collection “Firma” does not exist on this computer, so "
                                      "visitors' questions are not answered.")
        touch(window.admin.buttons["back"])

        write_corpus(tmp_path / "docs")
        make_collection("Firma", [tmp_path / "docs"])
        touch(window.conversation.start_over_button)  # the next visitor: the collection is used now
        process_until(lambda: window.documents.missing is False, 10, "the collections to be listed")
        ask(window, "Wann verfällt der Resturlaub im Urlaub?")
        assert len(sent) == 1 and "[1] Urlaubsregelung.pdf, p. 2" in sent[0].messages[0].content
        enter_pin(window)
        process_until(lambda: line.objectName() == "adminDocuments", 10, "the admin's documents line")


@pytest.mark.slow
def test_stop_while_the_kiosk_looks_for_passages_sends_nothing(qtbot, data, tmp_path, model):
    write_corpus(tmp_path / "docs")
    make_collection("Firma", [tmp_path / "docs"])
    with open_kiosk(kiosk_config(model, documents="Firma", max_answer_tokens=8), model.parent) as session:
        window = session.window
        process_until(lambda: window.documents.missing is False, 10, "the collections to be listed")
        sent: list[protocol.Generate] = []
        window.generateRequested.connect(sent.append)
        gate = threading.Event()
        controller = window.documents.controller
        QTimer.singleShot(0, controller._searcher, lambda: gate.wait(30))  # the search thread is busy
        window.welcome.question.input.setText("Wann verfällt der Resturlaub?")
        QTest.keyClick(window.welcome.question.input, Qt.Key.Key_Return)
        assert window.conversation.generating and window.documents.retrieval.waiting is not None
        touch(window.conversation.stop_button)
        assert not window.conversation.generating and window.conversation.question.ready
        assert window.conversation.transcript.entries[-1].footer == "stopped"
        assert window.conversation.transcript.entries[-2].text == "Wann verfällt der Resturlaub?"
        with qtbot.waitSignal(controller.retrieved, timeout=10_000):
            gate.set()
        qtbot.wait(200)
        assert sent == [] and not window.conversation.generating


@pytest.mark.slow
def test_without_the_setting_the_kiosk_has_no_documents(qtbot, data, tmp_path, model):
    write_corpus(tmp_path / "docs")
    make_collection("Firma", [tmp_path / "docs"])
    with open_kiosk(kiosk_config(model, max_answer_tokens=8), model.parent) as session:
        window = session.window
        assert window.documents is None and not window.admin.documents_line.isVisible()
        sent: list[protocol.Generate] = []
        window.generateRequested.connect(sent.append)
        assert ask(window, "Wann verfällt der Resturlaub im Urlaub?")
        (request,) = sent
        assert [message.role for message in request.messages] == [protocol.USER]
        assert window.conversation.transcript.entries[-1].sources == []


def test_the_kiosk_settings_dialog_keeps_the_collection(qtbot, data, tmp_path, models):
    from app.ui.kiosk.settings_dialog import KioskSettingsDialog

    path = write_kiosk_config(tmp_path / "kiosk.toml", "kiosk-moe.gguf",
                              replace={"idle_timeout = 90": 'documents = "Firma"\nidle_timeout = 90'})
    config = load_config(path, models)
    dialog = KioskSettingsDialog(config, tmp_path / "saved.toml", models)
    qtbot.addWidget(dialog)
    dialog.welcome.setText("Willkommen!")
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    assert saved.args[0].documents == "Firma" and saved.args[0].welcome == "Willkommen!"
    assert load_config(tmp_path / "saved.toml", models).documents == "Firma"
