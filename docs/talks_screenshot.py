"""Make the talk screenshots at 1920×1080: the token strip coloured by top expert with the heatmap, the
router diagram, presentation mode, and experts per token side by side.

A DeepSeek-style demo MoE (random weights; 8 layers of which the first is dense, 32 routed experts of
which the router picks 4, one shared expert) is written into the models folder, loaded, and asked a
question; the pictures show that answer. Offscreen unless told otherwise (QT_QPA_PLATFORM=xcb under
Xvfb for "a real window"), with settings and models in a temporary folder.

    .venv/bin/python docs/talks_screenshot.py [--lang de] [--out docs/talk.png]

writes ``<out stem>-strip.png``, ``-router.png``, ``-presentation.png`` and ``-compare.png`` (the same
question answered with 4 and 12 experts per token).
"""

from __future__ import annotations

from screenshot_setup import arguments, demo_window, start_app, wait  # noqa: I001 (first: sets up the environment)

from PySide6.QtCore import Qt  # noqa: E402

from app.core.models.demo import write_demo_model  # noqa: E402
from app.core.paths import models_dir  # noqa: E402

MODEL = "talk-moe-demo.gguf"


def main() -> int:
    args = arguments("talk.png")
    app = start_app(args.lang, "MoEscope")
    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    write_demo_model(folder / MODEL, arch="deepseek2", layers=8, dense_leading=1, experts=32, top_k=4,
                     embd=256, ff=256, seed=11, readable=True)
    with demo_window(app, 1920, 1080) as (window, _demos):
        window.load_model(str(folder / MODEL))
        wait(app, lambda: window.model_info is not None and window.model_info.is_moe)
        window.resizeDocks([window.library_dock, window.chat_dock, window.experts_dock], [260, 560, 1100],
                           Qt.Orientation.Horizontal)
        window.chat.settings.update(max_tokens=48, temperature=0.7, seed=5)
        window.chat.input.setPlainText("Which experts read this question?")
        window.chat.send()
        wait(app, lambda: not window.chat.generating)
        pane = window.experts
        timeline = pane.timeline
        pane.set_colour_layer(3)
        pane.strip.select(timeline.first_answer + 6)
        app.processEvents()
        stem = args.out.with_suffix("")
        window.grab().save(f"{stem}-strip.png")
        pane.set_view("router")
        pane.set_diagram_layer(3)
        app.processEvents()
        window.grab().save(f"{stem}-router.png")
        window.presentation.second_screen = False
        window.presentation.set_active(True)
        pane.set_view("heatmap")
        wait(app, lambda: window.isFullScreen() or window.width() >= 1900, timeout=5)
        app.processEvents()
        window.grab().save(f"{stem}-presentation.png")
        window.presentation.set_active(False)
        window.experts_menu.show_comparison()
        dialog = window.experts_menu.comparison
        dialog.resize(1920, 1080)
        dialog.k_choosers[0].setValue(4)
        dialog.k_choosers[1].setValue(12)
        dialog.run_button.click()
        wait(app, lambda: not dialog.run.running, timeout=300)
        app.processEvents()
        dialog.grab().save(f"{stem}-compare.png")
        dialog.close()
    print(stem)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
