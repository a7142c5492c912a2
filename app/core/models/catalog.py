"""The curated model catalog (``resources/catalog.json``): models a user can download with one click.

Every entry says what a non-technical user needs to choose (what the model is good at, MoE or
dense with active and total parameters, size, licence, languages, memory) and what the downloader
needs (repository and file names). ``load_catalog`` validates the file and refuses it with a message
naming the entry and field at fault.

Honesty rules of the file: ``size_bytes`` is an exact byte count seen in a public source, or null;
``approx_size_bytes`` is a rounded figure a source gave ("~10.4 GB"), or null; ``checked`` is true
only where repository and file name were seen together in a public source; ``unchecked_fields``
names the fields filled in from model documentation without being re-checked against the file.
No checksums are stored: the downloader takes them from the Hub's metadata at download time.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from app.core.paths import resources_dir

CATALOG_FILE = "catalog.json"
SCHEMA_VERSION = 1
CHAT = "chat"
EMBEDDING = "embedding"
KINDS = (CHAT, EMBEDDING)

REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
"""A Hugging Face repository id (``owner/name``), as the catalog and the downloader accept it."""

_SPLIT = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<count>\d{5})\.gguf$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


LICENSE_NAMES = {
    "apache-2.0": "Apache 2.0",
    "mit": "MIT",
    "gemma": "Gemma Terms of Use",
    "llama2": "Llama 2 Community License",
    "llama3": "Llama 3 Community License",
    "llama3.1": "Llama 3.1 Community License",
    "llama3.2": "Llama 3.2 Community License",
    "llama3.3": "Llama 3.3 Community License",
    "llama4": "Llama 4 Community License",
    "deepseek": "DeepSeek License",
    "lfm1.0": "LFM Open License 1.0",
    "bsd-3-clause": "BSD 3-Clause",
    "gpl-3.0": "GPL 3.0",
    "cc-by-4.0": "CC BY 4.0",
    "cc-by-sa-4.0": "CC BY-SA 4.0",
    "cc-by-nc-4.0": "CC BY-NC 4.0",
    "cc-by-nc-sa-4.0": "CC BY-NC-SA 4.0",
    "openrail": "OpenRAIL",
}
"""The licences' own names for the identifiers of the Hugging Face Hub ("mit" would read as a word)."""


def license_name(identifier: str) -> str:
    """The licence as people write it ("MIT", "Apache 2.0"); an identifier not known here as it is."""
    return LICENSE_NAMES.get(identifier.strip().lower(), identifier)


class CatalogError(ValueError):
    """The catalog file is missing, not JSON, or an entry is malformed; the message says where."""



def split_parts(filename: str) -> list[str]:
    """All file names of a multi-part GGUF set named like ``model-00001-of-00003.gguf``, in order.

    A single file gives ``[filename]``. Any part of a set gives the whole set. A folder prefix
    (``Q4_K_M/model-00001-of-00002.gguf``) is kept on every part.
    """
    folder, _, name = filename.rpartition("/")
    match = _SPLIT.match(name)
    if not match or int(match["count"]) < 1 or not 1 <= int(match["index"]) <= int(match["count"]):
        return [filename]
    count = int(match["count"])
    prefix = f"{folder}/" if folder else ""
    return [f"{prefix}{match['stem']}-{i:05d}-of-{count:05d}.gguf" for i in range(1, count + 1)]


@dataclass(frozen=True)
class CatalogEntry:
    """One curated model.

    Attributes:
        id: stable identifier (``qwen3-30b-a3b-q4km``), recorded in the origin sidecar of a download.
        name: display name.
        kind: CHAT (a model to talk to) or EMBEDDING (turns text into vectors, for searching documents).
        description: short description per language code (``{"de": ..., "en": ...}``).
        repo: Hugging Face repository (``owner/name``).
        files: file names in the repository; one, or every part of a multi-part set in order.
        size_bytes: exact total size in bytes, or None where no source gave one.
        approx_size_bytes: rounded size a source gave, or None; for display and estimates only.
        quantization: ``Q4_K_M``, ``Q8_0``, ``MXFP4`` ...
        arch: llama.cpp architecture name (``general.architecture``).
        moe: Mixture-of-Experts (True) or dense.
        total_params: all parameters.
        active_params: parameters used per token (equal to total_params for a dense model).
        n_experts: routed experts per MoE layer (0 for dense).
        n_shared_experts: always-on experts per MoE layer.
        experts_per_token: experts the router picks per token (0 for dense).
        n_layers: transformer blocks.
        n_embd: embedding width, or None.
        attention_layers: layers with attention (hybrid models have fewer than n_layers), or None
            for "all of them".
        n_head_kv, head_dim: key/value heads and head width (grouped-query attention), or None.
        kv_lora_rank, rope_dim: latent-attention figures (DeepSeek-V2 family), or None.
        license: licence identifier as the repository states it.
        gated: whether the repository needs an accepted licence and a token.
        languages: ISO 639-1 codes the model handles well (German users: look for ``de``).
        recommended_ram_gb: memory recommended for chatting at app.core.defaults.DEFAULT_CONTEXT tokens.
        checked: repository and file name were seen together in a public source.
        unchecked_fields: fields taken from model documentation without re-checking.
        notes: remarks for maintainers (not shown to users).
    """

    id: str
    name: str
    kind: str
    description: dict[str, str]
    repo: str
    files: tuple[str, ...]
    size_bytes: int | None
    approx_size_bytes: int | None
    quantization: str
    arch: str
    moe: bool
    total_params: int
    active_params: int
    n_experts: int
    n_shared_experts: int
    experts_per_token: int
    n_layers: int
    n_embd: int | None
    attention_layers: int | None
    n_head_kv: int | None
    head_dim: int | None
    kv_lora_rank: int | None
    rope_dim: int | None
    license: str
    gated: bool
    languages: tuple[str, ...]
    recommended_ram_gb: int
    checked: bool
    unchecked_fields: tuple[str, ...]
    notes: str

    @property
    def filename(self) -> str:
        """The name to download (the first part of a multi-part set)."""
        return self.files[0]

    @property
    def display_size_bytes(self) -> int | None:
        """Exact size if known, else the approximate one, else None."""
        return self.size_bytes if self.size_bytes is not None else self.approx_size_bytes

    def describe(self, language: str) -> str:
        """The description in ``language`` ("de"/"en"), falling back to English."""
        return self.description.get(language) or self.description["en"]


# field -> (accepted types, may be null)
_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "id": ((str,), False), "name": ((str,), False), "kind": ((str,), False), "description": ((dict,), False),
    "repo": ((str,), False), "files": ((list,), False), "size_bytes": ((int,), True),
    "approx_size_bytes": ((int,), True), "quantization": ((str,), False), "arch": ((str,), False),
    "moe": ((bool,), False), "total_params": ((int,), False), "active_params": ((int,), False),
    "n_experts": ((int,), False), "n_shared_experts": ((int,), False),
    "experts_per_token": ((int,), False), "n_layers": ((int,), False), "n_embd": ((int,), True),
    "attention_layers": ((int,), True), "n_head_kv": ((int,), True), "head_dim": ((int,), True),
    "kv_lora_rank": ((int,), True), "rope_dim": ((int,), True), "license": ((str,), False),
    "gated": ((bool,), False), "languages": ((list,), False), "recommended_ram_gb": ((int,), False),
    "checked": ((bool,), False), "unchecked_fields": ((list,), False), "notes": ((str,), False),
}


def _entry(raw: object, position: int) -> CatalogEntry:
    if not isinstance(raw, dict):
        raise CatalogError(f"catalog entry {position} is not an object")
    where = f"catalog entry {raw.get('id', position)!r}"

    def fail(problem: str) -> CatalogError:
        return CatalogError(f"{where}: {problem}")

    missing = [name for name in _FIELDS if name not in raw]
    if missing:
        raise fail(f"missing field(s) {', '.join(missing)}")
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise fail(f"unknown field(s) {', '.join(unknown)}")
    for name, (types, nullable) in _FIELDS.items():
        value = raw[name]
        if value is None and nullable:
            continue
        bad_bool = isinstance(value, bool) and bool not in types
        if not isinstance(value, types) or bad_bool:
            raise fail(f"field {name!r} must be {' or '.join(t.__name__ for t in types)}"
                       f"{' or null' if nullable else ''}, not {value!r}")
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise fail(f"field {name!r} must not be negative")

    if raw["kind"] not in KINDS:
        raise fail(f"kind must be one of {', '.join(KINDS)}, not {raw['kind']!r}")
    if not REPO_ID.match(raw["repo"]):
        raise fail(f"repo {raw['repo']!r} is not an 'owner/name' repository id")
    files = raw["files"]
    if not files or not all(isinstance(f, str) and f.endswith(".gguf") for f in files):
        raise fail("files must list one or more .gguf file names")
    if files != split_parts(files[0]):
        raise fail(f"files must be one file or every part of a multi-part set, in order (expected "
                   f"{split_parts(files[0])})")
    description = raw["description"]
    if not isinstance(description.get("en"), str) or not isinstance(description.get("de"), str):
        raise fail("description needs an 'en' and a 'de' text")
    languages = raw["languages"]
    if not languages or not all(isinstance(code, str) and _LANGUAGE.match(code) for code in languages):
        raise fail("languages must list two-letter language codes")
    if not all(isinstance(name, str) and name in _FIELDS for name in raw["unchecked_fields"]):
        raise fail("unchecked_fields must name fields of the entry")
    if raw["active_params"] > raw["total_params"]:
        raise fail("active_params is larger than total_params")
    if raw["moe"] != (raw["n_experts"] > 0):
        raise fail("moe must be true exactly when n_experts > 0")
    if raw["moe"] and not 0 < raw["experts_per_token"] <= raw["n_experts"]:
        raise fail("experts_per_token must be between 1 and n_experts for a MoE model")
    if not raw["moe"] and raw["active_params"] != raw["total_params"]:
        raise fail("a dense model's active_params must equal total_params")
    if raw["n_layers"] == 0:
        raise fail("n_layers must be at least 1")

    return CatalogEntry(**{**raw, "files": tuple(files), "languages": tuple(languages),
                           "unchecked_fields": tuple(raw["unchecked_fields"]),
                           "description": dict(description)})


def parse_catalog(data: object) -> list[CatalogEntry]:
    """Validate already-decoded catalog JSON and return its entries."""
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise CatalogError("the catalog must be an object with a 'models' list")
    if data.get("version") != SCHEMA_VERSION:
        raise CatalogError(f"the catalog has version {data.get('version')!r}; this MoEscope reads "
                           f"version {SCHEMA_VERSION}")
    entries = [_entry(raw, i) for i, raw in enumerate(data["models"])]
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise CatalogError(f"catalog entry id {entry.id!r} appears twice")
        seen.add(entry.id)
    return entries


def load_catalog(path: str | os.PathLike[str] | None = None) -> list[CatalogEntry]:
    """Read and validate the catalog (default: ``resources/catalog.json``); raises CatalogError."""
    path = Path(path) if path is not None else resources_dir() / CATALOG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(f"the model catalog {path} is missing") from None
    except OSError as exc:
        raise CatalogError(f"the model catalog {path} cannot be read ({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"the model catalog {path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    return parse_catalog(data)


def find_entry(entries: list[CatalogEntry], repo: str, filename: str) -> CatalogEntry | None:
    """The entry for a repository file (any part of a set), or None."""
    for entry in entries:
        if entry.repo == repo and filename in entry.files:
            return entry
    return None
