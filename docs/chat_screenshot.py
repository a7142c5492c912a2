"""Make docs/screenshot-chat.png: the whole window with a conversation that shows a reasoning block, a
Markdown table and a code block.

The random-weight demo models cannot write such an answer, so the conversation is staged: it is shown
as a stored one (ChatPane.show_conversation), with the demo MoE loaded and answering a last question
live, so the expert view shows real routing. Offscreen unless told otherwise (QT_QPA_PLATFORM=xcb under
Xvfb for "a real window"), with settings and models in a temporary folder.

    .venv/bin/python docs/chat_screenshot.py [--lang de] [--out docs/screenshot-chat.png]
"""

from __future__ import annotations

from screenshot_setup import arguments, demo_window, start_app, wait  # noqa: I001 (first: sets up the environment)

from PySide6.QtCore import QUrl  # noqa: E402

from app.core.chat.model import ASSISTANT, USER, AnswerStats, Message  # noqa: E402
from app.core.models.demo_setup import DEMO_MOE_FILE  # noqa: E402

ANSWER = """## Mixture of experts vs. dense

Only a few experts work on each token, so a MoE model answers like a much smaller one:

| Model | Parameters | Active per token |
|---|---:|---:|
| Mixtral 8×7B | 47 B | 13 B |
| Qwen3-30B-A3B | 30 B | 3 B |
| Llama 3 8B (dense) | 8 B | 8 B |

The router scores every expert and keeps the best *k*:

```python
import numpy as np

def route(scores: np.ndarray, k: int = 2) -> np.ndarray:
    return np.argsort(scores)[-k:][::-1]
```
"""
THINKING = ("The question is about active parameters. Mixtral has 8 experts per layer and uses 2; "
            "Qwen3-30B-A3B activates about 3 B of 30 B. A table, then the top-k rule in code.")


def main() -> int:
    args = arguments("screenshot-chat.png")
    app = start_app(args.lang, "MoEscope")
    with demo_window(app, 1440, 900) as (window, demos):
        window.load_model(str(demos[DEMO_MOE_FILE]))
        wait(app, lambda: window.model_info is not None and window.model_info.is_moe)
        window.chat.show_conversation([
            Message(USER, "How much of a MoE model works on each token? A table, please, and the routing "
                          "rule in Python."),
            Message(ASSISTANT, ANSWER, thinking=THINKING, thinking_s=4.3, model="Qwen3-30B-A3B-Q4_K_M.gguf",
                    stats=AnswerStats(34, 171, 0.42, 38.6, "eos")),
        ])
        window.chat.settings.update(max_tokens=60, temperature=0.8, seed=4)
        window.chat.input.setPlainText("And which experts does the demo model pick?")
        window.chat.send()
        wait(app, lambda: not window.chat.generating)
        window.chat.transcript.anchorClicked.emit(QUrl("think:1"))  # its reasoning opened, as by a click
        window.chat.transcript.verticalScrollBar().setValue(0)  # the staged answer, from its question on
        app.processEvents()
        window.grab().save(str(args.out))
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
