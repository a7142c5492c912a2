"""Settings › Models folder… in the library: the models of the old folder move along (with their sidecars and
unfinished downloads), stay where they are, or nothing changes, as the user answers; a full drive stops the
move without losing a file; the loaded model stays where the engine reads it; no change while a download
runs. The disk work itself is tested in tests/models/test_folder.py.
"""

from __future__ import annotations

import errno
import time
from pathlib import Path

from test_library import (  # noqa: F401 (fixtures)
    DOWNLOAD_TIMEOUT_MS, FILE, REPO, catalog, files_in, hub, installed_names, keyring_backend, make_pane,
    models_dir, press, start_download, tiny_models,
)

from app.core.hub.sidecars import write_origin, write_part_state
from app.core.locality.policy import NetworkPolicy
from app.core.models import folder as core_folder
from app.ui import settings
from app.ui.formatting import format_size


def add_second_model(models_dir: Path, tiny_models) -> Path:
    """A second model, downloaded (with its origin sidecar), beside the fixture's local-moe.gguf."""
    path = models_dir / "second-dense.gguf"
    path.write_bytes(tiny_models["dense"])
    write_origin(path, repo="org/second", filename=path.name, revision="abc", sha256=None, etag="e",
                 size=path.stat().st_size, catalog_id=None, names=[path.name], downloaded_at="2025-01-01T00:00:00Z")
    return path


def add_unfinished_download(models_dir: Path) -> None:
    (models_dir / (FILE + ".part")).write_bytes(b"x" * 1000)
    write_part_state(models_dir / FILE, repo=REPO, filename=FILE, revision="abc", requested_revision="main",
                     catalog_id="tiny-moe", etag="e", size=5000, parts=[FILE], set_size=5000, verified=False)


def ask_to_change(qtbot, pane, target: Path):
    """Choose ``target``; the question that appears."""
    assert pane.set_models_dir(target)
    qtbot.waitUntil(lambda: pane.message_box is not None and pane.message_box.isVisible())
    return pane.message_box


def test_a_folder_change_with_no_model_in_the_old_folder_asks_nothing(qtbot, make_pane, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    pane = make_pane(folder=empty)
    with qtbot.waitSignal(pane.modelsDirChanged):
        assert pane.set_models_dir(tmp_path / "new")
    assert pane.message_box is None and settings.models_dir() == tmp_path / "new"
    assert pane._folder_note_label.isHidden()


def test_move_takes_the_models_their_sidecars_and_unfinished_downloads_along(
    qtbot, make_pane, models_dir, tmp_path, tiny_models
):
    add_second_model(models_dir, tiny_models)
    add_unfinished_download(models_dir)
    pane = make_pane()
    assert FILE in [key[1] for key in pane.downloads_panel.rows]
    size = sum(path.stat().st_size for path in models_dir.iterdir())
    new = tmp_path / "usb" / "models"
    box = ask_to_change(qtbot, pane, new)
    assert box.text() == f"Move the 2 model(s) ({format_size(size)}) to the new folder?"
    assert str(models_dir) in box.informativeText() and "Unfinished downloads move with them." in box.informativeText()
    assert sorted(b.text() for b in box.buttons()) == ["Cancel", "Leave them in the old folder", "Move"]
    before = {name: (models_dir / name).read_bytes() for name in files_in(models_dir)}
    with qtbot.waitSignal(pane.modelsDirChanged, timeout=10_000):
        press(box, "Move")
    qtbot.waitUntil(lambda: not pane.scanning and len(installed_names(pane)) == 2)
    assert files_in(models_dir) == []
    assert {name: (new / name).read_bytes() for name in files_in(new)} == before
    assert installed_names(pane) == ["local-moe.gguf", "second-dense.gguf"]
    assert pane.model.find(("file", str(new / "second-dense.gguf"))).repo == "org/second"  # its origin came along
    assert settings.models_dir() == new and pane.downloads.queue.models_dir == new
    row = pane.downloads_panel.rows[(REPO, FILE)]
    assert row.state == "offered" and "Unfinished" in row.state_label.text()  # the download can go on
    assert pane._status_label.text() == f"2 model(s) moved to “{new}”."
    assert pane._folder_note_label.isHidden()


def test_leave_uses_the_new_folder_and_says_where_the_models_stayed(qtbot, make_pane, models_dir, tmp_path):
    pane = make_pane()
    new = tmp_path / "new"
    box = ask_to_change(qtbot, pane, new)
    assert box.text().startswith("Move the 1 model(s) (")
    with qtbot.waitSignal(pane.modelsDirChanged):
        press(box, "Leave them in the old folder")
    qtbot.waitUntil(lambda: not pane.scanning)
    assert files_in(models_dir) == ["local-moe.gguf"] and files_in(new) == []
    assert installed_names(pane) == [] and settings.models_dir() == new
    note = pane._folder_note_label
    assert note.isVisible() and note.text() == (
        f"1 model(s) stay in the old folder “{models_dir}”. To use them, choose that folder again."
    )


def test_cancel_changes_nothing(qtbot, make_pane, models_dir, tmp_path):
    pane = make_pane()
    changes = []
    pane.modelsDirChanged.connect(changes.append)
    box = ask_to_change(qtbot, pane, tmp_path / "new")
    press(box, "Cancel")
    qtbot.wait(50)
    assert changes == [] and pane.models_dir == models_dir and settings.models_dir() is None
    assert files_in(models_dir) == ["local-moe.gguf"] and installed_names(pane) == ["local-moe.gguf"]
    assert pane.change_folder_button.isEnabled()


def cross_drive_with_room_for(monkeypatch, fitting: int) -> list[str]:
    """Moves go to "another drive" (copied); the copy after the first ``fitting`` ones fails, the drive full."""
    monkeypatch.setattr(core_folder, "rename_within_drive", lambda _source, _target: False)
    real_copy, copied = core_folder.copy_model, []

    def copy(source, target, *args):
        if len(copied) >= fitting:
            raise OSError(errno.ENOSPC, "No space left on device")
        copied.append(source.name)
        return real_copy(source, target, *args)

    monkeypatch.setattr(core_folder, "copy_model", copy)
    return copied


def test_a_full_drive_stops_the_move_says_so_and_loses_nothing(
    qtbot, make_pane, models_dir, tmp_path, tiny_models, monkeypatch
):
    add_second_model(models_dir, tiny_models)
    pane = make_pane()
    copied = cross_drive_with_room_for(monkeypatch, 1)  # the first model only
    new = tmp_path / "full-drive"
    with qtbot.waitSignal(pane.modelsDirChanged, timeout=10_000):
        press(ask_to_change(qtbot, pane, new), "Move")
    qtbot.waitUntil(lambda: not pane.scanning and pane.message_box.windowTitle() == "Not all models could be moved")
    box = pane.message_box
    assert box.text() == f"There is not enough free space on the drive of the models folder “{new}”."
    assert box.informativeText() == (
        f"1 model(s) moved to “{new}”. The others stay in “{models_dir}”; nothing was lost."
    )
    assert copied == ["local-moe.gguf"] and files_in(new) == ["local-moe.gguf"]
    assert files_in(models_dir) == ["second-dense.gguf", "second-dense.gguf.origin.json"]
    assert (models_dir / "second-dense.gguf").read_bytes() == tiny_models["dense"]
    assert installed_names(pane) == ["local-moe.gguf"] and pane.models_dir == new
    assert "1 model(s) stay in the old folder" in pane._folder_note_label.text()


def test_a_drive_too_full_for_the_first_model_keeps_the_old_folder(qtbot, make_pane, models_dir, tmp_path, monkeypatch):
    pane = make_pane()
    cross_drive_with_room_for(monkeypatch, 0)
    press(ask_to_change(qtbot, pane, tmp_path / "full-drive"), "Move")
    qtbot.waitUntil(lambda: pane.message_box.windowTitle() == "The models could not be moved")
    assert "not enough free space" in pane.message_box.text()
    assert pane.message_box.informativeText() == f"Nothing was moved, and the library still uses “{models_dir}”."
    assert pane.models_dir == models_dir and settings.models_dir() is None
    assert files_in(models_dir) == ["local-moe.gguf"] and files_in(tmp_path / "full-drive") == []
    assert pane.change_folder_button.isEnabled() and pane.load_button.isEnabled()


def test_the_loaded_model_stays_where_the_engine_reads_it_and_stays_listed(
    qtbot, make_pane, models_dir, tmp_path, tiny_models
):
    add_second_model(models_dir, tiny_models)
    pane = make_pane()
    loaded = str(models_dir / "local-moe.gguf")
    pane.set_loaded(pane.models[loaded], 1.0)
    new = tmp_path / "new"
    box = ask_to_change(qtbot, pane, new)
    name = pane.model.find(("file", loaded)).name
    assert box.text().startswith("Move the 1 model(s) (")
    assert f"“{name}” is in use now, so it stays in the old folder" in box.informativeText()
    with qtbot.waitSignal(pane.modelsDirChanged, timeout=10_000):
        press(box, "Move")
    qtbot.waitUntil(lambda: not pane.scanning and len(installed_names(pane)) == 2)
    assert files_in(models_dir) == ["local-moe.gguf"]
    assert files_in(new) == ["second-dense.gguf", "second-dense.gguf.origin.json"]
    item = pane.model.find(("file", loaded))
    assert item.loaded and item.referenced and settings.references() == [loaded]
    assert f"“{name}” is in use now" in pane._folder_note_label.text()


def test_no_change_while_a_download_runs(qtbot, make_pane, hub, models_dir, tmp_path):
    hub.slow[FILE] = 50_000
    pane = make_pane()
    row = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    qtbot.waitUntil(lambda: row.state == "running", timeout=DOWNLOAD_TIMEOUT_MS)
    assert not pane.set_models_dir(tmp_path / "new")
    assert pane.message_box.windowTitle() == "The models folder cannot change now"
    assert "Wait until the downloads" in pane.message_box.text()
    assert pane.models_dir == models_dir and not (tmp_path / "new").exists()


def test_a_failed_download_with_nothing_on_disk_is_offered_again_in_the_new_folder(
    qtbot, make_pane, models_dir, tmp_path
):
    pane = make_pane(policy=NetworkPolicy(offline=True))
    row = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    qtbot.waitUntil(lambda: row.state == "failed", timeout=DOWNLOAD_TIMEOUT_MS)
    press(ask_to_change(qtbot, pane, tmp_path / "new"), "Move")
    qtbot.waitUntil(lambda: pane.models_dir == tmp_path / "new" and not pane.scanning, timeout=10_000)
    row = pane.downloads_panel.rows[(REPO, FILE)]
    assert row.state == "offered" and row.state_label.text() == "Not downloaded yet. Start it again?"
    assert row.resume_button.text() == "Try again" and row.name == "Tiny test MoE"


def test_closing_the_window_during_a_move_keeps_the_moved_models_in_view(
    qtbot, make_pane, models_dir, tmp_path, tiny_models, monkeypatch
):
    add_second_model(models_dir, tiny_models)
    pane = make_pane()
    monkeypatch.setattr(core_folder, "rename_within_drive", lambda _source, _target: False)
    real_copy, started = core_folder.copy_model, []

    def copy(source, target, cancelled, progress):
        started.append(source.name)
        if len(started) == 1:
            return real_copy(source, target, cancelled, progress)
        while not cancelled():  # the second model copies until the window closes
            time.sleep(0.01)
        return False

    monkeypatch.setattr(core_folder, "copy_model", copy)
    new = tmp_path / "new"
    press(ask_to_change(qtbot, pane, new), "Move")
    qtbot.waitUntil(lambda: len(started) == 2)
    assert pane.cancel_import_button.isVisible() and not pane.change_folder_button.isEnabled()
    pane.shutdown()
    assert settings.models_dir() == new and files_in(new) == ["local-moe.gguf"]
    assert files_in(models_dir) == ["second-dense.gguf", "second-dense.gguf.origin.json"]
    assert "1 model(s) stay in the old folder" in pane._folder_note_label.text()
