"""The kiosk configuration file: a valid one read in full, defaults, every kind of mistake refused with its
line, the model found by name, the bundle's rules, and dump_config read back unchanged."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.core.kiosk import config as kiosk_config
from app.core.kiosk.config import (
    KioskConfigError,
    bundled_config,
    check_bundle,
    default_config_path,
    dump_config,
    load_config,
    startup_config_path,
)
from app.core.models.bundle import ENV_OVERRIDE
from kiosk_files import kiosk_toml, pin_hash, write_kiosk_config, write_kiosk_model


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kiosk-models")
    write_kiosk_model(folder)
    return folder


@pytest.fixture(autouse=True)
def no_bundle(monkeypatch, tmp_path):
    """No bundled models or configuration unless a test puts some there; the data folder is the test's."""
    monkeypatch.setenv(ENV_OVERRIDE, str(tmp_path / "bundled-models"))
    monkeypatch.setenv("MOESCOPE_DATA_DIR", str(tmp_path / "data"))


def refused(path: Path, models: Path) -> KioskConfigError:
    with pytest.raises(KioskConfigError) as caught:
        load_config(path, models)
    return caught.value


def test_a_valid_file_is_read_in_full(tmp_path, models):
    path = write_kiosk_config(tmp_path / "kiosk.toml", "kiosk-moe.gguf")
    config = load_config(path, models)
    assert config.model == models / "kiosk-moe.gguf"
    assert config.language == "de" and config.welcome == "Fragen Sie das Modell etwas!"
    assert config.examples == ("Was ist ein Mixture-of-Experts-Modell?", "Schreib ein Haiku über Bienen.",
                               "Erkläre Photosynthese in zwei Sätzen.")
    assert (config.idle_timeout, config.countdown, config.max_answer_tokens) == (90, 15, 200)
    assert config.pin_hash == pin_hash()
    assert (config.show_experts, config.experts_view, config.second_screen) == (True, "heatmap", False)
    assert (config.memory_limit_mb, config.stall_seconds) == (3072, 60)


def test_left_out_keys_take_their_defaults(tmp_path, models):
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\nmodel = "kiosk-moe.gguf"\nexamples = ["a", "b", "c"]\npin_hash = "{pin_hash()}"\n',
                    encoding="utf-8")
    config = load_config(path, models)
    assert config.language == "de" and config.welcome is None
    assert (config.idle_timeout, config.countdown, config.max_answer_tokens) == (90, 15, 200)
    assert (config.show_experts, config.experts_view, config.second_screen) == (True, "heatmap", False)
    assert (config.memory_limit_mb, config.stall_seconds) == (3072, 60)


MISTAKES = [
    # (a line of the example, what it becomes, the line then to blame, what the message says)
    ("idle_timeout = 90", 'idle_timeout = "abc"', "idle_timeout",
     '"idle_timeout" must be a number of seconds from 20 to 3600, not "abc".'),
    ("idle_timeout = 90", "idle_timeout = 5", "idle_timeout",
     '"idle_timeout" must be a number of seconds from 20 to 3600, not 5.'),
    ("countdown = 15", "countdown = 15.5", "countdown",
     '"countdown" must be a number of seconds from 5 to 120, not 15.5.'),
    ("max_answer_tokens = 200", "max_answer_tokens = 4096", "max_answer_tokens",
     '"max_answer_tokens" must be a number of tokens from 16 to 2048, not 4096.'),
    ('language = "de"', 'language = "fr"', "language", '"language" must be "de" or "en", not "fr".'),
    ('view = "heatmap"', 'view = "pie"', "view", '"view" must be "heatmap", "router" or "numbers", not "pie".'),
    ("show = true", 'show = "yes"', "show", '"show" must be true or false, not "yes".'),
    ("second_screen = false", "second_screen = 1", "second_screen", '"second_screen" must be true or false, not 1.'),
    ("memory_limit_mb = 3072", "memory_limit_mb = 100", "memory_limit_mb",
     '"memory_limit_mb" must be a number of megabytes from 256 to 65536, not 100.'),
    ("stall_seconds = 60", "stall_seconds = true", "stall_seconds",
     '"stall_seconds" must be a number of seconds from 5 to 600, not true.'),
    ("idle_timeout = 90", "idel_timeout = 90", "idel_timeout",
     'unknown key "idel_timeout" in [kiosk]. Did you mean "idle_timeout"?'),
    ("stall_seconds = 60", "watchdog = 60", "watchdog",
     'unknown key "watchdog" in [kiosk.engine]. [kiosk.engine] knows: memory_limit_mb, stall_seconds.'),
    ("[kiosk.engine]", "[kiosk.sound]", "[kiosk.sound]", "unknown section [kiosk.sound]."),
    ("[kiosk.engine]", "[display]", "[display]", "unknown section [display]; the file has one section, [kiosk]"),
    ("[kiosk.engine]", "[kiosk.engine]\n[kiosk.engine.limits]", "[kiosk.engine.limits]",
     "unknown section [kiosk.engine.limits]."),
    ("# A kiosk for the open day", 'model = "kiosk-moe.gguf"', "model",
     '"model" belongs in the [kiosk] section.'),
    ('welcome = "Fragen Sie das Modell etwas!"', 'welcome = ""', "welcome",
     '"welcome" must be a text of 1 to 500 characters, not "".'),
    ('welcome = "Fragen Sie das Modell etwas!"', f'welcome = "{"x" * 501}"', "welcome",
     '"welcome" must be a text of 1 to 500 characters, not 501 characters.'),
    ('    "Schreib ein Haiku über Bienen.",\n', "", "examples",
     '"examples" must hold 3 to 6 examples, not 2.'),
    ('    "Schreib ein Haiku über Bienen.",', f'    "{"y" * 201}",', "examples",
     'example 2 in "examples" must be a text of 1 to 200 characters, not 201 characters.'),
    ('    "Schreib ein Haiku über Bienen.",', "    42,", "examples",
     'example 2 in "examples" must be a text of 1 to 200 characters, not 42.'),
    ('pin_hash = "', 'pin_hash = "1234"\n# "', "pin_hash",
     '"pin_hash" must be a PIN hash made by "moescope kiosk-pin", not "1234".'),
    ('pin_hash = "', '# pin_hash = "', "[kiosk]", '"pin_hash" is missing: make one with "moescope kiosk-pin".'),
    ('model = "kiosk-moe.gguf"', "model = 42", "model", '"model" must be a file name or path in quotes, not 42.'),
    ('model = "kiosk-moe.gguf"', 'model = "elsewhere.gguf"', "model",
     '"model": there is no file "elsewhere.gguf" in the models folder ('),
    ('model = "kiosk-moe.gguf"', "", "[kiosk]", '"model" is missing: the model\'s file name in the models folder'),
    ("countdown = 15", "countdown = ", "countdown", "not valid TOML: Invalid value (column 13)."),
    ("countdown = 15", "countdown = 15\ncountdown = 16", "countdown = 16", "not valid TOML: Cannot overwrite a value"),
]


@pytest.mark.parametrize(("old", "new", "blamed", "message"), MISTAKES, ids=[m[1][:28] or m[0][:28] for m in MISTAKES])
def test_every_kind_of_mistake_is_refused_with_its_line(tmp_path, models, old, new, blamed, message):
    text = kiosk_toml("kiosk-moe.gguf", replace={old: new})
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    error = refused(path, models)
    line = next(number for number, row in enumerate(text.splitlines(), start=1) if row.startswith(blamed))
    assert (error.line, error.message[:len(message)]) == (line, message), str(error)
    assert str(error) == f"{path}, line {line}: {error.message}"


def test_a_dotted_key_and_an_inline_section_are_found_on_their_lines(tmp_path, models):
    base = kiosk_toml("kiosk-moe.gguf").split("[kiosk.experts]")[0]
    path = tmp_path / "kiosk.toml"
    path.write_text(base + 'experts.view = "pie"\n', encoding="utf-8")
    assert refused(path, models).line == base.count("\n") + 1
    path.write_text(base + "engine = { memory_limit_mb = 3072, stall_seconds = 1 }\n", encoding="utf-8")
    error = refused(path, models)
    assert error.line == base.count("\n") + 1 and error.message.startswith('"stall_seconds" must be')


def test_a_missing_file_a_folder_and_non_utf8_text_are_refused_in_words(tmp_path, models):
    missing = refused(tmp_path / "nowhere.toml", models)
    assert missing.line is None and str(missing) == f"{tmp_path / 'nowhere.toml'}: there is no such file."
    assert "a folder" in str(refused(tmp_path, models))
    path = tmp_path / "latin1.toml"
    path.write_bytes(kiosk_toml("kiosk-moe.gguf").encode("latin-1"))  # "über" on line 8
    error = refused(path, models)
    assert (error.line, error.message) == (8, "the file must be UTF-8 text.")
    path.write_text("", encoding="utf-8")
    assert refused(path, models).message == "there is no [kiosk] section."


def test_a_model_by_name_is_found_in_the_models_folder_then_among_the_bundled_models(tmp_path, models):
    path = write_kiosk_config(tmp_path / "kiosk.toml", "kiosk-moe.gguf")
    assert load_config(path, models).model == models / "kiosk-moe.gguf"
    bundled = write_kiosk_model(tmp_path / "bundled-models")  # the autouse fixture's bundle folder
    assert load_config(path, tmp_path / "empty-models").model == bundled
    assert load_config(path, models).model == models / "kiosk-moe.gguf"  # the models folder comes first


def test_a_model_by_full_path_is_used_as_it_is(tmp_path, models):
    path = write_kiosk_config(tmp_path / "kiosk.toml", models / "kiosk-moe.gguf")
    assert load_config(path, tmp_path / "other").model == models / "kiosk-moe.gguf"
    write_kiosk_config(path, tmp_path / "gone.gguf")
    assert refused(path, models).message == f'"model": there is no file {tmp_path / "gone.gguf"}.'


@pytest.mark.parametrize(("count", "valid"), [(2, False), (3, True), (6, True), (7, False)])
def test_three_to_six_examples(tmp_path, models, count, valid):
    examples = ", ".join(f'"Frage {number}"' for number in range(count))
    before, rest = kiosk_toml("kiosk-moe.gguf").split("examples = [")
    text = f"{before}examples = [{examples}]{rest.split(chr(10) + ']', 1)[1]}"
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    if valid:
        assert len(load_config(path, models).examples) == count
    else:
        assert refused(path, models).message == f'"examples" must hold 3 to 6 examples, not {count}.'


def test_dump_config_reads_back_into_the_same_configuration(tmp_path, models):
    original = load_config(write_kiosk_config(tmp_path / "kiosk.toml", "kiosk-moe.gguf"), models)
    tricky = replace(
        original,
        language="en", welcome=None, idle_timeout=20, countdown=120, max_answer_tokens=2048,
        examples=('Say "hello"', "C:\\Users\\kiosk\\path", "two\nlines\tand a tab", "emoji 🐝 and \x7f", "ß" * 200),
        show_experts=False, experts_view="numbers", second_screen=True, memory_limit_mb=65536, stall_seconds=5,
    )
    for config in (original, tricky):
        path = tmp_path / "saved.toml"
        path.write_text(dump_config(config), encoding="utf-8")
        assert load_config(path, tmp_path / "elsewhere") == config


def test_the_configuration_an_offline_bundle_carries(tmp_path, models):
    shipped = [write_kiosk_model(tmp_path / "build-a", "first.gguf"), write_kiosk_model(tmp_path / "build-b")]
    path = write_kiosk_config(tmp_path / "event.toml", "kiosk-moe.gguf")
    assert check_bundle(path, shipped).model == shipped[1]
    with pytest.raises(KioskConfigError, match="line 3: \"model\" must be the file name of a bundled model "
                                               r"\(bundled: first.gguf, kiosk-moe.gguf\), not \"/"):
        check_bundle(write_kiosk_config(path, models / "kiosk-moe.gguf"), shipped)
    with pytest.raises(KioskConfigError, match=r"bundled: none"):
        check_bundle(write_kiosk_config(path, "kiosk-moe.gguf"), [])
    with pytest.raises(KioskConfigError, match="idle_timeout"):
        check_bundle(write_kiosk_config(path, "first.gguf", replace={"= 90": "= 9"}), shipped)


def test_which_configuration_the_kiosk_starts_with(tmp_path):
    assert bundled_config() is None and startup_config_path() is None
    bundled = tmp_path / "bundled-models" / "kiosk.toml"
    bundled.parent.mkdir()
    bundled.write_text("[kiosk]\n", encoding="utf-8")
    assert bundled_config() == bundled and startup_config_path() == bundled
    saved = default_config_path()
    assert saved == tmp_path / "data" / "kiosk.toml"
    saved.parent.mkdir()
    saved.write_text("[kiosk]\n", encoding="utf-8")
    assert startup_config_path() == saved  # what the administrator saved wins over the read-only bundle


def test_the_limits_are_the_documented_ones():
    documented = (Path(__file__).resolve().parents[2] / "docs" / "kiosk.md").read_text(encoding="utf-8")
    for key, limits in kiosk_config.RANGES.items():
        assert f"`{key}` | {limits.low} – {limits.high} {limits.unit} | {limits.default} |" in documented, key
