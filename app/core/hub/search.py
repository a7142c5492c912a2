"""Search the Hugging Face Hub for GGUF models and list a repository's GGUF files.

``search_gguf`` calls ``GET /api/models?search=...&filter=gguf`` itself (HfApi.list_models would wait
without a time limit) and ``list_gguf_files`` calls ``GET /api/models/{repo}?blobs=true`` through
huggingface_hub's HfApi, each inside the caller's network scope and with its timeout. Multi-part sets
are listed as one file; the quantization is read from the file name. Failures raise errors.HubError
(its KINDS, as for downloads).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from huggingface_hub import HfApi
from huggingface_hub.utils import get_session, hf_raise_for_status, parse_datetime

from app import __version__
from app.core.models.catalog import split_parts
from app.core.hub.access import HubAccess
from app.core.hub.errors import HubError, call_hub

_QUANT = re.compile(
    r"(?<![A-Za-z0-9])(?:UD-)?(I?Q\d(?:_[A-Z0-9]+)*|TQ\d_\d|MXFP4(?:_MOE)?|BF16|F16|F32)(?![A-Za-z0-9])",
    re.IGNORECASE)
_SPLIT_SUFFIX = re.compile(r"-\d{5}-of-\d{5}(?=\.gguf$)", re.IGNORECASE)


def parse_quantization(filename: str) -> str:
    """The quantization named in a GGUF file name, upper-case (``Q4_K_M``, ``IQ4_XS``, ``MXFP4``), or ""."""
    stem = _SPLIT_SUFFIX.sub("", filename.rpartition("/")[2])
    stem = re.sub(r"\.gguf$", "", stem, flags=re.IGNORECASE)
    matches = _QUANT.findall(stem)
    return matches[-1].upper() if matches else ""


@dataclass(frozen=True)
class HubRepo:
    """A repository found by search.

    Attributes:
        repo_id: ``owner/name``.
        downloads: downloads in the last month, or None.
        likes: likes, or None.
        gated: whether a licence must be accepted (and a token given) to download.
        last_modified: when it last changed, or None.
    """

    repo_id: str
    downloads: int | None
    likes: int | None
    gated: bool
    last_modified: datetime | None


@dataclass(frozen=True)
class HubFile:
    """One downloadable GGUF model in a repository (a single file or a whole multi-part set).

    Attributes:
        repo_id: the repository.
        filename: path of the file, or of the first part of a set (what DownloadRequest takes).
        parts: paths of every part (one for a single file).
        size_bytes: total size of all parts, or None when the Hub did not say.
        quantization: from the file name (``Q4_K_M`` ...), or "".
        projector: a vision projector (``mmproj``), not a language model on its own.
        complete: False when parts of a set are missing from the repository.
    """

    repo_id: str
    filename: str
    parts: tuple[str, ...]
    size_bytes: int | None
    quantization: str
    projector: bool
    complete: bool


def search_gguf(query: str, access: HubAccess | None = None, limit: int = 30) -> list[HubRepo]:
    """Repositories with GGUF files whose name matches ``query``, most downloaded first."""
    access = access or HubAccess()
    url = f"{access.base_url}/api/models"
    params = [("search", query.strip()), ("filter", "gguf"), ("sort", "downloads"), ("direction", "-1"),
              ("limit", str(limit)), *(("expand", field) for field in ("downloads", "likes", "gated", "lastModified"))]

    def call() -> object:
        response = get_session().get(url, params=params, headers=access.headers(url), timeout=access.timeout)
        hf_raise_for_status(response)
        return response.json()

    try:
        items = call_hub(access, url, "the search", call)
        return [HubRepo(repo_id=item["id"], downloads=item.get("downloads"), likes=item.get("likes"),
                        gated=bool(item.get("gated")),
                        last_modified=parse_datetime(item["lastModified"]) if item.get("lastModified") else None)
                for item in items]
    except (ValueError, TypeError, KeyError):
        raise HubError("bad_response", "The Hub's answer to the search could not be read.") from None


def list_gguf_files(repo_id: str, access: HubAccess | None = None, revision: str | None = None) -> list[HubFile]:
    """The GGUF models in a repository with sizes and quantization, multi-part sets as one entry."""
    access = access or HubAccess()
    api = HfApi(endpoint=access.base_url, token=access.token or False, library_name="moescope",
                library_version=__version__)
    url = f"{access.base_url}/api/models/{repo_id}"
    info = call_hub(access, url, repo_id, lambda: api.model_info(repo_id, revision=revision, files_metadata=True,
                                                                   timeout=access.timeout))
    sizes: dict[str, int | None] = {}
    for sibling in info.siblings or []:
        if sibling.rfilename.lower().endswith(".gguf"):
            sizes[sibling.rfilename] = sibling.lfs.size if sibling.lfs else sibling.size
    files: list[HubFile] = []
    seen: set[str] = set()
    for path in sorted(sizes):
        parts = tuple(split_parts(path))
        if parts[0] in seen:
            continue
        seen.add(parts[0])
        present = [p for p in parts if p in sizes]
        part_sizes = [sizes[p] for p in present]
        total = sum(part_sizes) if all(s is not None for s in part_sizes) and len(present) == len(parts) else None
        name = parts[0].rpartition("/")[2]
        files.append(HubFile(repo_id=repo_id, filename=parts[0], parts=parts, size_bytes=total,
                             quantization=parse_quantization(name), projector="mmproj" in name.lower(),
                             complete=len(present) == len(parts)))
    return files
