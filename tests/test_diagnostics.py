"""The diagnostic report (app.core.diagnostics): what it tells, and what it never tells."""

from __future__ import annotations

import dataclasses
import os
import sys
import types

from app import __version__
from app.core import diagnostics
from app.core.defaults import engine_threads
from app.core.diagnostics import EngineTrouble, Facts, Part
from app.core.engine import protocol
from app.core.engine.exits import EngineExit
from app.core.engine.supervisor import ENGINE_START, LOADING, Loss, Problem
from app.core.models.fit import Hardware
from app.core.models.gguf import ModelInfo

MARKER = "Kohlrabi-7f3e"  # stands for a prompt: it must never reach a report

MOE = ModelInfo(
    path="/home/anna/Geheim/Projekt X/qwen3-30b-a3b.gguf", file_size=18_600_000_000, architecture="qwen3moe",
    name="Qwen3 30B A3B", size_label="30B-A3B", quantization="Q4_K_M", n_layers=48, n_embd=2048,
    context_length=40960, n_experts=128, n_experts_used=8, n_dense_leading=0, n_shared_experts=0,
    moe_layers=list(range(48)), has_chat_template=True, total_params=30_500_000_000, active_params=3_300_000_000,
)

LAPTOP = Hardware(total_ram=16 * 10**9, available_ram=9 * 10**9, free_disk=None, models_dir=None, cpu_threads=8,
                  physical_cores=4, cpu_features=("SSE3", "AVX", "AVX2", "FMA"), gpu_offload=False,
                  system_info="")


def facts(**changes) -> Facts:
    base = Facts(
        versions=(("MoEscope", "0.1.0"), ("Python", "3.11.7"), ("Qt", "6.11.3")), system="Linux-6.8 (x86_64)",
        cpu="AMD Ryzen 7 7840U", cpu_threads=16, physical_cores=8, cpu_features=("AVX2", "AVX512"),
        gpu_offload=False, total_ram=32 * 10**9, available_ram=9_500_000_000, engine_running=True,
        engine_threads=8, model=MOE, n_ctx=4096, compatibility_mode=False, offline=True, language="de_DE",
        trouble=None,
    )
    return dataclasses.replace(base, **changes)


def test_the_report_tells_versions_computer_engine_and_model():
    text = diagnostics.report(facts())
    for line in ("MoEscope: 0.1.0", "Qt: 6.11.3", "processor: AMD Ryzen 7 7840U", "logical CPUs: 16",
                 "physical cores: 8", "CPU features used by llama.cpp: AVX2 AVX512", "GPU offload: no",
                 "memory: 32 GB total, 9.5 GB available", "offline mode: yes", "window language: de_DE",
                 "threads: 8", "model file: qwen3-30b-a3b.gguf (19 GB)", "architecture: qwen3moe",
                 "compression: Q4_K_M", "experts: 8 of 128 per token in 48 layers",
                 "context: 4096 tokens (trained for 40960)", "compatibility mode: no",
                 "parameters: 30,500,000,000 total, 3,300,000,000 active per token", "none in this session"):
        assert line in text.splitlines(), line
    assert "Geheim" not in text and "/home/anna" not in text, "the model's folder is the user's business"


def test_the_report_without_a_model_or_measured_features_says_so():
    text = diagnostics.report(facts(model=None, cpu_features=None, gpu_offload=None))
    assert "model: none loaded" in text
    assert "CPU features used by llama.cpp: not measured yet" in text
    assert "GPU offload: unknown" in text


def test_a_worded_problem_keeps_its_message_with_file_names_only():
    home = os.path.expanduser("~")
    path = os.path.join(home, "Meine Modelle", "kaputt.gguf")
    problem = Problem(protocol.BAD_MODEL, f"{path} is not a GGUF model file (read from /srv/share/x/kaputt.gguf).",
                      "not_gguf", path=path)
    trouble = EngineTrouble.from_problem(problem, at=0.0)
    assert trouble.message == "kaputt.gguf is not a GGUF model file (read from kaputt.gguf)."
    assert (trouble.kind, trouble.reason) == (protocol.BAD_MODEL, "not_gguf")
    text = diagnostics.report(facts(trouble=trouble))
    assert "kind: bad_model" in text and "reason: not_gguf" in text
    assert "message: kaputt.gguf is not a GGUF model file" in text
    start = EngineTrouble.from_problem(Problem(ENGINE_START, "The engine stopped 3 times within 60 s."))
    assert start.message == "The engine stopped 3 times within 60 s."


def test_free_text_problems_keep_only_the_exception_name():
    internal = EngineTrouble.from_problem(Problem(protocol.INTERNAL, f"UnicodeDecodeError: cannot read {MARKER!r}"))
    refused = EngineTrouble.from_problem(Problem(protocol.BAD_REQUEST, f"Template failed on {MARKER}",
                                                 protocol.TEMPLATE_FAILED))
    assert internal.message == "UnicodeDecodeError"
    assert MARKER not in refused.message and refused.reason == protocol.TEMPLATE_FAILED
    for trouble in (internal, refused):
        assert MARKER not in diagnostics.report(facts(trouble=trouble))


def test_a_lost_engine_is_told_without_its_last_words():
    loss = Loss(LOADING, EngineExit(-9), last_words=f"llama.cpp log quoting {MARKER}", compat=False)
    trouble = EngineTrouble.from_loss(loss)
    assert trouble.kind == "engine_lost" and trouble.reason == "killed"
    assert trouble.message == "while loading: was killed (SIGKILL)"
    assert MARKER not in diagnostics.report(facts(trouble=trouble))


def test_collect_reads_this_computer_and_the_installed_versions():
    gathered = diagnostics.collect(qt_version="6.99.1", hardware=LAPTOP, model=None, n_ctx=0,
                                   compatibility_mode=False, engine_running=False, offline=False,
                                   language="en_GB", trouble=None)
    versions = dict(gathered.versions)
    assert list(versions)[:2] == ["MoEscope", "Python"]
    assert versions["MoEscope"] == __version__ and versions["Qt"] == "6.99.1"
    assert versions["llama-cpp-python"] != "not found"
    assert versions["llama.cpp (ggml)"] == f"in llama-cpp-python {versions['llama-cpp-python']}"
    assert gathered.cpu_features == LAPTOP.cpu_features and gathered.gpu_offload is False
    assert gathered.cpu and gathered.cpu_threads == (os.cpu_count() or 1)
    assert 0 < gathered.available_ram <= gathered.total_ram
    assert gathered.engine_threads == engine_threads()


def test_a_version_comes_from_the_module_where_the_package_metadata_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "frozen_part", types.SimpleNamespace(__version__="4.5.6"))
    assert diagnostics.installed_version(Part("Frozen", "MIT", "no-such-distribution", "frozen_part")) == "4.5.6"
    assert diagnostics.installed_version(Part("Gone", "MIT", "no-such-distribution", "not_imported")) is None
