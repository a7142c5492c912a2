"""The files a download keeps beside a model (app/core/hub/sidecars.py): where they are, what they hold,
and how unfinished downloads are found again and discarded. The downloads that write them are in
test_transfer.py."""

from __future__ import annotations

import json

from app.core.hub.request import DownloadRequest
from app.core.hub.sidecars import (
    PartialDownload,
    discard_partial,
    origin_path,
    part_path,
    part_state_path,
    partial_downloads,
    read_origin,
    read_part_state,
    write_origin,
    write_part_state,
)

SET = ["Q4/Big-00001-of-00002.gguf", "Q4/Big-00002-of-00002.gguf"]
NAMES = ["Big-00001-of-00002.gguf", "Big-00002-of-00002.gguf"]


def state_of(name: str, **changes) -> dict:
    return {"repo": "org/Big-GGUF", "filename": f"Q4/{name}", "revision": "c" * 40, "requested_revision": "main",
            "catalog_id": "big", "etag": "e" * 64, "size": 1000, "parts": SET, "set_size": 2000,
            "verified": False, **changes}


def test_every_sidecar_sits_beside_its_model_file(tmp_path):
    model = tmp_path / "m.gguf"
    assert part_path(model) == tmp_path / "m.gguf.part"
    assert part_state_path(model) == tmp_path / "m.gguf.part.json"
    assert origin_path(model) == tmp_path / "m.gguf.origin.json"


def test_an_origin_is_written_whole_and_read_back(tmp_path):
    model = tmp_path / "m.gguf"
    assert read_origin(model) is None
    write_origin(model, repo="org/M-GGUF", filename="m.gguf", revision="c" * 40, sha256="a" * 64, etag="a" * 64,
                 size=123, catalog_id=None, names=("m.gguf",), downloaded_at="2025-01-02T03:04:05+00:00")
    assert read_origin(model) == {
        "repo": "org/M-GGUF", "filename": "m.gguf", "revision": "c" * 40, "sha256": "a" * 64, "etag": "a" * 64,
        "size": 123, "catalog_id": None, "set": ["m.gguf"], "downloaded_at": "2025-01-02T03:04:05+00:00"}
    assert [p.name for p in tmp_path.iterdir()] == ["m.gguf.origin.json"]  # no temporary file left


def test_an_unreadable_origin_reads_as_none(tmp_path):
    model = tmp_path / "m.gguf"
    origin_path(model).write_text("{ not json")
    assert read_origin(model) is None
    origin_path(model).write_text("[1, 2]")
    assert read_origin(model) is None


def test_a_partial_set_is_found_once_with_its_bytes_and_size(tmp_path):
    first, second = (tmp_path / name for name in NAMES)
    for path in (first, second):
        write_part_state(path, **state_of(path.name))
    part_path(first).write_bytes(b"x" * 1000)
    part_path(second).write_bytes(b"x" * 300)
    assert read_part_state(second)["set"] == SET and read_part_state(second)["verified"] is False

    request = DownloadRequest("org/Big-GGUF", SET[0], "main", "big")
    assert partial_downloads(tmp_path) == [PartialDownload(request, 1300, 2000)]


def test_states_that_cannot_be_resumed_are_skipped(tmp_path):
    (tmp_path / "broken.gguf.part.json").write_text("{ not json")
    write_part_state(tmp_path / "a.gguf", **state_of("a.gguf", repo="not a repo id"))
    write_part_state(tmp_path / "b.gguf", **state_of("b.gguf", parts=["../b.gguf"]))
    (tmp_path / "c.gguf.part.json").write_text(json.dumps({"repo": "org/C-GGUF", "set": []}))
    assert partial_downloads(tmp_path) == []
    assert partial_downloads(tmp_path / "not-there") == []


def test_discarding_removes_the_partial_files_and_states_only(tmp_path):
    request = DownloadRequest("org/Big-GGUF", SET[0])
    for path in (tmp_path / name for name in NAMES):
        write_part_state(path, **state_of(path.name))
        part_path(path).write_bytes(b"x")
    (tmp_path / "other.gguf").write_bytes(b"a model")
    origin_path(tmp_path / "other.gguf").write_text("{}")
    discard_partial(tmp_path, request)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.gguf", "other.gguf.origin.json"]
    discard_partial(tmp_path, request)  # nothing left to remove: no error
