"""A real OpenAI-compatible server for the company-server tests: llama.cpp's own ``llama-server``.

The binary is built from the llama.cpp source vendored in the pinned llama-cpp-python sdist, once per
machine and cached (``bench.llamacpp.llama_server``: only the llama-server target, Release, no curl, two
jobs; about 8 minutes on two cores the first time). ``LlamaServer`` starts it on 127.0.0.1 with a small
demo MoE model (``write_demo_model``) under an alias and an API key, waits for ``/health`` and ends it
afterwards. The tests share one per session (tests/remote/conftest.py).
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx

from app.core.models.demo import write_demo_model
from bench.llamacpp import llama_server

ALIAS = "moescope-demo"
API_KEY = "moescope-test-key"
START_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LlamaServer:
    """llama-server on loopback with a demo model (a context manager).

    Attributes:
        url: its root URL (``http://127.0.0.1:<port>``).
        build_seconds: how long its build took in this process (None: it was built before).
    """

    def __init__(self, folder: Path) -> None:
        self.binary, self.build_seconds = llama_server(jobs=2)
        self.model = write_demo_model(Path(folder) / "server-demo.gguf", arch="qwen3moe", layers=2, experts=4,
                                      top_k=2, readable=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(folder) / "llama-server.log"
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> LlamaServer:
        with open(self.log, "wb") as log:
            self._process = subprocess.Popen(
                [str(self.binary), "-m", str(self.model), "--host", "127.0.0.1", "--port", str(self.port),
                 "-c", "1024", "-np", "1", "-t", "2", "--no-webui", "--alias", ALIAS, "--api-key", API_KEY],
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"llama-server ended at start: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"llama-server did not start within {START_TIMEOUT_S:.0f} s")

    def __exit__(self, *_exc) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
