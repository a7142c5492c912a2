"""The first-run guide, driven like a newcomer would: pages in order, Skip, the model step (catalog with fit
words, a download from the stand-in Hub with its progress on the page, a file from a USB stick through the
library's import, using an installed model), and the bundle rule that leaves the model step out.

Never online: the Hub is tests/support/fake_hub.py on 127.0.0.1, reached through the pane's ``endpoint``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from fake_hub import FakeHub
from PySide6.QtCore import QSettings, QThread
from PySide6.QtWidgets import QDialog, QFileDialog

from app.core.locality.policy import NetworkPolicy
from app.core.models.bundle import ENV_OVERRIDE
from app.core.models.catalog import load_catalog
from app.core.models.demo import write_demo_model
from app.core.hub.token_store import TokenStore
from app.ui import settings
from app.ui.guide.dialog import FirstRunGuide, maybe_show_guide, show_guide
from app.ui.guide.model_page import KEY_ROLE
from app.ui.library.pane import LibraryPane
from app.ui.main_window import MainWindow
from app.worker import EngineWorker
from stand_ins import LAPTOP, PLENTY, MemoryKeyring

REPO = "org/Tiny-MoE-GGUF"
FILE = "tiny-moe-Q8_0.gguf"
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("guide-models")
    return write_demo_model(folder / "moe.gguf", arch="qwen3moe", layers=2, experts=4, top_k=2).read_bytes()


@pytest.fixture
def hub(tiny_model):
    with FakeHub() as fake:
        fake.add_repo(REPO, {FILE: tiny_model})
        yield fake


@pytest.fixture
def models_dir(tmp_path, tiny_model) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "local-moe.gguf").write_bytes(tiny_model)
    return folder


@pytest.fixture(autouse=True)
def fresh_settings():
    stored = QSettings()
    keys = (settings.GUIDE_DONE, settings.REFERENCES, settings.MODELS_DIR)
    for key in keys:
        stored.remove(key)
    yield
    for key in keys:
        stored.remove(key)


@pytest.fixture
def library(qtbot, hub, models_dir, tiny_model):
    """A LibraryPane on the fake Hub, with the real catalog plus a tiny entry the fake Hub has."""
    entries = load_catalog()
    tiny = dataclasses.replace(next(e for e in entries if e.moe), id="tiny-moe", name="Tiny test MoE", repo=REPO,
                               files=(FILE,), size_bytes=len(tiny_model), approx_size_bytes=None)
    pane = LibraryPane(models_dir, catalog=[*entries, tiny], hardware_probe=lambda _folder: LAPTOP,
                       token_store=TokenStore(MemoryKeyring()), endpoint=hub.endpoint, policy=NetworkPolicy(),
                       disk_free=lambda _folder: PLENTY, retry_wait=0)
    qtbot.addWidget(pane)
    pane.refresh()
    qtbot.waitUntil(lambda: not pane.scanning and pane.hardware is not None)
    yield pane
    pane.shutdown()
    if pane.message_box is not None:
        pane.message_box.close()


@pytest.fixture
def guide(qtbot, library) -> FirstRunGuide:
    dialog = FirstRunGuide(library)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def rows(guide: FirstRunGuide) -> list[tuple[tuple | None, str]]:
    listed = guide.model_page.list
    return [(listed.item(i).data(KEY_ROLE), listed.item(i).text()) for i in range(listed.count())]


def row_text(guide: FirstRunGuide, key: tuple) -> str:
    return next(text for row_key, text in rows(guide) if row_key == key)


def test_the_pages_come_in_order_and_done_ends_the_guide_for_good(qtbot, guide):
    assert list(guide.pages) == ["welcome", "model", "tour"]
    assert guide.current_page == "welcome" and guide.step_label.text() == "Step 1 of 3"
    assert not guide.back_button.isEnabled()
    guide.next_button.click()
    assert guide.current_page == "model" and guide.step_label.text() == "Step 2 of 3"
    guide.next_button.click()
    assert guide.current_page == "tour" and guide.next_button.text() == "&Done"
    guide.back_button.click()
    assert guide.current_page == "model" and guide.next_button.text() == "&Next"
    assert not settings.guide_done()
    guide.next_button.click()
    guide.next_button.click()
    assert not guide.isVisible() and guide.result() == QDialog.DialogCode.Accepted
    assert settings.guide_done()


@pytest.mark.parametrize("page", ["welcome", "model", "tour"])
def test_skip_ends_the_guide_on_every_page_and_marks_it_done(qtbot, guide, page):
    guide.show_page(page)
    assert guide.skip_button.isVisible()
    guide.skip_button.click()
    assert not guide.isVisible() and guide.result() == QDialog.DialogCode.Rejected
    assert settings.guide_done()


def test_the_welcome_page_links_the_locality_panel(qtbot, guide):
    assert "stay on this computer" in guide.locality_label.text()
    with qtbot.waitSignal(guide.localityRequested, timeout=1000):
        guide.locality_label.linkActivated.emit("locality")


def test_the_model_page_lists_the_catalog_with_its_fit_in_plain_words(qtbot, guide, models_dir):
    page = guide.model_page
    listed = rows(guide)
    texts = [text for _key, text in listed]
    local = ("file", str(models_dir / "local-moe.gguf"))
    assert texts[0] == "On this computer" and listed[1][0] == local
    assert texts.index("To download from the internet (Hugging Face)") > 1
    tiny = row_text(guide, ("catalog", "tiny-moe"))
    assert tiny.startswith("Tiny test MoE\n✓ Fits · good English · needs about ")
    assert "of memory" in tiny and "to download" in tiny
    mixtral = row_text(guide, ("catalog", "mixtral-8x7b-instruct-v0.1-q4km"))
    assert "✕ Does not fit" in mixtral
    verdicts = [text.split("\n")[1][0] for key, text in listed if key and key[0] == "catalog"]
    assert verdicts == sorted(verdicts, key="✓!✕".index)  # what runs here comes first
    page.select_key(("catalog", "mixtral-8x7b-instruct-v0.1-q4km"))
    assert page.action_button.text() == "Too big for this computer" and not page.action_button.isEnabled()
    assert "this computer has 16\u00a0GB" in page.detail_label.text()
    page.select_key(("catalog", "tiny-moe"))
    assert page.action_button.text().startswith("Download (") and page.action_button.isEnabled()


def test_choosing_a_catalog_model_downloads_it_with_the_progress_on_the_page(qtbot, guide, hub, models_dir):
    hub.slow[FILE] = 400_000
    page = guide.model_page
    guide.show_page("model")
    page.select_key(("catalog", "tiny-moe"))
    page.action_button.click()
    assert page.download_key == ("catalog", "tiny-moe")
    qtbot.waitUntil(lambda: page.progress.isVisible() and " of " in page.status_label.text(), timeout=TIMEOUT_MS)
    assert page.status_label.text().startswith("“Tiny test MoE”: ")
    assert page.action_button.text() == "Downloading…" and not page.action_button.isEnabled()
    downloaded = ("file", str(models_dir / FILE))
    qtbot.waitUntil(lambda: page.chosen_key() == downloaded, timeout=TIMEOUT_MS)
    assert (models_dir / FILE).read_bytes() == hub.repos[REPO].files[FILE].data
    assert "is downloaded and ready" in page.status_label.text() and not page.progress.isVisible()
    assert page.action_button.text() == "Use this model" and page.action_button.isEnabled()
    assert ("catalog", "tiny-moe") not in [key for key, _text in rows(guide)]  # listed once, as installed


def test_a_file_from_a_usb_stick_goes_through_the_library_import(qtbot, guide, library, tmp_path, tiny_model,
                                                                  monkeypatch):
    stick = tmp_path / "stick" / "from-a-colleague.gguf"
    stick.parent.mkdir()
    stick.write_bytes(tiny_model)
    asked = []

    def choose(parent, caption, folder, filters):
        asked.append((parent, folder, filters))
        return [str(stick)], filters

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    page = guide.model_page
    page.file_button.click()
    assert asked[0][0] is page and "*.gguf" in asked[0][2]
    qtbot.waitUntil(lambda: library.message_box is not None and library.message_box.isVisible(), timeout=TIMEOUT_MS)
    copy = next(b for b in library.message_box.buttons() if b.text() == "Copy into the models folder")
    copy.click()
    copied = ("file", str(library.models_dir / stick.name))
    qtbot.waitUntil(lambda: page.chosen_key() == copied, timeout=TIMEOUT_MS)
    assert "was added to the library" in page.status_label.text()
    keys = [key for key, _text in rows(guide)]
    assert keys.index(copied) < keys.index(None, 1)  # listed under "On this computer"


def test_use_this_model_asks_the_library_to_load_it(qtbot, guide, library, models_dir):
    page = guide.model_page
    local = str(models_dir / "local-moe.gguf")
    page.select_key(("file", local))
    assert page.action_button.text() == "Use this model"
    with qtbot.waitSignal(library.loadRequested, timeout=2000) as loaded:
        page.action_button.click()
    assert loaded.args == [local]
    assert "is being loaded" in page.status_label.text()


@pytest.fixture
def silent_window(qtbot, models_dir):
    """The main window with a worker whose thread never runs: nothing reaches an engine."""
    thread = QThread()
    worker = EngineWorker()
    worker.moveToThread(thread)
    window = MainWindow(worker, models_dir)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.library.scanning)
    return window


def test_the_guide_opens_by_itself_only_at_the_first_start_and_help_opens_it_again(qtbot, silent_window):
    first = maybe_show_guide(silent_window)
    assert first is not None and first.isVisible() and "model" in first.pages
    assert show_guide(silent_window) is first  # asked again while open: the same one comes forward
    first.skip_button.click()
    assert maybe_show_guide(silent_window) is None
    again = show_guide(silent_window)
    assert again is not first and again.isVisible() and again.current_page == "welcome"
    with qtbot.waitSignal(again.localityRequested):
        again.locality_label.linkActivated.emit("locality")
    qtbot.waitUntil(lambda: silent_window.locality_panel is not None and silent_window.locality_panel.isVisible())
    silent_window.locality_panel.close()
    again.close()


def test_an_offline_bundle_leaves_out_the_model_step(qtbot, silent_window, tmp_path, tiny_model, monkeypatch):
    bundle = tmp_path / "bundled-models"
    bundle.mkdir()
    (bundle / "kiosk-model.gguf").write_bytes(tiny_model)
    monkeypatch.setenv(ENV_OVERRIDE, str(bundle))
    guide = maybe_show_guide(silent_window)
    assert list(guide.pages) == ["welcome", "tour"] and guide.model_page is None
    assert guide.step_label.text() == "Step 1 of 2"
    guide.next_button.click()
    assert guide.current_page == "tour" and guide.next_button.text() == "&Done"
    guide.next_button.click()
    assert settings.guide_done()
