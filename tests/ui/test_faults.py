"""Faults the window must survive: its engine killed at every stage, the whole app killed mid-answer,
mid-download and mid-import, a drive that fills up, vanishes or turns read-only, and memory that runs out.

The engine is killed with the signals a crash (SIGSEGV, SIGABRT) and the out-of-memory killer (SIGKILL)
deliver. "While reading the prompt" is made certain by waiting until the engine has spent CPU time on a
long prompt without answering it; "while loading" and "while unloading", which take a few tenths of a
second at most, by pausing the engine (SIGSTOP) before the request and delivering the signal with the
request still unanswered.

The whole app runs as a process of its own (tests/support/app_driver.py) for the tests that kill it. Drives
that fill up, vanish or turn read-only are real tmpfs mounts (see window_helpers.Tmpfs).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from pathlib import Path

import psutil
import pytest
from fake_hub import FakeHub
from PySide6.QtCore import QMetaObject, QObject, Qt, Slot
from PySide6.QtWidgets import QMessageBox

import window_helpers
from app.core.chat.model import INTERRUPTED
from app.core.chat.store import ConversationStore
from app.core.engine import client as engine_client
from app.core.engine.protocol import ASSISTANT
from app.core.models.catalog import load_catalog
from app.core.locality.policy import NetworkPolicy
from app.core.hub.token_store import TokenStore
from app.ui.library.table_model import INSTALLED, catalog_item
from app.ui.library.pane import LibraryPane
from stand_ins import LAPTOP, MemoryKeyring
from window_helpers import ENGINE_TIMEOUT_MS, load, send, start_long_answer
from window_helpers import MB, AppProcess, process_gone, tmpfs, wait_until  # noqa: F401 (tmpfs: a fixture)

SIGNAL_WORDS = {
    signal.SIGKILL: "was ended from outside",
    signal.SIGSEGV: "crashed",
    signal.SIGABRT: "crashed",
}
REPO = "org/Tiny-MoE-GGUF"
FILE = "tiny-moe-Q8_0.gguf"
CPU_INSIDE_S = 0.3
"""CPU time the engine spends on a request before it is killed: it is inside llama.cpp by then."""


@pytest.fixture(scope="module")
def demo_models(tmp_path_factory):
    return window_helpers.demo_models(tmp_path_factory.mktemp("demo-models"))


@pytest.fixture
def slow_model(demo_models):
    return demo_models["slow"]


@pytest.fixture
def models_dir(tmp_path, demo_models):
    return window_helpers.models_folder(tmp_path / "models", demo_models)


@pytest.fixture
def window(qtbot, models_dir):
    yield from window_helpers.open_window(qtbot, models_dir)


def cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def kill_when_busy(qtbot, pid: int, how: signal.Signals, still_waiting) -> None:
    """Kill the engine once it spent CPU_INSIDE_S on the request just sent, while ``still_waiting()``."""
    start = cpu_seconds(pid)
    qtbot.waitUntil(lambda: cpu_seconds(pid) - start >= CPU_INSIDE_S, timeout=ENGINE_TIMEOUT_MS)
    assert still_waiting(), "the engine finished before it could be killed inside the request"
    os.kill(pid, how)


def pause(qtbot, pid: int) -> None:
    """Stop the engine (SIGSTOP) and wait until every one of its threads has stopped: a request written to
    it now stays unread, and a signal delivered together with SIGCONT ends it before it reads anything."""
    os.kill(pid, signal.SIGSTOP)
    engine = psutil.Process(pid)
    qtbot.waitUntil(lambda: all(psutil.Process(thread.id).status() == psutil.STATUS_STOPPED
                                for thread in engine.threads()))


class _Mark(QObject):
    """A QObject whose ``reach`` slot, queued to the thread it lives on, says when that thread got there."""

    def __init__(self) -> None:
        super().__init__()
        self.reached = threading.Event()

    @Slot()
    def reach(self) -> None:
        self.reached.set()


def worker_caught_up(worker) -> None:
    """Return once the worker's thread has carried out every request queued to it so far (a request to
    a paused engine is then written to it, where it stays unanswered)."""
    mark = _Mark()
    mark.moveToThread(worker.thread())
    QMetaObject.invokeMethod(mark, "reach", Qt.ConnectionType.BlockingQueuedConnection)
    assert mark.reached.is_set()


def transcript(window) -> str:
    return window.chat.transcript.toPlainText()


def answer_again(qtbot, window) -> None:
    """A fresh engine answers the next message."""
    qtbot.waitUntil(lambda: window.model_info is not None, timeout=ENGINE_TIMEOUT_MS)
    window.chat.settings.update(max_tokens=4, temperature=0.0)
    with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
        send(qtbot, window, "Are you back?")
    assert finished.args[0].answer_tokens > 0
    qtbot.waitUntil(lambda: not window.chat.generating)


# --- the engine killed at every stage ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGSEGV])
def test_an_engine_killed_inside_a_load_is_replaced_and_the_window_says_why(qtbot, window, slow_model, how):
    """SIGABRT while loading is test_ui's; SIGKILL is what the out-of-memory killer sends: it says memory
    may have run out and is not taken for the model's fast settings (no compatibility mode)."""
    old_pid = window.worker.pid
    path = str(window.library.models_dir / slow_model.name)
    window.library.select_path(path)
    pause(qtbot, old_pid)  # a probed load takes a few tenths of a second: too short to hit
    qtbot.mouseClick(window.library.load_button, Qt.MouseButton.LeftButton)
    assert window.library.loading_path == path
    worker_caught_up(window.worker)
    expected = window.worker.engineRestarted if how == signal.SIGKILL else window.worker.compatibilityMode
    with qtbot.waitSignal(expected, timeout=ENGINE_TIMEOUT_MS):
        os.kill(old_pid, how)
        os.kill(old_pid, signal.SIGCONT)

    if how == signal.SIGKILL:
        qtbot.waitUntil(lambda: window.library.loading_path is None, timeout=ENGINE_TIMEOUT_MS)
        assert window.isVisible() and window.worker.pid not in (None, old_pid)
        said = transcript(window)
        assert ("The engine was ended from outside while loading the model, perhaps by the system because "
                "memory ran out. The model may need more memory than is free") in said
        assert "compatibility mode" not in said and not window.compatibility_mode
        assert "most likely because the computer ran out of memory" in window.library._error_label.text()
        assert window.model_info is None and window.library.load_button.isEnabled()
        load(qtbot, window, slow_model)  # the same model loads in the fresh engine
        assert not window.compatibility_mode
    else:
        qtbot.waitUntil(lambda: window.model_info is not None, timeout=ENGINE_TIMEOUT_MS)
        assert window.isVisible() and window.worker.pid not in (None, old_pid)
        assert "The engine crashed while loading this model" in transcript(window)
        assert window.compatibility_mode
    answer_again(qtbot, window)


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT])
def test_an_engine_killed_while_reading_the_prompt_is_replaced_and_the_conversation_goes_on(
        qtbot, window, slow_model, how):
    load(qtbot, window, slow_model)
    window.chat.settings.update(max_tokens=2, temperature=0.0)
    with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS):
        send(qtbot, window, "Hello")  # the first answer: the model is proven on this processor
    qtbot.waitUntil(lambda: not window.chat.generating)
    kept = list(window.chat.messages)
    old_pid = window.worker.pid
    prompts = []
    window.worker.promptRouting.connect(prompts.append)

    with qtbot.waitSignal(window.worker.engineRestarted, timeout=ENGINE_TIMEOUT_MS):
        send(qtbot, window, "Mixture of experts. " * 70)
        kill_when_busy(qtbot, old_pid, how, lambda: window.chat.generating and not prompts)

    said = transcript(window)
    assert f"The engine {SIGNAL_WORDS[how]} while answering" in said
    assert "Your conversation is kept; MoEscope starts a fresh engine." in said
    assert "compatibility mode" not in said
    assert not window.chat.generating and "interrupted" in said
    assert window.chat.messages == kept and prompts == []
    answer_again(qtbot, window)


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGSEGV, signal.SIGABRT])
def test_an_engine_that_crashes_while_answering_is_replaced_and_the_next_message_works(
        qtbot, window, demo_models, how):
    """SIGKILL while answering is test_ui's."""
    load(qtbot, window, demo_models["moe"])
    start_long_answer(qtbot, window)
    old_pid = window.worker.pid
    with qtbot.waitSignal(window.worker.engineRestarted, timeout=ENGINE_TIMEOUT_MS):
        os.kill(old_pid, how)
    said = transcript(window)
    assert "The engine crashed while answering. Your conversation is kept" in said
    assert "compatibility mode" not in said and not window.compatibility_mode
    assert window.chat.messages[-1].role == ASSISTANT  # what was written so far is kept
    answer_again(qtbot, window)


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT])
def test_an_engine_killed_while_unloading_stays_unloaded_and_a_fresh_one_works(
        qtbot, window, demo_models, how):
    load(qtbot, window, demo_models["moe"])
    old_pid = window.worker.pid
    pause(qtbot, old_pid)
    QMetaObject.invokeMethod(window.worker, "unload", Qt.ConnectionType.QueuedConnection)
    worker_caught_up(window.worker)
    with qtbot.waitSignal(window.worker.engineRestarted, timeout=ENGINE_TIMEOUT_MS):
        os.kill(old_pid, how)
        os.kill(old_pid, signal.SIGCONT)

    said = transcript(window)
    assert f"The engine {SIGNAL_WORDS[how]} while unloading the model" in said
    assert "A fresh engine was started." in said and "loaded again" not in said
    assert window.model_info is None and window.library.loading_path is None
    qtbot.waitUntil(window.library.load_button.isEnabled)
    assert window.worker.loaded_path is None
    load(qtbot, window, demo_models["dense"])
    answer_again(qtbot, window)


@pytest.mark.slow
def test_the_out_of_memory_killer_in_a_first_answer_is_not_blamed_on_the_model(qtbot, window, slow_model):
    """A first answer that crashes the engine switches the model to compatibility mode (test_ui); one
    ended by SIGKILL says memory may have run out, and the model keeps its fast settings."""
    load(qtbot, window, slow_model)
    old_pid = window.worker.pid
    with qtbot.waitSignal(window.worker.engineRestarted, timeout=ENGINE_TIMEOUT_MS):
        send(qtbot, window, "Mixture of experts. " * 70)
        kill_when_busy(qtbot, old_pid, signal.SIGKILL, lambda: window.chat.generating)
    said = transcript(window)
    assert "The engine was ended from outside while answering, perhaps by the system because" in said
    assert "compatibility mode" not in said
    qtbot.waitUntil(lambda: window.model_info is not None, timeout=ENGINE_TIMEOUT_MS)
    assert not window.compatibility_mode
    answer_again(qtbot, window)


# --- the whole app killed ----------------------------------------------------------------------------------


CONVERSATIONS = "data/conversations.sqlite3"


def stored_files(home: Path) -> dict[str, bytes]:
    """Every file the app keeps in ``home`` (settings, data folder, models), by relative path. The
    conversation database changes its bytes whenever it is opened (its WAL and shared-memory files):
    it is compared by what it holds instead, every conversation's messages (roles, texts, statuses)."""
    files = {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*"))
             if p.is_file() and not str(p.relative_to(home)).startswith(CONVERSATIONS)}
    if (home / CONVERSATIONS).exists():
        with ConversationStore(home / CONVERSATIONS, housekeeping=False) as store:
            held = [[(m.role, m.content, m.status) for m in store.get(s.id).messages] for s in store.summaries()]
        files[CONVERSATIONS] = json.dumps(held).encode()
    return files


def app(home: Path, *action: str, models: Path, model: Path | None = None, **env: str) -> AppProcess:
    args = ["--models-dir", str(models), *(["--model", str(model)] if model else [])]
    return AppProcess(list(action), args, home, env)


def killed(process: AppProcess) -> None:
    """SIGKILL the app; its engine, left alone, ends by itself soon after."""
    engine = process.engine_pid
    process.kill()
    wait_until(lambda: process_gone(engine), 30, "the orphaned engine to end")


@pytest.fixture
def apps():
    """``apps.append(AppProcess)``: every app still running at the end is killed, with its engine."""
    started: list[AppProcess] = []
    yield started
    for process in started:
        process.close()


def check_intact(home: Path, before: dict[str, bytes]) -> None:
    """What was stored before is there, unchanged; the audit logs of the sessions since are whole lines."""
    after = stored_files(home)
    kept = {name: data for name, data in after.items() if name in before and name != CONVERSATIONS}
    assert kept == {name: data for name, data in before.items() if name != CONVERSATIONS}
    if CONVERSATIONS in before:
        held_after = json.loads(after[CONVERSATIONS])
        assert all(conversation in held_after for conversation in json.loads(before[CONVERSATIONS]))
    for name, data in after.items():
        if name.startswith("data/audit/") and name.endswith(".jsonl"):
            for line in data.decode("utf-8").splitlines():
                json.loads(line)  # no line cut in half by the kill


@pytest.mark.slow
def test_the_app_killed_mid_answer_loses_nothing_and_starts_again(tmp_path, demo_models, apps):
    home = tmp_path / "home"
    models = window_helpers.models_folder(home / "models", {"moe": demo_models["moe"]})
    model = models / demo_models["moe"].name
    first = app(home, "chat", models=models, model=model)
    apps.append(first)
    assert int(first.expect("ANSWERED")) > 0
    assert first.wait() == 0
    before = stored_files(home)
    compat = json.loads(before["data/compatibility.json"])
    assert [entry["mode"] for entry in compat["entries"].values()] == ["fast"]  # the probe passed
    assert "config/MoEscope/MoEscope.conf" in before
    assert any(name.startswith("data/audit/session-") for name in before)

    second = app(home, "answer", models=models, model=model)
    apps.append(second)
    second.expect("ANSWERING")
    killed(second)
    check_intact(home, before)

    third = app(home, "report", models=models, model=model)
    apps.append(third)
    state = json.loads(third.expect("REPORT"))
    # the answer the kill cut off was kept, and the restart marked it interrupted
    held = json.loads(stored_files(home)[CONVERSATIONS])
    assert any(messages[-1][0] == ASSISTANT and messages[-1][2] == INTERRUPTED for messages in held)
    assert state["installed"] == [str(model)] and state["unusable"] == [] and state["folder_problem"] == ""
    assert state["loaded"] == str(model) and not state["compatibility_mode"]
    killed(third)
    check_intact(home, before)
    fourth = app(home, "chat", models=models, model=model)
    apps.append(fourth)
    assert int(fourth.expect("ANSWERED")) > 0
    assert fourth.wait() == 0
    assert json.loads((home / "data" / "compatibility.json").read_text()) == compat  # not probed again


@pytest.mark.slow
def test_the_app_killed_mid_download_offers_the_download_and_resumes_it(tmp_path, demo_models, apps):
    home = tmp_path / "home"
    models = home / "models"
    models.mkdir(parents=True)
    data = demo_models["moe"].read_bytes()
    with FakeHub() as hub:
        hub.add_repo(REPO, {FILE: data})
        hub.slow[FILE] = 300_000
        first = app(home, "download", f"{REPO}/{FILE}", models=models, HF_ENDPOINT=hub.endpoint)
        apps.append(first)
        first.expect("DOWNLOADING")
        killed(first)
        part, sidecar = models / (FILE + ".part"), models / (FILE + ".part.json")
        assert not (models / FILE).exists() and part.exists()
        assert json.loads(sidecar.read_text())["repo"] == REPO
        kept = part.stat().st_size
        assert kept < len(data)
        del hub.slow[FILE]

        second = app(home, "resume", models=models, HF_ENDPOINT=hub.endpoint)
        apps.append(second)
        offered = json.loads(second.expect("REPORT"))
        assert offered["offered"] == {f"{REPO}/{FILE}": "offered"} and offered["installed"] == []
        installed = json.loads(second.expect("INSTALLED"))
        assert installed["installed"] == [str(models / FILE)] and installed["offered"] == {}
        assert second.wait() == 0
        assert (models / FILE).read_bytes() == data and not part.exists() and not sidecar.exists()
        if kept:
            assert hub.cdn_gets(FILE)[-1].headers.get("range") == f"bytes={kept}-"


@pytest.mark.slow
def test_the_app_killed_mid_import_leaves_no_half_model(tmp_path, demo_models, apps):
    home = tmp_path / "home"
    models = window_helpers.models_folder(home / "models", {"dense": demo_models["dense"]})
    source = tmp_path / "outside" / "big-import.gguf"
    source.parent.mkdir()
    source.write_bytes(demo_models["moe"].read_bytes())
    os.truncate(source, 1024 * MB)  # a valid model followed by zeros: long enough to copy for a while
    first = app(home, "report", models=models)
    apps.append(first)
    json.loads(first.expect("REPORT"))
    killed(first)
    before = stored_files(home)

    second = app(home, "import", str(source), models=models)
    apps.append(second)
    second.expect("COPYING")
    killed(second)
    partial = models / (source.name + ".importing")
    assert partial.exists() and not (models / source.name).exists(), "the kill came after the copy was done"

    third = app(home, "report", models=models)
    apps.append(third)
    state = json.loads(third.expect("REPORT"))
    assert state["installed"] == [str(models / demo_models["dense"].name)] and state["unusable"] == []
    killed(third)
    assert not partial.exists(), "the partial copy was not cleaned up"
    assert sorted(p.name for p in models.iterdir()) == [demo_models["dense"].name]
    check_intact(home, before)
    assert source.stat().st_size == 1024 * MB


# --- drives that fill up, vanish or turn read-only -------------------------------------------------------


@pytest.fixture
def make_library(qtbot):
    """``make_library(folder, hub=None, **options)``: a LibraryPane on ``folder``, its folder read."""
    panes: list[LibraryPane] = []

    def make(folder: Path, hub: FakeHub | None = None, **options) -> LibraryPane:
        library = LibraryPane(folder, catalog=[], hardware_probe=lambda _folder: LAPTOP,
                              token_store=TokenStore(MemoryKeyring()), endpoint=hub.endpoint if hub else None,
                              policy=NetworkPolicy(), retry_wait=0, **options)
        qtbot.addWidget(library)
        library.show()
        library.refresh()
        qtbot.waitUntil(lambda: not library.scanning and library.hardware is not None)
        panes.append(library)
        return library

    yield make
    for library in panes:
        library.shutdown()
        if library.message_box is not None:
            library.message_box.close()


def start_hub_download(qtbot, library: LibraryPane):
    """Download FILE of REPO through the Search view; its row in the downloads panel."""
    library.show_repo(REPO)
    qtbot.waitUntil(lambda: not library.searching and library.views["search"].select_key(("hub", REPO, FILE)))
    library.download_selected()
    qtbot.waitUntil(lambda: (REPO, FILE) in library.downloads_panel.rows)
    return library.downloads_panel.rows[(REPO, FILE)]


def installed(library: LibraryPane) -> list[str]:
    return sorted(Path(item.path).name for item in library.model.items((INSTALLED,)))


def message(qtbot, library: LibraryPane) -> str:
    """The text of the message box the library shows now (it is closed)."""
    qtbot.waitUntil(lambda: library.message_box is not None and library.message_box.isVisible())
    box = library.message_box
    text = f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}"
    box.close()
    return text


def padded_model(model: Path, target: Path, size: int) -> Path:
    """A copy of ``model`` padded with zeros to ``size`` bytes (sparse): valid, and as big as wanted."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(model.read_bytes())
    os.truncate(target, size)
    return target


def test_a_drive_that_fills_up_during_a_download_keeps_the_part_and_the_download_resumes(
        qtbot, tmpfs, make_library, demo_models):
    drive = tmpfs("drive", "520m")  # the download's own check wants 500 MB to spare
    models = drive.folder / "models"
    models.mkdir()
    data = demo_models["moe"].read_bytes()
    with FakeHub() as hub:
        hub.add_repo(REPO, {FILE: data})
        hub.slow[FILE] = 400_000
        library = make_library(models, hub)
        row = start_hub_download(qtbot, library)
        qtbot.waitUntil(lambda: row.state == "running" and row.progress.value() > 0, timeout=30_000)
        drive.fill()  # another program takes all the space
        qtbot.waitUntil(lambda: row.state == "failed", timeout=30_000)
        assert "Not enough free space" in row.error_label.text() and row.resume_button.text() == "Try again"
        assert "Not enough free space" in message(qtbot, library)
        part = models / (FILE + ".part")
        kept = part.stat().st_size
        assert 0 < kept < len(data) and FILE not in installed(library)

        (drive.folder / "filler").unlink()
        del hub.slow[FILE]
        qtbot.mouseClick(row.resume_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: FILE in installed(library), timeout=30_000)
    assert (models / FILE).read_bytes() == data and not part.exists()
    assert hub.cdn_gets(FILE)[-1].headers.get("range") == f"bytes={kept}-"


def test_an_import_larger_than_the_free_space_is_refused_before_copying(
        qtbot, tmpfs, make_library, demo_models, tmp_path):
    drive = tmpfs("drive", "8m")
    models = drive.folder / "models"
    models.mkdir()
    source = padded_model(demo_models["moe"], tmp_path / "outside" / "twelve.gguf", 12 * MB)
    library = make_library(models)
    library.import_file(str(source))
    said = message(qtbot, library)
    assert "This file cannot be imported" in said and "not enough free space for a copy" in said
    assert "“twelve.gguf” needs 13 MB" in said.replace("\u00a0", " ")
    assert list(models.iterdir()) == [] and not library.importing


def test_a_drive_that_fills_up_during_an_import_keeps_no_partial_copy(
        qtbot, tmpfs, make_library, demo_models, tmp_path):
    """The free space was there when the import checked it, and was taken while it copied: here the check
    is told of plenty of room, and the real drive has 8 MB for a 12 MB model."""
    drive = tmpfs("drive", "8m")
    models = drive.folder / "models"
    models.mkdir()
    source = padded_model(demo_models["moe"], tmp_path / "outside" / "twelve.gguf", 12 * MB)
    library = make_library(models, disk_free=lambda _folder: 10**13)
    library.import_file(str(source))
    said = message(qtbot, library)
    assert f"There is not enough free space on the drive of the models folder “{models}”." in said
    assert "Nothing was added to the library." in said
    qtbot.waitUntil(lambda: not library.importing)
    assert list(models.iterdir()) == [] and installed(library) == []


@pytest.mark.slow
def test_an_unplugged_models_drive_is_said_and_nothing_lands_on_another_drive(
        qtbot, tmpfs, demo_models, tmp_path):
    drive = tmpfs("usb", "32m")
    models = drive.folder / "models"
    on_drive = {f"models/{p.name}": p.read_bytes() for p in (demo_models["moe"], demo_models["dense"])}
    for name, data in on_drive.items():
        (drive.folder / name).parent.mkdir(exist_ok=True)
        (drive.folder / name).write_bytes(data)
    for window in window_helpers.open_window(qtbot, models):
        library = window.library
        load(qtbot, window, demo_models["moe"])
        dense = str(models / demo_models["dense"].name)
        library.select_path(dense)
        qtbot.waitUntil(library.load_button.isEnabled)
        drive.unplug()

        qtbot.mouseClick(library.load_button, Qt.MouseButton.LeftButton)  # chosen before the drive went
        qtbot.waitUntil(lambda: library.loading_path is None and library._error_label.text() != "",
                        timeout=ENGINE_TIMEOUT_MS)
        assert "is no longer there (is it on a drive that is not connected?)" in library._error_label.text()
        qtbot.waitUntil(lambda: window.model_info is not None)  # the model loaded before stays
        answer_again(qtbot, window)

        library.refresh()
        qtbot.waitUntil(lambda: not library.scanning)
        gone = (f"The models folder “{models}” is not available. If it is on an external drive, connect the "
                "drive.")
        assert library.folder_problem == gone and library._folder_problem_label.isVisible()
        assert installed(library) == [] and library._empty_label.text() == gone

        outside = padded_model(demo_models["moe"], tmp_path / "outside" / "new.gguf", 4 * MB)
        library.import_file(str(outside))
        assert gone in message(qtbot, library)
        entry = load_catalog()[0]
        library.download(catalog_item(entry, "en"))
        assert gone in message(qtbot, library)
        assert not models.exists(), "the models folder was made again on the drive underneath"

        drive.plug_in("32m", on_drive)
        library.refresh()
        qtbot.waitUntil(lambda: not library.scanning)
        assert library.folder_problem == "" and not library._folder_problem_label.isVisible()
        assert installed(library) == sorted(p.name for p in (demo_models["moe"], demo_models["dense"]))


@pytest.mark.slow
def test_a_models_drive_that_turns_read_only_still_loads_and_refuses_changes_in_words(
        qtbot, tmpfs, demo_models, tmp_path):
    drive = tmpfs("usb", "32m")
    models = drive.folder / "models"
    models.mkdir()
    for path in (demo_models["moe"], demo_models["dense"]):
        (models / path.name).write_bytes(path.read_bytes())
    for window in window_helpers.open_window(qtbot, models):
        library = window.library
        drive.remount("ro")
        library.refresh()
        qtbot.waitUntil(lambda: not library.scanning)
        read_only = f"The models folder “{models}” is read-only (for example on a write-protected drive)."
        assert library.folder_problem == read_only and library._folder_problem_label.isVisible()
        assert installed(library) == sorted(p.name for p in (demo_models["moe"], demo_models["dense"]))
        load(qtbot, window, demo_models["moe"])
        answer_again(qtbot, window)

        outside = padded_model(demo_models["moe"], tmp_path / "outside" / "new.gguf", 4 * MB)
        library.import_file(str(outside))
        assert read_only in message(qtbot, library)
        library.download(catalog_item(load_catalog()[0], "en"))
        assert read_only in message(qtbot, library)

        library.select_path(str(models / demo_models["dense"].name))
        library.delete_selected()
        qtbot.waitUntil(lambda: library.message_box is not None and library.message_box.isVisible())
        next(b for b in library.message_box.buttons() if b.text() == "Delete").click()
        qtbot.waitUntil(lambda: library._error_label.text() != "")
        assert library._error_label.text() == f"The file could not be deleted: {read_only}"
        assert (models / demo_models["dense"].name).exists()


@pytest.mark.slow
def test_a_model_predicted_not_to_fit_is_refused_before_loading(qtbot, demo_models, tmp_path):
    """The library measures this computer; a model file twice as big as its memory is not loaded unless the
    user insists: Cancel sends nothing to the engine."""
    models = tmp_path / "models"
    size = 2 * psutil.virtual_memory().total
    huge = padded_model(demo_models["moe"], models / "huge.gguf", size)
    for window in window_helpers.open_window(qtbot, models):
        library = window.library
        qtbot.waitUntil(lambda: library.hardware is not None
                        and library.model.find(("file", str(huge))).fit is not None)
        assert library.model.find(("file", str(huge))).fit.level == "does_not_fit"
        pid = window.worker.pid
        loads = []
        window.loadRequested.connect(lambda *args: loads.append(args))
        library.select_path(str(huge))
        qtbot.mouseClick(library.load_button, Qt.MouseButton.LeftButton)
        box = library.message_box
        assert box.isVisible() and box.windowTitle() == "This model probably does not fit"
        assert "needs more memory than this computer can give" in box.text()
        box.button(QMessageBox.StandardButton.Cancel).click()
        assert loads == [] and library.loading_path is None and window.model_info is None
        assert window.worker.pid == pid and window.worker.loaded_path is None


@pytest.mark.slow
def test_a_full_data_drive_keeps_what_was_stored_and_the_app_still_answers(
        tmpfs, demo_models, tmp_path, apps):
    """Settings, the compatibility store and the audit log cannot be saved on a full drive: the app says
    nothing is lost, answers, and closes normally; what was stored before is untouched."""
    drive = tmpfs("home", "16m")
    home = drive.folder
    models = window_helpers.models_folder(tmp_path / "models", {"moe": demo_models["moe"],
                                                                 "dense": demo_models["dense"]})
    first = app(home, "chat", models=models, model=models / demo_models["moe"].name)
    apps.append(first)
    assert int(first.expect("ANSWERED")) > 0 and first.wait() == 0
    before = stored_files(home)
    drive.fill()

    second = app(home, "chat", models=models, model=models / demo_models["dense"].name)  # a new model: probed
    apps.append(second)
    assert int(second.expect("ANSWERED")) > 0
    assert second.wait() == 0, second.stderr()
    assert "Traceback" not in second.stderr()
    (home / "filler").unlink()
    check_intact(home, before)


@pytest.mark.slow
def test_a_model_that_finds_no_memory_in_the_engine_is_refused_in_words_and_the_last_one_stays(
        qtbot, monkeypatch, demo_models, tmp_path):
    """Memory that runs out where the estimate could not see it coming: the engine may use 2 GB of address
    space (RLIMIT_AS), and a 3 GB model file, which the library says fits, cannot be mapped into it.
    llama.cpp refuses it cleanly; the window says so and the model loaded before goes on answering."""
    prlimit = shutil.which("prlimit")
    if prlimit is None:
        pytest.skip("needs prlimit (util-linux) to limit the engine's memory")
    command = engine_client.engine_command()
    limited = [prlimit, f"--as={2 * 1024**3}", "--", *command]
    monkeypatch.setattr(engine_client, "engine_command", lambda: limited)
    models = window_helpers.models_folder(tmp_path / "models", {"moe": demo_models["moe"]})
    big = padded_model(demo_models["moe"], models / "big.gguf", 3 * 1024**3)
    for window in window_helpers.open_window(qtbot, models):
        library = window.library
        load(qtbot, window, demo_models["moe"])
        qtbot.waitUntil(lambda: library.model.find(("file", str(big))).fit is not None)
        assert library.model.find(("file", str(big))).fit.level != "does_not_fit"
        library.select_path(str(big))
        qtbot.waitUntil(library.load_button.isEnabled)
        with qtbot.waitSignal(window.worker.error, timeout=ENGINE_TIMEOUT_MS):
            qtbot.mouseClick(library.load_button, Qt.MouseButton.LeftButton)
        assert library._error_label.text() == (
            "“big.gguf” could not be loaded: llama.cpp could not read the model into memory: there may not be "
            "enough free memory for it, or the file is damaged.")
        qtbot.waitUntil(lambda: window.model_info is not None)
        assert window.model_info.path == str(models / demo_models["moe"].name)
        answer_again(qtbot, window)


def test_the_drive_problems_are_said_in_german(qapp, tmp_path):
    from PySide6.QtCore import QLocale

    from app.ui.i18n import install_translators
    from app.ui.library.jobs import folder_problem

    previous = QLocale()
    translators = install_translators(qapp, "de")
    try:
        gone = folder_problem(tmp_path / "unplugged")
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous)
    assert gone == (f"Der Modellordner „{tmp_path / 'unplugged'}“ ist nicht erreichbar. Liegt er auf einem "
                    "externen Laufwerk, schließen Sie das Laufwerk an.")
