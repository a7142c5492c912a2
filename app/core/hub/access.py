"""HubAccess: how to reach the Hugging Face Hub (token, endpoint, network scope, timeout); shared by
downloads and search.

Tokens go only to Hub hosts (never to the CDN) and never into a file, a log line or a message. Every
outgoing connection is opened inside ``HubAccess.scope(url)``, so the app's network policy can allow,
show or refuse it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from huggingface_hub import constants
from huggingface_hub.utils import build_hf_headers

from app import __version__
from app.core.hub.errors import HubError

NetworkScope = Callable[[str], AbstractContextManager[Any]]
"""Factory of a context manager wrapped around every outgoing connection; receives the host name."""


@dataclass(frozen=True)
class HubAccess:
    """How to reach the Hub; shared by downloads and search.

    Attributes:
        token: Hugging Face token, or None (never sent to non-Hub hosts; not shown in repr).
        endpoint: Hub base URL; None means huggingface_hub's (the ``HF_ENDPOINT`` environment
            variable, else https://huggingface.co).
        network_scope: optional factory ``network_scope(host)`` of a context manager that every
            connection runs inside (the app's network policy). A PermissionError raised on entering
            it (the policy's refusal) becomes HubError kind "blocked" with its message.
        timeout: seconds to wait for a connection or for the next bytes before treating it as dropped.
    """

    token: str | None = field(default=None, repr=False)
    endpoint: str | None = None
    network_scope: NetworkScope | None = None
    timeout: float = 30.0

    @property
    def base_url(self) -> str:
        return (self.endpoint or constants.ENDPOINT).rstrip("/")

    def on_hub(self, url: str) -> bool:
        """Whether ``url`` is on the Hub's own host (scheme, host and port), not on its CDN."""
        a, b = urlparse(url), urlparse(self.base_url)
        return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)

    @contextlib.contextmanager
    def scope(self, url: str) -> Iterator[None]:
        """Run the block inside ``network_scope(host of url)``, if there is one."""
        if self.network_scope is None:
            yield
            return
        host = urlparse(url).hostname or ""
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(self.network_scope(host))
            except PermissionError as exc:
                raise HubError("blocked", self.scrub(str(exc)) or f"The connection to {host} was refused "
                                                                  "by MoEscope's network policy.") from None
            yield

    def headers(self, url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Request headers; the token only when ``url`` is on the Hub's own host."""
        send_token = self.token if self.on_hub(url) else None
        return build_hf_headers(token=send_token or False, library_name="moescope",
                                library_version=__version__, headers=extra)

    def scrub(self, text: str) -> str:
        """``text`` with the token replaced, for messages built from other libraries' errors."""
        return text.replace(self.token, "<token>") if self.token else text
