"""RemoteClient against the loopback stand-in of SGLang, vLLM and plain OpenAI-compatible servers: the
routing shown is what the server sent, every failure is an Error of its kind in words, and the client
stays usable after one."""

import queue
import re
import socket
import threading
import time

import numpy as np
import pytest
from server_stand_ins import MOE_LAYERS, TOKENS, ServerStandIn

from app.core.engine import protocol
from app.core.remote.answer import AnswerBuilder
from app.core.remote.client import RemoteClient
from app.core.remote.errors import (
    MALFORMED,
    MODEL_NOT_FOUND,
    RATE_LIMITED,
    SERVER,
    TLS,
    UNAUTHORIZED,
    UNREACHABLE,
)
from app.core.remote.layout import model_path
from app.core.remote.profiles import ServerProfile
from app.core.remote.wire import Chunk, Usage

QUESTION = protocol.Generate(messages=(protocol.ChatMessage(protocol.USER, "Wie geht es dir heute"),), seed=3)


class Connected:
    """A started RemoteClient and the events it sent."""

    def __init__(self, profile: ServerProfile, api_key: str | None = None) -> None:
        self.events: queue.Queue = queue.Queue()
        self.client = RemoteClient(self.events.put, profile, api_key)
        self.client.start()
        assert isinstance(self.next(), protocol.Ready)

    def next(self, timeout: float = 10.0) -> protocol.Event:
        return self.events.get(timeout=timeout)

    def until_end(self, command: protocol.Command, timeout: float = 10.0) -> list[protocol.Event]:
        """Send ``command`` and collect its events up to Finished, Error, Loaded or Unloaded."""
        self.client.send(command)
        events = []
        while True:
            events.append(self.next(timeout))
            if isinstance(events[-1], (protocol.Finished, protocol.Error, protocol.Loaded, protocol.Unloaded)):
                return events

    def load(self) -> protocol.Event:
        return self.until_end(protocol.Load(model_path(self.client.profile)))[-1]

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def connect():
    opened = []

    def open_one(profile: ServerProfile, api_key: str | None = None) -> Connected:
        opened.append(Connected(profile, api_key))
        return opened[-1]

    yield open_one
    for connected in opened:
        connected.close()


def profile_for(stand_in: ServerStandIn, config_path=None, **changes) -> ServerProfile:
    return ServerProfile(**{"name": "stand-in", "base_url": stand_in.url + "/v1", "model": stand_in.model,
                            "flavour": stand_in.flavour, "config_path": str(config_path) if config_path else None,
                            **changes})


def tokens_of(events):
    return [event for event in events if isinstance(event, protocol.Token)]


@pytest.mark.parametrize("flavour, layer_axis", [("sglang", "all"), ("sglang", "moe"), ("vllm", "moe")])
def test_the_routing_shown_is_what_the_server_sent_streamed_and_whole(connect, config_path, flavour, layer_axis):
    with ServerStandIn(flavour=flavour, layer_axis=layer_axis, seed=7) as stand_in:
        connected = connect(profile_for(stand_in, config_path), api_key="sk-1")
        loaded = connected.load()
        assert loaded.info.moe_layers == MOE_LAYERS and loaded.info.n_experts == 16 and loaded.n_ctx == 4096
        events = connected.until_end(QUESTION)
        tokens, finished = tokens_of(events), events[-1]
        assert [token.text for token in tokens] == list(TOKENS)
        rows = stand_in.answer_rows()
        assert len(rows) == len(TOKENS)  # the end-of-sequence token has no row, every shown one has
        for index, token in enumerate(tokens):
            assert token.pos == index and token.routing.layers == tuple(MOE_LAYERS)
            assert np.array_equal(token.routing.experts, rows[index])
            assert not token.routing.weights_reported and np.allclose(token.routing.weights, 0.25)
        assert isinstance(finished, protocol.Finished) and finished.stop_reason == protocol.STOP_EOS
        assert (finished.prompt_tokens, finished.answer_tokens) == (stand_in.prompt_tokens, len(TOKENS) + 1)
        asked = stand_in.requests[-1]
        assert asked.headers["Authorization"] == "Bearer sk-1"
        assert asked.body["stream"] is (flavour == "sglang")
        assert asked.body.get("return_routed_experts") is (True if flavour == "sglang" else None)


def test_an_answer_cut_by_its_length_keeps_routing_for_every_token_the_server_evaluated(connect, config_path):
    with ServerStandIn(seed=1) as stand_in:
        connected = connect(profile_for(stand_in, config_path))
        connected.load()
        events = connected.until_end(protocol.Generate(prompt="Hallo", max_tokens=4))
        tokens = tokens_of(events)
        assert [token.text for token in tokens] == list(TOKENS[:4]) and events[-1].stop_reason == protocol.STOP_LENGTH
        rows = stand_in.answer_rows()
        assert all(np.array_equal(tokens[i].routing.experts, rows[i]) for i in range(3))
        assert len(tokens[3].routing) == 0  # the last token was never fed back: the server has no row for it


def test_a_plain_openai_server_streams_live_without_routing_and_only_standard_fields(connect, config_path):
    with ServerStandIn(flavour="openai") as stand_in:
        connected = connect(profile_for(stand_in, config_path))
        assert connected.load().info.is_moe
        events = connected.until_end(protocol.Generate(messages=QUESTION.messages, top_k=5, temperature=0.2))
        assert [token.text for token in tokens_of(events)] == list(TOKENS)
        assert all(len(token.routing) == 0 for token in tokens_of(events))
        body = stand_in.requests[-1].body
        assert "top_k" not in body and "return_routed_experts" not in body and body["temperature"] == 0.2
        assert body["stream_options"] == {"include_usage": True} and "Authorization" not in stand_in.requests[-1].headers


def test_without_a_config_the_model_is_not_laid_out_and_no_routing_is_asked_for(connect):
    with ServerStandIn() as stand_in:
        connected = connect(profile_for(stand_in))
        info = connected.load().info
        assert not info.is_moe and info.architecture == "deepseek_v3" and info.context_length == 4096
        events = connected.until_end(QUESTION)
        assert len(tokens_of(events)) == len(TOKENS) and "return_routed_experts" not in stand_in.requests[-1].body


@pytest.mark.parametrize("fault, kind, words", [
    ("bad_sse", MALFORMED, "not JSON"),
    ("missing_field", MALFORMED, "without a delta"),
    ("wrong_shape", MALFORMED, "fit no"),
    ("bad_base64", MALFORMED, "not valid base64"),
    ("out_of_range", MALFORMED, "expert 19"),
    ("no_usage", MALFORMED, "how many tokens the prompt has"),
    ("truncated", MALFORMED, "ended before it was complete"),
    ("hang_up", UNREACHABLE, "broke off"),
    ("server_error", SERVER, "HTTP 500.*CUDA out of memory"),
    ("rate_limited", RATE_LIMITED, "HTTP 429.*wait 7 s"),
])
def test_every_failure_is_an_error_of_its_kind_in_words_and_the_client_stays_usable(connect, config_path, fault,
                                                                                    kind, words):
    with ServerStandIn() as stand_in:
        connected = connect(profile_for(stand_in, config_path))
        connected.load()
        stand_in.fault = fault
        events = connected.until_end(QUESTION)
        error = events[-1]
        assert isinstance(error, protocol.Error) and error.kind == kind, error
        assert re.search(words, error.message), error.message
        if fault == "rate_limited":
            assert error.details == {"status": 429, "retry_after": 7.0}
        if fault in ("wrong_shape", "bad_base64", "out_of_range"):  # the text still reaches the chat
            assert "".join(token.text for token in tokens_of(events)) == "".join(TOKENS)
        stand_in.fault = None
        again = connected.until_end(QUESTION)
        assert isinstance(again[-1], protocol.Finished) and len(tokens_of(again)) == len(TOKENS)


def test_load_errors_name_the_key_the_model_and_the_server(connect, config_path, tmp_path):
    with ServerStandIn(api_key="right") as stand_in:
        wrong_key = connect(profile_for(stand_in, config_path), api_key="wrong").load()
        assert wrong_key.kind == UNAUTHORIZED and "HTTP 401" in wrong_key.message and "Invalid API key" in wrong_key.message
        missing = connect(profile_for(stand_in, config_path, model="other/model"), api_key="right").load()
        assert missing.kind == MODEL_NOT_FOUND and "'other/model'" in missing.message and stand_in.model in missing.message
        bad_config = connect(profile_for(stand_in, tmp_path / "none.json"), api_key="right").load()
        assert bad_config.kind == protocol.LOAD_FAILED and "config.json cannot be read" in bad_config.message
        connected = connect(profile_for(stand_in, config_path), api_key="right")
        assert connected.until_end(QUESTION)[-1].kind == protocol.NOT_LOADED
        other = connected.until_end(protocol.Load("/models/local.gguf"))[-1]
        assert other.kind == protocol.BAD_REQUEST and "company server is in use" in other.message
        connected.load()
        grammar = connected.until_end(protocol.Generate(prompt="x", grammar="root ::= \"a\""))[-1]
        assert grammar.kind == protocol.BAD_REQUEST
        assert isinstance(connected.until_end(protocol.Unload())[-1], protocol.Unloaded)


def test_an_unreachable_server_and_a_failed_tls_handshake_are_told_apart(connect, config_path):
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))  # bound, never listening: connecting is refused at once
        closed = ServerProfile("closed", f"http://127.0.0.1:{bound.getsockname()[1]}", "m", "sglang")
        refused = connect(closed).load()
    assert refused.kind == UNREACHABLE and "cannot be reached" in refused.message
    with ServerStandIn() as stand_in:
        tls = connect(profile_for(stand_in, config_path, base_url=stand_in.url.replace("http:", "https:"))).load()
        assert tls.kind == TLS and "secure connection" in tls.message
        bad_bundle = connect(profile_for(stand_in, config_path, ca_bundle="/nonexistent/ca.pem")).load()
        assert bad_bundle.kind == TLS and "/nonexistent/ca.pem" in bad_bundle.message


@pytest.mark.parametrize("flavour", ["openai", "sglang"])
def test_stop_closes_the_stream_within_a_chunk_and_the_server_sees_it_go(connect, config_path, flavour):
    with ServerStandIn(flavour=flavour, tokens=("tick",) * 200, rate=20, deadline_s=15) as stand_in:
        connected = connect(profile_for(stand_in, config_path))
        connected.load()
        connected.client.send(QUESTION)
        if flavour == "openai":  # live tokens: stop after the third
            for _ in range(3):
                assert isinstance(connected.next(), protocol.Token)
        else:  # tokens held for their routing: stop after the server sent a few
            time.sleep(0.2)
        asked = time.monotonic()
        connected.client.stop_generation()
        events = []
        while not events or not isinstance(events[-1], protocol.Finished):
            events.append(connected.next())
        assert time.monotonic() - asked < 0.2  # 50 ms between chunks: within about one chunk
        assert events[-1].stop_reason == protocol.STOP_STOPPED and len(tokens_of(events)) < 20
        assert stand_in.disconnected.wait(2)
        assert isinstance(connected.until_end(protocol.Generate(prompt="x", max_tokens=2))[-1], protocol.Finished)


def test_a_stop_ends_the_answers_asked_before_it_even_queued_and_none_asked_after(connect, config_path):
    with ServerStandIn(flavour="openai", rate=50) as stand_in:
        connected = connect(profile_for(stand_in, config_path))
        connected.load()
        asked = len(stand_in.requests)
        connected.client.stop_generation()  # forgotten: no answer was asked yet
        connected.client.send(protocol.Generate(prompt="eins", max_tokens=3))
        connected.client.send(protocol.Generate(prompt="zwei", max_tokens=3))
        connected.client.stop_generation()  # ends both, the second before it is sent
        connected.client.send(protocol.Generate(prompt="drei", max_tokens=3))
        ends = []
        while len(ends) < 3:
            event = connected.next()
            if isinstance(event, (protocol.Finished, protocol.Error)):
                ends.append(event)
        assert [end.stop_reason for end in ends] == [protocol.STOP_STOPPED, protocol.STOP_STOPPED,
                                                     protocol.STOP_LENGTH]
        sent = [request.body["messages"][0]["content"] for request in stand_in.requests[asked:]]
        assert sent in (["eins", "drei"], ["drei"])  # "eins" may have gone out before the stop; "zwei" never


def test_stop_ends_a_wait_for_a_server_that_sends_nothing(connect, config_path):
    with ServerStandIn(flavour="openai", rate=0.2, deadline_s=10) as stand_in:
        connected = connect(profile_for(stand_in, config_path))
        connected.load()
        connected.client.send(QUESTION)
        time.sleep(0.3)
        asked = time.monotonic()
        threading.Timer(0, connected.client.stop_generation).start()
        events = []
        while not events or not isinstance(events[-1], (protocol.Finished, protocol.Error)):
            events.append(connected.next())
        assert time.monotonic() - asked < 1.0 and events[-1].stop_reason == protocol.STOP_STOPPED


def test_the_stall_watchdog_s_abort_ends_the_answer_with_an_error_never_a_loss(connect, config_path):
    with ServerStandIn(flavour="openai", rate=0.2, deadline_s=10) as stand_in:
        connected = connect(profile_for(stand_in, config_path))
        connected.load()
        connected.client.send(QUESTION)
        time.sleep(0.3)
        connected.client.abort()
        event = connected.next()
        while isinstance(event, protocol.Token):
            event = connected.next()
        assert isinstance(event, protocol.Error) and event.kind == UNREACHABLE and "nothing for too long" in event.message


# --- the answer's tokens, chunk by chunk ----------------------------------------------------------

def test_a_chunk_the_server_counts_as_two_tokens_gives_two_and_reasoning_is_put_in_think_tags():
    emitted = []
    builder = AnswerBuilder(emitted.append, None, routed=False)
    builder.add(Chunk(reasoning="Hm", usage=Usage(9, 1)))
    builder.add(Chunk(reasoning=" ok", usage=Usage(9, 2)))
    builder.add(Chunk(text="Ja", usage=Usage(9, 4)))  # a step without text before it: two tokens
    builder.add(Chunk(finish_reason="stop", matched_stop="###", usage=Usage(9, 5)))
    finished = builder.finish(stopped=False)
    assert [token.text for token in emitted] == ["<think>Hm", " ok", "", "</think>Ja"]
    assert [token.pos for token in emitted] == [0, 1, 2, 3] and {token.token for token in emitted} == {-1}
    assert (finished.prompt_tokens, finished.answer_tokens, finished.context_used) == (9, 5, 14)
    stopped = AnswerBuilder(emitted.append, None, routed=False, stops=("###",))
    stopped.add(Chunk(text="x", finish_reason="stop", matched_stop="###"))
    assert stopped.finish(stopped=False).stop_reason == protocol.STOP_SEQUENCE


def test_a_whole_answer_is_split_by_its_logprobs_or_shown_whole_without_routing(config_path):
    from app.core.remote.layout import ServerModel, model_info, read_config
    from app.core.remote.wire import RoutedBlock

    info = model_info(ServerProfile("s", "http://h", "m", "vllm"), ServerModel(("m",)), read_config(config_path))
    rows = [[[1, 2, 3, 4]] * 4, [[5, 6, 7, 8]] * 4]
    emitted = []
    split = AnswerBuilder(emitted.append, info, routed=True)
    split.add(Chunk(text="Ja!", token_texts=("Ja", "!", "<|im_end|>"), whole=True, finish_reason="stop",
                    routed=(RoutedBlock("answer", nested=rows + [[[0, 1, 2, 3]] * 4]),)))
    split.finish(stopped=False)
    assert [token.text for token in emitted] == ["Ja", "!", ""]
    assert emitted[1].routing.experts.tolist() == rows[1]
    emitted.clear()
    whole = AnswerBuilder(emitted.append, info, routed=True)
    whole.add(Chunk(text="Ja!", whole=True, usage=Usage(5, 3), routed=(RoutedBlock("answer", nested=rows),)))
    whole.finish(stopped=False)
    assert [(token.text, len(token.routing)) for token in emitted] == [("Ja!", 0)]
