"""What the company-server client costs per token, on the client's side, at 1,000 tokens/s.

A stand-in server (tests/support/server_stand_ins.py) runs in a process of its own and streams N tokens at
1,000 tokens/s; this process reads them three ways and measures its own CPU time (all threads) per token:

- ``bare``: a bare httpx SSE reader: the stream's lines, each chunk parsed with ``json.loads``, nothing more;
- ``openai``: RemoteClient, a plain OpenAI-compatible server: Token events as the chunks come;
- ``sglang``: RemoteClient asking SGLang for routed experts of a DeepSeek-V3-shaped model (61 layers, 58 with
  256 experts, 8 per token): the tokens held, then the base64 routing of the whole sequence (about
  ``N * 61 * 8 * 4`` bytes) decoded and each token given its Routing.

The events go to a callback that keeps them (the worker's own work, a Qt signal per token, is not counted).
Each mode runs ``--runs`` times, alternating; the table gives the median CPU time per token, its ratio to
the bare reader, and the client's cost beyond it. Prints a Markdown table for bench/RESULTS.md.

    .venv/bin/python bench/remote_overhead.py [--tokens 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "support")]

import httpx  # noqa: E402

from app.core.engine import protocol  # noqa: E402
from app.core.remote.client import RemoteClient  # noqa: E402
from app.core.remote.layout import model_path  # noqa: E402
from app.core.remote.profiles import ServerProfile  # noqa: E402
from app.core.remote.wire import sse_data  # noqa: E402

RATE = 1000.0
DEEPSEEK_SHAPE = {"model_type": "deepseek_v3", "num_hidden_layers": 61, "first_k_dense_replace": 3,
                  "n_routed_experts": 256, "num_experts_per_tok": 8, "n_shared_experts": 1, "hidden_size": 7168,
                  "intermediate_size": 18432, "moe_intermediate_size": 2048, "num_attention_heads": 128,
                  "q_lora_rank": 1536, "kv_lora_rank": 512, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64,
                  "v_head_dim": 128, "vocab_size": 129280}


def serve(flavour: str, tokens: int) -> None:
    """The stand-in, in this (child) process: prints its URL, serves until standard input closes."""
    from server_stand_ins import ServerStandIn

    with ServerStandIn(flavour=flavour, tokens=("tok",) * tokens, rate=RATE, config=DEEPSEEK_SHAPE,
                       deadline_s=tokens / RATE + 30) as stand_in:
        print(stand_in.url, flush=True)
        sys.stdin.read()


class StandIn:
    """The stand-in server in a child process."""

    def __init__(self, flavour: str, tokens: int) -> None:
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", flavour, "--tokens", str(tokens)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)


def bare(url: str, model: str) -> tuple[float, int]:
    """CPU seconds and chunks of text read by a bare httpx SSE reader."""
    body = {"model": model, "messages": [{"role": "user", "content": "Hallo"}], "stream": True}
    count = 0
    with httpx.Client(timeout=60) as client:
        started = time.process_time()
        with client.stream("POST", url + "/v1/chat/completions", json=body) as response:
            for data in sse_data(response.iter_lines()):
                if data == "[DONE]":
                    break
                chunk = json.loads(data)
                if chunk.get("choices") and chunk["choices"][0]["delta"].get("content"):
                    count += 1
        return time.process_time() - started, count


def client(url: str, model: str, flavour: str, config: Path) -> tuple[float, int]:
    """CPU seconds and Token events of one answer through RemoteClient."""
    done, events = [], []

    def keep(event: protocol.Event) -> None:
        events.append(event)
        if isinstance(event, (protocol.Finished, protocol.Error, protocol.Loaded)):
            done.append(event)

    profile = ServerProfile("bench", url, model, flavour, config_path=str(config))
    remote = RemoteClient(keep, profile, None)
    remote.start()
    remote.send(protocol.Load(model_path(profile)))
    while not done:
        time.sleep(0.01)
    assert isinstance(done[0], protocol.Loaded), done[0]
    started = time.process_time()
    remote.send(protocol.Generate(prompt="Hallo", max_tokens=10**6))
    while len(done) < 2:
        time.sleep(0.005)
    spent = time.process_time() - started
    remote.close()
    assert isinstance(done[1], protocol.Finished), done[1]
    tokens = [event for event in events if isinstance(event, protocol.Token)]
    if flavour == "sglang":
        assert len(tokens[0].routing.layers) == 58, "routing was not decoded"
    return spent, len(tokens)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.tokens)
        return 0
    config = Path(tempfile.mkdtemp()) / "config.json"
    config.write_text(json.dumps(DEEPSEEK_SHAPE))
    servers = {flavour: StandIn(flavour, args.tokens) for flavour in ("openai", "sglang")}
    model = "stand-in/tiny-moe"
    per_token: dict[str, list[float]] = {"bare": [], "openai": [], "sglang": []}
    try:
        for _ in range(args.runs):
            spent, count = bare(servers["openai"].url, model)
            per_token["bare"].append(spent / count)
            for flavour in ("openai", "sglang"):
                spent, count = client(servers[flavour].url, model, flavour, config)
                per_token[flavour].append(spent / count)
    finally:
        for server in servers.values():
            server.close()
    base = statistics.median(per_token["bare"])
    print(f"{args.tokens} tokens at {RATE:.0f} tokens/s, {args.runs} runs each; Python {platform.python_version()}, "
          f"{platform.machine()}\n")
    print("| reader | CPU per token (median) | ratio to bare httpx | beyond bare httpx |")
    print("|---|---|---|---|")
    for name, label in (("bare", "bare httpx SSE reader"), ("openai", "RemoteClient, OpenAI-compatible"),
                        ("sglang", "RemoteClient, SGLang with routed experts (DeepSeek-V3 shape)")):
        median = statistics.median(per_token[name])
        print(f"| {label} | {median * 1e6:.0f} µs | {median / base:.2f} | {(median - base) * 1e6:+.0f} µs |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
