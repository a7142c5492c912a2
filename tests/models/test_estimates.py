"""The memory estimate of a file to download (app.core.models.estimates): exact with its catalog entry,
a generous guess from its size without one."""

from __future__ import annotations

import dataclasses

from app.core.models.catalog import load_catalog
from app.core.models.estimates import estimate_for_download
from app.core.models.fit import GB, estimate_for_entry


def test_without_a_size_there_is_no_estimate():
    assert estimate_for_download(None, "Q4_K_M") is None


def test_with_a_catalog_entry_the_estimate_is_the_entry_s_for_this_size():
    entry = next(e for e in load_catalog() if e.n_head_kv and e.head_dim)
    estimate = estimate_for_download(3 * GB, "Q8_0", entry)
    assert estimate == estimate_for_entry(dataclasses.replace(entry, size_bytes=3 * GB, approx_size_bytes=None))
    assert estimate.weights_bytes == 3 * GB and estimate.kv_exact


def test_without_one_the_estimate_is_a_generous_guess_from_the_size():
    estimate = estimate_for_download(5 * GB, "Q4_K_M")
    assert estimate.weights_bytes == 5 * GB and not estimate.kv_exact
    assert estimate.kv_bytes > 0
    bigger = estimate_for_download(10 * GB, "Q4_K_M")
    assert bigger.kv_bytes >= estimate.kv_bytes  # a bigger file guesses a wider model
    assert estimate_for_download(5 * GB, "Q8_0").kv_bytes <= estimate.kv_bytes  # more bytes per weight
