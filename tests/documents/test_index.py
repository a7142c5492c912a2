"""Document collections: reading every format, skipping what cannot be read with the reason, indexing
incrementally (new, changed, deleted files), and finding passages by German and English questions."""

import sqlite3

import pytest
from documents_corpus import write_corpus, write_docx, write_pdf

from app.core.documents.chunks import chunk_sections
from app.core.documents.formats import DAMAGED, ENCRYPTED, NO_TEXT, Section
from app.core.documents.indexer import IndexControl, IndexStopped, index_collection
from app.core.documents.store import CollectionNotFound, DocumentIndex
from app.core.documents.terms import fold, terms_of


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "docs")


@pytest.fixture
def index(tmp_path):
    with DocumentIndex(tmp_path / "data" / "documents.sqlite3") as opened:
        yield opened


def top(index, question, name="firma", n=3):
    return index.search([name], question, n)


def test_a_folder_is_indexed_with_pages_and_headings_and_unreadable_files_are_named(index, corpus, tmp_path):
    report = index_collection(index, "firma", [tmp_path / "docs"])
    assert (report.added, report.updated, report.unchanged, report.removed) == (5, 0, 0, 0)
    assert {(skip.path, skip.kind) for skip in report.skipped} == {
        (str(corpus["broken_pdf"]), DAMAGED), (str(corpus["scan_pdf"]), NO_TEXT),
        (str(corpus["secret_pdf"]), ENCRYPTED)}
    assert [skip.reason for skip in index.skipped("firma")] == [
        "the PDF is protected with a password", "the PDF is damaged or not a PDF (PdfStreamError)",
        "the PDF holds no text, only images (a scan?)"]
    collection = index.collection("firma")
    assert (collection.files, collection.skipped, collection.pages) == (5, 3, 2)

    hit = top(index, "Bis wann muss der Urlaubsantrag gestellt werden?")[0]
    assert (hit.path, hit.page) == (str(corpus["urlaub_pdf"]), 2)
    assert "zwei Wochen vorher" in hit.text
    hit = top(index, "How long do I have to submit travel receipts?")[0]
    assert (hit.path, hit.heading, hit.page) == (str(corpus["handbook_docx"]), "Travel expenses", None)
    hit = top(index, "backups")[0]
    assert (hit.path, hit.heading) == (str(corpus["notes_md"]), "Backups")
    hit = top(index, "WLAN Passwort")[0]
    assert (hit.path, hit.heading) == (str(corpus["faq_html"]), "Häufige Fragen")
    assert all("secret" not in hit.text for hit in top(index, "secret var", n=10))  # scripts are not text


@pytest.mark.parametrize(("question", "expected"), [
    ("Kündigungsfrist", "handbook_docx"),       # umlaut as written
    ("kuendigungsfrist", "handbook_docx"),      # umlaut written out
    ("KÜNDIGUNGSFRIST", "handbook_docx"),       # capitals
    ("Mängel Heizung", "plain_txt"),           # a Windows-1252 text file
    ("Maengel", "plain_txt"),
    ("Über die Genehmigung", "urlaub_pdf"),     # an umlaut from a PDF
    ("Urlaub", "urlaub_pdf"),                   # the start of a compound
    ("antrag", "urlaub_pdf"),                   # the inside of a compound (trigram index)
    ("frist", "handbook_docx"),                 # the end of a compound
])
def test_german_questions_find_their_passage(index, corpus, tmp_path, question, expected):
    index_collection(index, "firma", [tmp_path / "docs"])
    assert top(index, question)[0].path == str(corpus[expected])


def test_indexing_again_reads_only_new_and_changed_files_and_drops_deleted_ones(index, corpus, tmp_path):
    index_collection(index, "firma", [tmp_path / "docs"])
    assert index_collection(index, "firma", [tmp_path / "docs"]).unchanged == 8

    corpus["notes_md"].write_text("# Server room\n\nThe key is now in the safe.\n", encoding="utf-8")
    corpus["faq_html"].unlink()
    write_pdf(tmp_path / "docs" / "sub" / "Kantine.pdf", [["Die Kantine öffnet um 11:30 Uhr."]])
    same = corpus["plain_txt"].read_bytes()
    corpus["plain_txt"].write_bytes(same)  # a new time, the same content: not read again
    report = index_collection(index, "firma", [tmp_path / "docs"])
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 6)
    assert top(index, "Kantine")[0].page == 1
    assert top(index, "safe")[0].path == str(corpus["notes_md"])
    assert top(index, "backups") == []  # the old text of the changed file is gone
    assert top(index, "WLAN") == []     # and so is the deleted file


def test_a_stopped_run_keeps_what_it_indexed_and_the_next_run_finishes(index, corpus, tmp_path):
    control = IndexControl()
    seen = []

    def progress(step):
        seen.append(step)
        if step.done == 2:
            control.stop()

    with pytest.raises(IndexStopped):
        index_collection(index, "firma", [tmp_path / "docs"], progress, control)
    assert index.collection("firma").files + index.collection("firma").skipped == 2
    report = index_collection(index, "firma", [tmp_path / "docs"])
    assert report.unchanged == 2 and report.added + len(report.skipped) == 6
    assert seen[0].total == 8 and seen[0].done == 0


def test_collections_are_searched_apart_and_removing_one_deletes_its_index(index, corpus, tmp_path):
    index_collection(index, "firma", [tmp_path / "docs"])
    other = tmp_path / "other"
    other.mkdir()
    write_docx(other / "Kantine.docx", [("h1", "Kantine"), ("p", "Die Kantine öffnet um 11:30 Uhr.")])
    index_collection(index, "kantine", [other])
    assert top(index, "Kantine", "firma") == []
    assert top(index, "Kantine", "kantine")[0].heading == "Kantine"
    assert {hit.collection for hit in index.search(["firma", "kantine"], "Kantine Urlaub", 10)} == {"firma", "kantine"}

    index.remove_collection("firma")
    with pytest.raises(CollectionNotFound):
        index.collection("firma")
    assert [collection.name for collection in index.collections()] == ["kantine"]
    db = index.db
    assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM chunk_words WHERE chunk_words MATCH 'urlaubsantrag'").fetchone()[0] == 0
    index.close()
    assert b"Urlaubsantrag" not in (tmp_path / "data" / "documents.sqlite3").read_bytes()


def test_chunks_keep_their_page_and_heading_and_overlap_when_a_section_is_long():
    words = [f"w{number}." if number % 10 == 9 else f"w{number}" for number in range(400)]
    sections = [Section("Kurz.", page=1, heading="A"), Section(" ".join(words), page=2, heading="B")]
    chunks = list(chunk_sections(sections, words=100, overlap=20))
    assert (chunks[0].text, chunks[0].page, chunks[0].heading) == ("Kurz.", 1, "A")
    long_ones = chunks[1:]
    assert all((chunk.page, chunk.heading) == (2, "B") for chunk in long_ones)
    assert all(len(chunk.text.split()) <= 115 for chunk in long_ones)
    first, second = long_ones[0].text.split(), long_ones[1].text.split()
    assert first[-1].endswith(".") and first[-20:] == second[:20]  # cut at a sentence end, with overlap
    assert {word for chunk in long_ones for word in chunk.text.split()} == set(words)


def test_folding_and_terms():
    assert fold("Mängel ÜBER Straße café") == "maengel ueber strasse cafe"
    assert terms_of("Wie lange ist die Kündigungsfrist?") == ["lange", "kuendigungsfrist"]
    assert terms_of("the") == ["the"]  # nothing but stop words: they are kept


def test_an_index_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "documents.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 99")
    from app.core.documents.store import DocumentIndexError

    with pytest.raises(DocumentIndexError, match="newer MoEscope"):
        DocumentIndex(path)


def test_in_a_large_index_words_in_most_passages_leave_the_query_and_the_rare_one_decides(index):
    from app.core.documents.chunks import Chunk

    collection = index.ensure_collection("gross", ["/corpus"])
    chunks = [Chunk(f"Bericht Nummer {number} über das Lager", None, "") for number in range(1200)]
    chunks[700] = Chunk("Bericht über das Lager: die Zauberformel steht hier", None, "")
    index.put_file(collection, "/corpus/berichte.txt", 1, 1, "0" * 64, chunks)
    assert index.telling_terms(["bericht", "lager", "zauberformel"]) == ["zauberformel"]
    assert index.telling_terms(["bericht", "lager"]) == ["bericht", "lager"]  # nothing else left: all kept
    assert index.search(["gross"], "Bericht Lager Zauberformel", 1)[0].text.endswith("die Zauberformel steht hier")
