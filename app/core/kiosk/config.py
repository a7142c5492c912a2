"""The kiosk configuration file (TOML): read and checked at start, written back by the admin settings.

Every mistake stops the start with one English sentence that names the file and the line, for
example ``kiosk.toml, line 7: "idle_timeout" must be a number of seconds from 20 to 3600, not "abc".``
tomllib reports syntax errors with their line; for a wrong key or value the line is found by
scanning the text for the key inside its section. docs/kiosk.md lists every key.

``documents`` names the one document collection (app.core.documents) the kiosk answers from; without
it the kiosk has no documents at all. Whether that collection exists is not a mistake of the file: the
kiosk starts without it, and ``documents_problem`` says what is missing (for ``moescope kiosk-check``).

Which file a kiosk starts with, when none is named: the one the administrator saved
(``default_config_path()``, in the data folder), else the one an offline bundle carries beside its
models (``bundled_config()``, read-only inside the installed program).
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from app.core.documents.store import DocumentIndex, DocumentIndexError
from app.core.kiosk.pin import is_pin_hash
from app.core.models.bundle import KIOSK_CONFIG_NAME, bundled_models_dir
from app.core.models.gguf import GGUFError, inspect_gguf
from app.core.paths import data_dir

LANGUAGES = ("de", "en")
EXPERT_VIEWS = ("heatmap", "router", "numbers")
EXAMPLES_MIN, EXAMPLES_MAX = 3, 6
EXAMPLE_MAX_CHARS = 200
WELCOME_MAX_CHARS = 500
COLLECTION_MAX_CHARS = 200
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Range:
    """A whole-number setting: its bounds (inclusive), its default and what it counts."""

    low: int
    high: int
    default: int
    unit: str


RANGES = {
    "idle_timeout": Range(20, 3600, 90, "seconds"),
    "countdown": Range(5, 120, 15, "seconds"),
    "max_answer_tokens": Range(16, 2048, 200, "tokens"),
    "memory_limit_mb": Range(256, 65536, 3072, "megabytes"),
    "stall_seconds": Range(5, 600, 60, "seconds"),
}

# The sections and their keys, in the order dump_config writes them.
SECTIONS = {
    "kiosk": ("model", "language", "welcome", "examples", "documents", "idle_timeout", "countdown",
              "max_answer_tokens", "pin_hash"),
    "kiosk.experts": ("show", "view", "second_screen"),
    "kiosk.engine": ("memory_limit_mb", "stall_seconds"),
}


@dataclass(frozen=True)
class KioskConfig:
    model: Path
    language: str
    welcome: str | None
    examples: tuple[str, ...]
    idle_timeout: int
    countdown: int
    max_answer_tokens: int
    pin_hash: str
    show_experts: bool
    experts_view: str
    second_screen: bool
    memory_limit_mb: int
    stall_seconds: int
    documents: str | None = None
    """The name of the document collection the kiosk answers from; None: no documents."""


class KioskConfigError(ValueError):
    """A configuration that cannot be used: ``str()`` is ``FILE, line N: sentence.`` (``FILE: sentence.``
    where no line is to blame, such as a missing file)."""

    def __init__(self, line: int | None, message: str, path: Path | None = None) -> None:
        self.line = line
        self.message = message
        self.path = path
        where = str(path) if path is not None else "kiosk configuration"
        super().__init__(f"{where}, line {line}: {message}" if line is not None else f"{where}: {message}")


def default_config_path() -> Path:
    """Where the administrator's configuration is kept (the settings dialog saves it there)."""
    return data_dir() / KIOSK_CONFIG_NAME


def bundled_config() -> Path | None:
    """The configuration an offline bundle carries beside its models (MOESCOPE_BUNDLE_KIOSK), if any."""
    path = bundled_models_dir() / KIOSK_CONFIG_NAME
    return path if path.is_file() else None


def startup_config_path() -> Path | None:
    """The file ``moescope --kiosk`` uses without one named: the saved one, else the bundled one."""
    saved = default_config_path()
    return saved if saved.is_file() else bundled_config()


def load_config(path: Path, models_dir: Path) -> KioskConfig:
    """Read and check ``path``; a ``model`` given by name is looked up in ``models_dir``, then among the
    bundled models. Raises KioskConfigError."""
    return _build(_Document.read(Path(path)), models_dir)


def check_bundle(path: Path, models: Sequence[Path]) -> KioskConfig:
    """For an offline bundle (build.spec): ``path`` is valid and its ``model`` is the file name of one of
    ``models``, the files the bundle ships, so that the installed kiosk finds it."""
    document = _Document.read(Path(path))
    shipped = {model.name: model for model in models}
    model = document.sections["kiosk"].get("model")
    if isinstance(model, str) and model not in shipped:
        names = ", ".join(sorted(shipped)) or "none: set MOESCOPE_BUNDLE_MODEL"
        document.fail(("kiosk", "model"), f'"model" must be the file name of a bundled model (bundled: {names}), '
                                          f"not {_shown(model)}.")
    folder = shipped[model].parent if isinstance(model, str) else Path()
    return _build(document, folder)


def documents_problem(config: KioskConfig, index_path: Path) -> str | None:
    """Why the kiosk cannot answer from the collection ``config.documents`` in the document index at
    ``index_path``, in English (a sentence, and for a missing collection a second line with the command that
    makes it); None when it can, or when no collection is named. No file is made where there is none."""
    name = config.documents
    if name is None:
        return None
    make = f"\nMake it with: moescope docs index --collection {_toml_value(name)} FOLDER"
    if not index_path.is_file():
        return (f"the document collection {_toml_value(name)} does not exist: there is no document index yet "
                f"({index_path}).{make}")
    try:
        with DocumentIndex(index_path) as index:
            names = [collection.name for collection in index.collections()]
    except (DocumentIndexError, sqlite3.Error, OSError) as exc:
        return f"the document index {index_path} cannot be read: {exc}."
    if name not in names:
        known = ", ".join(_toml_value(each) for each in names) or "none"
        return f"the document collection {_toml_value(name)} does not exist in {index_path} (it has: {known}).{make}"
    return None


def dump_config(config: KioskConfig) -> str:
    """The configuration as TOML text that load_config reads back into the same KioskConfig."""
    values = {
        "model": str(config.model), "language": config.language, "welcome": config.welcome,
        "examples": list(config.examples), "documents": config.documents, "idle_timeout": config.idle_timeout, "countdown": config.countdown,
        "max_answer_tokens": config.max_answer_tokens, "pin_hash": config.pin_hash,
        "show": config.show_experts, "view": config.experts_view, "second_screen": config.second_screen,
        "memory_limit_mb": config.memory_limit_mb, "stall_seconds": config.stall_seconds,
    }
    lines = ["# MoEscope kiosk: moescope --kiosk FILE; check it with: moescope kiosk-check FILE (docs/kiosk.md)"]
    for section, keys in SECTIONS.items():
        lines += ["", f"[{section}]"]
        for key in keys:
            value = values[key]
            if value is None:
                continue
            if isinstance(value, list):
                lines += [f"{key} = ["] + [f"    {_toml_value(item)}," for item in value] + ["]"]
            else:
                lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


# --- Reading and line finding ----------------------------------------------------------------------


_HEADER = re.compile(r"^\s*\[(?!\[)(.*?)\]\s*(#.*)?$")
_KEY_PART = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)"
                       r"\s*=")
_NAME = re.compile(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)")
_SYNTAX_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _dotted(text: str) -> tuple[str, ...]:
    return tuple(next(group for group in match.groups() if group is not None) for match in _NAME.finditer(text))


class _Document:
    """A configuration file's text and parsed values, and where in the text a key stands."""

    def __init__(self, path: Path, text: str, data: dict) -> None:
        self.path = path
        self.data = data
        self._places: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                table = _dotted(header.group(1))
                self._places.setdefault(table, number)
                continue
            key = _KEY_PART.match(line)
            if key:
                self._places.setdefault(table + _dotted(key.group(1)), number)
        kiosk = data.get("kiosk")
        kiosk = kiosk if isinstance(kiosk, dict) else {}
        self.sections = {"kiosk": kiosk}
        for name in ("experts", "engine"):
            section = kiosk.get(name, {})
            self.sections[f"kiosk.{name}"] = section if isinstance(section, dict) else {}

    @classmethod
    def read(cls, path: Path) -> _Document:
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise KioskConfigError(None, "there is no such file.", path) from None
        except IsADirectoryError:
            raise KioskConfigError(None, "this is a folder, not a configuration file.", path) from None
        except OSError as exc:
            raise KioskConfigError(None, f"the file cannot be read ({exc.strerror or exc}).", path) from None
        if len(raw) > MAX_FILE_BYTES:
            raise KioskConfigError(None, "this is not a kiosk configuration (larger than 1 MB).", path)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            raise KioskConfigError(line, "the file must be UTF-8 text.", path) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc).split("\n", 1)[0]
            at = _SYNTAX_AT.search(message)
            line = int(at.group(1)) if at else None
            if at:
                message = f"{message[:at.start()]} (column {at.group(2)})"
            raise KioskConfigError(line, f"not valid TOML: {message}.", path) from None
        document = cls(path, text, data)
        document.check_layout()
        return document

    def line(self, place: tuple[str, ...]) -> int | None:
        """The line of a key or section (``("kiosk", "idle_timeout")``), else of the nearest one around it."""
        while place:
            if place in self._places:
                return self._places[place]
            place = place[:-1]
        return None

    def fail(self, place: tuple[str, ...], message: str) -> NoReturn:
        raise KioskConfigError(self.line(tuple(part for name in place for part in name.split("."))), message,
                               self.path)

    def check_layout(self) -> None:
        """Only [kiosk], [kiosk.experts] and [kiosk.engine], with only their keys."""
        for key, value in self.data.items():
            if key == "kiosk" and isinstance(value, dict):
                continue
            if key == "kiosk":
                self.fail(("kiosk",), '"kiosk" must be the section [kiosk].')
            if isinstance(value, dict):
                self.fail((key,), f"unknown section [{key}]; the file has one section, [kiosk] "
                                  "(with [kiosk.experts] and [kiosk.engine]).")
            self.fail((key,), f'"{key}" belongs in the [kiosk] section.')
        if "kiosk" not in self.data:
            raise KioskConfigError(None, "there is no [kiosk] section.", self.path)
        for section, keys in SECTIONS.items():
            values = self.data["kiosk"] if section == "kiosk" else self.data["kiosk"].get(section[6:], {})
            if not isinstance(values, dict):
                self.fail((section,), f'"{section[6:]}" must be the section [{section}].')
            for key, value in values.items():
                if key in keys or f"{section}.{key}" in SECTIONS:
                    continue
                if isinstance(value, dict):
                    self.fail((section, key), f"unknown section [{section}.{key}].")
                hint = difflib.get_close_matches(key, keys, n=1)
                also = f' Did you mean "{hint[0]}"?' if hint else f" [{section}] knows: {', '.join(keys)}."
                self.fail((section, key), f'unknown key "{key}" in [{section}].{also}')


# --- Values ----------------------------------------------------------------------------------------


def _toml_value(value: object) -> str:
    """One TOML value (strings as basic strings; JSON's escapes are TOML's, DEL aside)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return repr(value)  # int or float: Python writes them as TOML does


def _shown(value: object) -> str:
    """A value as the file wrote it, cut to a length that fits a message."""
    text = _toml_value(value) if isinstance(value, (bool, str, int, float, list)) else "a section"
    return text if len(text) <= 40 else text[:37] + "..."


def _build(document: _Document, models_dir: Path) -> KioskConfig:
    kiosk = document.sections["kiosk"]
    return KioskConfig(
        model=_model(document, kiosk.get("model"), models_dir),
        language=_choice(document, "kiosk", "language", LANGUAGES, "de"),
        welcome=_welcome(document, kiosk.get("welcome")),
        examples=_examples(document, kiosk.get("examples")),
        documents=_documents(document, kiosk.get("documents")),
        idle_timeout=_whole(document, "kiosk", "idle_timeout"),
        countdown=_whole(document, "kiosk", "countdown"),
        max_answer_tokens=_whole(document, "kiosk", "max_answer_tokens"),
        pin_hash=_pin_hash(document, kiosk.get("pin_hash")),
        show_experts=_flag(document, "kiosk.experts", "show", True),
        experts_view=_choice(document, "kiosk.experts", "view", EXPERT_VIEWS, "heatmap"),
        second_screen=_flag(document, "kiosk.experts", "second_screen", False),
        memory_limit_mb=_whole(document, "kiosk.engine", "memory_limit_mb"),
        stall_seconds=_whole(document, "kiosk.engine", "stall_seconds"),
    )


def _model(document: _Document, value: object, models_dir: Path) -> Path:
    place = ("kiosk", "model")
    if value is None:
        document.fail(("kiosk",), '"model" is missing: the model\'s file name in the models folder, '
                                  "or its full path.")
    if not isinstance(value, str) or not value.strip():
        document.fail(place, f'"model" must be a file name or path in quotes, not {_shown(value)}.')
    given = Path(value).expanduser()
    if given.is_absolute():
        path = given
        if not path.is_file():
            document.fail(place, f'"model": there is no file {path}.')
    else:
        candidates = [models_dir / given, bundled_models_dir() / given]
        path = next((candidate for candidate in candidates if candidate.is_file()), None)
        if path is None:
            document.fail(place, f'"model": there is no file {_shown(value)} in the models folder ({models_dir}) '
                                 "or among the bundled models.")
    try:
        inspect_gguf(path)
    except GGUFError as exc:
        document.fail(place, f'"model" cannot be used: {str(exc).rstrip(".")}.')
    return path.absolute()


def _whole(document: _Document, section: str, key: str) -> int:
    limits = RANGES[key]
    value = document.sections[section].get(key, limits.default)
    if type(value) is not int or not limits.low <= value <= limits.high:
        document.fail((section, key), f'"{key}" must be a number of {limits.unit} from {limits.low} to '
                                      f"{limits.high}, not {_shown(value)}.")
    return value


def _flag(document: _Document, section: str, key: str, default: bool) -> bool:
    value = document.sections[section].get(key, default)
    if not isinstance(value, bool):
        document.fail((section, key), f'"{key}" must be true or false, not {_shown(value)}.')
    return value


def _choice(document: _Document, section: str, key: str, choices: Sequence[str], default: str) -> str:
    value = document.sections[section].get(key, default)
    if value not in choices or not isinstance(value, str):
        quoted = [f'"{choice}"' for choice in choices]
        listed = f"{', '.join(quoted[:-1])} or {quoted[-1]}"
        document.fail((section, key), f'"{key}" must be {listed}, not {_shown(value)}.')
    return value


def _optional_text(document: _Document, key: str, value: object, max_chars: int, what: str) -> str | None:
    """``[kiosk] key``: absent (None), or a text of 1 to ``max_chars`` characters; ``what`` names it."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_chars:
        shown = f"{len(value)} characters" if isinstance(value, str) and value.strip() else _shown(value)
        document.fail(("kiosk", key), f'"{key}" must be {what} 1 to {max_chars} characters, not {shown}.')
    return value


def _welcome(document: _Document, value: object) -> str | None:
    return _optional_text(document, "welcome", value, WELCOME_MAX_CHARS, "a text of")


def _examples(document: _Document, value: object) -> tuple[str, ...]:
    place = ("kiosk", "examples")
    if value is None:
        document.fail(("kiosk",), f'"examples" is missing: a list of {EXAMPLES_MIN} to {EXAMPLES_MAX} example '
                                  "questions.")
    if not isinstance(value, list):
        document.fail(place, f'"examples" must be a list of {EXAMPLES_MIN} to {EXAMPLES_MAX} texts, '
                             f"not {_shown(value)}.")
    if not EXAMPLES_MIN <= len(value) <= EXAMPLES_MAX:
        document.fail(place, f'"examples" must hold {EXAMPLES_MIN} to {EXAMPLES_MAX} examples, not {len(value)}.')
    for number, example in enumerate(value, start=1):
        if not isinstance(example, str) or not example.strip() or len(example) > EXAMPLE_MAX_CHARS:
            shown = (f"{len(example)} characters" if isinstance(example, str) and example.strip()
                     else _shown(example))
            document.fail(place, f'example {number} in "examples" must be a text of 1 to {EXAMPLE_MAX_CHARS} '
                                 f"characters, not {shown}.")
    return tuple(value)


def _documents(document: _Document, value: object) -> str | None:
    return _optional_text(document, "documents", value, COLLECTION_MAX_CHARS, "the name of a document collection,")


def _pin_hash(document: _Document, value: object) -> str:
    if value is None:
        document.fail(("kiosk",), '"pin_hash" is missing: make one with "moescope kiosk-pin".')
    if not isinstance(value, str) or not is_pin_hash(value):
        document.fail(("kiosk", "pin_hash"), f'"pin_hash" must be a PIN hash made by "moescope kiosk-pin", '
                                             f"not {_shown(value)}.")
    return value
