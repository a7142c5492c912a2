"""The real MoEscope app, started the way ``python -m app`` starts it, and driven from inside for tests.

    python tests/support/app_driver.py ACTION [ARGUMENT] -- [moescope arguments, e.g. --models-dir DIR --model M]

The driver creates the QApplication, queues the ACTION and hands over to ``app.main.main``, so that
everything else (the engine process, the window, the library, downloads and imports) is the app's own.
Once the window is up the action drives it like a user and reports each step as one line on stdout,
so that a test can kill the whole process at a known point:

    ENGINE <pid>            the engine process is up (every action says this first)
    answer                  loads the model given with --model, asks for a long answer:
        ANSWERING           its first words arrived; the answer goes on
    close-while-answering   as ``answer``, then closes the window while the answer is written:
        CLOSING             the window is closing; the process should end by itself now
    chat                    loads --model, asks one short question, then closes the window:
        ANSWERED <tokens>
    download REPO/FILE      downloads FILE of REPO from the Hub (HF_ENDPOINT) through the Search view:
        DOWNLOADING         the download runs
    import PATH             copies PATH into the models folder through the library's import:
        COPYING <done> <total>  the first part was copied; the copy goes on
    report                  waits until the library has read the models folder, then prints
        REPORT <json>       what the library shows: models, unusable files, offered downloads,
                            the folder's problem, the compatibility mode of the loaded model
    resume                  ``report``, then resumes the offered downloads and waits for them:
        INSTALLED <json>    the models listed afterwards; then the window is closed

Every other line on stdout is the app's own. Nothing here changes how the app behaves.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

POLL_MS = 20


def say(*words: object) -> None:
    print(*words, flush=True)


def when(condition: Callable[[], bool], then: Callable[[], None]) -> None:
    """Call ``then`` on the GUI thread as soon as ``condition()`` holds (checked every POLL_MS)."""
    timer = QTimer(QApplication.instance())
    timer.setInterval(POLL_MS)

    def check() -> None:
        if condition():
            timer.stop()
            timer.deleteLater()
            then()

    timer.timeout.connect(check)
    timer.start()


def the_window():
    from app.ui.main_window import MainWindow

    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


def library_state(window) -> dict:
    from app.ui.library.table_model import INSTALLED, UNUSABLE

    library = window.library
    return {
        "installed": sorted(item.path for item in library.model.items((INSTALLED,))),
        "unusable": sorted(item.path for item in library.model.items((UNUSABLE,))),
        "offered": {f"{repo}/{name}": row.state
                    for (repo, name), row in library.downloads_panel.rows.items()},
        "folder_problem": library.folder_problem,
        "compatibility_mode": window.compatibility_mode,
        "loaded": window.model_info.path if window.model_info else None,
    }


def start(action: str, argument: str | None) -> None:
    window = the_window()
    library = window.library
    chat = window.chat

    def engine_up() -> None:
        say("ENGINE", window.worker.pid)
        ACTIONS[action]()

    def answer(then: Callable[[], None]) -> None:
        def ask() -> None:
            chat.settings.update(max_tokens=1900, temperature=0.0, seed=0)
            chat.input.setPlainText("Keep talking")
            chat.send()
            when(lambda: chat.answer_text != "" or not chat.generating, answering)

        def answering() -> None:
            if not chat.generating:  # the model ended this one early: ask again
                chat.new_chat()
                ask()
                return
            then()

        when(lambda: window.model_info is not None, ask)

    def close_now() -> None:
        say("CLOSING")
        window.close()

    def chat_once() -> None:
        def ask() -> None:
            chat.settings.update(max_tokens=8, temperature=0.0, seed=0)
            chat.input.setPlainText("Hello")
            finished = []
            window.worker.finished.connect(lambda stats: finished.append(stats))
            chat.send()
            when(lambda: finished and not chat.generating,
                 lambda: (say("ANSWERED", finished[0].answer_tokens), window.close()))

        when(lambda: window.model_info is not None, ask)

    def download() -> None:
        repo, name = argument.rsplit("/", 1)
        when(lambda: not library.scanning and library.hardware is not None,
             lambda: library.show_repo(repo))

        def chosen() -> None:
            library.download_selected()
            rows = library.downloads_panel.rows
            when(lambda: (repo, name) in rows and rows[(repo, name)].progress.value() > 0,
                 lambda: say("DOWNLOADING"))

        when(lambda: not library.searching and library.views["search"].select_key(("hub", repo, name)),
             chosen)

    def copy() -> None:
        progress = []
        library.jobs.importProgress.connect(lambda done, total: progress.append((done, total)))
        library.import_file(argument, mode="copy")
        when(lambda: bool(progress), lambda: say("COPYING", *progress[0]))

    def settled() -> bool:
        return window.engine_ready and not library.scanning and library.hardware is not None

    def report() -> None:
        when(settled, lambda: say("REPORT", json.dumps(library_state(window))))

    def resume() -> None:
        def go() -> None:
            state = library_state(window)
            say("REPORT", json.dumps(state))
            rows = list(library.downloads_panel.rows.values())
            for row in rows:
                row.resume_button.click()
            when(lambda: not library.downloads_panel.rows and not library.scanning,
                 lambda: (say("INSTALLED", json.dumps(library_state(window))), window.close()))

        when(settled, go)

    ACTIONS = {
        "answer": lambda: answer(lambda: say("ANSWERING")),
        "close-while-answering": lambda: answer(lambda: (say("ANSWERING"), close_now())),
        "chat": chat_once,
        "download": download,
        "import": copy,
        "report": report,
        "resume": resume,
    }
    when(lambda: window.engine_ready, engine_up)


def main() -> int:
    split = sys.argv.index("--")
    action, *rest = sys.argv[1:split]
    application = QApplication(sys.argv[:1])  # the app takes it as its own
    QTimer.singleShot(0, lambda: start(action, rest[0] if rest else None))
    from app.main import main as app_main

    status = app_main(sys.argv[split + 1:])
    del application
    return status


if __name__ == "__main__":
    raise SystemExit(main())
