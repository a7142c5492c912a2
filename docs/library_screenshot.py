"""Make docs/library.png: the model library with catalog entries, fit badges and a running download.

Staged, and never online: a stand-in Hugging Face Hub on 127.0.0.1 (tests/support/fake_hub.py) serves the
catalog's Granite 3.1 1B A400M file (zeros of the right length) slowly, and the fit badges are those of
a computer with 8 GB of memory, 3 GB of it free at the moment. Settings and models go to a temporary
folder.

    .venv/bin/python docs/library_screenshot.py [--lang de] [--out docs/library.png]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from screenshot_setup import arguments, start_app, wait  # noqa: I001 (first: sets up the environment)

from fake_hub import FakeHub  # noqa: E402
from keyring.backends import fail  # noqa: E402

from app.core.models.catalog import load_catalog  # noqa: E402
from app.core.models.demo import write_demo_model  # noqa: E402
from app.core.models.fit import GB, Hardware  # noqa: E402
from app.core.hub.token_store import TokenStore  # noqa: E402
from app.ui.library.pane import LibraryPane  # noqa: E402

DOWNLOADING = "granite-3.1-1b-a400m-instruct-q4km"
LAPTOP = Hardware(
    total_ram=8 * GB,
    available_ram=3 * GB,
    free_disk=400 * GB,
    models_dir=None,
    cpu_threads=8,
    physical_cores=4,
    cpu_features=("AVX2",),
    gpu_offload=False,
    system_info="",
)


def main() -> int:
    args = arguments("library.png")
    app = start_app(args.lang)
    models = Path(tempfile.mkdtemp(prefix="moescope-screenshot-")) / "models"
    models.mkdir()
    write_demo_model(models / "demo-moe.gguf", arch="qwen3moe", layers=4, experts=8, top_k=2)

    catalog = load_catalog()
    entry = next(e for e in catalog if e.id == DOWNLOADING)
    with FakeHub() as hub:
        hub.add_repo(entry.repo, {entry.filename: bytes(entry.size_bytes)})
        hub.slow[entry.filename] = 9_500_000
        pane = LibraryPane(
            models,
            catalog=catalog,
            hardware_probe=lambda folder: LAPTOP,
            endpoint=hub.endpoint,
            token_store=TokenStore(fail.Keyring()),
            disk_free=lambda folder: 400 * GB,
        )
        pane.resize(600, 1080)
        pane.show()
        pane.refresh()
        wait(app, lambda: not pane.scanning and pane.hardware is not None)
        pane.show_view("catalog")
        pane.filter_edit.setText("MoE")
        pane.sort_box.setCurrentIndex(pane.sort_box.findData("size"))
        pane.views["catalog"].select_key(("catalog", entry.id))
        pane.download_selected()
        row = lambda: pane.downloads_panel.rows.get((entry.repo, entry.filename))  # noqa: E731
        wait(
            app,
            lambda: (
                row() is not None
                and row().state == "running"
                and row().progress.value() > 60
                and "left" in row().state_label.text()
                or (row() is not None and row().progress.value() > 60 and args.lang == "de")
            ),
            timeout=120,
        )
        pane.views["catalog"].scrollToTop()
        app.processEvents()
        pane.grab().save(str(args.out))
        pane.shutdown()
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
