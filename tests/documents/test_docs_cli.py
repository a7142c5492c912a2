"""``moescope docs``: index with a progress bar and the skipped files named, search as JSON lines, list and
remove, as an administrator preparing a machine would use them."""

import json
import os
import subprocess
import sys

from documents_corpus import write_corpus


def docs_cli(data_dir, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "docs", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "MOESCOPE_DATA_DIR": str(data_dir)})


def test_index_search_list_and_remove_from_the_command_line(tmp_path):
    corpus = write_corpus(tmp_path / "docs")
    data = tmp_path / "data"
    done = docs_cli(data, "index", str(tmp_path / "docs"), "--collection", "Firma")
    assert done.returncode == 0, done.stderr
    assert "[##############################] 8/8 files  done" in done.stderr
    assert done.stdout.splitlines()[0] == ("Firma: 5 documents, 10 passages, 2 pages (5 added, 0 changed, "
                                           "0 unchanged, 0 removed).")
    assert f"  {corpus['secret_pdf']}: the PDF is protected with a password" in done.stdout.splitlines()
    assert "Skipped 3 file(s) that cannot be read:" in done.stdout

    found = docs_cli(data, "search", "Firma", "Wann verfällt der Resturlaub im Urlaub?", "--top", "2", "--json")
    assert found.returncode == 0, found.stderr
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert len(hits) == 2 and hits[0]["file"] == str(corpus["urlaub_pdf"]) and hits[0]["page"] == 2
    assert set(hits[0]) == {"collection", "file", "page", "heading", "score", "text"}
    assert "31. März" in hits[0]["text"] and hits[0]["score"] > hits[1]["score"]

    listed = docs_cli(data, "list")
    assert listed.stdout.startswith("Firma: 5 documents, 10 passages, 3 skipped; from ")
    assert docs_cli(data, "remove", "Firma").returncode == 0
    gone = docs_cli(data, "search", "Firma", "Urlaub")
    assert gone.returncode == 2 and "there is no collection 'Firma'" in gone.stderr


def test_a_missing_folder_is_refused_by_name(tmp_path):
    done = docs_cli(tmp_path / "data", "index", str(tmp_path / "nowhere"), "--collection", "x")
    assert done.returncode == 2 and f"not found: {tmp_path / 'nowhere'}" in done.stderr
