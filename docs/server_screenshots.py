"""Make docs/server-de-dialog.png, docs/server-de-indicator.png and the English pair: Settings › Company
server… after a successful connection test, and the whole window chatting with that server, the status bar naming it and the expert
view showing the routing it reported.

The server is the loopback stand-in of SGLang's routed-experts wire format (tests/support/server_stand_ins.py,
started with ``--enable-return-routed-experts`` as far as MoEscope can tell), so its address is 127.0.0.1;
the API key is kept in an in-memory keyring, settings and data in temporary folders. Run it under Xvfb for a
real window:

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/server_screenshots.py \
        [--lang de] [--out docs/server.png]

writes ``<out stem>-dialog.png``, ``<out stem>-indicator.png`` and ``<out stem>-status.png`` (the status bar's
left part, for the README's table of indicator states).
"""

from __future__ import annotations

from screenshot_setup import arguments, start_app, wait  # noqa: I001 (first: sets up the environment)

import os  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from PySide6.QtCore import QRect, QThread  # noqa: E402
from PySide6.QtWidgets import QMenu  # noqa: E402

from app.core.locality.guard import install_policy, uninstall_policy  # noqa: E402
from app.core.locality.policy import NetworkPolicy  # noqa: E402
from app.core.paths import models_dir  # noqa: E402
from app.core.remote.profiles import ProfileStore  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.remote import server_dialog  # noqa: E402
from app.worker import EngineWorker, stop_engine_thread  # noqa: E402
from server_stand_ins import ServerStandIn, write_config  # noqa: E402
from stand_ins import MemoryKeyring  # noqa: E402

KEY = "sk-company-0123456789"
QUESTION = {"de": "Wie entscheidet der Router, welche Experten rechnen?",
            "en": "How does the router decide which experts compute?"}


def main() -> int:
    args = arguments("server.png")
    app = start_app(args.lang, "MoEscope")
    stem = args.out.with_suffix("")
    data = Path(os.environ["MOESCOPE_DATA_DIR"])
    store = ProfileStore(data / "servers.json", bundled=data / "no-bundle.json", backend=MemoryKeyring())
    server_dialog.ProfileStore = lambda: store  # the dialog opens this store, with its in-memory keyring
    install_policy(NetworkPolicy())
    thread = QThread()
    worker = EngineWorker()
    worker.moveToThread(thread)
    thread.start()  # no engine process: the server answers
    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    window = MainWindow(worker, folder)
    window.resize(1600, 900)
    window.show()
    try:
        with ServerStandIn("sglang", api_key=KEY, rate=25.0) as server:
            action = server_dialog.add_server_action(QMenu(window), window)
            action.trigger()
            dialog = window.findChild(server_dialog.ServerDialog)
            form = dialog.form
            form.name_edit.setText("GPU server")
            form.url_edit.setText(server.url)
            form.model_box.setEditText(server.model)
            form.key_edit.setText(KEY)
            form.config_edit.setText(str(write_config(data)))
            dialog.save()
            dialog.test_connection()
            wait(app, lambda: dialog.capabilities is not None, 60)
            _settle(app)
            dialog.grab().save(f"{stem}-dialog.png")
            print(f"{stem}-dialog.png")

            dialog.use_server()
            dialog.close()
            wait(app, lambda: window.model_info is not None, 60)
            window.chat.input.setPlainText(QUESTION[args.lang])
            window.chat.send()
            wait(app, lambda: not window.chat.generating, 60)
            window.experts.strip.select(window.experts.timeline.first_answer + 3)
            _settle(app)
            window.grab().save(f"{stem}-indicator.png")
            print(f"{stem}-indicator.png")
            bar = window.statusBar()
            bar.grab(QRect(0, 0, min(785, bar.width()), bar.height())).save(f"{stem}-status.png")
            print(f"{stem}-status.png")
    finally:
        window.close()
        stop_engine_thread(worker, thread)
        uninstall_policy()
    return 0


def _settle(app) -> None:
    """A few turns of the event loop: the last repaints."""
    deadline = time.monotonic() + 0.6
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    raise SystemExit(main())
