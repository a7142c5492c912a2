"""The Hugging Face Hub client's environment while the network policy is installed.

``install_policy`` sets HUB_ENVIRONMENT in ``os.environ`` (telemetry off, no implicit token, no Xet) and
keeps the client offline (HUB_OFFLINE_ENV) while no user-started network action runs; the installed
policy switches it as actions start and end. The engine process inherits the same variables.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

# Set while the policy is installed. Xet transfers run in Rust, outside Python's sockets, where the
# policy could neither check nor limit them; with Xet off the Hub client downloads over plain HTTPS.
HUB_ENVIRONMENT = {
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",
    "HF_HUB_DISABLE_XET": "1",
}
HUB_OFFLINE_ENV = "HF_HUB_OFFLINE"
"""``"1"`` while no user-started network action runs, ``"0"`` while one does."""

# The huggingface_hub reads its environment once, at import; these are the constants it keeps them in.
_HUB_CONSTANTS = {
    "HF_HUB_DISABLE_TELEMETRY": "HF_HUB_DISABLE_TELEMETRY",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "HF_HUB_DISABLE_IMPLICIT_TOKEN",
    "HF_HUB_DISABLE_XET": "HF_HUB_DISABLE_XET",
    HUB_OFFLINE_ENV: "HF_HUB_OFFLINE",
}


def set_hub_offline(offline: bool) -> None:
    """Set HUB_OFFLINE_ENV, and the Hub client's constants from the environment if it is imported."""
    os.environ[HUB_OFFLINE_ENV] = "1" if offline else "0"
    hub = sys.modules.get("huggingface_hub.constants")
    if hub is not None:
        for env, const in _HUB_CONSTANTS.items():
            setattr(hub, const, os.environ.get(env) == "1")


def hub_constants() -> dict[str, object]:
    """The Hub client's constants that ``set_hub_offline`` sets, as they are now; empty when the client
    is not imported."""
    hub = sys.modules.get("huggingface_hub.constants")
    if hub is None:
        return {}
    return {const: getattr(hub, const) for const in _HUB_CONSTANTS.values()}


def restore_hub_constants(saved: Mapping[str, object]) -> None:
    """Put back constants ``hub_constants`` returned, if the Hub client is imported."""
    hub = sys.modules.get("huggingface_hub.constants")
    if hub is not None:
        for const, value in saved.items():
            setattr(hub, const, value)
