"""A company server's errors and abilities in the user's language.

The core (app.core.remote) says what went wrong as one of the protocol's REMOTE_ERROR_KINDS with an
English detail, and what a server can do as Capabilities; here each becomes a plain sentence. The English
detail is shown beside it (the server's own words), never in place of it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.engine import protocol
from app.ui.formatting import format_duration

translate = QCoreApplication.translate


def error_text(kind: str, retry_after: float | None = None) -> str:
    """Why the server could not be used and what to do, for one of REMOTE_ERROR_KINDS."""
    if kind == protocol.UNREACHABLE:
        return translate("RemoteWords", "The server cannot be reached. Check the address, that the server is "
                                        "running, and that this computer is in the company network.")
    if kind == protocol.TLS:
        return translate("RemoteWords", "The secure connection (TLS) to the server failed, so nothing was sent. If "
                                        "your company has its own certificate authority, choose its CA bundle.")
    if kind == protocol.UNAUTHORIZED:
        return translate("RemoteWords", "The server refused the API key, or needs one. Check the key with your "
                                        "administrator.")
    if kind == protocol.MODEL_NOT_FOUND:
        return translate("RemoteWords", "The server does not offer this model. Choose one that the connection "
                                        "test lists.")
    if kind == protocol.RATE_LIMITED and retry_after:
        return translate("RemoteWords", "The server is busy and asks to wait {wait}. Then try again.").format(
            wait=format_duration(retry_after))
    if kind == protocol.RATE_LIMITED:
        return translate("RemoteWords", "The server is busy. Try again in a moment.")
    if kind == protocol.SERVER:
        return translate("RemoteWords", "The server had a problem of its own. Try again later, or tell your "
                                        "administrator.")
    if kind == protocol.MALFORMED:
        return translate("RemoteWords", "The server sent something MoEscope cannot read. Check that the kind of "
                                        "server (SGLang, vLLM or other) is right.")
    if kind == protocol.BLOCKED:
        return translate("RemoteWords", "Offline mode is on: MoEscope connects to no other computer. Turn it off "
                                        "under File › Data locality to use the server.")
    raise ValueError(f"not a company server's error kind: {kind!r}")


def capability_lines(chat: bool, streaming: bool, routed_experts: bool) -> list[str]:
    """What a server can do, one line each, ✓ or ✗ first (the words say it too)."""
    return [
        translate("RemoteWords", "✓ Chat: the server answers.") if chat
        else translate("RemoteWords", "✗ Chat: the server does not answer chat requests."),
        translate("RemoteWords", "✓ Streaming: answers appear word by word.") if streaming
        else translate("RemoteWords", "✗ Streaming: answers appear only when complete."),
        translate("RemoteWords", "✓ Routing: the server reports which experts were chosen for every word.")
        if routed_experts
        else translate("RemoteWords", "✗ Routing: the server does not report the chosen experts; the expert "
                                      "view stays empty."),
    ]
