"""``moescope trace --server``: the same JSON lines as for a local model, the server's experts with weights null."""

import json
import os
import subprocess
import sys

import numpy as np
from server_stand_ins import MOE_LAYERS, TOKENS, ServerStandIn


def moescope(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_trace_against_a_server_prints_its_experts_with_weights_null(config_path):
    with ServerStandIn(api_key="sk-cli", seed=5) as stand_in:
        result = moescope("trace", "--server", stand_in.url, "--model", stand_in.model, "--config", str(config_path),
                          "--api-key-env", "MOESCOPE_TEST_KEY", "--prompt", "Wie heißt du", "--max-tokens", "20",
                          "--json", env={"MOESCOPE_TEST_KEY": "sk-cli"})
        assert result.returncode == 0, result.stderr
        records = [json.loads(line) for line in result.stdout.splitlines()]
        tokens, summary = records[:-1], records[-1]["summary"]
        assert [record["text"] for record in tokens] == list(TOKENS)
        rows = stand_in.answer_rows()
        for index, record in enumerate(tokens):
            assert record["source"] == "answer" and record["pos"] == index
            assert list(record["routing"]) == [str(layer) for layer in MOE_LAYERS]
            for layer, pairs in zip(MOE_LAYERS, record["routing"].values()):
                assert [expert for expert, _ in pairs] == rows[index][MOE_LAYERS.index(layer)].tolist()
                assert all(weight is None for _, weight in pairs)
        assert summary["model"]["moe_layers"] == MOE_LAYERS and summary["model"]["n_dense_leading"] == 2
        assert summary["routing"].startswith("reported by the server") and not summary["compatibility_mode"]
        assert summary["answer_tokens"] == len(TOKENS) + 1 and summary["stop_reason"] == "eos"
        assert stand_in.requests[-1].body["messages"] == [{"role": "user", "content": "Wie heißt du"}]
        assert np.asarray(rows).shape[0] == len(TOKENS)


def test_trace_against_a_server_reads_as_a_table_and_refuses_in_words():
    with ServerStandIn(flavour="openai") as stand_in:
        table = moescope("trace", "--server", stand_in.url, "--model", stand_in.model, "--flavour", "openai",
                         "--prompt", "Hallo")
        assert table.returncode == 0, table.stderr
        assert "Hallo" in table.stdout and "none: this server does not report routing" in table.stdout
        missing_key = moescope("trace", "--server", stand_in.url, "--model", stand_in.model, "--api-key-env",
                               "MOESCOPE_NO_SUCH_VARIABLE", "--prompt", "Hallo")
        assert missing_key.returncode == 2 and "MOESCOPE_NO_SUCH_VARIABLE holds no API key" in missing_key.stderr
        wrong_model = moescope("trace", "--server", stand_in.url, "--model", "other", "--prompt", "Hallo")
        assert wrong_model.returncode == 2 and "does not serve the model 'other'" in wrong_model.stderr
        assert "Traceback" not in wrong_model.stderr
    bad_kind = moescope("trace", "--server", "http://127.0.0.1:9", "--model", "m", "--flavour", "tgi",
                        "--prompt", "x")
    assert bad_kind.returncode == 2 and "Unknown server kind 'tgi'" in bad_kind.stderr
