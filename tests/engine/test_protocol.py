"""The engine protocol without an engine: every message crosses the wire and comes back equal, lines that
are no message are refused in words, and an exit status says why the engine ended."""

from __future__ import annotations

import json
import signal

import numpy as np
import pytest

from app.core import defaults
from app.core.engine import exits, protocol
from app.core.engine.exits import EngineExit
from app.core.engine.protocol import Routing
from app.core.locality.policy import NetworkAttempt
from app.core.models.gguf import ModelInfo

INFO = ModelInfo(path="/models/m.gguf", file_size=1000, architecture="qwen3moe", name="M", size_label="",
                 quantization="F16", n_layers=3, n_embd=64, context_length=4096, n_experts=8, n_experts_used=2,
                 n_dense_leading=0, n_shared_experts=0, moe_layers=[0, 1, 2], total_params=10, active_params=5,
                 sampling={"temperature": 0.6, "top_k": 20})
ROUTING = Routing((0, 2), np.array([[3, 1], [0, 7]], dtype=np.int32), np.array([[0.75, 0.25], [0.5, 0.5]],
                                                                               dtype=np.float32))
SCORES = np.array([[0.1, 0.2, 0.0, 0.4, 0.05, 0.05, 0.1, 0.1], [0.5, 1 / 3, 0.0, 0.0, 0.0, 0.0, 0.0, 1e-9]],
                  dtype=np.float32)
SCORED = Routing(ROUTING.layers, ROUTING.experts.copy(), ROUTING.weights.copy(), SCORES)
MESSAGES = [
    protocol.Load("/models/m.gguf", 512, 2, 4, safe=True, probe=True),
    protocol.Load("/models/m.gguf", scores=True),
    protocol.Load("/models/e5.gguf", 2048, embedding=True),
    protocol.Generate(prompt="Hallo", max_tokens=3, temperature=0.0, seed=1, stop=("\nUser:",)),
    protocol.Generate(messages=(protocol.ChatMessage(protocol.USER, "Grüße 🚀"),)),
    protocol.Generate(messages=(protocol.ChatMessage(protocol.SYSTEM, "s"), protocol.ChatMessage(protocol.USER, "u")),
                      top_p=0.8, top_k=20, min_p=0.1, repeat_penalty=1.0, thinking=False, grammar='root ::= "a"'),
    protocol.Stop(),
    protocol.Unload(),
    protocol.Forget(),
    protocol.Embed(("Urlaubsantrag einreichen", "Grüße 🚀\n", "")),
    protocol.Embed(()),
    protocol.Shutdown(),
    protocol.Ready(pid=42, version="1.0", network_policy={"installed": True, "local_networks": ["127.0.0.1/32"]}),
    protocol.Loaded(INFO, 0.25, 512, safe=False),
    protocol.Loaded(INFO, 0.25, 512, False, "builtin:chatml", thinking_switch=True,
                    template_problem="The chat template took longer than 3 s."),
    protocol.Token(5, 99, " Köln", protocol.ANSWER, ROUTING),
    protocol.Token(6, 98, "!", protocol.ANSWER, SCORED),
    protocol.Token(0, 1, "", protocol.PROMPT),
    protocol.PromptRouting((protocol.Token(0, 1, "a", protocol.PROMPT, ROUTING), protocol.Token(1, 2, "b", protocol.PROMPT))),
    protocol.PromptRouting((protocol.Token(0, 1, "a", protocol.PROMPT, SCORED),)),
    protocol.Finished(12, 3, 0.125, 20.5, protocol.STOP_LENGTH),
    protocol.Finished(12, 3, 0.125, 20.5, protocol.STOP_EOS, dropped_messages=4, context_used=15, reused_tokens=9,
                      sampling={"temperature": 0.7, "top_p": 0.95, "top_k": 40, "min_p": 0.05,
                                "repeat_penalty": 1.1, "seed": 7}),
    protocol.Error(protocol.BAD_REQUEST, "The chat template took longer than 3 s.", protocol.TEMPLATE_FAILED,
                   {"source": "model", "problem": "timeout"}),
    protocol.Unloaded(),
    protocol.Forgotten(),
    protocol.Error(protocol.BAD_MODEL, "m.gguf is empty.", "empty", {"size": 0}, still_loaded="/models/a.gguf"),
    protocol.Error(protocol.INTERNAL, "RuntimeError: boom"),
    protocol.Error(protocol.STOPPED, "The embedding was stopped before every text had its vector."),
    protocol.NetworkBlocked(NetworkAttempt(time=1.5, host="198.51.100.7", port=443, kind="connect", allowed=False,
                                           reason="no_action", action=None, message="refused")),
]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda message: message.name)
def test_every_message_crosses_the_wire_and_comes_back_equal(message):
    line = protocol.encode(message)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    wire = json.loads(line)
    if message.name in protocol.COMMANDS:
        assert wire[protocol.COMMAND_KEY] == message.name
        assert protocol.decode_command(line) == message
    else:
        assert wire[protocol.EVENT_KEY] == message.name
        assert protocol.decode_event(line) == message


def test_the_wire_stays_compact_and_readable():
    token = json.loads(protocol.encode(protocol.Token(5, 99, "x", protocol.ANSWER, ROUTING)))
    assert token["routing"] == {"layers": [0, 2], "experts": [[3, 1], [0, 7]], "weights": [[0.75, 0.25], [0.5, 0.5]]}
    assert "routing" not in json.loads(protocol.encode(protocol.Token(0, 1, "x", protocol.PROMPT)))
    assert json.loads(protocol.encode(protocol.Error(protocol.INTERNAL, "boom"))) == {
        "event": "error", "kind": "internal", "message": "boom"}
    assert b" " not in protocol.encode(protocol.Unloaded())


def test_scores_cross_the_wire_exactly_as_base64_of_float32():
    wire = json.loads(protocol.encode(protocol.Token(6, 98, "!", protocol.ANSWER, SCORED)))["routing"]
    assert set(wire) == {"layers", "experts", "weights", "scores"} and isinstance(wire["scores"], str)
    assert len(wire["scores"]) == 4 * -(-SCORES.nbytes // 3)  # base64 of the float32 bytes, nothing else
    back = protocol.decode_event(protocol.encode(protocol.Token(6, 98, "!", protocol.ANSWER, SCORED))).routing
    assert back.scores.dtype == np.float32 and back.scores.shape == (2, 8)
    assert back.scores.tobytes() == SCORES.tobytes()  # bit for bit, 1/3 and 1e-9 included
    assert not back.scores.flags.writeable
    assert back.scores_by_layer() == {0: SCORES[0].tolist(), 2: SCORES[1].tolist()}
    assert ROUTING.scores is None and ROUTING.scores_by_layer() == {} and "scores" not in ROUTING.to_wire()
    assert SCORED != ROUTING and SCORED == Routing(ROUTING.layers, ROUTING.experts, ROUTING.weights, SCORES.copy())
    with pytest.raises(ValueError, match="routing of 2 layers with scores"):
        Routing(ROUTING.layers, ROUTING.experts, ROUTING.weights, SCORES[:1])
    assert protocol.decode_command(b'{"cmd": "load", "path": "m.gguf"}').scores is False
    assert protocol.decode_command(b'{"cmd": "load", "path": "m.gguf"}').embedding is False


# Values a JSON float would round (1/3, 1e-9, a subnormal), negative zero, and the largest float32.
VECTORS = np.array([[1 / 3, -0.0, 1e-9, 3.4028235e38], [np.float32(1e-45), 0.5, -2.0, 0.1]], dtype=np.float32)


def test_vectors_cross_the_wire_exactly_as_base64_of_float32():
    line = protocol.encode(protocol.Embedded(VECTORS, tokens=17, truncated=1))
    wire = json.loads(line)
    assert set(wire) == {"event", "count", "dim", "vectors", "tokens", "truncated"}
    assert (wire["count"], wire["dim"]) == (2, 4) and len(wire["vectors"]) == 4 * -(-VECTORS.nbytes // 3)
    back = protocol.decode_event(line)
    assert isinstance(back, protocol.Embedded) and (back.tokens, back.truncated) == (17, 1)
    assert back.vectors.dtype == np.float32 and back.vectors.shape == (2, 4)
    assert back.vectors.tobytes() == VECTORS.tobytes()  # bit for bit, -0.0 and the subnormal included
    assert not back.vectors.flags.writeable
    # Float64 rows and big-endian rows go out as the same little-endian float32.
    assert protocol.encode(protocol.Embedded(VECTORS.astype(">f4"), 17, 1)) == line
    assert protocol.encode(protocol.Embedded(VECTORS.astype(np.float64), 17, 1)) == line


def test_no_texts_give_no_vectors_of_the_model_s_length():
    back = protocol.decode_event(protocol.encode(protocol.Embedded(np.zeros((0, 384), np.float32), 0)))
    assert back.vectors.shape == (0, 384) and back.tokens == 0 and back.truncated == 0
    older = protocol.decode_event(b'{"event": "embedded", "count": 1, "dim": 1, "vectors": "AACAPw==", "tokens": 2}')
    assert older.vectors.tolist() == [[1.0]] and older.truncated == 0


@pytest.mark.parametrize("line, words", [
    (b'{"event": "embedded", "count": 2, "dim": 1, "vectors": "AACAPw==", "tokens": 2}',
     "4 bytes of vectors for 2 x 1 float32"),
    (b'{"event": "embedded", "count": 1, "dim": 1, "vectors": "not base64!", "tokens": 2}', "Malformed 'embedded'"),
    (b'{"event": "embedded", "count": -1, "dim": -4, "vectors": "AACAPw==", "tokens": 2}', "must not be negative"),
    (b'{"event": "embedded", "count": 1, "dim": 1, "vectors": [1.0], "tokens": 2}', "Malformed 'embedded'"),
    (b'{"event": "embedded", "count": 1, "dim": 1, "vectors": "AACAPw=="}', "Malformed 'embedded'"),
])
def test_vectors_that_do_not_add_up_are_refused(line, words):
    with pytest.raises(protocol.ProtocolError, match=words):
        protocol.decode_event(line)


def test_a_generate_request_leaves_sampling_to_the_engine_unless_it_sets_it():
    request = protocol.decode_command(b'{"cmd": "generate", "prompt": "Hallo"}')
    assert request.max_tokens == defaults.MAX_TOKENS
    assert (request.temperature, request.top_p, request.top_k, request.min_p, request.repeat_penalty) == (None,) * 5
    assert (request.thinking, request.grammar) == (None, None)
    assert protocol.decode_command(b'{"cmd": "load", "path": "m.gguf"}').n_ctx == defaults.DEFAULT_CONTEXT


def test_sampling_resolves_request_then_model_then_defaults():
    from app.core.engine.sampling import resolve

    model = {"temperature": 0.6, "top_k": 20, "min_p": 0.0}
    chosen = resolve(protocol.Generate(prompt="x", top_p=0.5, min_p=0.3, seed=2**32 + 5), model)
    assert chosen.to_dict() == {"temperature": 0.6, "top_p": 0.5, "top_k": 20, "min_p": 0.3,
                                "repeat_penalty": defaults.REPEAT_PENALTY, "seed": 5}
    assert resolve(protocol.Generate(prompt="x"), {}).temperature == defaults.TEMPERATURE
    assert resolve(protocol.Generate(prompt="x"), {}).min_p == defaults.MIN_P
    assert 0 <= resolve(protocol.Generate(prompt="x"), {}).seed < 2**32


def test_events_of_an_older_engine_still_decode():
    """Fields added later have defaults, so a line without them still decodes."""
    finished = protocol.decode_event(b'{"event": "finished", "prompt_tokens": 1, "answer_tokens": 2, "ttft_s": 0.1, '
                                     b'"tokens_per_s": 3.0, "stop_reason": "eos"}')
    assert (finished.dropped_messages, finished.context_used, finished.reused_tokens, finished.sampling) == (
        0, 0, 0, {})
    wire = json.loads(protocol.encode(protocol.Loaded(INFO, 0.25, 512, safe=False)))
    for key in ("template", "thinking_switch", "template_problem"):
        del wire[key]
    del wire["info"]["sampling"]
    loaded = protocol.decode_event(json.dumps(wire).encode())
    assert (loaded.template, loaded.thinking_switch, loaded.template_problem) == (protocol.TEMPLATE_PLAIN, False, "")
    assert loaded.info.sampling == {}


@pytest.mark.parametrize("line, words", [
    (b"not json", "Malformed command"),
    (b"[1, 2]", "Malformed command: not an object"),
    (b'{"cmd": "dance"}', "Unknown command 'dance'."),
    (b'{"cmd": "load"}', "Malformed 'load' command"),
    (b'{"cmd": "generate", "max_tokens": "many"}', "Malformed 'generate' command"),
    (b'{"cmd": "generate", "messages": [{"role": "user"}]}', "Malformed 'generate' command"),
    (b'{"cmd": "embed"}', "Malformed 'embed' command"),
    (b'{"cmd": "embed", "texts": "one text"}', "texts must be a list of strings"),
    (b'{"cmd": "embed", "texts": ["a", 2]}', "texts must be a list of strings"),
])
def test_a_line_that_is_no_command_is_refused_in_words(line, words):
    with pytest.raises(protocol.ProtocolError, match=words):
        protocol.decode_command(line)


def test_an_unknown_or_synthesised_event_is_not_taken_from_the_wire():
    with pytest.raises(protocol.ProtocolError, match="Unknown event 'lost'"):
        protocol.decode_event(b'{"event": "lost", "returncode": -9}')
    with pytest.raises(protocol.ProtocolError, match="Malformed 'token' event"):
        protocol.decode_event(b'{"event": "token", "pos": 0, "token": 1, "text": "x", "source": "answer", '
                              b'"routing": {"layers": [0, 1], "experts": [[1, 2], [3]], "weights": [[1, 0], [1]]}}')


def test_routing_is_read_only_and_compared_by_value():
    copy = Routing((0, 2), ROUTING.experts.copy(), ROUTING.weights.copy())
    assert copy == ROUTING and len(copy) == 2 and copy != protocol.EMPTY_ROUTING
    with pytest.raises(ValueError):
        copy.experts[0, 0] = 5
    with pytest.raises(ValueError, match="routing of 1 layers"):
        Routing((0,), ROUTING.experts, ROUTING.weights)


@pytest.mark.parametrize("returncode, kind, words", [
    (None, exits.NO_STATUS, "stopped answering"),
    (-signal.SIGKILL, exits.KILLED, "was killed (SIGKILL)"),
    (-signal.SIGTERM, exits.TERMINATED, "was killed (SIGTERM)"),
    (-signal.SIGINT, exits.TERMINATED, "was killed (SIGINT)"),
    (-signal.SIGABRT, exits.ABORTED, "aborted (SIGABRT)"),
    (-signal.SIGSEGV, exits.CRASHED, "crashed (SIGSEGV)"),
    (-signal.SIGBUS, exits.SIGNALLED, "was killed (SIGBUS)"),
    (3, exits.EXITED, "exited with status 3"),
    (0xC0000005, exits.CRASHED, "crashed (exception 0xC0000005)"),
])
def test_an_exit_status_says_why_the_engine_ended(returncode, kind, words):
    end = EngineExit(returncode)
    assert end.kind == kind and end.describe() == words
    assert end.killed == (kind == exits.KILLED)
    assert protocol.Lost(end, "GGML_ASSERT failed").message == (
        f"The engine process {words}. Its last message: GGML_ASSERT failed")
    assert protocol.Lost(end).message == f"The engine process {words}."
