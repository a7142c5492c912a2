"""The kiosk's command line: ``kiosk-check`` (OK, or the mistake with its line and exit status 2),
``kiosk-pin`` (the hash line to paste), and which configuration ``--kiosk`` and a bundle start with.

(Named test_kiosk_cli.py, not test_cli.py: tests/test_cli.py has that module name already.)
"""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

import app.main
from app.core.kiosk.config import load_config
from app.core.kiosk.pin import verify_pin
from app.core.models.bundle import ENV_OVERRIDE
from kiosk_files import write_kiosk_config, write_kiosk_model


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kiosk-cli-models")
    write_kiosk_model(folder)
    return folder


@pytest.fixture
def home(monkeypatch, tmp_path) -> Path:
    """A data folder and bundle folder of the test's own, for main() here and for child processes."""
    monkeypatch.setenv("MOESCOPE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv(ENV_OVERRIDE, str(tmp_path / "bundled-models"))
    monkeypatch.setattr(app.main, "install_policy", lambda: None)  # the process-wide guard stays out of tests
    return tmp_path


@pytest.fixture
def windows(monkeypatch) -> list[tuple]:
    """Stand-ins for the kiosk and the normal window: which one main() opened, with what."""
    opened: list[tuple] = []
    kiosk = types.ModuleType("app.kiosk_gui")
    kiosk.run_kiosk = lambda config, models_dir: opened.append(("kiosk", config, models_dir)) or 0
    gui = types.ModuleType("app.gui")
    gui.run_gui = lambda models_dir, model, lang: opened.append(("window", models_dir, model)) or 0
    monkeypatch.setitem(sys.modules, "app.kiosk_gui", kiosk)
    monkeypatch.setitem(sys.modules, "app.gui", gui)
    return opened


def moescope(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120)


def test_kiosk_check_says_ok_for_a_good_file(home, models):
    path = write_kiosk_config(home / "kiosk.toml", "kiosk-moe.gguf")
    result = moescope("kiosk-check", str(path), "--models-dir", str(models))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"OK: {path} (model {models / 'kiosk-moe.gguf'}, language de, 3 examples)\n"


def test_kiosk_check_names_the_line_of_a_mistake_and_exits_2(home, models):
    path = write_kiosk_config(home / "kiosk.toml", "kiosk-moe.gguf", replace={"idle_timeout = 90": 'idle_timeout = "abc"'})
    result = moescope("kiosk-check", str(path), "--models-dir", str(models))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f'{path}, line 11: "idle_timeout" must be a number of seconds from 20 to 3600, '
                             'not "abc".\n')


def test_kiosk_check_without_a_file_checks_the_saved_one_or_says_there_is_none(home, models):
    result = moescope("kiosk-check", "--models-dir", str(models))
    assert result.returncode == 2 and "No kiosk configuration:" in result.stderr
    assert str(home / "data" / "kiosk.toml") in result.stderr and "Traceback" not in result.stderr
    saved = write_kiosk_config(home / "data" / "kiosk.toml", "kiosk-moe.gguf")
    result = moescope("kiosk-check", "--models-dir", str(models))
    assert result.returncode == 0 and result.stdout.startswith(f"OK: {saved} ")


def test_kiosk_check_of_a_missing_file(home, models):
    result = moescope("kiosk-check", str(home / "nowhere.toml"))
    assert result.returncode == 2 and result.stderr == f"{home / 'nowhere.toml'}: there is no such file.\n"


def test_kiosk_starts_the_kiosk_window_with_the_checked_configuration(home, models, windows):
    path = write_kiosk_config(home / "kiosk.toml", "kiosk-moe.gguf")
    assert app.main.main(["--kiosk", str(path), "--models-dir", str(models)]) == 0
    assert windows == [("kiosk", load_config(path, models), models)]


def test_kiosk_with_a_bad_configuration_opens_no_window(home, models, windows, capsys):
    path = write_kiosk_config(home / "kiosk.toml", "kiosk-moe.gguf", replace={'view = "heatmap"': 'view = "pie"'})
    assert app.main.main(["--kiosk", str(path), "--models-dir", str(models)]) == 2
    assert windows == [] and "line 18: \"view\" must be" in capsys.readouterr().err
    assert app.main.main(["--kiosk"]) == 2  # nothing saved, nothing bundled
    assert windows == [] and "No kiosk configuration" in capsys.readouterr().err


def test_an_installation_that_bundles_a_kiosk_configuration_starts_the_kiosk(home, windows):
    bundled = write_kiosk_model(home / "bundled-models")
    write_kiosk_config(home / "bundled-models" / "kiosk.toml", bundled.name)
    empty = home / "models"
    assert app.main.main(["--models-dir", str(empty)]) == 0
    assert windows[-1][0] == "kiosk" and windows[-1][1].model == bundled
    assert app.main.main(["--models-dir", str(empty), "--no-kiosk", "--no-demo"]) == 0
    assert windows[-1] == ("window", empty, bundled)
    assert app.main.main(["--models-dir", str(empty), "--model", str(bundled), "--no-demo"]) == 0
    assert windows[-1] == ("window", empty, bundled)
    with pytest.raises(SystemExit):
        app.main.main(["--kiosk", "--no-kiosk"])


def test_without_a_bundled_configuration_the_window_opens(home, windows):
    assert app.main.main(["--models-dir", str(home / "models"), "--no-demo"]) == 0
    assert windows == [("window", home / "models", None)]


def answers(monkeypatch, *typed: str) -> None:
    replies = iter(typed)

    def fake_getpass(prompt: str = "") -> str:
        reply = next(replies)
        if reply is EOFError:
            raise EOFError
        return reply

    monkeypatch.setattr("getpass.getpass", fake_getpass)


def test_kiosk_pin_prints_a_hash_line_that_a_configuration_takes(home, models, monkeypatch, capsys):
    answers(monkeypatch, "90210", "90210")
    assert app.main.main(["kiosk-pin"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith('pin_hash = "scrypt$16384$8$1$') and out.count("\n") == 1
    assert "90210" not in out + err and "[kiosk] section" in err
    stored = out.split('"')[1]
    assert verify_pin("90210", stored) and not verify_pin("90211", stored)
    path = write_kiosk_config(home / "kiosk.toml", "kiosk-moe.gguf")
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(out.strip() if line.startswith("pin_hash") else line for line in text.splitlines()),
                    encoding="utf-8")
    assert load_config(path, models).pin_hash == stored


@pytest.mark.parametrize(("typed", "said"), [
    (("1234", "1243"), "The two PINs differ; nothing was made."),
    (("12",), "A PIN is 4 to 12 digits (0-9); nothing was made."),
    (("abcd",), "A PIN is 4 to 12 digits (0-9); nothing was made."),
    ((EOFError,), "No PIN given; nothing was made."),
])
def test_kiosk_pin_refuses_without_printing_a_hash(home, monkeypatch, capsys, typed, said):
    answers(monkeypatch, *typed)
    assert app.main.main(["kiosk-pin"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == said
