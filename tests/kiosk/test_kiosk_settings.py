"""The kiosk settings dialog: a new configuration, an edited one, refused ones; and saving it from the kiosk's
admin screen, which builds the kiosk again with it over the same engine."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.core.kiosk.config import default_config_path, load_config
from app.core.kiosk.pin import verify_pin
from app.ui.kiosk.settings_dialog import KioskSettingsDialog, show_kiosk_settings
from kiosk_visitors import PIN, demo_model, kiosk_config, open_kiosk, tap_corner, touch


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    return demo_model(tmp_path_factory.mktemp("kiosk-settings-model"))


@pytest.fixture
def data_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("MOESCOPE_DATA_DIR", str(folder))
    return folder


def save(dialog: KioskSettingsDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def test_a_new_configuration_needs_a_pin_and_is_saved_as_a_file_the_kiosk_reads(qtbot, model, data_folder):
    dialog = show_kiosk_settings(None, model.parent)
    qtbot.addWidget(dialog)
    path = default_config_path()
    assert dialog.path == path and path.parent == data_folder
    assert "moescope --kiosk" in dialog.hint.text()
    dialog.model.setCurrentText(model.name)
    save(dialog)
    assert not path.exists() and "PIN" in dialog.problem.text()

    dialog.pin.setText("1357")
    dialog.pin_again.setText("1375")
    save(dialog)
    assert not path.exists() and dialog.problem.isVisible()

    dialog.pin_again.setText("1357")
    dialog.idle_timeout.setValue(45)
    dialog.experts_view.setCurrentIndex(dialog.experts_view.findData("router"))
    with qtbot.waitSignal(dialog.saved) as saved:
        save(dialog)
    config = load_config(path, model.parent)
    assert saved.args[0] == config
    assert config.model == model and config.idle_timeout == 45 and config.experts_view == "router"
    assert len(config.examples) == 3 and config.language == "de"
    assert verify_pin("1357", config.pin_hash)
    assert "1357" not in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_an_edited_configuration_keeps_its_pin_and_a_wrong_value_is_refused_with_its_reason(qtbot, model, tmp_path):
    path = tmp_path / "kiosk.toml"
    config = kiosk_config(model)
    dialog = KioskSettingsDialog(config, path, model.parent)
    qtbot.addWidget(dialog)
    assert dialog.examples.toPlainText().splitlines() == list(config.examples)
    dialog.examples.setPlainText("Only one example")
    save(dialog)
    assert "examples" in dialog.problem.text() and not path.exists()
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind

    dialog.examples.setPlainText("One\nTwo\nThree\nFour")
    dialog.welcome.setText("Willkommen!")
    save(dialog)
    saved = load_config(path, model.parent)
    assert saved == replace(config, examples=("One", "Two", "Three", "Four"), welcome="Willkommen!")
    assert verify_pin(PIN, saved.pin_hash)


@pytest.mark.slow
def test_settings_saved_on_the_admin_screen_start_the_kiosk_again_with_them(qtbot, model, data_folder):
    with open_kiosk(kiosk_config(model), model.parent) as session:
        old, engine = session.window, session.worker.pid
        session.stats.answer()
        tap_corner(old)
        for digit in PIN:
            touch(next(key for key in old.pin_pad.digit_buttons if key.text() == digit))
        touch(old.pin_pad.ok_button)
        touch(old.admin.buttons["settings"])
        dialog = old.settings_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.welcome.setText("Frag mich etwas!")
        dialog.idle_timeout.setValue(30)
        save(dialog)
        window = session.window
        assert window is not old
        qtbot.waitUntil(lambda: window.ready, timeout=10_000)
        assert window.welcome.title.text() == "Frag mich etwas!"
        assert window.idle.timeout_s == 30
        assert window.isFullScreen() and window.isVisible()
        assert session.worker.pid == engine and session.stats.answers == 1
        assert default_config_path().is_file()
