"""Make docs/screenshot-<lang>-dark.png and -light.png, as the README shows them: the whole window, the
same moment in the dark and in the light theme (Settings › Theme), switched while it runs.

The models are the two a first start installs (app.core.models.demo_setup): Gemma 3 270M answers a first
question, then the random-weight demo MoE answers a second, and the expert view shows one of its tokens.
Offscreen, with settings and models in a temporary folder; nothing leaves the computer.

    .venv/bin/python docs/theme_screenshots.py --lang de --out docs/screenshot-de-dark.png
    .venv/bin/python docs/theme_screenshots.py --lang en --out docs/screenshot-en-dark.png

The light picture is written beside the dark one, "dark" in its name replaced by "light".
"""

from __future__ import annotations


from screenshot_setup import arguments, demo_window, start_app, wait  # noqa: I001 (first: sets up the environment)

from app.core.models.demo_setup import DEMO_MOE_FILE  # noqa: E402
from app.ui.style import apply_theme  # noqa: E402
from app.ui.theme import DARK, LIGHT  # noqa: E402


QUESTIONS = {"en": ("List three facts about the Moon, as a Markdown list.", "And how does the router choose?"),
             "de": ("Nenne drei Fakten über den Mond, als Markdown-Liste.", "Und wie wählt der Router aus?")}


def main() -> int:
    args = arguments("screenshot-en-dark.png")
    light_out = args.out.with_name(args.out.name.replace("dark", "light"))
    first, second = QUESTIONS[args.lang]
    app = start_app(args.lang, "MoEscope")
    with demo_window(app, 1600, 900) as (window, demos):
        text_model = next((path for name, path in demos.items() if name != DEMO_MOE_FILE), None)
        if text_model is not None:
            window.load_model(str(text_model))
            wait(app, lambda: window.model_info is not None)
            window.chat.settings.update(max_tokens=60, temperature=0.0)
            window.chat.input.setPlainText(first)
            window.chat.send()
            wait(app, lambda: not window.chat.generating)

        window.load_model(str(demos[DEMO_MOE_FILE]))
        wait(app, lambda: window.model_info is not None and window.model_info.is_moe)
        window.chat.settings.update(max_tokens=48, temperature=0.8, seed=4)
        window.chat.input.setPlainText(second)
        window.chat.send()
        wait(app, lambda: not window.chat.generating)
        strip = window.experts.strip
        strip.select(len(strip.timeline) - 12)
        for theme, out in ((DARK, args.out), (LIGHT, light_out)):
            apply_theme(app, theme)
            app.processEvents()
            window.grab().save(str(out))
            print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
