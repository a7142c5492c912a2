"""Make the first-run guide's pictures: its three pages (welcome, choosing a model, the tour) at 1024 × 768,
over the window as a first start shows it. Offscreen unless told otherwise (QT_QPA_PLATFORM=xcb under Xvfb
for "a real window"), with settings and models in a temporary folder; the catalog's fit and speed are
this computer's.

    .venv/bin/python docs/guide_screenshot.py [--lang de] [--out docs/guide.png]

writes ``<out stem>-welcome.png``, ``-model.png`` and ``-tour.png``.
"""

from __future__ import annotations

from screenshot_setup import arguments, demo_window, start_app, wait  # noqa: I001 (first: sets up the environment)

import time  # noqa: E402

from app.ui.guide.dialog import show_guide  # noqa: E402


def main() -> int:
    args = arguments("guide.png")
    app = start_app(args.lang, "MoEscope")
    stem = args.out.with_suffix("")
    with demo_window(app, 1024, 768) as (window, _demos):
        guide = show_guide(window)
        guide.resize(900, 640)
        for name in ("welcome", "model", "tour"):
            guide.show_page(name)
            wait(app, lambda: window.library.folder_scan.hardware is not None, timeout=30)
            settled = time.monotonic() + 0.5  # the guide's list follows the library's changes within 100 ms
            wait(app, lambda: time.monotonic() > settled)
            guide.grab().save(f"{stem}-{name}.png")
        guide.close()
    print(stem)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
