"""Connection profiles for company servers, which one is in use, and their API keys.

A ServerProfile says where a server is (base URL), which model to ask for, what kind of server it is
(FLAVOURS), how to check its certificate and, optionally, where the model's ``config.json`` is (the
layout that routing needs, app.core.remote.layout). The ProfileStore keeps the user's profiles and the
active one in ``servers.json`` in the data folder; an offline bundle may carry pre-set profiles in its
own ``servers.json`` (app.core.models.bundle), which are merged in read-only. API keys are kept in the
operating system's keyring only, never in a file; where there is no keyring they are kept for the
session (``keys_persistent`` False, ``keys_problem`` says why), as the Hugging Face token is
(app.core.hub.token_store).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

import keyring
from keyring.backend import KeyringBackend

from app.core import paths
from app.core.hub.token_store import SERVICE, _usable
from app.core.models.bundle import bundled_servers_file

log = logging.getLogger(__name__)

SGLANG = "sglang"
VLLM = "vllm"
OPENAI = "openai"
FLAVOURS = (SGLANG, VLLM, OPENAI)
"""What kind of server a profile names: SGLang and vLLM report routed experts (when started with
``--enable-return-routed-experts``); any other OpenAI-compatible server chats without routing."""

STORE_NAME = "servers.json"
STORE_VERSION = 1
_KEY_USER = "server:{name}"


class ProfileError(ValueError):
    """A profile that cannot be kept or used; the message says why, in English."""


@dataclass(frozen=True)
class ServerProfile:
    """One company server.

    Attributes:
        name: what the user calls it (unique among the profiles).
        base_url: ``https://host[:port]``, with or without a trailing ``/v1``.
        model: the model name the server knows (as its ``/v1/models`` lists it).
        flavour: one of FLAVOURS.
        verify_tls: check the server's certificate (on unless an administrator turns it off).
        ca_bundle: a PEM file of the company's certificate authority, or None for the system's.
        config_path: the model's Hugging Face ``config.json``, or None.
    """

    name: str
    base_url: str
    model: str
    flavour: str
    verify_tls: bool = True
    ca_bundle: str | None = None
    config_path: str | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.base_url.strip()).hostname or ""

    def check(self) -> None:
        """Raise ProfileError when a field cannot work."""
        if not self.name.strip():
            raise ProfileError("The profile has no name.")
        parts = urlsplit(self.base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ProfileError(f"The base URL {self.base_url!r} is not an http:// or https:// address.")
        if not self.model.strip():
            raise ProfileError("The profile names no model.")
        if self.flavour not in FLAVOURS:
            raise ProfileError(f"Unknown server kind {self.flavour!r}; one of {', '.join(FLAVOURS)}.")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object, folder: Path | None = None) -> ServerProfile:
        """The profile in ``data`` (checked); relative file paths are taken from ``folder``."""
        if not isinstance(data, dict):
            raise ProfileError("A profile is not a JSON object.")
        known = {item.name for item in fields(cls)}
        try:
            profile = cls(**{key: value for key, value in data.items() if key in known})
        except TypeError as exc:
            raise ProfileError(f"A profile lacks a field: {exc}") from exc
        for key in ("name", "base_url", "model", "flavour"):
            if not isinstance(getattr(profile, key), str):
                raise ProfileError(f"The profile's {key} is not text.")
        profile.check()
        if folder is not None:
            resolved = {key: str(folder / value) for key in ("ca_bundle", "config_path")
                        if isinstance(value := getattr(profile, key), str) and not Path(value).is_absolute()}
            profile = cls(**{**profile.to_dict(), **resolved})
        return profile


class ProfileStore:
    """The user's profiles and the bundled ones, the active profile, and the API keys.

    Attributes:
        path: the user's ``servers.json``.
        keys_persistent: whether API keys are kept in the keyring (False: for this session only).
        keys_problem: why they are not, in English ("" while they are).
    """

    def __init__(self, path: Path | None = None, bundled: Path | None = None,
                 backend: KeyringBackend | None = None) -> None:
        self.path = Path(path) if path is not None else paths.data_dir() / STORE_NAME
        self._bundled = Path(bundled) if bundled is not None else bundled_servers_file()
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._session_keys: dict[str, str] = {}
        self.keys_problem = ""
        if not _usable(self._backend):
            self._keys_fall_back("no keyring is available on this computer")

    @property
    def keys_persistent(self) -> bool:
        return not self.keys_problem

    # profiles -------------------------------------------------------------------------------------

    def profiles(self) -> list[ServerProfile]:
        """The bundled profiles, then the user's, each name once (a bundled one wins)."""
        presets = self._presets()
        names = {profile.name for profile in presets}
        return presets + [profile for profile in self._own() if profile.name not in names]

    def is_preset(self, name: str) -> bool:
        """Whether ``name`` is a profile of the offline bundle (read-only)."""
        return any(profile.name == name for profile in self._presets())

    def profile(self, name: str) -> ServerProfile | None:
        return next((profile for profile in self.profiles() if profile.name == name), None)

    def save(self, profile: ServerProfile) -> None:
        """Add ``profile``, or replace the user's profile of that name. ProfileError for a bad profile or
        the name of a pre-set one."""
        profile.check()
        if self.is_preset(profile.name):
            raise ProfileError(f"The profile {profile.name!r} was set up by the administrator and cannot be changed.")
        own = [item for item in self._own() if item.name != profile.name]
        self._write([*own, profile], self._data().get("active"))

    def remove(self, name: str) -> None:
        """Remove the user's profile ``name`` and its API key (and stop using it, if it was active)."""
        if self.is_preset(name):
            raise ProfileError(f"The profile {name!r} was set up by the administrator and cannot be removed.")
        active = self._data().get("active")
        self._write([item for item in self._own() if item.name != name], None if active == name else active)
        self.set_api_key(name, None)

    def active(self) -> ServerProfile | None:
        """The profile in use, or None: MoEscope answers on this computer."""
        name = self._data().get("active")
        return self.profile(name) if isinstance(name, str) else None

    def set_active(self, name: str | None) -> None:
        """Use profile ``name`` from now on (None: this computer). ProfileError for an unknown name."""
        if name is not None and self.profile(name) is None:
            raise ProfileError(f"There is no profile {name!r}.")
        self._write(self._own(), name)

    def _presets(self) -> list[ServerProfile]:
        return _read_profiles(self._bundled, "bundled")

    def _own(self) -> list[ServerProfile]:
        return _read_profiles(self.path, "user's")

    def _data(self) -> dict:
        return _read_json(self.path)

    def _write(self, profiles: list[ServerProfile], active: str | None) -> None:
        data = {"version": STORE_VERSION, "profiles": [profile.to_dict() for profile in profiles], "active": active}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)

    # API keys -------------------------------------------------------------------------------------

    def api_key(self, name: str) -> str | None:
        """The API key of profile ``name``, or None."""
        if not self.keys_persistent:
            return self._session_keys.get(name)
        try:
            return self._backend.get_password(SERVICE, _KEY_USER.format(name=name)) or None
        except Exception as exc:  # keyring errors, D-Bus failures: never fatal, never with the key
            self._keys_fall_back(f"the keyring could not be read ({type(exc).__name__})")
            return self._session_keys.get(name)

    def set_api_key(self, name: str, key: str | None) -> None:
        """Store, replace or (None or empty) remove the API key of profile ``name``."""
        key = (key or "").strip()
        self._session_keys.pop(name, None)
        if self.keys_persistent:
            user = _KEY_USER.format(name=name)
            try:
                if key:
                    self._backend.set_password(SERVICE, user, key)
                elif self._backend.get_password(SERVICE, user) is not None:
                    self._backend.delete_password(SERVICE, user)
                return
            except Exception as exc:
                self._keys_fall_back(f"the keyring refused it ({type(exc).__name__})")
        if key:
            self._session_keys[name] = key

    def _keys_fall_back(self, why: str) -> None:
        self.keys_problem = (f"API keys of company servers cannot be stored safely: {why}. "
                             "They are kept only until MoEscope closes.")
        log.info("%s", self.keys_problem)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s cannot be read: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def _read_profiles(path: Path | None, whose: str) -> list[ServerProfile]:
    """The valid profiles in ``path`` (a broken one is logged and left out)."""
    if path is None:
        return []
    profiles = []
    for item in _read_json(path).get("profiles") or []:
        try:
            profiles.append(ServerProfile.from_dict(item, path.parent))
        except ProfileError as exc:
            log.warning("a %s server profile in %s is left out: %s", whose, path, exc)
    return profiles
