"""The files a download keeps beside a model in the models folder: the one place that knows their names
and contents.

For a model file ``<name>`` (each part of a multi-part set has its own):

- ``<name>.part``: the bytes downloaded so far; renamed to ``<name>`` once complete and verified.
- ``<name>.part.json``: the partial download's state (repository, commit, checksum, size, the whole
  set), so that a later session resumes the same request at the same commit.
- ``<name>.origin.json``: where a finished download came from (repository, revision, sha256, catalog
  id); written before the parts get their final names and kept as long as the model.

Writers raise OSError; readers return None for a missing or unreadable file.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.hub.errors import HubError
from app.core.hub.request import DownloadRequest, check_request

PART_SUFFIX = ".part"
PART_STATE_SUFFIX = ".part.json"
ORIGIN_SUFFIX = ".origin.json"


def _beside(model_path: Path, suffix: str) -> Path:
    return model_path.with_name(model_path.name + suffix)


def part_path(model_path: Path) -> Path:
    """The partial file of the model file ``model_path``."""
    return _beside(model_path, PART_SUFFIX)


def part_state_path(model_path: Path) -> Path:
    """The state sidecar of the partial file of ``model_path``."""
    return _beside(model_path, PART_STATE_SUFFIX)


def origin_path(model_path: Path) -> Path:
    """The origin sidecar of the model file ``model_path``."""
    return _beside(model_path, ORIGIN_SUFFIX)


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _unlink(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# --- Partial downloads -----------------------------------------------------------------------------------


def read_part_state(model_path: Path) -> dict | None:
    """The state sidecar of ``model_path``'s partial file as written by ``write_part_state``, or None."""
    return _read_json(part_state_path(model_path))


def write_part_state(model_path: Path, *, repo: str, filename: str, revision: str, requested_revision: str,
                     catalog_id: str | None, etag: str, size: int, parts: Sequence[str], set_size: int,
                     verified: bool) -> None:
    """Record what the partial file of ``model_path`` is: ``filename`` in ``repo`` at commit ``revision``
    (asked for as ``requested_revision``), its ``etag`` and ``size``, the repository paths of every part
    of its set and their total size, and whether its bytes are complete and ``verified``."""
    _write_json_atomic(part_state_path(model_path), {
        "repo": repo, "filename": filename, "revision": revision, "requested_revision": requested_revision,
        "catalog_id": catalog_id, "etag": etag, "size": size, "set": list(parts), "set_size": set_size,
        "verified": verified,
    })


def remove_partial(model_path: Path) -> None:
    """Delete the partial file of ``model_path`` and its state sidecar (those that exist)."""
    _unlink(part_path(model_path), part_state_path(model_path))


def complete_part(model_path: Path) -> None:
    """Give a complete, verified partial file its final name ``model_path`` and drop its state sidecar."""
    part = part_path(model_path)
    if part.exists():
        os.replace(part, model_path)
    _unlink(part_state_path(model_path))


def discard_partial(models_dir: str | os.PathLike[str], request: DownloadRequest) -> None:
    """Remove the partial files and sidecars of a download that will not be resumed."""
    folder = Path(models_dir)
    for name in request.local_names:
        remove_partial(folder / name)


@dataclass(frozen=True)
class PartialDownload:
    """An unfinished download found in the models folder (e.g. after the app was closed).

    Attributes:
        request: the request to submit again to resume it.
        done_bytes: bytes already on disk (all parts).
        total_bytes: size of the whole model as recorded when it started (None if not recorded).
    """

    request: DownloadRequest
    done_bytes: int
    total_bytes: int | None


def partial_downloads(models_dir: str | os.PathLike[str]) -> list[PartialDownload]:
    """The unfinished downloads in the models folder, one per model (a set counts once)."""
    folder = Path(models_dir)
    found: dict[tuple[str, str], PartialDownload] = {}
    for state_path in sorted(folder.glob("*" + PART_STATE_SUFFIX)):
        state = _read_json(state_path)
        if not state or not isinstance(state.get("repo"), str) or not isinstance(state.get("set"), list):
            continue
        try:
            request = DownloadRequest(state["repo"], state["set"][0], state.get("requested_revision") or "main",
                                      state.get("catalog_id"))
            check_request(request)
        except (HubError, IndexError, TypeError):
            continue
        if request.key in found:
            continue
        done = 0
        for name in request.local_names:
            for path in (folder / name, part_path(folder / name)):
                if path.exists():
                    done += path.stat().st_size
                    break
        total = state.get("set_size")
        found[request.key] = PartialDownload(request, done, total if isinstance(total, int) and total else None)
    return list(found.values())


# --- Origins of finished downloads -------------------------------------------------------------------


def read_origin(model_path: Path) -> dict | None:
    """The origin sidecar of ``model_path`` as written by ``write_origin``; None for a model that was not
    downloaded by MoEscope (or whose sidecar cannot be read)."""
    return _read_json(origin_path(model_path))


def write_origin(model_path: Path, *, repo: str, filename: str, revision: str, sha256: str | None, etag: str,
                 size: int, catalog_id: str | None, names: Sequence[str], downloaded_at: str) -> None:
    """Record where the model file ``model_path`` came from: ``filename`` in ``repo`` at commit
    ``revision``, its ``sha256`` (None for a file kept in git, checked by its git blob ``etag``), ``size``,
    the catalog entry, the local ``names`` of every part of its set, and when (ISO 8601, UTC)."""
    _write_json_atomic(origin_path(model_path), {
        "repo": repo, "filename": filename, "revision": revision, "sha256": sha256, "etag": etag,
        "size": size, "catalog_id": catalog_id, "set": list(names), "downloaded_at": downloaded_at,
    })
