"""Make the kiosk's pictures: the welcome screen, an answer with the expert view, the idle countdown and the
admin screen, in a real full-screen window (run it under Xvfb at 1920 × 1080), on the first-start demo MoE.

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/kiosk_screenshots.py \
        [--lang de] [--out docs/kiosk.png]

writes ``<out stem>-welcome.png``, ``-answer.png``, ``-countdown.png`` and ``-admin.png``, each a grab of the
whole screen as a visitor sees it. Settings and data go to temporary folders.
"""

from __future__ import annotations

from screenshot_setup import arguments, start_app  # noqa: I001 (first: sets up the environment)

from PySide6.QtGui import QGuiApplication  # noqa: E402

from app.core.models.demo_setup import DEMO_MOE_FILE, ensure_demo_models  # noqa: E402
from app.core.paths import models_dir  # noqa: E402
from kiosk_visitors import PIN, kiosk_config, open_kiosk, process_for, process_until, tap_corner, touch  # noqa: E402

EXAMPLES = {
    "de": ("Was ist ein Mixture-of-Experts-Modell?", "Schreib ein kurzes Gedicht über das Meer.",
           "Welche Sehenswürdigkeiten hat Berlin?", "Erklär mir Photosynthese in zwei Sätzen."),
    "en": ("What is a Mixture-of-Experts model?", "Write a short poem about the sea.",
           "What should I see in Berlin?", "Explain photosynthesis in two sentences."),
}


def grab(path) -> None:
    """The whole screen, as it shows now."""
    process_for(0.4)  # the last repaints
    QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
    print(path)


def main() -> int:
    args = arguments("kiosk.png")
    start_app(args.lang, "MoEscope")
    stem = args.out.with_suffix("")
    folder = models_dir()
    demo = next(path for path in ensure_demo_models(folder) if path.name == DEMO_MOE_FILE)
    config = kiosk_config(demo, language=args.lang, examples=EXAMPLES[args.lang], max_answer_tokens=48)
    with open_kiosk(config, folder) as session:
        window = session.window
        grab(f"{stem}-welcome.png")
        touch(window.welcome.examples[0])
        process_until(lambda: not window.conversation.generating, 120, "the answer")
        grab(f"{stem}-answer.png")
        window.idle.timeout_s, window.idle.countdown_s = 0.2, 12
        window.idle.poke()
        process_until(lambda: window.idle.counting, 10, "the countdown")
        process_for(2.2)
        grab(f"{stem}-countdown.png")
        window.idle.timeout_s, window.idle.countdown_s = config.idle_timeout, config.countdown
        window.idle.poke()
        tap_corner(window)
        for digit in PIN:
            touch(next(key for key in window.pin_pad.digit_buttons if key.text() == digit))
        touch(window.pin_pad.ok_button)
        process_until(lambda: window.pages.currentWidget() is window.admin, 10, "the admin screen")
        grab(f"{stem}-admin.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
