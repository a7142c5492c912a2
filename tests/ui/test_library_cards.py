"""The library's cards on screens people use: a larger font (the system's font size raised) and 200 %
scaling. Every row is as tall as its card needs, every label lies inside its card with room for its
wrapped text, and each card is drawn on its own tile (at 200 % it was drawn twice as far down). And the
words on them: a file's compression in plain words, and the tooltips of a card's parts.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QHelpEvent
from PySide6.QtWidgets import QLabel, QStyleOptionViewItem, QToolTip, QWidget
from stand_ins import LAPTOP

from app.core.models.catalog import load_catalog
from app.ui.library.card import ModelList
from app.ui.library.table_model import CATALOG, LibraryFilter, LibraryModel, catalog_item
from app.ui.library.words import compression_text, compression_tip

ROOT = Path(__file__).resolve().parents[2]


def card_list(parent: QWidget) -> ModelList:
    """A ModelList of the catalog's first six models with their fit on a laptop."""
    model = LibraryModel(parent)
    model.replace_kinds((CATALOG,), [catalog_item(entry, "en").with_fit(LAPTOP) for entry in load_catalog()[:6]])
    proxy = LibraryFilter((CATALOG,), parent)
    proxy.setSourceModel(model)
    view = ModelList(parent)
    view.setModel(proxy)
    return view


def check_cards_fit(view: ModelList) -> None:
    """Each row is as tall as its card needs; each label of a card on screen inside it, tall enough for its
    wrapped text."""
    view.viewport().grab()  # lays the rows out and paints every visible card at its row's size
    option = QStyleOptionViewItem()
    for index, card in view.cards():
        hint = view.delegate.sizeHint(option, index)
        rect = view.visualRect(index)
        assert rect.height() >= hint.height() >= card.minimumSizeHint().height(), card.item.name
        assert hint.height() >= card.heightForWidth(hint.width()), card.item.name
        if not view.viewport().rect().intersects(rect):
            continue  # not painted, so not laid out at its row's size
        assert card.size() == rect.size(), card.item.name
        for label in card.findChildren(QLabel):
            assert card.rect().contains(label.geometry()), (card.item.name, label.text())
            assert label.height() >= label.heightForWidth(label.width()), (card.item.name, label.text())


@pytest.fixture
def app_font(qapp):
    """Sets the application's font size (as a raised system font size does), and puts it back."""
    before = QFont(qapp.font())

    def set_size(points: int) -> None:
        font = QFont(before)
        font.setPointSize(points)
        qapp.setFont(font)

    yield set_size
    qapp.setFont(before)


def test_cards_grow_to_fit_a_larger_font(qtbot, app_font):
    heights = {}
    for points in (10, 16, 20):
        app_font(points)
        host = QWidget()
        qtbot.addWidget(host)
        view = card_list(host)
        view.resize(380, 3000)
        host.show()
        check_cards_fit(view)
        assert view.cards()[0][1].findChildren(QLabel)[1].font().pointSize() == points
        heights[points] = [view.visualRect(index).height() for index, _card in view.cards()]
    assert all(a < b < c for a, b, c in zip(heights[10], heights[16], heights[20]))


def test_cards_take_the_font_of_their_list(qtbot):
    """A list with a font of its own (not the application's): its cards are drawn in it and sized for it."""
    host = QWidget()
    qtbot.addWidget(host)
    font = QFont(host.font())
    font.setPointSize(18)
    host.setFont(font)
    view = card_list(host)
    view.resize(380, 3000)
    host.show()
    check_cards_fit(view)
    card = view.cards()[0][1]
    assert {label.font().pointSize() for label in card.findChildren(QLabel)[1:]} == {18}

    font.setPointSize(22)
    view.setFont(font)
    qtbot.waitUntil(lambda: view.cards()[0][1].findChildren(QLabel)[1].font().pointSize() == 22)
    qtbot.wait(20)  # the rows are laid out again (delayed)
    check_cards_fit(view)


PROBE = """
import json
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
from tests.ui.test_library_cards import card_list
host = QWidget()
host.resize(460, 900)
view = card_list(host)
view.setGeometry(20, 150, 420, 700)
view.setCurrentIndex(view.model().index(0, 0))
host.show()
for _ in range(5):
    app.processEvents()
image = host.grab().toImage()
ratio = image.devicePixelRatio()
origin = view.viewport().mapTo(host, QPoint(0, 0))
rows = []
for index, card in view.cards():
    rect = view.visualRect(index).translated(origin)
    if rect.bottom() > 840:
        break
    dark = [y for y in range(int(rect.top() * ratio), int(rect.bottom() * ratio))
            if any(image.pixelColor(x, y).lightness() < 110
                   for x in range(int(rect.left() * ratio) + 8, int(rect.right() * ratio) - 8, 2))]
    rows.append({"name": card.item.name, "height": rect.height(),
                 "first_text": (dark[0] / ratio - rect.top()) if dark else None,
                 "text_rows": len(dark) / ratio})
print(json.dumps({"ratio": ratio, "rows": rows}))
"""


def test_at_200_percent_each_card_is_drawn_on_its_own_tile():
    """QT_SCALE_FACTOR must be set before the QApplication exists: a process of its own."""
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests" / "support")]))
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["ratio"] == 2.0 and len(probe["rows"]) >= 3
    for row in probe["rows"]:
        assert row["first_text"] is not None and row["first_text"] < 25, row  # the title at the tile's top
        assert row["text_rows"] > row["height"] / 3, row  # the card's lines, not an empty box


@pytest.mark.parametrize("name, words", [
    ("Q4_K_M", "compressed to 4 bits (Q4_K_M)"),
    ("q8_0", "compressed to 8 bits (q8_0)"),
    ("IQ2_XXS", "compressed to 2 bits (IQ2_XXS)"),
    ("Q4_K_XL", "compressed to 4 bits (Q4_K_XL)"),
    ("Q5_0", "compressed to 5 bits (Q5_0)"),
    ("TQ1_0", "compressed to less than 2 bits (TQ1_0)"),
    ("MXFP4", "compressed to 4 bits (MXFP4)"),
    ("IQ1_S", "compressed to less than 2 bits (IQ1_S)"),
    ("BF16", "not compressed, 16 bits (BF16)"),
    ("F32", "not compressed, 32 bits (F32)"),
    ("F8_E4M3", "F8_E4M3"),
    ("", ""),
])
def test_compression_is_said_in_plain_words(name, words):
    assert compression_text(name) == words


def test_a_card_says_how_its_file_is_compressed_and_explains_it_on_hover(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    view = card_list(host)
    view.resize(380, 700)
    host.show()
    view.viewport().grab()
    index, card = view.cards()[0]
    assert card.item.quantization == "Q4_K_M"
    details = next(label for label in card.findChildren(QLabel) if label.objectName() == "detail")
    assert "compressed to 4 bits (Q4_K_M)" in details.text() and "· Q4_K_M ·" not in details.text()
    assert details.toolTip() == compression_tip()

    rect = view.visualRect(index)
    where = rect.topLeft() + details.geometry().center()
    event = QHelpEvent(QEvent.Type.ToolTip, where, view.viewport().mapToGlobal(where))
    assert view.delegate.helpEvent(event, view, _option(rect), index)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == compression_tip())
    QToolTip.hideText()


def _option(rect) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    option.rect = rect
    return option


def test_the_embedding_model_of_the_catalog_says_what_it_is_for_and_cannot_be_loaded_to_chat(qtbot, tmp_path):
    from app.core.models.demo import write_demo_model
    from app.core.models.gguf import inspect_gguf
    from app.ui.library.load_flow import LoadFlow
    from app.ui.library.table_model import installed_item

    host = QWidget()
    qtbot.addWidget(host)
    entry = next(entry for entry in load_catalog() if entry.kind == "embedding")
    item = catalog_item(entry, "en").with_fit(LAPTOP)
    assert item.embedding and item.moe
    model = LibraryModel(host)
    model.replace_kinds((CATALOG,), [item])
    proxy = LibraryFilter((CATALOG,), host)
    proxy.setSourceModel(model)
    view = ModelList(host)
    view.setModel(proxy)
    view.resize(380, 800)
    host.show()
    check_cards_fit(view)
    (_index, card), = view.cards()
    texts = [label.text() for label in card.findChildren(QLabel)]
    assert any("searches your documents by meaning" in text for text in texts), texts

    flow = LoadFlow(host, model)
    chat_model = installed_item(inspect_gguf(write_demo_model(tmp_path / "chat.gguf", layers=1)), None, None, "en")
    assert flow.can_load(chat_model)
    assert not flow.can_load(dataclasses.replace(chat_model, embedding=True))
