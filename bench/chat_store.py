"""Conversation store at scale: 1,000 conversations of 50 messages each.

Measures, each as the median of several rounds:
  - opening the store and listing the summaries, full vs. empty (the issue: the app shows the list
    within 1 second of its start time with none), in this process (closing not counted) and in a
    fresh interpreter (imports included)
  - opening the longest conversation (target < 200 ms), also with the routing traces of all its answers
  - searching all conversations (target < 100 ms), for a word in every conversation, a rare one,
    two words, and a word start
  - AnswerWriter.add_token per token at full speed, with a routing of 48 layers x top-8 (the size of
    Qwen3-30B-A3B's) and of 12 layers x top-2 (the synthetic MoE), batches written as in the app; and,
    for comparison, with every token written at once
  - delete_all of everything

    python bench/chat_store.py [--conversations 1000] [--messages 50] [--rounds 7]
"""

from __future__ import annotations

import argparse
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.chat.model import ASSISTANT, USER, Conversation, Message, RoutingTrace, Settings  # noqa: E402
from app.core.chat.store import ConversationStore  # noqa: E402
from app.core.engine import protocol  # noqa: E402

SYLLABLES = ("ka", "ro", "mi", "te", "lu", "sa", "ven", "dor", "ex", "pert", "rou", "ter", "gat", "ing", "mo", "e")
COMMON = "experte"  # in one answer of every conversation
RARE = "zauberwort"  # in 4 conversations


def vocabulary(rng: np.random.Generator, size: int = 5000) -> list[str]:
    return ["".join(rng.choice(SYLLABLES, size=rng.integers(2, 5))) for _ in range(size)]


def text(rng: np.random.Generator, words: list[str], n: int) -> str:
    return " ".join(words[i] for i in rng.integers(0, len(words), size=n))


def conversation(index: int, n_messages: int, rng: np.random.Generator, words: list[str], long: bool) -> Conversation:
    messages = []
    for position in range(n_messages):
        role = USER if position % 2 == 0 else ASSISTANT
        body = text(rng, words, (20 if role == USER else 150) * (8 if long else 1))
        if position == 1:
            body += f" {COMMON}"
        if position == 3 and index % 333 == 0:
            body += f" {RARE}"
        messages.append(Message(role, body, model="" if role == USER else "/models/bench.gguf",
                                created_at=1.7e9 + index * 100 + position))
    return Conversation(0, f"Conversation {index} {words[index % len(words)]}", "/models/bench.gguf",
                        Settings(system_prompt="Be brief."), tuple(messages), 1.7e9 + index * 100,
                        1.7e9 + index * 100 + n_messages)


def routed_tokens(n: int, layers: int, k: int, rng: np.random.Generator) -> list[protocol.Token]:
    names = tuple(range(layers))
    return [protocol.Token(pos, int(rng.integers(0, 150000)), " tok", protocol.ANSWER,
                           protocol.Routing(names, rng.integers(0, 128, size=(layers, k), dtype=np.int32),
                                            rng.random((layers, k), dtype=np.float32)))
            for pos in range(n)]


def trace(n: int, layers: int, k: int, rng: np.random.Generator) -> RoutingTrace:
    return RoutingTrace(np.arange(n, dtype=np.int32), rng.integers(0, 150000, size=n, dtype=np.int32),
                        (" tok",) * n, (protocol.ANSWER,) * n, np.arange(layers, dtype=np.int32),
                        rng.integers(0, 128, size=(n, layers, k), dtype=np.int32),
                        rng.random((n, layers, k), dtype=np.float32))


def median_ms(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def open_and_list(path: Path) -> tuple[int, float]:
    """How many conversations are listed, and the milliseconds from opening the store to the list
    (closing, at the app's end, not counted)."""
    started = time.perf_counter()
    store = ConversationStore(path)
    n = len(store.summaries())
    elapsed = (time.perf_counter() - started) * 1000
    store.close()
    return n, elapsed


def fresh_interpreter_ms(path: Path, rounds: int) -> float:
    """Start of a new Python to the summaries listed: import, open, list."""
    code = ("import time; t = time.perf_counter(); from app.core.chat.store import ConversationStore; "
            f"s = ConversationStore({str(path)!r}); n = len(s.summaries()); "
            "print((time.perf_counter() - t) * 1000); s.close()")
    root = Path(__file__).resolve().parents[1]
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], cwd=root, check=True,
                                                  capture_output=True, text=True).stdout) for _ in range(rounds))


def add_token_cost_us(store: ConversationStore, conversation_id: int, tokens: list[protocol.Token],
                      **flush) -> tuple[float, float]:
    """Microseconds per add_token (batch writes included), and finish in milliseconds."""
    writer = store.begin_answer(conversation_id, "/models/bench.gguf", Settings(), **flush)
    started = time.perf_counter()
    for token in tokens:
        writer.add_token(token)
    per_token = (time.perf_counter() - started) / len(tokens) * 1e6
    started = time.perf_counter()
    writer.finish(protocol.Finished(10, len(tokens), 0.1, 100.0, "eos"))
    return per_token, (time.perf_counter() - started) * 1000


def machine() -> str:
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--tokens", type=int, default=4000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    words = vocabulary(rng)
    print(f"machine: {machine()}, python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")

    with tempfile.TemporaryDirectory() as folder:
        empty, full = Path(folder) / "empty.sqlite3", Path(folder) / "full.sqlite3"
        open_and_list(empty)
        started = time.perf_counter()
        middle = args.conversations // 2
        with ConversationStore(full) as store:
            stored = []
            for index in range(args.conversations):
                chat = conversation(index, args.messages, rng, words, long=index == middle)
                traces = {}
                if index == middle:  # the longest conversation's answers carry traces of 400 tokens
                    chat = replace(chat, messages=tuple(replace(m, id=i) for i, m in enumerate(chat.messages)))
                    traces = {m.id: trace(400, 48, 8, rng) for m in chat.messages if m.role == ASSISTANT}
                stored.append(store.import_conversation(chat, traces))
            longest = stored[middle]
            answers = [m.id for m in store.get(longest).messages if m.role == ASSISTANT]
        print(f"filled: {args.conversations} conversations x {args.messages} messages in "
              f"{time.perf_counter() - started:.1f} s; {full.stat().st_size / 1e6:.1f} MB")

        assert open_and_list(full)[0] == args.conversations
        empty_ms = statistics.median(open_and_list(empty)[1] for _ in range(args.rounds))
        full_ms = statistics.median(open_and_list(full)[1] for _ in range(args.rounds))
        print(f"open + summaries, in process: empty {empty_ms:.1f} ms, full {full_ms:.1f} ms, "
              f"difference {full_ms - empty_ms:.1f} ms, ratio {full_ms / empty_ms:.1f}")
        fresh_empty, fresh_full = fresh_interpreter_ms(empty, args.rounds), fresh_interpreter_ms(full, args.rounds)
        print(f"open + summaries, fresh interpreter (imports included): empty {fresh_empty:.0f} ms, "
              f"full {fresh_full:.0f} ms, difference {fresh_full - fresh_empty:.0f} ms")

        with ConversationStore(full) as store:
            size = sum(len(m.content) for m in store.get(longest).messages)
            print(f"open the longest conversation ({args.messages} messages, {size / 1e3:.0f} kB of text): "
                  f"{median_ms(lambda: store.get(longest), args.rounds):.1f} ms; with the routing of its "
                  f"{len(answers)} answers (400 tokens x 48 layers x 8 each): "
                  f"{median_ms(lambda: [store.routing(m) for m in answers], args.rounds):.1f} ms")
            for label, query in [(f"'{COMMON}' (every conversation)", COMMON), (f"'{RARE}' (4 conversations)", RARE),
                                 ("two words", f"{COMMON} {words[7]}"), ("word start 'exp'", "exp"),
                                 ("a title number '777'", "777")]:
                found = len(store.search(query))
                print(f"search {label}: {found} found, "
                      f"{median_ms(lambda q=query: store.search(q), args.rounds):.1f} ms")
            target = store.create()
            for layers, k in [(48, 8), (12, 2)]:
                tokens = routed_tokens(args.tokens, layers, k, rng)
                batched = [add_token_cost_us(store, target, tokens) for _ in range(3)]
                each = add_token_cost_us(store, target, tokens[:500], flush_seconds=0, flush_tokens=1)
                print(f"add_token ({layers} layers x top-{k}, {args.tokens} tokens at full speed, batches as in "
                      f"the app): {statistics.median(cost for cost, _ in batched):.1f} us per token, finish "
                      f"{statistics.median(f for _, f in batched):.1f} ms; every token written at once: "
                      f"{each[0]:.0f} us per token")
            started = time.perf_counter()
            removed = store.delete_all()
            print(f"delete_all of {removed} conversations: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
