"""The command line as a speaker or administrator uses it: info, make-demo-model, download (against the
fake Hub), trace (human form)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.cli.download import format_progress
from app.core.hub.transfer import Progress
from hub_fixtures import FILE, GATED, REPO, data_of, files_in, hub, run_cli  # noqa: F401 (hub: a fixture)


def moescope(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=300)


def test_make_demo_model_then_info_describes_it(tmp_path):
    path = tmp_path / "demo.gguf"
    made = moescope("make-demo-model", str(path), "--arch", "deepseek2", "--layers", "3", "--dense-leading", "1")
    assert made.returncode == 0, made.stderr
    result = moescope("info", str(path))
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["architecture"] == "deepseek2" and info["is_moe"] is True
    assert info["moe_layers"] == [1, 2] and info["n_dense_leading"] == 1 and info["n_shared_experts"] == 1
    assert 0 < info["active_params"] < info["total_params"]
    assert "random weights" in info["name"]


@pytest.mark.parametrize("content", [b"", b"GGUF\x03\x00\x00\x00", b"PK\x03\x04 a zip file", os.urandom(2048)])
def test_info_refuses_a_broken_file_with_a_message_and_no_traceback(tmp_path, content):
    path = tmp_path / "broken.gguf"
    path.write_bytes(content)
    result = moescope("info", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "broken.gguf" in result.stderr and "Traceback" not in result.stderr


def test_make_demo_model_refuses_impossible_settings_in_words(tmp_path):
    result = moescope("make-demo-model", str(tmp_path / "x.gguf"), "--experts", "4", "--top-k", "6")
    assert result.returncode == 2 and "top_k" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.gguf").exists()


def test_cli_download_respects_hf_endpoint_resumes_and_verifies(hub, tmp_path):
    hub.drop_at[FILE] = [1_500_000]
    done = run_cli(hub, REPO, FILE, "--models-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / FILE)
    assert (tmp_path / FILE).read_bytes() == data_of(hub, REPO, FILE)
    assert "100.0%" in done.stderr
    assert hub.cdn_gets(FILE)[-1].headers["range"] == "bytes=1500000-"


def test_cli_download_failure_says_why_with_exit_status_2(hub, tmp_path):
    failed = run_cli(hub, GATED, "Gated-Q8_0.gguf", "--models-dir", str(tmp_path))
    assert failed.returncode == 2
    assert "is gated" in failed.stderr and "Traceback" not in failed.stderr
    assert files_in(tmp_path) == []


def test_format_progress():
    line = format_progress(Progress(9_300_000_000, 18_600_000_000, 42_100_000, 221, 1, 1, "x.gguf",
                                    "downloading"))
    assert "50.0%" in line and "9.3 GB of 19 GB" in line and "42 MB/s" in line and "4 min left" in line


@pytest.mark.slow
def test_trace_prints_a_readable_table_and_a_summary(tmp_path):
    path = tmp_path / "demo.gguf"
    assert moescope("make-demo-model", str(path), "--layers", "2").returncode == 0
    result = moescope("trace", "--model", str(path), "--prompt", "Hallo", "--max-tokens", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(" prompt " in line and "L0: e" in line and "L1: e" in line for line in lines)
    assert sum(" answer " in line for line in lines[:-1]) == 3
    assert lines[-1].startswith("-- MoEscope demo MoE") and "captured" in lines[-1]


@pytest.mark.slow
def test_trace_of_a_missing_model_fails_in_words(tmp_path):
    result = moescope("trace", "--model", str(tmp_path / "nope.gguf"), "--prompt", "Hallo")
    assert result.returncode == 2 and "nope.gguf" in result.stderr and "Traceback" not in result.stderr
