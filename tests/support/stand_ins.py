"""Stand-ins the library and fault tests share: a computer of a given size and an in-memory keyring."""

from __future__ import annotations

from keyring.backend import KeyringBackend

from app.core.models.fit import GB, Hardware

PLENTY = 10**13  # free bytes a stand-in disk reports unless a test says otherwise


def computer(total_gb: float, free_gb: float) -> Hardware:
    return Hardware(
        total_ram=int(total_gb * GB),
        available_ram=int(free_gb * GB),
        free_disk=PLENTY,
        models_dir=None,
        cpu_threads=8,
        physical_cores=4,
        cpu_features=(),
        gpu_offload=False,
        system_info="",
    )


LAPTOP = computer(16, 11)


class MemoryKeyring(KeyringBackend):
    """A keyring backend that lives in this test only (in memory)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        del self.passwords[(service, username)]
