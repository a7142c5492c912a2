"""``moescope kiosk-pin`` and ``moescope kiosk-check``, and the configuration ``moescope --kiosk`` starts
with (the window itself is app.kiosk_gui, started by app.main). docs/kiosk.md is the administrator's
guide."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.core.kiosk.config import (
    KioskConfig,
    KioskConfigError,
    default_config_path,
    documents_problem,
    load_config,
    startup_config_path,
)
from app.core.kiosk.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS, hash_pin, is_valid_pin
from app.core.paths import documents_db, models_dir


def load_for_kiosk(named: str | None, folder: Path) -> KioskConfig | None:
    """The configuration to start the kiosk with: ``named``, else the saved one, else the bundled one.
    None, with the reason on stderr, when there is none or it has a mistake."""
    path = Path(named) if named else startup_config_path()
    if path is None:
        print(f"No kiosk configuration: {default_config_path()} does not exist and this installation bundles "
              "none. Name one (moescope --kiosk FILE); docs/kiosk.md shows one, and `moescope kiosk-pin` makes "
              "the PIN hash it needs.", file=sys.stderr)
        return None
    try:
        return load_config(path, folder)
    except KioskConfigError as exc:
        print(exc, file=sys.stderr)
        return None


def run_kiosk_check(args: argparse.Namespace) -> int:
    """0 and "OK" for a configuration the kiosk can start with; 2 and the mistake, with its line. 1 when
    the kiosk can start but lacks the document collection it names (it then answers no question): "OK"
    for the file, and on stderr what is missing."""
    folder = args.check_models_dir or args.models_dir or models_dir()
    config = load_for_kiosk(args.config, folder)
    if config is None:
        return 2
    path = args.config or startup_config_path()
    documents = "" if config.documents is None else f", documents {config.documents!r}"
    print(f"OK: {path} (model {config.model}, language {config.language}, {len(config.examples)} examples"
          f"{documents})")
    problem = documents_problem(config, documents_db())
    if problem is not None:
        print(f"Missing: {problem}\nThe kiosk starts, but answers no question until the collection is there.",
              file=sys.stderr)
        return 1
    return 0


def run_kiosk_pin() -> int:
    """Ask for a PIN twice (not shown) and print the ``pin_hash = "..."`` line for the configuration."""
    try:
        pin = getpass.getpass(f"Administrator PIN for the kiosk ({PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits): ")
        if not is_valid_pin(pin):
            print(f"A PIN is {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits (0-9); nothing was made.", file=sys.stderr)
            return 2
        again = getpass.getpass("The same PIN again: ")
    except (EOFError, KeyboardInterrupt):
        print("\nNo PIN given; nothing was made.", file=sys.stderr)
        return 2
    if again != pin:
        print("The two PINs differ; nothing was made.", file=sys.stderr)
        return 2
    print(f'pin_hash = "{hash_pin(pin)}"')
    print("Put this line into the [kiosk] section of the kiosk configuration.", file=sys.stderr)
    return 0
