"""The models folder as the library reads it (app.core.models.folder): which files are models, reading one,
the catalog entry it came from, the files that belong to it, the folder's health, copying in, deleting and
moving the models to another folder (same drive or another, full drive, cancelled)."""

from __future__ import annotations

import dataclasses
import errno
import itertools
import os
from pathlib import Path

import pytest

from app.core.models import folder
from app.core.models.catalog import load_catalog
from app.core.models.demo import write_demo_model
from app.core.models.fit import estimate_for_file
from app.core.models.demo import is_demo_model
from app.core.models.folder import (
    IMPORTING_SUFFIX,
    DeleteFailed,
    SourceUnreadable,
    catalog_entry_for,
    copy_model,
    delete_files,
    disk_problem,
    files_of,
    folder_error,
    library_files,
    model_files,
    model_groups,
    move_models,
    read_model,
    remove_abandoned_copies,
)
from app.core.models.gguf import GGUFError, inspect_gguf


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return write_demo_model(tmp_path_factory.mktemp("demo") / "demo.gguf", arch="llama", layers=2, experts=0)


def touch(path: Path, data: bytes = b"") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_the_models_in_a_folder_are_its_gguf_files_one_per_set(tmp_path):
    for name in ("b.gguf", "A.GGUF", "set-00001-of-00002.gguf", "set-00002-of-00002.gguf", "notes.txt",
                 "x.gguf.part"):
        touch(tmp_path / name)
    (tmp_path / "folder.gguf").mkdir()
    assert [p.name for p in model_files(tmp_path)] == ["A.GGUF", "b.gguf", "set-00001-of-00002.gguf"]
    assert model_files(tmp_path / "missing") == []


def test_the_library_lists_the_folder_then_the_files_used_where_they_are(tmp_path):
    inside = touch(tmp_path / "models" / "in.gguf")
    outside = touch(tmp_path / "usb" / "out.gguf")
    assert library_files(tmp_path / "models", [inside, outside]) == [(inside, False), (outside, True)]


def test_reading_a_model_gives_its_header_estimate_and_origin(demo):
    scanned = read_model(demo, True, lambda path: {"repo": "org/x"} if path == demo else None)
    assert scanned.info == inspect_gguf(demo) and scanned.estimate == estimate_for_file(demo)
    assert scanned.origin == {"repo": "org/x"} and scanned.referenced
    assert read_model(demo).origin == {} and not read_model(demo).referenced


def test_a_file_that_is_no_model_is_refused_and_a_surprise_is_unreadable(tmp_path, monkeypatch):
    with pytest.raises(GGUFError) as refused:
        read_model(touch(tmp_path / "empty.gguf"))
    assert refused.value.reason == "empty"

    def choke(_path):
        raise RuntimeError("the reader choked")

    monkeypatch.setattr(folder, "inspect_gguf", choke)
    with pytest.raises(GGUFError) as unreadable:
        read_model(tmp_path / "empty.gguf")
    assert unreadable.value.reason == "unreadable"
    assert unreadable.value.details == {"error": "RuntimeError: the reader choked"}
    assert str(unreadable.value) == "empty.gguf cannot be read (RuntimeError: the reader choked)."


def test_demo_models_are_told_by_their_name(demo):
    info = inspect_gguf(demo)
    assert is_demo_model(info)
    assert not is_demo_model(dataclasses.replace(info, name="Qwen3 30B-A3B"))


def test_the_catalog_entry_of_a_file_by_id_then_repository_then_name():
    catalog = load_catalog()
    first, second = catalog[0], catalog[1]
    assert catalog_entry_for(catalog, first.id, second.repo, second.filename) is first
    assert catalog_entry_for(catalog, "unknown", second.repo, second.filename) is second
    assert catalog_entry_for(catalog, None, None, None, Path(second.filename).name) is second
    assert catalog_entry_for(catalog, None, second.repo, second.filename + "x") is None
    assert catalog_entry_for(catalog, ["not", "an", "id"], 5, {"not": "a name"}) is None


def test_the_files_of_a_model_are_its_parts_and_their_sidecars(tmp_path):
    parts = [touch(tmp_path / f"m-0000{i}-of-00002.gguf") for i in (1, 2)]
    origin = touch(tmp_path / (parts[0].name + ".origin.json"))
    touch(tmp_path / "other.gguf")
    beside = (lambda part: part.with_name(part.name + ".origin.json"),)
    assert files_of(parts[0], beside) == [*parts, origin]
    assert files_of(parts[0]) == parts
    assert files_of(tmp_path / "gone.gguf") == []


def test_the_folder_health_says_what_is_wrong(tmp_path):
    assert folder_error(tmp_path) is None
    gone = folder_error(tmp_path / "unplugged")
    assert gone.errno == errno.ENOENT and disk_problem(gone) == "gone"
    assert disk_problem(folder_error(touch(tmp_path / "file"))) == "gone"  # not a folder
    kinds = {errno.ENOSPC: "full", errno.EROFS: "read_only", errno.EACCES: "denied", errno.EPERM: "denied",
             errno.EIO: "gone", errno.EMFILE: "other"}
    for number, kind in kinds.items():
        assert disk_problem(OSError(number, os.strerror(number))) == kind


def test_abandoned_copies_are_removed_but_one_being_written_stays(tmp_path):
    abandoned = touch(tmp_path / ("old.gguf" + IMPORTING_SUFFIX), b"half")
    writing = touch(tmp_path / ("new.gguf" + IMPORTING_SUFFIX), b"half")
    model = touch(tmp_path / "model.gguf")
    if folder.fcntl is None:
        remove_abandoned_copies(tmp_path)
        assert not abandoned.exists() and model.exists()
        return
    with open(writing, "rb") as handle:
        folder.fcntl.flock(handle, folder.fcntl.LOCK_EX)
        remove_abandoned_copies(tmp_path)
    assert not abandoned.exists() and writing.exists() and model.exists()


def test_a_copy_arrives_complete_with_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "COPY_CHUNK", 1000)
    monkeypatch.setattr(folder, "PROGRESS_BYTES", 4000)
    source = touch(tmp_path / "outside" / "m.gguf", os.urandom(10_500))
    target = tmp_path / "models" / "m.gguf"
    target.parent.mkdir()
    reported = []
    assert copy_model(source, target, progress=lambda done, total: reported.append((done, total)))
    assert target.read_bytes() == source.read_bytes()
    assert reported == [(4000, 10_500), (8000, 10_500)]
    assert sorted(p.name for p in target.parent.iterdir()) == ["m.gguf"]


def test_a_cancelled_or_failed_copy_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "COPY_CHUNK", 1000)
    source = touch(tmp_path / "outside" / "m.gguf", os.urandom(5000))
    models = tmp_path / "models"
    models.mkdir()
    checks = itertools.count()
    assert not copy_model(source, models / "m.gguf", cancelled=lambda: next(checks) == 2)  # the third chunk
    assert list(models.iterdir()) == []

    with pytest.raises(OSError):
        copy_model(source, tmp_path / "no-such-folder" / "m.gguf")
    assert not (tmp_path / "no-such-folder").exists()


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs a file whose reading fails")
def test_a_source_that_cannot_be_read_is_told_from_a_folder_that_cannot_be_written(tmp_path):
    with pytest.raises(SourceUnreadable) as unreadable:
        copy_model(Path("/proc/self/mem"), tmp_path / "mem.gguf")
    assert isinstance(unreadable.value.args[0], OSError)
    assert list(tmp_path.iterdir()) == []


def test_deleting_frees_the_bytes_and_stops_at_a_file_that_stays(tmp_path):
    first = touch(tmp_path / "a.gguf", b"x" * 10)
    second = touch(tmp_path / "a.gguf.origin.json", b"y" * 5)
    assert delete_files([first, tmp_path / "gone.gguf", second]) == ([str(first), str(second)], 15)
    assert list(tmp_path.iterdir()) == []

    stays = tmp_path / "folder.gguf"
    touch(stays / "inside")
    third = touch(tmp_path / "b.gguf", b"z")
    with pytest.raises(DeleteFailed) as failed:
        delete_files([stays, third])
    assert failed.value.path == stays and isinstance(failed.value.error, OSError)
    assert third.exists()


# --- Moving to another folder --------------------------------------------------------------------------------

SIDECARS = (lambda part: part.with_name(part.name + ".origin.json"), lambda part: part.with_name(part.name + ".part"),
            lambda part: part.with_name(part.name + ".part.json"))


@pytest.fixture
def old_folder(tmp_path) -> Path:
    """Two models (one a two-part set with its origin sidecars), an unfinished download, and an unrelated file."""
    old = tmp_path / "old"
    touch(old / "a.gguf", b"a" * 3000)
    touch(old / "a.gguf.origin.json", b"{}")
    touch(old / "s-00001-of-00002.gguf", b"s" * 2000)
    touch(old / "s-00002-of-00002.gguf", b"t" * 1000)
    touch(old / "s-00001-of-00002.gguf.origin.json", b"{}")
    touch(old / "u.gguf.part", b"u" * 500)
    touch(old / "u.gguf.part.json", b"{}")
    touch(old / "notes.txt", b"mine")
    return old


def names(groups: list[list[Path]]) -> list[list[str]]:
    return [[path.name for path in group] for group in groups]


def test_a_move_takes_each_model_with_its_parts_sidecars_and_unfinished_downloads(old_folder):
    groups = model_groups(old_folder, SIDECARS, [old_folder / "u.gguf", old_folder / "a.gguf"])
    assert names(groups) == [
        ["a.gguf", "a.gguf.origin.json"],
        ["s-00001-of-00002.gguf", "s-00002-of-00002.gguf", "s-00001-of-00002.gguf.origin.json"],
        ["u.gguf.part", "u.gguf.part.json"],
    ]


def test_on_one_drive_the_files_are_renamed(old_folder, tmp_path):
    new = tmp_path / "new"
    new.mkdir()
    groups = model_groups(old_folder, SIDECARS, [old_folder / "u.gguf"])
    inode = (old_folder / "a.gguf").stat().st_ino
    result = move_models(groups, new)
    assert result.moved == [new / "a.gguf", new / "s-00001-of-00002.gguf", new / "u.gguf.part"]
    assert result.left == result.taken == [] and result.error is None and not result.cancelled
    assert (new / "a.gguf").stat().st_ino == inode
    assert sorted(p.name for p in old_folder.iterdir()) == ["notes.txt"]
    assert len(list(new.iterdir())) == 7


def test_to_another_drive_the_files_are_copied_checked_then_deleted(old_folder, tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "rename_within_drive", lambda _source, _target: False)
    monkeypatch.setattr(folder, "PROGRESS_BYTES", 1000)
    monkeypatch.setattr(folder, "COPY_CHUNK", 1000)
    new = tmp_path / "new"
    new.mkdir()
    before = {p.name: p.read_bytes() for p in old_folder.iterdir()}
    reported = []
    result = move_models(model_groups(old_folder, SIDECARS), new, progress=lambda done, total: reported.append(done))
    assert result.moved == [new / "a.gguf", new / "s-00001-of-00002.gguf"] and result.error is None
    assert {p.name: p.read_bytes() for p in new.iterdir()} == {
        name: data for name, data in before.items() if name.startswith(("a.", "s-"))
    }
    assert sorted(p.name for p in old_folder.iterdir()) == ["notes.txt", "u.gguf.part", "u.gguf.part.json"]
    assert reported == sorted(reported) and reported[-1] == 3002 + 3002 and 1000 in reported


def test_a_full_drive_stops_the_move_and_loses_nothing(old_folder, tmp_path, monkeypatch):
    """The second model's second part does not fit: the first model is moved, the second is not (its first
    part's copy is removed again), and every file of it is still in the old folder."""
    monkeypatch.setattr(folder, "rename_within_drive", lambda _source, _target: False)
    real_copy = folder.copy_model
    copies = []

    def copy(source, target, *args):
        copies.append(source.name)
        if source.name == "s-00002-of-00002.gguf":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copy(source, target, *args)

    monkeypatch.setattr(folder, "copy_model", copy)
    new = tmp_path / "new"
    new.mkdir()
    before = {p.name: p.read_bytes() for p in old_folder.iterdir()}
    groups = model_groups(old_folder, SIDECARS, [old_folder / "u.gguf"])
    result = move_models(groups, new)
    assert result.moved == [new / "a.gguf"]
    assert result.left == [old_folder / "s-00001-of-00002.gguf", old_folder / "u.gguf.part"]
    assert disk_problem(result.error) == "full" and not result.reading
    assert sorted(p.name for p in new.iterdir()) == ["a.gguf", "a.gguf.origin.json"]
    assert {p.name: p.read_bytes() for p in old_folder.iterdir()} == {
        name: data for name, data in before.items() if not name.startswith("a.")
    }
    assert "u.gguf.part" not in copies  # it stopped there


def test_a_name_taken_in_the_new_folder_leaves_that_model_where_it_was(old_folder, tmp_path):
    new = tmp_path / "new"
    touch(new / "a.gguf", b"other")
    result = move_models(model_groups(old_folder, SIDECARS), new)
    assert result.taken == [old_folder / "a.gguf"] and result.moved == [new / "s-00001-of-00002.gguf"]
    assert (new / "a.gguf").read_bytes() == b"other" and (old_folder / "a.gguf").exists()
    assert (old_folder / "a.gguf.origin.json").exists() and not (new / "a.gguf.origin.json").exists()


def test_a_cancelled_move_stops_between_or_inside_models_and_leaves_the_rest(old_folder, tmp_path, monkeypatch):
    new = tmp_path / "new"
    new.mkdir()
    groups = model_groups(old_folder, SIDECARS)
    result = move_models(groups, new, cancelled=lambda: bool(list(new.iterdir())))
    assert result.cancelled and result.moved == [new / "a.gguf"] and result.left == [groups[1][0]]

    monkeypatch.setattr(folder, "rename_within_drive", lambda _source, _target: False)
    monkeypatch.setattr(folder, "COPY_CHUNK", 500)
    checks = itertools.count()
    rest = model_groups(old_folder, SIDECARS)
    result = move_models(rest, new, cancelled=lambda: next(checks) == 3)  # inside the set's first part
    assert result.cancelled and result.moved == [] and result.left == [old_folder / "s-00001-of-00002.gguf"]
    assert sorted(p.name for p in new.iterdir()) == ["a.gguf", "a.gguf.origin.json"]
    assert len(rest[0]) == 3 and all(path.exists() for path in rest[0])


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs a file whose reading fails")
def test_a_model_that_cannot_be_read_is_told_as_a_reading_error(tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "rename_within_drive", lambda _source, _target: False)
    new = tmp_path / "new"
    new.mkdir()
    result = move_models([[Path("/proc/self/mem")]], new)
    assert result.reading and isinstance(result.error, OSError) and result.left == [Path("/proc/self/mem")]
    assert list(new.iterdir()) == []
