"""The connection test: can MoEscope use this server, and what can the server do?

``test_connection`` lists the server's models (``/v1/models``) and, when the profile's model is among
them, asks it for one token twice: once whole (chat) and once streamed (streaming), the latter (for
vLLM the former) asking for routed experts as the profile's flavour does. The question is a fixed
"Hello", not anything the user wrote. While the test runs the network policy allows the server's host
(a user action of kind SERVER_TEST_KIND: the indicator names the server); in offline mode it is refused
(RemoteError BLOCKED). It blocks for seconds: call it off the GUI thread.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import httpx

from app.core.locality.guard import current_policy
from app.core.locality.policy import SERVER_TEST_KIND, NetworkBlocked, NetworkPolicy
from app.core.remote.errors import BLOCKED, RemoteError
from app.core.remote.layout import ask_server
from app.core.remote.profiles import OPENAI, SGLANG, VLLM, ServerProfile
from app.core.remote.transport import check_status, open_client, translate
from app.core.remote.wire import DONE, parse_chunk, parse_response, sse_data

TEST_QUESTION = "Hello"
TEST_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Capabilities:
    """What a server can do for MoEscope.

    Attributes:
        chat: it answered a question with the profile's model.
        streaming: it streamed an answer.
        routed_experts: it reported which experts were chosen (SGLang or vLLM started with
            ``--enable-return-routed-experts``).
        models: the models it serves.
        detail: the outcome in one or two English sentences.
    """

    chat: bool
    streaming: bool
    routed_experts: bool
    models: list[str]
    detail: str


def test_connection(profile: ServerProfile, api_key: str | None,
                    policy: NetworkPolicy | None = None) -> Capabilities:
    """Test ``profile``'s server (see the module docstring); RemoteError when it cannot be reached or
    refuses the key. A model it does not serve is no error: ``models`` lists what it serves."""
    policy = policy or current_policy()
    allowed = (policy.allow_action(SERVER_TEST_KIND, profile.host, what="a test question", exact=True)
               if policy is not None else contextlib.nullcontext())
    try:
        with allowed, open_client(profile, api_key, read_timeout=TEST_TIMEOUT_S) as client:
            return _test(client, profile)
    except NetworkBlocked as exc:
        raise RemoteError(BLOCKED, str(exc)) from exc


def _test(client: httpx.Client, profile: ServerProfile) -> Capabilities:
    server = ask_server(client, profile)
    models = list(server.models)
    try:
        server.check_served(profile.model)
    except RemoteError as exc:
        return Capabilities(False, False, False, models, exc.detail)
    chat, routed_whole, chat_problem = _ask(client, profile, stream=False)
    streaming, routed_streamed, stream_problem = _ask(client, profile, stream=True)
    routed = routed_whole if profile.flavour == VLLM else routed_streamed
    return Capabilities(chat, streaming, routed, models, _detail(profile, chat, streaming, routed,
                                                                 chat_problem or stream_problem))


def _ask(client: httpx.Client, profile: ServerProfile, stream: bool) -> tuple[bool, bool, str]:
    """Ask for one token; (it answered, routed experts came, what went wrong)."""
    body = {"model": profile.model, "messages": [{"role": "user", "content": TEST_QUESTION}], "max_tokens": 1,
            "stream": stream}
    if stream:
        body["stream_options"] = {"include_usage": True}
    if profile.flavour == SGLANG:
        body["return_routed_experts"] = True
    try:
        with client.stream("POST", "/v1/chat/completions", json=body) as response:
            check_status(response)
            if not stream:
                chunk = parse_response(response.read().decode("utf-8", errors="replace"))
                return True, bool(chunk.routed), ""
            routed, ended = False, False
            for data in sse_data(response.iter_lines()):
                if data.strip() == DONE:
                    ended = True
                    break
                chunk = parse_chunk(data)
                routed = routed or bool(chunk.routed)
                ended = ended or chunk.finish_reason is not None
            return ended, routed, "" if ended else "The streamed answer did not end properly."
    except RemoteError as exc:
        return False, False, exc.detail
    except (httpx.HTTPError, OSError) as exc:
        return False, False, translate(exc).detail


def _detail(profile: ServerProfile, chat: bool, streaming: bool, routed: bool, problem: str) -> str:
    if not chat and not streaming:
        return f"The server lists the model but did not answer: {problem}"
    can = [part for part, ok in (("answers", chat), ("streams", streaming)) if ok]
    text = f"The server {' and '.join(can)} with {profile.model}."
    if profile.flavour == OPENAI:
        return text + " It is used without routing (any OpenAI-compatible server)."
    if not routed:
        return text + (" It does not report routed experts: start it with --enable-return-routed-experts "
                       "to see them.")
    if not profile.config_path:
        return text + " It reports routed experts; choose the model's config.json to see them."
    return text + " It reports routed experts."
