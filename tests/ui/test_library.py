"""The model library pane, driven like a user would: catalog and fit badges, downloads from a stand-in Hub
(progress, cancel, pause, errors in words), search, import by drag and drop, delete, the token dialog,
the models folder, and loading a model that does not fit.

Never online: the Hub is tests/support/fake_hub.py on 127.0.0.1, reached through the pane's ``endpoint``; the
keyring is a backend that lives in this module only.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import time
from pathlib import Path

import pytest
from fake_hub import FakeHub
from keyring.backends import fail
from PySide6.QtCore import QLocale, QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.models.catalog import license_name, load_catalog
from app.core.models.demo import write_demo_model
from app.core.hub.queue import DownloadManager
from app.core.hub.request import DownloadRequest
from app.core.models.gguf import REASONS, GGUFError
from app.core.models.fit import Hardware
from app.core.locality.policy import NetworkPolicy
from app.core.hub.token_store import SERVICE, USERNAME, TokenStore
from app.ui.formatting import format_size
from app.ui.i18n import install_translators
from app.ui.library.table_model import CATALOG, HUB_FILE, HUB_REPO, INSTALLED, UNUSABLE
from app.ui import settings
from app.ui.library.pane import LibraryPane
from app.ui.main_window import MainWindow
from app.ui.model_errors import model_error_text
from app.worker import EngineWorker
from stand_ins import LAPTOP, PLENTY, MemoryKeyring, computer

REPO = "org/Tiny-MoE-GGUF"
FILE = "tiny-moe-Q8_0.gguf"
GATED = "org/Gated-GGUF"
GATED_FILE = "gated-Q8_0.gguf"
TOKEN = "hf_LibraryUiTestToken1234567890"
DOWNLOAD_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("tiny-models")
    return {
        "moe": write_demo_model(
            folder / "moe.gguf", arch="qwen3moe", layers=2, experts=4, top_k=2
        ).read_bytes(),
        "dense": write_demo_model(folder / "dense.gguf", arch="llama", layers=2, experts=0).read_bytes(),
    }


@pytest.fixture
def hub(tiny_models):
    with FakeHub(valid_tokens=(TOKEN,)) as fake:
        fake.add_repo(
            REPO, {FILE: tiny_models["moe"], "tiny-dense-Q8_0.gguf": tiny_models["dense"]}, downloads=50
        )
        fake.add_repo(GATED, {GATED_FILE: tiny_models["dense"]}, gated=True, granted_tokens=(TOKEN,))
        yield fake


@pytest.fixture
def catalog(tiny_models):
    """The real catalog plus entries for the fake Hub's files (one of them missing there)."""
    entries = load_catalog()
    template = next(e for e in entries if e.moe)
    tiny = dataclasses.replace(
        template,
        id="tiny-moe",
        name="Tiny test MoE",
        repo=REPO,
        files=(FILE,),
        size_bytes=len(tiny_models["moe"]),
        approx_size_bytes=None,
    )
    missing = dataclasses.replace(tiny, id="missing", name="Missing test model", files=("missing-Q8_0.gguf",))
    gated = dataclasses.replace(
        tiny,
        id="gated",
        name="Gated test model",
        repo=GATED,
        files=(GATED_FILE,),
        gated=True,
        size_bytes=len(tiny_models["dense"]),
    )
    return [*entries, tiny, missing, gated]


@pytest.fixture
def models_dir(tmp_path, tiny_models) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "local-moe.gguf").write_bytes(tiny_models["moe"])
    return folder


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def make_pane(qtbot, hub, catalog, models_dir, keyring_backend):
    """Build a LibraryPane on the fake Hub; its folder read and its computer measured."""
    stored = QSettings()
    for key in (settings.REFERENCES, settings.MODELS_DIR):
        stored.remove(key)
    panes = []

    def make(hardware: Hardware = LAPTOP, folder: Path = models_dir, **kwargs) -> LibraryPane:
        kwargs.setdefault("token_store", TokenStore(keyring_backend))
        kwargs.setdefault("disk_free", lambda _folder: PLENTY)
        kwargs.setdefault("endpoint", hub.endpoint)
        kwargs.setdefault("policy", NetworkPolicy())
        pane = LibraryPane(
            folder, catalog=catalog, hardware_probe=lambda _folder: hardware, retry_wait=0, **kwargs
        )
        qtbot.addWidget(pane)
        pane.resize(520, 900)
        pane.show()
        pane.refresh()
        qtbot.waitUntil(lambda: not pane.scanning and pane.hardware is not None)
        panes.append(pane)
        return pane

    yield make
    for pane in panes:
        pane.shutdown()
        if pane.message_box is not None:
            pane.message_box.close()
    for key in (settings.REFERENCES, settings.MODELS_DIR):
        stored.remove(key)


def words(text: str) -> str:
    """Text with its no-break spaces (between number and unit) as plain ones, to compare with."""
    return text.replace("\u00a0", " ")


def cards(pane: LibraryPane, view: str) -> dict:
    return {index.data(Qt.ItemDataRole.UserRole + 1).key: card for index, card in pane.views[view].cards()}


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def press(box: QMessageBox, text: str) -> None:
    """Press the message box button with this text."""
    button = next(b for b in box.buttons() if b.text() == text)
    button.click()


def start_download(qtbot, pane: LibraryPane, view: str, key: tuple):
    pane.show_view(view)
    assert pane.views[view].select_key(key)
    click(qtbot, pane.download_button)
    request_key = (pane.model.find(key).repo, pane.model.find(key).filename)
    qtbot.waitUntil(lambda: request_key in pane.downloads_panel.rows)
    return pane.downloads_panel.rows[request_key]


def installed_names(pane: LibraryPane) -> list[str]:
    return sorted(Path(item.path).name for item in pane.model.items((INSTALLED,)))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- Catalog, fit, filter and sort ----------------------------------------------------------------


def test_catalog_entries_are_listed_with_fit_badges_in_words(make_pane, catalog):
    pane = make_pane(LAPTOP)
    shown = cards(pane, "catalog")
    assert len(shown) == len(catalog)
    for entry in catalog:
        card = shown[("catalog", entry.id)]
        assert card.summary == entry.describe("en")
        assert card.kind == ("MoE" if entry.moe else "Dense")
        assert license_name(entry.license) in card.lines[-1]
        assert card.fit_text.split(":")[0] in ("✓ Fits", "! Tight", "✕ Does not fit"), card.fit_text
        assert "about" in card.fit_text and "16 GB" in words(card.fit_text)
    qwen = shown[("catalog", "qwen3-30b-a3b-q4km")]
    assert words(qwen.fit_text) == "✕ Does not fit: needs about 20 GB, this computer has 16 GB"
    assert "30.5\u00a0B total · 3.3\u00a0B active" in qwen.lines and "128 experts, 8 per token" in qwen.lines
    assert words(shown[("catalog", "gemma-3-1b-it-q4km")].fit_text).startswith("✓ Fits: needs about 1.7 GB")
    assert words(shown[("catalog", "deepseek-v2-lite-chat-q4km")].fit_text).startswith(
        "! Tight: needs about 12 GB"
    )


def test_filter_and_sort(make_pane):
    pane = make_pane(LAPTOP)
    proxy = pane.filters["catalog"]
    pane.filter_edit.setText("qwen3 moe")
    names = [item.name for item in proxy.items()]
    assert names and all("Qwen3" in name for name in names)
    pane.filter_edit.clear()

    pane.sort_box.setCurrentIndex(pane.sort_box.findData("size"))
    sizes = [item.size_bytes for item in proxy.items()]
    known = [size for size in sizes if size is not None]
    assert known == sorted(known) and sizes[: len(known)] == known
    pane.sort_box.setCurrentIndex(pane.sort_box.findData("fit"))
    rank = {"fits": 0, "tight": 1, "does_not_fit": 2}
    levels = [rank[item.fit.level] for item in proxy.items() if item.fit is not None]
    assert levels == sorted(levels) and levels[0] == 0 and levels[-1] == 2
    pane.sort_box.setCurrentIndex(pane.sort_box.findData("name"))
    names = [item.name.casefold() for item in proxy.items()]
    assert names == sorted(names)


def test_catalog_speaks_german(qtbot, qapp, make_pane):
    previous = QLocale()
    translators = install_translators(qapp, "de")
    try:
        pane = make_pane(LAPTOP)
        card = cards(pane, "catalog")[("catalog", "qwen3-30b-a3b-q4km")]
        entry = next(e for e in pane.catalog if e.id == "qwen3-30b-a3b-q4km")
        assert card.summary == entry.describe("de")
        assert words(card.fit_text) == "✕ Passt nicht: braucht etwa 20 GB, dieser Computer hat 16 GB"
        assert pane.view_buttons["catalog"].text() == "Katalog"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous)


# --- Downloads ------------------------------------------------------------------------------------


def test_a_download_shows_progress_and_ends_in_the_installed_list(qtbot, make_pane, hub, models_dir):
    hub.slow[FILE] = 600_000  # a few seconds: long enough to watch
    policy = NetworkPolicy()
    pane = make_pane(LAPTOP, policy=policy)
    assert FILE not in installed_names(pane)
    row = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))

    qtbot.waitUntil(
        lambda: row.state == "running" and 0 < row.progress.value() < 1000, timeout=DOWNLOAD_TIMEOUT_MS
    )
    assert " of " in row.state_label.text()
    assert [(a.kind, a.host) for a in policy.active_actions][:1] == [("download", "127.0.0.1")]
    assert pane.model.find(("catalog", "tiny-moe")).download.state == "running"
    assert not pane.download_button.isEnabled()  # the same model is not queued twice
    qtbot.waitUntil(
        lambda: "/s" in row.state_label.text() and "left" in row.state_label.text(),
        timeout=DOWNLOAD_TIMEOUT_MS,
    )
    assert FILE not in installed_names(pane)  # only complete and verified files are offered

    qtbot.waitUntil(lambda: FILE in installed_names(pane), timeout=DOWNLOAD_TIMEOUT_MS)
    assert (models_dir / FILE).read_bytes() == hub.repos[REPO].files[FILE].data
    assert (REPO, FILE) not in pane.downloads_panel.rows
    assert policy.active_actions == ()  # the status bar is back to "local"
    installed = pane.model.find(("file", str(models_dir / FILE)))
    assert installed.catalog_id == "tiny-moe" and installed.fit is not None
    catalog_card = cards(pane, "catalog")[("catalog", "tiny-moe")]
    assert catalog_card.item.installed_path == str(models_dir / FILE)
    assert pane.download_button.text() == "Already in the library" and not pane.download_button.isEnabled()
    assert "downloaded and checked" in pane._status_label.text()


def test_cancel_stops_the_download_and_leaves_nothing(qtbot, make_pane, hub, models_dir):
    hub.slow[FILE] = 50_000
    pane = make_pane()
    row = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    qtbot.waitUntil(lambda: row.state == "running" and row.progress.value() > 0, timeout=DOWNLOAD_TIMEOUT_MS)
    click(qtbot, row.cancel_button)
    qtbot.waitUntil(lambda: (REPO, FILE) not in pane.downloads_panel.rows, timeout=5_000)
    assert files_in(models_dir) == ["local-moe.gguf"]
    assert pane.model.find(("catalog", "tiny-moe")).download is None
    assert FILE not in installed_names(pane)


def test_pause_keeps_the_partial_file_and_resume_finishes(qtbot, make_pane, hub, models_dir):
    hub.slow[FILE] = 100_000
    pane = make_pane()
    row = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    qtbot.waitUntil(lambda: row.state == "running" and row.progress.value() > 0, timeout=DOWNLOAD_TIMEOUT_MS)
    click(qtbot, row.pause_button)
    qtbot.waitUntil(lambda: row.state == "paused", timeout=5_000)
    assert "Paused at" in row.state_label.text() and row.resume_button.isVisible()
    assert (models_dir / (FILE + ".part")).exists()
    del hub.slow[FILE]
    click(qtbot, row.resume_button)
    qtbot.waitUntil(lambda: FILE in installed_names(pane), timeout=DOWNLOAD_TIMEOUT_MS)
    assert hub.cdn_gets(FILE)[-1].headers.get("range", "").startswith("bytes=")


def test_a_download_left_unfinished_is_offered_at_start(qtbot, make_pane, hub, models_dir):
    hub.slow[FILE] = 100_000
    manager = DownloadManager(models_dir, endpoint=hub.endpoint, disk_free=lambda _f: PLENTY)
    manager.submit(DownloadRequest(REPO, FILE, catalog_id="tiny-moe"))
    qtbot.waitUntil(
        lambda: (
            (models_dir / (FILE + ".part")).exists() and (models_dir / (FILE + ".part")).stat().st_size > 0
        ),
        timeout=DOWNLOAD_TIMEOUT_MS,
    )
    manager.shutdown()  # as when the app closes: the partial file stays
    del hub.slow[FILE]

    pane = make_pane()
    row = pane.downloads_panel.rows[(REPO, FILE)]
    assert row.state == "offered" and "Unfinished" in row.state_label.text() and row.name == "Tiny test MoE"
    assert FILE not in installed_names(pane)
    click(qtbot, row.resume_button)
    qtbot.waitUntil(lambda: FILE in installed_names(pane), timeout=DOWNLOAD_TIMEOUT_MS)


@pytest.mark.parametrize(
    "fault, words",
    [
        ("missing", "This model was not found on Hugging Face"),
        ("corrupt", "did not match Hugging Face's checksum, so it was deleted"),
    ],
)
def test_a_failed_download_says_why_and_adds_nothing(qtbot, make_pane, hub, models_dir, fault, words):
    if fault == "corrupt":
        hub.corrupt.add(FILE)
    pane = make_pane()
    entry = "missing" if fault == "missing" else "tiny-moe"
    row = start_download(qtbot, pane, "catalog", ("catalog", entry))
    qtbot.waitUntil(lambda: row.state == "failed", timeout=DOWNLOAD_TIMEOUT_MS)
    assert words in row.error_label.text() and row.error_label.isVisible()
    assert row.resume_button.text() == "Try again"
    assert files_in(models_dir) == ["local-moe.gguf"]
    pane.refresh()
    qtbot.waitUntil(lambda: not pane.scanning)
    assert installed_names(pane) == ["local-moe.gguf"]
    click(qtbot, row.cancel_button)  # "Remove"
    qtbot.waitUntil(lambda: not pane.downloads_panel.rows)


def test_too_little_disk_space_is_refused_before_anything_is_downloaded(qtbot, make_pane, hub, models_dir):
    pane = make_pane(disk_free=lambda _folder: 100_000_000)
    row = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    qtbot.waitUntil(lambda: row.state == "failed", timeout=DOWNLOAD_TIMEOUT_MS)
    assert "Not enough free space" in row.error_label.text() and "100 MB free" in words(
        row.error_label.text()
    )
    qtbot.waitUntil(lambda: pane.message_box is not None and pane.message_box.isVisible())
    assert pane.message_box.windowTitle() == "Not enough free space"
    assert hub.cdn_gets() == [] and files_in(models_dir) == ["local-moe.gguf"]


def test_a_gated_model_asks_for_a_token_and_works_with_one(qtbot, make_pane, hub, keyring_backend):
    pane = make_pane()
    row = start_download(qtbot, pane, "catalog", ("catalog", "gated"))
    qtbot.waitUntil(lambda: row.state == "failed", timeout=DOWNLOAD_TIMEOUT_MS)
    assert "This model is gated" in row.error_label.text() and row.token_button.isVisible()
    click(qtbot, row.token_button)
    dialog = pane.token.dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.token_edit, TOKEN)
    click(qtbot, dialog.save_button)
    dialog.close()
    click(qtbot, row.resume_button)  # "Try again"
    qtbot.waitUntil(lambda: GATED_FILE in installed_names(pane), timeout=DOWNLOAD_TIMEOUT_MS)


def test_offline_mode_refuses_downloads_in_words(qtbot, make_pane):
    policy = NetworkPolicy(offline=True)
    pane = make_pane(policy=policy)
    row = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    qtbot.waitUntil(lambda: row.state == "failed", timeout=DOWNLOAD_TIMEOUT_MS)
    assert "Offline mode is on" in row.error_label.text()


# --- Search ---------------------------------------------------------------------------------------


def test_search_lists_repositories_then_files_with_fit_and_downloads_one(qtbot, make_pane, models_dir):
    pane = make_pane()
    pane.show_view("search")
    qtbot.keyClicks(pane.search_edit, "tiny")
    click(qtbot, pane.search_button)
    qtbot.waitUntil(lambda: not pane.searching and pane.filters["search"].rowCount() == 1)
    repo = pane.filters["search"].items()[0]
    assert repo.kind == HUB_REPO and repo.repo == REPO and repo.downloads == 50

    assert pane.views["search"].select_key(repo.key)
    click(qtbot, pane.show_files_button)
    qtbot.waitUntil(lambda: not pane.searching and pane.filters["search"].rowCount() == 2)
    shown = cards(pane, "search")
    dense_key = ("hub", REPO, "tiny-dense-Q8_0.gguf")
    assert set(shown) == {("hub", REPO, FILE), dense_key}
    assert all(
        card.item.kind == HUB_FILE and card.fit_text.startswith("✓ Fits: needs") for card in shown.values()
    )
    assert all(card.item.quantization == "Q8_0" for card in shown.values())

    start_download(qtbot, pane, "search", dense_key)
    qtbot.waitUntil(lambda: "tiny-dense-Q8_0.gguf" in installed_names(pane), timeout=DOWNLOAD_TIMEOUT_MS)
    assert cards(pane, "search")[dense_key].item.installed_path == str(models_dir / "tiny-dense-Q8_0.gguf")
    click(qtbot, pane.back_button)
    assert [item.kind for item in pane.filters["search"].items()] == [HUB_REPO]


def test_a_search_that_cannot_connect_says_so(qtbot, make_pane):
    pane = make_pane(endpoint="http://127.0.0.1:9")  # the discard port: nothing listens
    pane.search("qwen")
    qtbot.waitUntil(lambda: not pane.searching, timeout=20_000)
    assert "No connection to Hugging Face" in pane._error_label.text()
    assert pane.filters["search"].rowCount() == 0


# --- Local files ----------------------------------------------------------------------------------


def drop(pane: LibraryPane, path: Path) -> bool:
    """Drag a file from the file manager onto the library and drop it; whether the drag was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(pane, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(
        pane,
        QDropEvent(
            QPointF(20, 20),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    return True


def test_dropping_a_broken_file_is_refused_with_a_message(qtbot, make_pane, models_dir, tmp_path):
    pane = make_pane()
    broken = tmp_path / "outside" / "broken.gguf"
    broken.parent.mkdir()
    broken.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\xff" * 40)
    assert drop(pane, broken)
    qtbot.waitUntil(lambda: pane.message_box is not None and pane.message_box.isVisible())
    assert pane.message_box.windowTitle() == "This file cannot be imported"
    assert "broken.gguf" in pane.message_box.text()
    assert pane.message_box.informativeText() == "Nothing was added to the library."
    assert files_in(models_dir) == ["local-moe.gguf"] and not pane.importing


def test_a_refused_file_is_explained_in_german(qtbot, qapp, make_pane, models_dir, tmp_path, tiny_models):
    """Import and folder scan say why in German; the English message stays in the details for support."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "empty.gguf").write_bytes(b"")
    half = tiny_models["moe"][: len(tiny_models["moe"]) // 2]
    (outside / "half.gguf").write_bytes(half)
    (models_dir / "cut-off.gguf").write_bytes(half)
    previous = QLocale()
    translators = install_translators(qapp, "de")
    try:
        pane = make_pane()
        expected = {
            "empty.gguf": "„empty.gguf“ ist leer (0 Byte) — vermutlich wurde der Download oder das Kopieren "
            "abgebrochen. Bitte laden oder kopieren Sie das Modell erneut.",
            "half.gguf": "„half.gguf“ ist unvollständig oder beschädigt — vermutlich wurde der Download oder "
            "das Kopieren vor dem Ende abgebrochen. Bitte laden oder kopieren Sie das Modell erneut.",
        }
        for name, text in expected.items():
            pane.message_box = None
            pane.import_file(str(outside / name), mode=None)
            qtbot.waitUntil(lambda: pane.message_box is not None and pane.message_box.isVisible())
            box = pane.message_box
            assert box.windowTitle() == "Diese Datei kann nicht importiert werden"
            assert box.text() == text
            assert box.informativeText() == "Der Bibliothek wurde nichts hinzugefügt."
            assert box.detailedText() == ""  # no English message beside the German one
            box.close()
        assert files_in(models_dir) == ["cut-off.gguf", "local-moe.gguf"] and not pane.importing

        (unusable,) = pane.model.items((UNUSABLE,))
        assert unusable.problem == expected["half.gguf"].replace("half.gguf", "cut-off.gguf")
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous)


def test_every_reason_has_its_own_words():
    """Each GGUFError.reason gets a sentence of its own; an unknown one falls back to the English message."""
    details = {"error": "Input/output error", "version": 9, "key": "llama.block_count", "k": 5, "n": 4}
    texts = {model_error_text(GGUFError("x.gguf is broken.", reason, details), "x.gguf") for reason in REASONS}
    assert len(texts) == len(REASONS) and all("“x.gguf”" in text for text in texts)
    unknown = GGUFError("x.gguf is broken in a new way.", "new_reason", {})
    assert model_error_text(unknown, "x.gguf") == "x.gguf is broken in a new way."


@pytest.mark.parametrize("choice", ["Copy into the models folder", "Use where it is"])
def test_dropping_a_model_asks_whether_to_copy_or_use_it_where_it_is(
    qtbot, make_pane, models_dir, tmp_path, tiny_models, choice
):
    pane = make_pane()
    source = tmp_path / "usb-stick" / "dropped.gguf"
    source.parent.mkdir()
    source.write_bytes(tiny_models["dense"])
    assert drop(pane, source)
    qtbot.waitUntil(lambda: pane.message_box is not None and pane.message_box.isVisible())
    assert "Copy the file into the models folder, or use it where it is?" in pane.message_box.text()
    press(pane.message_box, choice)
    copied = choice.startswith("Copy")
    expected = models_dir / "dropped.gguf" if copied else source
    qtbot.waitUntil(
        lambda: not pane.importing and not pane.scanning and str(expected) in pane.models, timeout=10_000
    )
    assert (models_dir / "dropped.gguf").exists() == copied
    item = pane.model.find(("file", str(expected)))
    assert item.referenced == (not copied)
    assert pane.selected_path() == str(expected)

    if not copied:  # removing a file used where it is only takes it off the list
        click(qtbot, pane.delete_button)
        assert "nothing is deleted" in pane.message_box.informativeText()
        press(pane.message_box, "Remove")
        qtbot.waitUntil(lambda: not pane.scanning and str(source) not in pane.models)
        assert source.exists()


def test_delete_asks_with_the_space_it_frees_and_removes_the_file(qtbot, make_pane, models_dir):
    pane = make_pane()
    path = models_dir / "local-moe.gguf"
    size = path.stat().st_size
    pane.select_path(str(path))
    click(qtbot, pane.delete_button)
    box = pane.message_box
    assert box.text() == f"Delete “{pane.model.find(('file', str(path))).name}”?"
    assert f"frees {format_size(size)} on the drive" in box.informativeText()
    press(box, "Cancel")
    assert path.exists()

    click(qtbot, pane.delete_button)
    press(pane.message_box, "Delete")
    qtbot.waitUntil(lambda: not path.exists() and not pane.scanning and installed_names(pane) == [])
    assert "was deleted" in pane._status_label.text()


def test_the_loaded_model_cannot_be_deleted(qtbot, make_pane, models_dir):
    pane = make_pane()
    path = str(models_dir / "local-moe.gguf")
    pane.set_loaded(pane.models[path], 1.0)
    assert pane.selected_path() == path and not pane.delete_button.isEnabled()
    assert cards(pane, "installed")[("file", path)].item.loaded


def test_changing_the_models_folder_is_remembered_and_the_library_follows(
    qtbot, make_pane, tmp_path, tiny_models
):
    pane = make_pane()
    other = tmp_path / "external-drive" / "models"
    other.mkdir(parents=True)
    (other / "elsewhere.gguf").write_bytes(tiny_models["dense"])
    assert pane.set_models_dir(other)
    qtbot.waitUntil(lambda: pane.message_box is not None)  # whether its model moves along (test_library_folder.py)
    with qtbot.waitSignal(pane.modelsDirChanged):
        press(pane.message_box, "Leave them in the old folder")
    qtbot.waitUntil(lambda: not pane.scanning)
    assert installed_names(pane) == ["elsewhere.gguf"]
    assert settings.models_dir() == other and pane.downloads.queue.models_dir == other


# --- Loading --------------------------------------------------------------------------------------


def test_loading_a_model_that_does_not_fit_asks_first(qtbot, make_pane, models_dir):
    pane = make_pane(computer(total_gb=1, free_gb=0.5))
    path = str(models_dir / "local-moe.gguf")
    pane.select_path(path)
    requested = []
    pane.loadRequested.connect(requested.append)
    click(qtbot, pane.load_button)
    box = pane.message_box
    assert box.isVisible() and box.windowTitle() == "This model probably does not fit"
    assert "needs about" in box.text() and "of this computer's 1 GB only about 0 B are left" in words(box.text())
    press(box, "Cancel")
    assert requested == []

    click(qtbot, pane.load_button)
    press(pane.message_box, "Load anyway")
    assert requested == [path]


def test_a_model_that_fits_loads_without_asking(qtbot, make_pane, models_dir):
    pane = make_pane(LAPTOP)
    pane.select_path(str(models_dir / "local-moe.gguf"))
    with qtbot.waitSignal(pane.loadRequested) as load:
        click(qtbot, pane.load_button)
    assert load.args == [str(models_dir / "local-moe.gguf")] and pane.message_box is None


# --- The token ------------------------------------------------------------------------------------


def test_the_token_goes_to_the_keyring_only(
    qtbot, make_pane, keyring_backend, hub, models_dir, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    pane = make_pane()
    pane.token_action.trigger()
    dialog = pane.token.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.status_label.text() == "No token is stored." and not dialog.remove_button.isEnabled()
    assert "password store (keyring)" in dialog.storage_label.text()
    qtbot.keyClicks(dialog.token_edit, TOKEN)
    click(qtbot, dialog.save_button)
    assert keyring_backend.get_password(SERVICE, USERNAME) == TOKEN
    assert dialog.token_edit.text() == "" and dialog.status_label.text() == "A token is stored: hf_…7890"

    row = start_download(qtbot, pane, "catalog", ("catalog", "gated"))  # the token is used ...
    qtbot.waitUntil(lambda: GATED_FILE in installed_names(pane), timeout=DOWNLOAD_TIMEOUT_MS)
    assert row is not None
    QSettings().sync()
    # ... and is in no file under the data and config folders, the models folder or this test's folder
    roots = [Path(os.environ["MOESCOPE_DATA_DIR"]), Path(os.environ["XDG_CONFIG_HOME"]), models_dir, tmp_path]
    written = [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".origin.json") for p in written)
    for path in written:
        assert TOKEN.encode() not in path.read_bytes(), path
    assert TOKEN not in caplog.text
    texts = [w.text() for w in dialog.findChildren(type(dialog.status_label))]
    assert not any(TOKEN in text for text in texts)

    click(qtbot, dialog.remove_button)
    assert keyring_backend.get_password(SERVICE, USERNAME) is None
    assert dialog.status_label.text() == "No token is stored."


def test_without_a_keyring_the_dialog_says_the_token_is_kept_for_this_session(qtbot, make_pane):
    pane = make_pane(token_store=TokenStore(fail.Keyring()))
    pane.token.open_dialog()
    dialog = pane.token.dialog
    assert "kept for this session only" in dialog.storage_label.text()
    qtbot.keyClicks(dialog.token_edit, TOKEN)
    click(qtbot, dialog.save_button)
    assert dialog.status_label.text() == "A token is stored: hf_…7890"
    assert pane.token.store().get() == TOKEN and not pane.token.store().persistent


def test_the_window_has_the_library_settings_in_its_menu(qtbot, models_dir):
    window = MainWindow(EngineWorker(), models_dir)
    qtbot.addWidget(window)
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert "&Settings" in menus
    assert window.library.token_action in menus["&Settings"].actions()
    assert window.library.models_dir_action in menus["&Settings"].actions()
    window.library.shutdown()


def test_a_download_goes_into_the_models_folder_and_leaves_nothing_else(qtbot, make_pane, models_dir):
    """Downloads go into the models folder itself (not a hidden cache) and leave no leftovers."""
    pane = make_pane()
    start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    qtbot.waitUntil(lambda: FILE in installed_names(pane), timeout=DOWNLOAD_TIMEOUT_MS)
    assert files_in(models_dir) == sorted(["local-moe.gguf", FILE, FILE + ".origin.json"])


# --- What a new user ran into (issue 12) -----------------------------------------------------------


def test_a_failed_search_says_why_only_and_only_in_the_search_view(qtbot, make_pane):
    pane = make_pane(endpoint="http://127.0.0.1:9")  # the discard port: nothing listens
    pane.search("qwen")
    qtbot.waitUntil(lambda: not pane.searching, timeout=20_000)
    assert "No connection to Hugging Face" in pane._error_label.text() and pane._error_label.isVisible()
    assert pane._empty_label.text() == "" and not pane._empty_label.isVisible()  # no "Nothing found …"
    for view in ("installed", "catalog"):
        pane.show_view(view)
        assert pane._error_label.text() == "" and not pane._error_label.isVisible()
    pane.show_view("search")
    assert "No connection to Hugging Face" in pane._error_label.text()


def test_the_offline_mode_error_goes_when_offline_mode_is_switched_off(qtbot, make_pane):
    policy = NetworkPolicy(offline=True)
    pane = make_pane(policy=policy)
    pane.search("qwen")
    qtbot.waitUntil(lambda: not pane.searching)
    assert "Offline mode is on" in pane._error_label.text()
    row = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    qtbot.waitUntil(lambda: row.state == "failed", timeout=DOWNLOAD_TIMEOUT_MS)
    assert "Offline mode is on" in row.error_label.text()

    policy.offline = False  # as the locality panel's switch does it
    qtbot.waitUntil(lambda: "Offline mode is on" not in row.error_label.text())
    assert row.error_label.text() == "Offline mode is off now: press Try again to download."
    pane.show_view("search")
    assert pane._error_label.text() == "" and not pane._error_label.isVisible()


def test_a_download_without_internet_says_so_at_once_and_claims_nothing_kept(qtbot, make_pane, monkeypatch):
    real, asked = socket.getaddrinfo, []

    def no_internet(host, *args, **kwargs):
        if str(host).endswith(".invalid"):
            asked.append(host)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_internet)
    pane = make_pane(endpoint="http://huggingface.invalid")
    started = time.monotonic()
    row = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    qtbot.waitUntil(lambda: row.state == "failed", timeout=5_000)
    assert time.monotonic() - started < 5.0 and asked == ["huggingface.invalid"]  # not retried
    assert row.error_label.text() == (
        "No internet connection: Hugging Face could not be reached. Connect this computer to the internet, "
        "then press Try again. Nothing was downloaded yet.")
    assert "kept" not in row.error_label.text()


def test_the_loaded_model_cannot_be_loaded_again_and_delete_says_why_it_is_off(make_pane):
    pane = make_pane()
    path = next(iter(pane.models))
    pane.select_path(path)
    assert pane.load_button.isEnabled() and pane.load_button.text() == "Load" and pane.delete_button.isEnabled()

    pane.set_loaded(pane.models[path], 0.5)
    pane.select_path(path)
    assert not pane.load_button.isEnabled() and pane.load_button.text() == "✓ Loaded"
    assert not pane.delete_button.isEnabled()
    assert pane.delete_button.toolTip() == "This model is in use; load another one before deleting it."
    assert pane.delete_button.accessibleDescription() == pane.delete_button.toolTip()
    requested = []
    pane.loadRequested.connect(requested.append)
    pane.request_load()
    assert requested == []  # the expert view is not emptied by a reload

    pane.list.clearSelection()
    assert pane.delete_button.toolTip() == "Select a model in the list to delete it"
    pane.set_unloaded()
    pane.select_path(path)
    assert pane.load_button.isEnabled() and pane.load_button.text() == "Load"


def test_licences_and_demo_models_have_names_people_read(make_pane):
    pane = make_pane()
    licences = {item.license for item in pane.model.items((CATALOG,))}
    assert "MIT" in licences and "Apache 2.0" in licences
    assert not licences & {"mit", "apache-2.0"}
    (demo,) = pane.model.items((INSTALLED,))
    assert demo.demo and demo.name == "MoEscope demo MoE (random weights, 4 experts, 2 per token, 2 layers)"


# --- Speed estimate -------------------------------------------------------------------------------


def test_cards_say_how_fast_a_model_that_fits_answers_here(make_pane):
    from app.core.models.fit import GB, estimate_for_entry
    from app.core.models.speed import rounded_rate, tokens_per_s_for, words_per_s

    pane = make_pane(dataclasses.replace(computer(32, 24), memory_bandwidth=40 * GB))
    shown = cards(pane, "catalog")
    entries = {entry.id: entry for entry in pane.catalog}
    for key in (("catalog", "gemma-3-4b-it-q4km"), ("catalog", "qwen3-30b-a3b-q4km")):
        rate = words_per_s(tokens_per_s_for(estimate_for_entry(entries[key[1]]), 40 * GB))
        assert rounded_rate(rate) >= 2
        assert shown[key].speed_text == f"About {rounded_rate(rate)} words per second on this computer"
    qwen, gemma = shown[("catalog", "qwen3-30b-a3b-q4km")], shown[("catalog", "gemma-3-4b-it-q4km")]
    assert qwen.fit_text.startswith("✓ Fits") and gemma.fit_text.startswith("✓ Fits")
    # 30.5 B parameters of which 3.3 B work on each token: faster than a dense model of 3.9 B
    assert int(qwen.speed_text.split()[1]) > int(gemma.speed_text.split()[1])
    for card in shown.values():
        if card.item.fit is not None and card.item.fit.level == "does_not_fit":
            assert card.speed_text == ""  # it cannot run here at all
    (local,) = cards(pane, "installed").values()
    assert local.speed_text == "More than 100 words per second on this computer"  # a tiny demo model


def test_without_a_measured_memory_speed_no_speed_is_claimed(make_pane):
    pane = make_pane(LAPTOP)
    assert all(card.speed_text == "" for card in cards(pane, "catalog").values())


@pytest.mark.parametrize(("tokens_per_s", "text"), [
    (0.4, "Answers slowly on this computer: less than one word per second"),
    (1.2, "About one word per second on this computer"),
    (10.5, "About 8 words per second on this computer"),
    (40, "About 30 words per second on this computer"),
    (400, "More than 100 words per second on this computer"),
])
def test_the_speed_is_said_in_words(qapp, tokens_per_s, text):
    from app.ui.library.words import speed_text

    assert speed_text(tokens_per_s) == text
