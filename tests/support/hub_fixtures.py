"""What the Hub tests (tests/hub/, and the download command in tests/test_cli.py) share: the fake Hub with a
public and a gated repository and the tokens it knows, downloads against it, and ``moescope download``
run against it in its own process.

``hub`` and ``models`` are pytest fixtures: import them into a test module to use them.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.core.hub.access import HubAccess
from app.core.hub.request import DownloadRequest
from app.core.hub.transfer import download
from fake_hub import FakeHub
from stand_ins import PLENTY

GOOD_TOKEN = "hf_GoodTokenForTestsOnly1234567890"
NO_ACCESS_TOKEN = "hf_ValidButNotGrantedToken0987654321"
REPO = "org/Tiny-MoE-GGUF"
FILE = "Tiny-MoE-Q4_K_M.gguf"
GATED = "org/Gated-GGUF"


def payload(n: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(n)


@pytest.fixture
def hub():
    with FakeHub(valid_tokens=(GOOD_TOKEN, NO_ACCESS_TOKEN)) as fake:
        fake.add_repo(REPO, {FILE: payload(3_000_000), "README.md": b"# tiny\n"}, downloads=50)
        fake.add_repo(GATED, {"Gated-Q8_0.gguf": payload(400_000, 2)}, gated=True, granted_tokens=(GOOD_TOKEN,))
        yield fake


@pytest.fixture
def models(tmp_path) -> Path:
    """The models folder, not made yet (``download`` makes it)."""
    return tmp_path / "models"


def fetch(hub: FakeHub, models: Path, request: DownloadRequest, token: str | None = None, **kwargs) -> Path:
    kwargs.setdefault("disk_free", lambda folder: PLENTY)
    kwargs.setdefault("retry_wait", 0)
    access = HubAccess(token=token, endpoint=hub.endpoint, timeout=kwargs.pop("timeout", 10.0),
                       network_scope=kwargs.pop("network_scope", None))
    return download(request, models, access, **kwargs)


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def data_of(hub: FakeHub, repo: str, name: str) -> bytes:
    return hub.repos[repo].files[name].data


def run_in_thread(fn):
    result: dict = {}

    def target():
        try:
            result["value"] = fn()
        except BaseException as exc:  # the test inspects it
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    return thread, result


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


class Recorder:
    """An ``on_update`` receiver for a DownloadManager that keeps every JobStatus."""

    def __init__(self):
        self.updates = []
        self.lock = threading.Lock()

    def __call__(self, status):
        with self.lock:
            self.updates.append(status)

    def states(self, job_id):
        with self.lock:
            states = [u.state for u in self.updates if u.job_id == job_id]
        return [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]

    def went_through(self, job_id, expected):
        """The job's states, in order, are ``expected`` with perhaps some quickly passed ones unseen."""
        seen = iter(expected)
        states = self.states(job_id)
        return all(state in seen for state in states) and states[-1] == expected[-1]


def start_cli(hub: FakeHub, *args: str) -> subprocess.Popen:
    """``moescope download`` in its own process, pointed at the fake Hub through HF_ENDPOINT."""
    env = {**os.environ, "HF_ENDPOINT": hub.endpoint, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    env.pop("HF_TOKEN", None)
    return subprocess.Popen([sys.executable, "-m", "app", "download", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).resolve().parents[2])


def run_cli(hub: FakeHub, *args: str) -> subprocess.CompletedProcess:
    cli = start_cli(hub, *args)
    stdout, stderr = cli.communicate(timeout=60)
    return subprocess.CompletedProcess(cli.args, cli.returncode, stdout, stderr)
