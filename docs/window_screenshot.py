"""Make docs/screenshot-moe.png: the whole window, a Mixture-of-Experts model mid-answer.

The models are the two a first start installs (app.core.models.demo_setup): Gemma 3 270M, a real dense text
model, answers a first question; then the random-weight demo MoE is loaded and the picture is taken
while it writes its answer, with the experts view on the current token. Offscreen, with settings and
models in a temporary folder; nothing leaves the computer.

    .venv/bin/python docs/window_screenshot.py [--lang de] [--out docs/screenshot-moe.png]
"""

from __future__ import annotations


from screenshot_setup import arguments, demo_window, start_app, wait  # noqa: I001 (first: sets up the environment)

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.models.demo_setup import DEMO_MOE_FILE  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402


def ask(app: QApplication, window: MainWindow, text: str) -> None:
    window.chat.input.setPlainText(text)
    window.chat.send()
    wait(app, lambda: not window.chat.generating)


def main() -> int:
    args = arguments("screenshot-moe.png")
    app = start_app(args.lang, "MoEscope")
    with demo_window(app, 1440, 860) as (window, demos):
        text_model = next(path for name, path in demos.items() if name != DEMO_MOE_FILE)
        window.load_model(str(text_model))
        wait(app, lambda: window.model_info is not None)
        window.chat.settings.update(max_tokens=40, temperature=0.0)
        ask(app, window, "What is a Mixture-of-Experts model?")

        window.load_model(str(demos[DEMO_MOE_FILE]))
        wait(app, lambda: window.model_info is not None and window.model_info.is_moe)
        window.chat.settings.update(max_tokens=400, temperature=0.8, seed=4)
        window.chat.input.setPlainText("And how does the router choose?")
        window.chat.send()
        wait(app, lambda: len(window.chat.answer_text) > 90 or not window.chat.generating)
        app.processEvents()
        window.grab().save(str(args.out))
        window.chat.stop_button.click()
        wait(app, lambda: not window.chat.generating)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
