"""Does the window stay responsive while a company server streams fast?

The real window (offscreen) answers with a stand-in server (tests/support/server_stand_ins.py, in a process of
its own, started by bench/remote_overhead.py) that streams ``--tokens`` tokens at 1,000 tokens/s:

- ``openai``: a plain OpenAI-compatible server; the tokens are shown as they come;
- ``sglang``: SGLang with routed experts of a DeepSeek-V3-shaped model (61 layers, 58 with 256 experts,
  8 per token); SGLang sends routing with the end of the answer, so the whole answer and its routing reach
  the window at once, the heaviest moment for the chat and the expert view.

A 2 ms timer on the GUI thread (bench/gui_probe.py) measures the event loop's stalls while each answer
streams; the targets are those of a local answer (bench/app_speed.py): longest stall under 50 ms, the 95th
percentile under 16 ms. The tokens/s the window shows are given as a ratio to the server's rate.

    .venv/bin/python bench/remote_window.py [--tokens 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HOME = Path(tempfile.mkdtemp(prefix="moescope-remote-window-"))
os.environ["XDG_CONFIG_HOME"] = str(HOME / "config")
os.environ["MOESCOPE_DATA_DIR"] = str(HOME / "data")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gui_probe import StallProbe  # noqa: E402
from PySide6.QtCore import QCoreApplication, QThread  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from remote_overhead import DEEPSEEK_SHAPE, RATE, StandIn  # noqa: E402

from app.core.locality.audit import AuditLog  # noqa: E402
from app.core.locality.guard import install_policy, uninstall_policy  # noqa: E402
from app.core.locality.policy import NetworkPolicy  # noqa: E402
from app.core.remote.profiles import ServerProfile  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.style import apply_style  # noqa: E402
from app.worker import EngineWorker, stop_engine_thread  # noqa: E402

MODEL = "stand-in/tiny-moe"


def wait(app: QApplication, condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.001)


def answer(app: QApplication, window: MainWindow, probe: StallProbe, tokens: int) -> dict:
    """One answer with the probe running: stalls, GUI CPU share, tokens/s as the window counted them."""
    window.keeper.new_conversation()
    window.chat.settings.update(max_tokens=tokens, temperature=0.0)
    window.chat.input.setPlainText("Wie entscheidet der Router?")
    received: list = []
    window.worker.token.connect(received.append)  # on the GUI thread, as the window takes them
    cpu_before, sent = time.process_time(), time.perf_counter()
    probe.start()
    window.chat.send()
    wait(app, lambda: window.chat.generating)
    wait(app, lambda: not window.chat.generating)
    wait(app, lambda: not window.experts.has_pending)  # the expert view takes a burst in over several frames
    probe.stop()
    seconds = time.perf_counter() - sent
    window.worker.token.disconnect(received.append)
    shown = len(received)
    return {"stall_max_ms": probe.stall_max_ms, "stall_p95_ms": probe.stall_p95_ms, "tokens": shown,
            "rate_ratio": shown / seconds / RATE, "gui_cpu": (time.process_time() - cpu_before) / seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    QCoreApplication.setOrganizationName("MoEscope")
    QCoreApplication.setApplicationName("MoEscope remote window bench")
    app = QApplication([])
    apply_style(app)
    config = HOME / "config.json"
    config.write_text(json.dumps(DEEPSEEK_SHAPE))
    models = HOME / "models"
    models.mkdir(parents=True)
    policy = install_policy(NetworkPolicy())
    thread = QThread()
    worker = EngineWorker()
    worker.moveToThread(thread)
    thread.start()  # no engine process: the server answers
    window = MainWindow(worker, models, policy=policy, audit=AuditLog(HOME / "audit"))
    window.resize(1600, 900)
    window.show()
    probe = StallProbe()
    results: dict[str, list[dict]] = {}
    try:
        for flavour in ("openai", "sglang"):
            server = StandIn(flavour, args.tokens)
            try:
                # an OpenAI-compatible server reports no routing: its profile names no config.json
                layout = str(config) if flavour == "sglang" else ""
                worker.use_server(ServerProfile("bench", server.url, MODEL, flavour, config_path=layout), None)
                wait(app, lambda: window.model_info is not None and window.model_info.name == MODEL)
                answer(app, window, probe, args.tokens)  # warm-up
                results[flavour] = [answer(app, window, probe, args.tokens) for _ in range(args.runs)]
            finally:
                worker.use_server(None, None)
                wait(app, lambda: window.model_info is None)
                server.close()
    finally:
        window.close()
        stop_engine_thread(worker, thread)
        uninstall_policy()
    print(f"{args.tokens} tokens at {RATE:.0f} tokens/s, {args.runs} answers each after a warm-up; "
          f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs\n")
    print("| server | tokens shown | shown rate / server rate | GUI CPU | longest stall (worst answer) "
          "| 95th percentile (worst answer) |")
    print("|---|---|---|---|---|---|")
    for flavour, label in (("openai", "OpenAI-compatible, streamed live"),
                           ("sglang", "SGLang with routed experts (DeepSeek-V3 shape), at the answer's end")):
        runs = results[flavour]
        print(f"| {label} | {runs[0]['tokens']} | {statistics.median(r['rate_ratio'] for r in runs):.2f} "
              f"| {statistics.median(r['gui_cpu'] for r in runs):.0%} "
              f"| {max(r['stall_max_ms'] for r in runs):.1f} ms | {max(r['stall_p95_ms'] for r in runs):.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
