"""The curated catalog: the shipped file is valid and honest, and broken files are refused in words."""

from __future__ import annotations

import copy
import json
import math
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from app.core.models.catalog import (
    CatalogError,
    find_entry,
    load_catalog,
    parse_catalog,

    split_parts,
)
from app.core.paths import resources_dir
from app.core.defaults import DEFAULT_CONTEXT
from app.core.models.fit import GB, estimate_for_entry

CATALOG = resources_dir() / "catalog.json"


@pytest.fixture(scope="module")
def entries():
    return load_catalog()


@pytest.fixture
def raw() -> dict:
    return json.loads(CATALOG.read_text(encoding="utf-8"))


def by_repo(entries, repo):
    return next(e for e in entries if e.repo == repo)


def test_the_shipped_catalog_loads(entries):
    assert len(entries) >= 15
    assert len({e.id for e in entries}) == len(entries)


@pytest.mark.parametrize("repo", [
    "Qwen/Qwen3-30B-A3B-GGUF", "allenai/OLMoE-1B-7B-0125-Instruct-GGUF",
    "bartowski/granite-3.1-1b-a400m-instruct-GGUF", "bartowski/DeepSeek-V2-Lite-Chat-GGUF",
    "unsloth/gpt-oss-20b-GGUF", "TheBloke/Mixtral-8x7B-Instruct-v0.1-GGUF",
])
def test_the_moe_models_people_want_to_show_are_there(entries, repo):
    entry = by_repo(entries, repo)
    assert entry.moe and entry.n_experts > entry.experts_per_token > 0
    assert entry.active_params < entry.total_params


def test_the_deepseek_r1_distills_are_there(entries):
    distills = [e for e in entries if "DeepSeek-R1" in e.repo]
    assert len(distills) >= 4 and not any(e.moe for e in distills)
    assert all(e.active_params == e.total_params and e.n_experts == 0 for e in distills)


def test_small_german_capable_models_are_there(entries):
    small_german = [e for e in entries if "de" in e.languages and e.display_size_bytes < 3 * GB]
    assert len(small_german) >= 3


def test_sizes_are_exact_or_marked_approximate_and_no_checksums_are_stored(entries, raw):
    for entry in entries:
        assert entry.size_bytes is None or entry.approx_size_bytes is None, entry.id
        assert entry.display_size_bytes and entry.display_size_bytes > 100_000_000, entry.id
    assert "sha256" not in CATALOG.read_text() and all("sha256" not in m for m in raw["models"])
    assert by_repo(entries, "Qwen/Qwen3-30B-A3B-GGUF").size_bytes == 18556685824
    assert by_repo(entries, "TheBloke/Mixtral-8x7B-Instruct-v0.1-GGUF").size_bytes is None


def test_every_entry_is_described_in_german_and_english(entries):
    for entry in entries:
        assert entry.describe("de") != entry.describe("en")
        assert len(entry.describe("de")) > 40 and len(entry.describe("en")) > 40
    assert entries[0].describe("fr") == entries[0].describe("en")


def test_recommended_memory_is_the_estimate_at_the_default_context(entries):
    for entry in entries:
        needed = estimate_for_entry(entry, DEFAULT_CONTEXT).total_bytes
        assert entry.recommended_ram_gb == math.ceil(needed / GB), entry.id


def test_unchecked_fields_are_declared(entries):
    assert all(e.checked for e in entries)  # every repository/file pair was seen in a source
    granite4 = by_repo(entries, "ibm-granite/granite-4.0-h-tiny-GGUF")
    assert granite4.n_head_kv is None and "n_embd" in granite4.unchecked_fields
    assert "n_head_kv" in by_repo(entries, "Qwen/Qwen3-30B-A3B-GGUF").unchecked_fields


def test_find_entry(entries):
    entry = find_entry(entries, "unsloth/gpt-oss-20b-GGUF", "gpt-oss-20b-Q4_K_M.gguf")
    assert entry is not None and entry.filename == "gpt-oss-20b-Q4_K_M.gguf"
    assert find_entry(entries, "unsloth/gpt-oss-20b-GGUF", "other.gguf") is None


@pytest.mark.parametrize("name, parts", [
    ("model.gguf", ["model.gguf"]),
    ("m-00002-of-00003.gguf", ["m-00001-of-00003.gguf", "m-00002-of-00003.gguf", "m-00003-of-00003.gguf"]),
    ("Q4_K_M/m-00001-of-00002.gguf", ["Q4_K_M/m-00001-of-00002.gguf", "Q4_K_M/m-00002-of-00002.gguf"]),
    ("m-00004-of-00003.gguf", ["m-00004-of-00003.gguf"]),
    ("m-00001-of-00003.bin", ["m-00001-of-00003.bin"]),
])
def test_split_parts(name, parts):
    assert split_parts(name) == parts

# --- Refusing broken catalogs -----------------------------------------------------------------------------


def broken(raw: dict, change) -> dict:
    data = copy.deepcopy(raw)
    change(data["models"][0])
    return data


@pytest.mark.parametrize("change, words", [
    (lambda m: m.pop("license"), "missing field(s) license"),
    (lambda m: m.update(colour="red"), "unknown field(s) colour"),
    (lambda m: m.update(size_bytes="18 GB"), "field 'size_bytes' must be int or null"),
    (lambda m: m.update(moe="yes"), "field 'moe' must be bool"),
    (lambda m: m.update(n_layers=True), "field 'n_layers' must be int"),
    (lambda m: m.update(total_params=-1), "must not be negative"),
    (lambda m: m.update(repo="no-slash"), "not an 'owner/name' repository id"),
    (lambda m: m.update(files=["model.bin"]), "files must list one or more .gguf"),
    (lambda m: m.update(files=["m-00001-of-00002.gguf"]), "every part of a multi-part set"),
    (lambda m: m.update(description={"en": "only English"}), "needs an 'en' and a 'de' text"),
    (lambda m: m.update(languages=["German"]), "two-letter language codes"),
    (lambda m: m.update(unchecked_fields=["colour"]), "unchecked_fields must name fields"),
    (lambda m: m.update(active_params=m["total_params"] + 1), "active_params is larger"),
    (lambda m: m.update(n_experts=0), "moe must be true exactly when"),
    (lambda m: m.update(experts_per_token=0), "experts_per_token must be between"),
])
def test_malformed_entries_are_refused_naming_the_entry(raw, change, words):
    with pytest.raises(CatalogError) as caught:
        parse_catalog(broken(raw, change))
    assert words in str(caught.value)
    assert "'qwen3-30b-a3b-q4km'" in str(caught.value)


def test_a_multi_part_entry_is_accepted(raw):
    data = broken(raw, lambda m: m.update(files=["Big-00001-of-00002.gguf", "Big-00002-of-00002.gguf"]))
    entry = parse_catalog(data)[0]
    assert entry.files == ("Big-00001-of-00002.gguf", "Big-00002-of-00002.gguf") and entry.filename == entry.files[0]


def test_a_dense_entry_must_have_active_equal_to_total(raw):
    dense = next(m for m in raw["models"] if not m["moe"])
    dense["active_params"] = dense["total_params"] // 2
    with pytest.raises(CatalogError, match="dense model's active_params"):
        parse_catalog(raw)


def test_duplicate_ids_and_wrong_versions_are_refused(raw):
    twice = copy.deepcopy(raw)
    twice["models"].append(copy.deepcopy(twice["models"][0]))
    with pytest.raises(CatalogError, match="appears twice"):
        parse_catalog(twice)
    with pytest.raises(CatalogError, match="version 99"):
        parse_catalog({**raw, "version": 99})
    with pytest.raises(CatalogError, match="'models' list"):
        parse_catalog([])


def test_unreadable_catalog_files_are_refused_in_words(tmp_path):
    with pytest.raises(CatalogError, match="is missing"):
        load_catalog(tmp_path / "nothing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    with pytest.raises(CatalogError, match="not valid JSON \\(line 1"):
        load_catalog(bad)


def test_resources_are_found_in_a_frozen_build(monkeypatch, tmp_path):
    assert resources_dir() == Path(__file__).resolve().parents[2] / "resources"
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"


def test_entries_are_immutable(entries):
    with pytest.raises(AttributeError):
        entries[0].repo = "x/y"  # type: ignore[misc]
    assert replace(entries[0], repo="x/y").repo == "x/y"
