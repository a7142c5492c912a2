"""Settings › Theme switches the running window between light and dark: the palette, the style sheet, the
views that paint themselves and the rendered conversation take the new colours without a restart, the
choice is kept, "As the system" follows the system's colour scheme, and the projector look stays."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QThread, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QStyle

from app.core.models.demo import write_demo_model
from app.core.models.gguf import inspect_gguf
from app.ui import settings
from app.ui.chat.transcript import ASSISTANT, Entry, Transcript
from app.ui.locality.indicator import STATE_ICONS
from app.ui.main_window import MainWindow
from app.ui.resources import icon
from app.ui.style import chosen_theme, contrast_ratio, follow_system
from app.ui.theme import DARK, LIGHT, PROJECTOR, ThemedStyleSheet, current, switcher
from app.ui.theme_menu import ThemeMenu
from app.worker import EngineWorker
from talk_traces import random_trace


@pytest.fixture(autouse=True)
def light_again(qapp):
    """Each test starts light, and the application goes back to the palette and style sheet the other
    tests expect (none of the app's own) afterwards."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    yield
    switcher().theme = LIGHT
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    switcher().changed.emit()


@pytest.fixture
def window(qtbot, tmp_path):
    """The main window over a worker whose thread never runs, its expert view on a demo MoE model with a
    stored answer shown."""
    models = tmp_path / "models"
    models.mkdir()
    thread = QThread()
    worker = EngineWorker()
    worker.moveToThread(thread)
    main_window = MainWindow(worker, models)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitUntil(lambda: not main_window.library.scanning)
    moe = write_demo_model(tmp_path / "moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3)
    main_window.experts.set_model(inspect_gguf(moe))
    main_window.experts.show_trace(random_trace(3, 6, layers=4, experts=8, k=2), None)
    return main_window


def theme_menu(window: MainWindow) -> ThemeMenu:
    menu = window.findChild(ThemeMenu)
    assert menu is not None and menu.menuAction() in window.findChild(QMenu, "settingsMenu").actions()
    return menu


def heatmap_pixels(window: MainWindow) -> tuple[str, str]:
    """(background, an unchosen cell) of the heatmap as it paints now."""
    heatmap = window.experts.heatmap
    image = heatmap.grab().toImage()
    row, column = (int(i) for i in np.argwhere(heatmap.values == 0)[0])
    return image.pixelColor(1, 1).name(), image.pixelColor(heatmap.grid.cell_rect(row, column).center()).name()


def chip_colour(qtbot, parent) -> str:
    """The background a label styled by the application's style sheet (the MoE chip) is painted in."""
    chip = QLabel("MoE", parent)
    chip.setObjectName("moeChip")
    chip.show()
    qtbot.waitExposed(chip)
    image = chip.grab().toImage()
    colour = image.pixelColor(image.width() - 3, image.height() // 2).name()
    chip.deleteLater()
    return colour


def test_the_menu_switches_the_whole_window_live(qtbot, qapp, window):
    menu = theme_menu(window)
    assert set(menu.actions) == {"", "light", "dark"} and menu.actions[""].isChecked()
    assert [action.text().replace("&", "") for action in menu.actions.values()] == ["As the system", "Light", "Dark"]

    menu.actions["light"].trigger()
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == LIGHT.window
    assert chip_colour(qtbot, window) == LIGHT.strong
    assert heatmap_pixels(window) == (LIGHT.view, LIGHT.unchosen)

    menu.actions["dark"].trigger()
    assert current() is DARK and menu.actions["dark"].isChecked()
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == DARK.window
    assert qapp.palette().color(QPalette.ColorRole.Text).name() == DARK.text
    assert chip_colour(qtbot, window) == DARK.strong
    assert heatmap_pixels(window) == (DARK.view, DARK.unchosen)
    strip = window.experts.strip.viewport().grab().toImage()
    assert strip.pixelColor(1, 1).name() == DARK.view
    assert window.experts.diagram._style is DARK
    assert f"color: {DARK.good_text}" in window.locality.text_label.styleSheet()  # "Local", on the status bar

    menu.actions["light"].trigger()
    assert heatmap_pixels(window) == (LIGHT.view, LIGHT.unchosen)
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == LIGHT.window


def test_the_choice_is_kept_for_the_next_start(qtbot, window):
    theme_menu(window).actions["dark"].trigger()
    assert settings.theme() == "dark" and chosen_theme() is DARK
    again = ThemeMenu(window)
    assert again.actions["dark"].isChecked() and not again.actions[""].isChecked()
    again.actions[""].trigger()
    assert settings.theme() is None


def test_as_the_system_follows_the_colour_scheme_while_it_changes(window):
    menu = theme_menu(window)
    menu.actions[""].trigger()
    follow_system(Qt.ColorScheme.Dark)
    assert current() is DARK and heatmap_pixels(window)[0] == DARK.view
    follow_system(Qt.ColorScheme.Light)
    assert current() is LIGHT and heatmap_pixels(window)[0] == LIGHT.view
    menu.actions["light"].trigger()
    follow_system(Qt.ColorScheme.Dark)  # a chosen theme stays, whatever the system says
    assert current() is LIGHT


def test_presentation_keeps_its_projector_look_in_both_themes(window):
    menu = theme_menu(window)
    window.experts.set_presentation(True)
    assert heatmap_pixels(window)[0] == PROJECTOR.view
    menu.actions["dark"].trigger()
    assert heatmap_pixels(window)[0] == PROJECTOR.view and window.experts.presentation
    window.experts.set_presentation(False)
    assert heatmap_pixels(window)[0] == DARK.view


def test_the_conversation_is_rendered_again_in_the_new_colours(qtbot, qapp):
    from app.ui.style import apply_theme

    apply_theme(qapp, LIGHT)
    transcript = Transcript()
    qtbot.addWidget(transcript)
    transcript.append(Entry(ASSISTANT, text="See [the docs](https://example.org).\n\n```python\nprint(1)\n```\n",
                            header="Model"))

    def colours() -> tuple[str, set[str], set[str]]:
        document = transcript.document()
        frame = document.rootFrame().childFrames()[0].frameFormat().background().color().name()
        blocks, links = set(), set()
        block = document.begin()
        while block.isValid():
            blocks.add(block.blockFormat().background().color().name())
            fragments = block.begin()
            while not fragments.atEnd():
                if fragments.fragment().charFormat().isAnchor():
                    links.add(fragments.fragment().charFormat().foreground().color().name())
                fragments += 1
            block = block.next()
        return frame, blocks, links

    frame, blocks, links = colours()
    assert frame == LIGHT.assistant_bubble and LIGHT.code in blocks and links == {LIGHT.link}
    apply_theme(qapp, DARK)
    frame, blocks, links = colours()
    assert frame == DARK.assistant_bubble and DARK.code in blocks and links == {DARK.link}
    assert LIGHT.code not in blocks
    assert transcript.toPlainText().count("print(1)") == 1  # rendered again, not added


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_the_status_icons_stand_out_from_the_status_bar(qapp, theme):
    """The monitor's frame (the icons' outline, at its left edge) reaches 3:1 on the theme's status bar."""
    from app.ui.style import apply_theme

    apply_theme(qapp, theme)
    for name in STATE_ICONS.values():
        if name == "warning":  # a yellow triangle with its own dark outline, on an amber panel in both
            continue
        image = icon(name).pixmap(64, 64).toImage()
        assert not image.isNull(), name
        ratio = contrast_ratio(image.pixelColor(6, 26), theme.status_bar)
        assert ratio >= 3.0, f"{theme.name} {name}: {ratio:.2f}:1"


def test_fields_and_check_boxes_show_their_frames_on_the_dark_window(qtbot, qapp):
    """Fusion outlines a field a shade darker than the window: on the dark one, FramedFusion draws it in
    the theme's border colour instead, 3:1 against the window."""
    from PySide6.QtWidgets import QCheckBox, QLineEdit, QVBoxLayout, QWidget

    from app.ui.style import FramedFusion, apply_theme

    apply_theme(qapp, DARK)
    holder = QWidget()
    qtbot.addWidget(holder)
    style = FramedFusion()
    field, box = QLineEdit("text"), QCheckBox("offline")
    layout = QVBoxLayout(holder)
    for widget in (holder, field, box):
        widget.setStyle(style)
    layout.addWidget(field)
    layout.addWidget(box)
    holder.show()
    qtbot.waitExposed(holder)
    image = field.grab().toImage()
    frame = max((image.pixelColor(x, image.height() // 2) for x in range(3)),
                key=lambda colour: contrast_ratio(colour, DARK.window))
    assert contrast_ratio(frame, DARK.window) >= 3.0, frame.name()
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, _option(box), box)
    image = box.grab().toImage()
    edge = max((image.pixelColor(indicator.left() + dx, indicator.center().y()) for dx in range(3)),
               key=lambda colour: contrast_ratio(colour, DARK.window))
    assert contrast_ratio(edge, DARK.window) >= 3.0, edge.name()


def _option(box):
    from PySide6.QtWidgets import QStyleOptionButton

    option = QStyleOptionButton()
    option.initFrom(box)
    return option


def test_a_themed_style_sheet_follows_and_ends_with_its_widget(qtbot, qapp):
    from app.ui.style import apply_theme

    label = QLabel("fits")
    ThemedStyleSheet(label, "QLabel { color: $good_text; background: $good; }")
    assert LIGHT.good_text in label.styleSheet()
    apply_theme(qapp, DARK)
    assert DARK.good_text in label.styleSheet() and LIGHT.good_text not in label.styleSheet()
    label.deleteLater()
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, 0)
    apply_theme(qapp, LIGHT)  # no call reaches the deleted label


def test_text_follows_a_larger_system_text_size():
    """A system set to larger text makes the window's text larger in proportion, headings included; a normal or
    small system size keeps the window's own size."""
    from app.ui.style import BASE_POINT_SIZE, style_sheet, text_scale

    assert text_scale(9) == text_scale(10) == 1.0
    assert text_scale(15) == pytest.approx(1.5)
    assert BASE_POINT_SIZE * text_scale(20) == pytest.approx(22)
    normal, large = style_sheet(LIGHT), style_sheet(LIGHT, text_scale(15))
    assert "QLabel#cardTitle { font-weight: bold; font-size: 12.0pt; }" in normal
    assert "QLabel#cardTitle { font-weight: bold; font-size: 18.0pt; }" in large
    assert "font-size: 39.0pt" in large and "font-size: 19.5pt" in large
