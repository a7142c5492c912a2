"""The command line as a speaker or administrator uses it: info, make-demo-model, download (against the
fake Hub), trace (human form), conversations (list and export)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from app.cli.download import format_progress
from app.core.chat.model import COMPLETE, Message, Settings
from app.core.chat.store import ConversationStore
from app.core.engine import protocol
from app.core.hub.transfer import Progress
from app.core.paths import conversations_db
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


def conversations_cli(data_dir, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "conversations", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "MOESCOPE_DATA_DIR": str(data_dir)})


@pytest.fixture
def kept_conversations(tmp_path, monkeypatch):
    """A data folder with two conversations, the newer with an answer that has its routing."""
    monkeypatch.setenv("MOESCOPE_DATA_DIR", str(tmp_path))
    with ConversationStore(conversations_db()) as store:
        older = store.create(title="Ältere Unterhaltung")
        newer = store.create(model_path=str(tmp_path / "demo.gguf"))
        store.add_message(newer, Message("user", "Welche Experten wählt der Router?"))
        writer = store.begin_answer(newer, str(tmp_path / "demo.gguf"), Settings())
        routing = protocol.Routing((0, 1), np.array([[3, 1], [0, 2]], dtype=np.int32),
                                   np.array([[0.75, 0.25], [0.5, 0.5]], dtype=np.float32))
        writer.add_token(protocol.Token(7, 42, "Die", protocol.ANSWER, routing))
        writer.finish(protocol.Finished(7, 1, 0.1, 10.0, "eos"))
    return tmp_path, older, newer


def test_conversations_list_and_export_read_the_data_folder(kept_conversations):
    data_dir, older, newer = kept_conversations
    listed = conversations_cli(data_dir, "list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["ID", "LAST", "USED", "MESSAGES", "TITLE"]
    assert lines[1].split()[0] == str(newer) and "Welche Experten wählt der Router?" in lines[1]
    assert lines[1].endswith("[demo.gguf]")
    assert lines[2].split()[0] == str(older) and lines[2].split()[3:] == ["0", "Ältere", "Unterhaltung"]

    markdown = conversations_cli(data_dir, "export", str(newer))
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("# Welche Experten wählt der Router?\n") and "## Assistant" in markdown.stdout

    out = data_dir / "talk.json"
    exported = conversations_cli(data_dir, "export", str(newer), "--format", "json", "--routing", "--out", str(out))
    assert exported.returncode == 0 and exported.stdout == "", exported.stderr
    answer = json.loads(out.read_text(encoding="utf-8"))["messages"][1]
    assert answer["content"] == "Die" and answer["routing"]["experts"] == [[[3, 1], [0, 2]]]
    assert answer["routing"]["weights"] == [[[0.75, 0.25], [0.5, 0.5]]]
    plain = json.loads(conversations_cli(data_dir, "export", str(newer), "--format", "json").stdout)
    assert "routing" not in plain["messages"][1]


def test_conversations_export_beside_a_running_answer_leaves_it_streaming(kept_conversations):
    data_dir, _, newer = kept_conversations
    with ConversationStore(conversations_db()) as store:  # the window, answering
        writer = store.begin_answer(newer, "demo.gguf", Settings())
        writer.add_token(protocol.Token(0, 1, "Noch", protocol.ANSWER))
        writer.flush()
        exported = conversations_cli(data_dir, "export", str(newer), "--format", "json")
        assert exported.returncode == 0, exported.stderr
        answer = json.loads(exported.stdout)["messages"][-1]
        assert (answer["status"], answer["content"]) == ("streaming", "Noch")
        writer.finish(protocol.Finished(1, 1, 0.1, 10.0, "eos"))
        assert store.get(newer).messages[-1].status == COMPLETE


def test_conversations_failures_are_told_in_words_with_exit_status_2(tmp_path):
    empty = conversations_cli(tmp_path, "list")
    assert empty.returncode == 0 and empty.stdout == "" and "No conversations kept yet" in empty.stderr
    assert not (tmp_path / "conversations.sqlite3").exists()  # listing creates nothing
    missing = conversations_cli(tmp_path, "export", "3")
    assert missing.returncode == 2 and "no conversation 3" in missing.stderr

    (tmp_path / "conversations.sqlite3").write_bytes(b"not a database at all " * 200)
    for args in (["list"], ["export", "1"]):
        broken = conversations_cli(tmp_path, *args)
        assert broken.returncode == 2 and broken.stdout == ""
        assert "cannot open the conversation database" in broken.stderr and "file is not a database" in broken.stderr
        assert "Traceback" not in broken.stderr
    wrong = conversations_cli(tmp_path, "export", "1", "--routing")
    assert wrong.returncode == 2 and "--routing needs --format json" in wrong.stderr


def test_conversations_export_of_an_unknown_id_or_to_an_unwritable_file_fails_in_words(kept_conversations):
    data_dir, _, newer = kept_conversations
    unknown = conversations_cli(data_dir, "export", "999")
    assert unknown.returncode == 2 and "no conversation 999" in unknown.stderr and "Traceback" not in unknown.stderr
    unwritable = conversations_cli(data_dir, "export", str(newer), "--out", str(data_dir / "no" / "such" / "x.md"))
    assert unwritable.returncode == 2 and "cannot write" in unwritable.stderr
    assert "Traceback" not in unwritable.stderr
