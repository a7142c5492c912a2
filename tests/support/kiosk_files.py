"""Kiosk configuration files for tests: a small valid model and a kiosk.toml naming it, with a known PIN.

``kiosk_toml(model)`` is the full example of docs/kiosk.md with the model swapped in; pass
``replace={"idle_timeout = 90": "idle_timeout = 5"}`` to change a line, or ``extra`` to add lines.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from app.core.kiosk.pin import hash_pin
from app.core.models.demo import write_demo_model

PIN = "2468"

TEMPLATE = """\
# A kiosk for the open day
[kiosk]
model = {model}
language = "de"
welcome = "Fragen Sie das Modell etwas!"
examples = [
    "Was ist ein Mixture-of-Experts-Modell?",
    "Schreib ein Haiku über Bienen.",
    "Erkläre Photosynthese in zwei Sätzen.",
]
idle_timeout = 90
countdown = 15
max_answer_tokens = 200
pin_hash = "{pin_hash}"

[kiosk.experts]
show = true
view = "heatmap"
second_screen = false

[kiosk.engine]
memory_limit_mb = 3072
stall_seconds = 60
"""


@cache
def pin_hash() -> str:
    """The hash of PIN, made once per test session (scrypt takes about 50 ms)."""
    return hash_pin(PIN)


def write_kiosk_model(folder: Path, name: str = "kiosk-moe.gguf") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_demo_model(folder / name, arch="qwen3moe", layers=2, experts=4, top_k=2)


def kiosk_toml(model: str | Path, replace: dict[str, str] | None = None, extra: str = "") -> str:
    """The example configuration for ``model`` (a path, or a file name for the models folder)."""
    text = TEMPLATE.format(model=f'"{model}"' if isinstance(model, str) else f'"{model.as_posix()}"',
                           pin_hash=pin_hash())
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    return text + extra


def write_kiosk_config(path: Path, model: str | Path, replace: dict[str, str] | None = None,
                       extra: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(kiosk_toml(model, replace, extra), encoding="utf-8")
    return path
