"""Helpers for tests that fault and flood the real window: memory measurements, waiting for processes,
small real file systems (tmpfs) that fill up, vanish or turn read-only, and the whole app run as a
process of its own (tests/support/app_driver.py) that a test can kill at a known point."""

from __future__ import annotations

import errno
import gc
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from app.core.models.demo import write_demo_model
from app.ui.main_window import MainWindow
from app.worker import start_engine_thread, stop_engine_thread

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("app_driver.py")
MB = 1024 * 1024


def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.01) -> None:
    """Check ``condition`` until it holds; fail after ``timeout`` seconds (an upper bound, not a delay)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout:.0f} s for {what}")
        time.sleep(interval)


def process_gone(pid: int | None) -> bool:
    """Whether the process ``pid`` has ended (a zombie left to its parent counts as ended)."""
    if pid is None:
        return True
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def demo_models(folder: Path) -> dict[str, Path]:
    """test_ui's demo models, and a MoE big enough that loading it (with its probe) and reading a long
    prompt take seconds: "moe", "dense", "slow"."""
    return {
        "moe": write_demo_model(folder / "demo-moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3),
        "dense": write_demo_model(folder / "demo-dense.gguf", arch="llama", experts=0),
        "slow": write_demo_model(folder / "slow-moe.gguf", arch="llama", layers=8, embd=512, ff=1024, heads=8,
                                 kv_heads=4, experts=8, top_k=2, dtype="f16", seed=2),
    }


def models_folder(folder: Path, models: dict[str, Path]) -> Path:
    """``folder`` (created) holding links to ``models``."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in models.values():
        os.link(path, folder / path.name)
    return folder


def open_window(qtbot, models_dir: Path):
    """The main window with a real engine process, its models folder read; closed after the yield."""
    worker, thread = start_engine_thread()
    window = MainWindow(worker, models_dir)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.engine_ready and not window.library.scanning, timeout=ENGINE_TIMEOUT_MS)
    try:
        yield window
    finally:
        stop_engine_thread(worker, thread)


# --- memory ------------------------------------------------------------------------------------------


def settle() -> None:
    """Collect garbage and run Qt's pending deletions, so that what stays measured is what is kept."""
    for _round in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
        gc.collect()


def rss(pid: int | None = None) -> int:
    """Resident memory of a process (this one by default), bytes."""
    return psutil.Process(pid or os.getpid()).memory_info().rss


@dataclass
class Growth:
    """Resident memory of one process before and after a flood.

    Attributes:
        name: which process ("GUI", "engine").
        before, after: bytes.
        share: the part of ``before`` the process may grow by; slack: bytes it may grow by besides.
    """

    name: str
    before: int
    after: int = 0
    share: float = 0.05
    slack: int = 0

    @property
    def grew(self) -> int:
        return self.after - self.before

    @property
    def allowed(self) -> int:
        return int(self.before * self.share) + self.slack

    def line(self) -> str:
        return (f"{self.name} RSS {self.before / MB:.1f} MiB -> {self.after / MB:.1f} MiB "
                f"({self.grew / MB:+.1f} MiB, {100 * self.grew / self.before:+.2f} %; "
                f"allowed {self.allowed / MB:.1f} MiB)")

    def check(self) -> None:
        assert self.grew <= self.allowed, self.line()


def report(figures: dict) -> None:
    """Print a flood's figures as one JSON line (``-s`` shows it), and append it to MOESCOPE_FLOOD_LOG."""
    line = json.dumps(figures, sort_keys=True)
    print(f"\nFLOOD {line}")
    log = os.environ.get("MOESCOPE_FLOOD_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as file:
            file.write(line + "\n")


# --- small real file systems ---------------------------------------------------------------------


class Tmpfs:
    """A tmpfs of ``size`` mounted at ``folder``: a drive that fills up, is unplugged or turns read-only.

    Needs root and a kernel that lets this process mount (a container may not); otherwise the test is
    skipped with the reason printed.
    """

    def __init__(self, folder: Path, size: str) -> None:
        self.folder = folder
        self.mounted = False
        folder.mkdir(parents=True, exist_ok=True)
        if not sys.platform.startswith("linux") or shutil.which("mount") is None:
            pytest.skip("a real full or vanishing drive needs Linux's mount")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            reason = f"mounting a tmpfs is not permitted here: {done.stderr.strip() or done.returncode}"
            print(reason)
            pytest.skip(reason)
        self.mounted = True

    def remount(self, options: str) -> None:
        """Change the mount: ``ro`` (read-only), ``rw``, ``size=64m`` (room freed) ..."""
        subprocess.run(["mount", "-o", f"remount,{options}", str(self.folder)], check=True)

    def unplug(self) -> None:
        """Detach the drive at once, as pulling out a USB stick does; files still open keep working."""
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], check=True)
            self.mounted = False

    def plug_in(self, size: str, keep: dict[str, bytes]) -> None:
        """Mount a drive again, with the files ``keep`` (relative path: bytes) on it."""
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(self.folder)], check=True)
        self.mounted = True
        for name, data in keep.items():
            (self.folder / name).parent.mkdir(parents=True, exist_ok=True)
            (self.folder / name).write_bytes(data)

    def fill(self) -> None:
        """Take up all the free space (with a file named ``filler``), as another program's big file does."""
        chunk = b"\0" * MB
        with open(self.folder / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], check=False)
            self.mounted = False


@pytest.fixture
def tmpfs(tmp_path):
    """``tmpfs(name, size)`` mounts a Tmpfs under the test's folder; all are unmounted afterwards."""
    mounted: list[Tmpfs] = []

    def mount(name: str, size: str = "8m") -> Tmpfs:
        drive = Tmpfs(tmp_path / name, size)
        mounted.append(drive)
        return drive

    yield mount
    for drive in mounted:
        drive.close()


# --- the whole app as a process ----------------------------------------------------------------------


class AppProcess:
    """The real app run by tests/support/app_driver.py, its stdout read line by line on a thread.

    Attributes:
        process: the Popen.
        lines: every stdout line so far.
        engine_pid: the engine's pid once the driver said it.
    """

    def __init__(self, action: list[str], app_args: list[str], home: Path,
                 env: dict[str, str] | None = None) -> None:
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "MOESCOPE_DATA_DIR": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "MOESCOPE_BUNDLED_MODELS_DIR": str(home / "no-bundle"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            **(env or {}),
        }
        self.lines: list[str] = []
        self.engine_pid: int | None = None
        self._lines: queue.Queue = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), *action, "--", "--no-demo", *app_args], cwd=ROOT, env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self._stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self._stderr.extend(self.process.stderr), daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def expect(self, word: str, timeout: float = 120.0) -> str:
        """The rest of the next line that starts with ``word``; fails if the app ends or takes longer."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"the app did not say {word} within {timeout:.0f} s; it said {self.lines[-5:]}")
            if line is None:
                pytest.fail(f"the app ended (status {self.process.wait()}) before it said {word}: "
                            f"{self.stderr()[-3000:]}")
            self.lines.append(line)
            if line.startswith("ENGINE "):
                self.engine_pid = int(line.split()[1])
            if line == word or line.startswith(word + " "):
                return line[len(word):].strip()

    def kill(self) -> None:
        """SIGKILL the app, as a crash or a power cut would end it; its engine is left to notice."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def wait(self, timeout: float = 60.0) -> int:
        return self.process.wait(timeout=timeout)

    def stderr(self) -> str:
        return "".join(self._stderr)

    def close(self) -> None:
        if self.process.poll() is None:
            self.kill()
        if self.engine_pid is not None and not process_gone(self.engine_pid):
            os.kill(self.engine_pid, signal.SIGKILL)


ENGINE_TIMEOUT_MS = 90_000



def load(qtbot, window, demo_path) -> None:
    """Select the library's copy of a demo model and press Load."""
    path = window.library.models_dir / demo_path.name
    window.library.select_path(str(path))
    qtbot.waitUntil(window.library.load_button.isEnabled)
    qtbot.mouseClick(window.library.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model_info is not None, timeout=ENGINE_TIMEOUT_MS)
    assert os.path.samefile(window.model_info.path, path)



def send(qtbot, window, text: str) -> None:
    qtbot.keyClicks(window.chat.input, text)
    qtbot.keyClick(window.chat.input, Qt.Key.Key_Return)
    assert window.chat.generating



def start_long_answer(qtbot, window) -> None:
    """Send a message whose answer is long enough to interrupt, and wait for its first text."""
    window.chat.settings.update(max_tokens=1900, temperature=0.0, seed=0)
    for _attempt in range(5):
        send(qtbot, window, "Keep talking")
        qtbot.waitUntil(
            lambda: window.chat.answer_text != "" or not window.chat.generating, timeout=ENGINE_TIMEOUT_MS
        )
        if window.chat.generating:
            return
        window.chat.new_chat()
    pytest.fail("the demo model ended every answer before it could be interrupted")

