"""Make docs/documents-<lang>-dialog.png and docs/documents-<lang>-answer.png: a folder of German and English
documents (PDFs, a Word file, Markdown, HTML, text, and three files that cannot be read) indexed through
File › Documents…, searched by meaning as well with the synthetic embedding model (``make-demo-model --arch
bert``), then a question answered from it by Gemma 3 270M, with its sources under the answer.

The documents are made by tests/support/documents_corpus.py; settings, data and models go to temporary
folders, and nothing leaves the computer.

    .venv/bin/python docs/documents_screenshot.py --lang de --out docs/documents-de.png
    .venv/bin/python docs/documents_screenshot.py --lang en --out docs/documents-en.png
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from screenshot_setup import arguments, demo_window, start_app, wait  # noqa: I001 (first: sets up the environment)

from documents_corpus import write_corpus  # noqa: E402

from app.core.models.demo_embedding import write_embedding_model  # noqa: E402
from app.core.models.demo_setup import DEMO_MOE_FILE  # noqa: E402
from app.core.paths import models_dir  # noqa: E402

QUESTIONS = {"de": ("Firmenhandbuch", "Wann verfällt der Resturlaub?"),
             "en": ("Company handbook", "Where is the key to the server room kept?")}


def main() -> int:
    args = arguments("documents-en.png")
    name, question = QUESTIONS[args.lang]
    app = start_app(args.lang, "MoEscope")
    folder = Path(tempfile.mkdtemp(prefix="moescope-screenshot-documents-")) / "Handbuch"
    write_corpus(folder)
    write_embedding_model(models_dir() / "moescope-demo-embedding.gguf")
    with demo_window(app, 1600, 900) as (window, demos):
        chat = window.document_chat
        dialog = chat.show_dialog()
        dialog.meaning_combo.setCurrentIndex(1)  # the demo embedding model, for the new collection
        indexed = []
        chat.controller.indexed.connect(lambda *done: indexed.append(done))
        dialog.add(name, [str(folder)])
        wait(app, lambda: bool(indexed) and dialog.collection_list.count() == 1)
        app.processEvents()
        dialog_out = args.out.with_name(args.out.stem + "-dialog.png")
        dialog.grab().save(str(dialog_out))
        print(dialog_out)
        dialog.close()

        text_model = next(path for file, path in demos.items() if file != DEMO_MOE_FILE)
        window.load_model(str(text_model))
        wait(app, lambda: window.model_info is not None)
        window.chat.settings.update(max_tokens=24, temperature=0.0)
        chat.chooser.set_chosen([name])
        window.chat.input.setPlainText(question)
        window.chat.send()
        wait(app, lambda: not window.chat.generating)
        app.processEvents()
        answer_out = args.out.with_name(args.out.stem + "-answer.png")
        window.grab().save(str(answer_out))
        print(answer_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
