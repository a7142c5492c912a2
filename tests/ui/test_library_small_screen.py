"""The library on a 1280 × 800 screen: two downloads under way keep to a small panel that scrolls inside
itself, and the model list keeps most of the height (it was squeezed to one card).

The offscreen screen is 800 × 800, so the pane is tested at the height the library has in a 1280 × 800
window (about 700 pixels), with models whose cards are as tall as real ones.
"""

from __future__ import annotations

from test_library import (  # noqa: F401 (fixtures)
    DOWNLOAD_TIMEOUT_MS, catalog, hub, keyring_backend, make_pane, models_dir, start_download, tiny_models,
)

from app.core.models.demo import write_demo_model

LIBRARY_HEIGHT = 700
"""The library pane's height in a 1280 × 800 window (menu, dock title and status bar take the rest)."""


def visible_cards(view) -> int:
    """How many cards show (in part or whole) in the list's viewport."""
    viewport = view.viewport().rect()
    return sum(1 for index, _card in view.cards() if viewport.intersects(view.visualRect(index)))


def test_two_downloads_leave_the_list_most_of_the_height(qtbot, make_pane, hub, models_dir):
    for number in range(3):
        write_demo_model(models_dir / f"demo-{number}.gguf", arch="qwen3moe", layers=2, experts=4, top_k=2)
    hub.slow["tiny-moe-Q8_0.gguf"] = 20_000
    pane = make_pane()
    pane.resize(420, LIBRARY_HEIGHT)
    running = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    waiting = start_download(qtbot, pane, "catalog", ("catalog", "gated"))
    qtbot.waitUntil(lambda: running.state == "running" and waiting.state == "queued", timeout=DOWNLOAD_TIMEOUT_MS)
    panel = pane.downloads_panel
    qtbot.waitUntil(lambda: panel.height() <= LIBRARY_HEIGHT // 5)
    assert panel.isVisible() and panel._caption.text() == "Downloads (2)"
    for view in ("catalog", "installed"):
        pane.show_view(view)
        qtbot.wait(20)
        listing = pane.views[view]
        listing.scrollToTop()
        assert listing.viewport().height() >= LIBRARY_HEIGHT // 2, view
        assert visible_cards(listing) >= 3, view


def test_the_downloads_panel_shows_the_rows_that_fit_its_room_and_scrolls_to_the_rest(qtbot, make_pane, hub):
    hub.slow["tiny-moe-Q8_0.gguf"] = 20_000
    pane = make_pane()
    running = start_download(qtbot, pane, "catalog", ("catalog", "tiny-moe"))
    waiting = start_download(qtbot, pane, "catalog", ("catalog", "gated"))
    qtbot.waitUntil(lambda: running.state == "running" and waiting.state == "queued", timeout=DOWNLOAD_TIMEOUT_MS)
    panel, scroll = pane.downloads_panel, pane.downloads_panel._scroll
    panel.set_room(400)
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() == 0)  # both rows in full
    panel.set_room(40)  # less than one row: one row all the same, the other a scroll away
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0)
    assert scroll.height() >= running.height()
