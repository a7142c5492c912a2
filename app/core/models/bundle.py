"""Models shipped inside an installer (the offline bundle), for kiosks and machines without network.

A build with ``MOESCOPE_BUNDLE_MODEL=/path/model.gguf`` (see ``build.spec`` and ``installer/README.md``)
copies the file into ``resources/bundled-models/`` of the frozen folder. The app finds it there with
``bundled_models()``: the window can start with it, the self-test loads it. In a source checkout the
same folder beside ``app/`` is looked at, so the behaviour can be tried without building.

A build with ``MOESCOPE_BUNDLE_KIOSK=/path/kiosk.toml`` also ships a kiosk configuration there, as
``kiosk.toml`` (``KIOSK_CONFIG_NAME``), checked at build time to name one of the bundled models by its
file name; ``app.core.kiosk.config.bundled_config()`` finds it, and ``moescope`` then starts the kiosk.

A ``servers.json`` there (``SERVERS_NAME``) pre-sets company-server profiles for a roll-out
(app.core.remote.profiles: ``{"profiles": [{"name", "base_url", "model", "flavour", "verify_tls",
"ca_bundle", "config_path"}]}``, file paths relative to the folder); they appear read-only beside the
user's own.

``MOESCOPE_BUNDLED_MODELS_DIR`` names another folder instead (tests, or an administrator who copies a
model next to an existing installation). No Qt here: the CLI and the self-test use it too.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.core.paths import resources_dir

BUNDLED_MODELS_DIR_NAME = "bundled-models"
ENV_OVERRIDE = "MOESCOPE_BUNDLED_MODELS_DIR"
KIOSK_CONFIG_NAME = "kiosk.toml"
SERVERS_NAME = "servers.json"



def bundled_models_dir() -> Path:
    override = os.environ.get(ENV_OVERRIDE)
    if override:
        return Path(override)
    return resources_dir() / BUNDLED_MODELS_DIR_NAME


def bundled_models() -> list[Path]:
    """The GGUF files of the offline bundle, sorted by name; empty when the build carries none."""
    folder = bundled_models_dir()
    try:
        return sorted(path for path in folder.iterdir() if path.suffix.lower() == ".gguf" and path.is_file())
    except OSError:
        return []


def bundled_servers_file() -> Path:
    """Where the offline bundle's pre-set company-server profiles are (the file may not exist)."""
    return bundled_models_dir() / SERVERS_NAME
