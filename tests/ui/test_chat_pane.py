"""The chat pane on its own, fed Token events as the engine would send them: Markdown, code blocks and
their Copy links, reasoning sections, right-to-left text, auto-scroll, regenerate, edit and resend,
clear, and stored conversations."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo, QGuiApplication, QTextCursor, QTextDocument, QTextFrame, QTextTable

from app.core.chat.model import COMPLETE, INTERRUPTED, AnswerStats, Message
from app.core.engine.protocol import ANSWER, ASSISTANT, STOP_EOS, STOP_STOPPED, USER, ChatMessage, Finished, Token
from app.ui.chat import transcript as transcript_module
from app.ui.chat.pane import ChatPane

ANSWER_MD = """## Routing

A **mixture of experts** routes each token:

| Model | Experts | Active |
|---|---:|---:|
| Mixtral | 8 | 2 |
| Qwen3 | 128 | 8 |

```python
def top_k(scores, k=2):
    return sorted(scores)[-k:]
```

Done.
"""
CODE = "def top_k(scores, k=2):\n    return sorted(scores)[-k:]"


@pytest.fixture
def pane(qtbot):
    chat = ChatPane()
    qtbot.addWidget(chat)
    chat.resize(560, 640)
    chat.show()
    qtbot.waitExposed(chat)
    chat.set_model("Demo")
    return chat


def ask(pane: ChatPane, text: str = "Hello") -> None:
    pane.input.setPlainText(text)
    pane.send()


def stream(qtbot, pane: ChatPane, text: str, piece: int = 3) -> None:
    """Feed ``text`` as tokens of ``piece`` characters, flushing after each as the window's timer
    does, until it is all on screen."""
    for start in range(0, len(text), piece):
        pane.add_token(Token(start, start, text[start:start + piece], ANSWER))
        pane.flush()
    qtbot.waitUntil(lambda: pane.up_to_date)


def finish(pane: ChatPane, reason: str = STOP_EOS) -> None:
    pane.finish_answer(Finished(prompt_tokens=5, answer_tokens=42, ttft_s=0.25, tokens_per_s=31.5,
                                stop_reason=reason))


def record(pane: ChatPane) -> list[tuple]:
    """The pane's requests, in the order it makes them."""
    said = []
    pane.regenerateRequested.connect(lambda: said.append(("regenerate",)))
    pane.editResendRequested.connect(lambda index, text: said.append(("edit", index, text)))
    pane.messageSent.connect(lambda index, text: said.append(("sent", index, text)))
    pane.generateRequested.connect(lambda request: said.append(("generate", request.messages)))
    return said


def links(pane: ChatPane) -> dict[str, QTextCursor]:
    """Every link in the transcript by its href, with a cursor inside it."""
    found = {}
    block = pane.transcript.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().isAnchor():
                cursor = QTextCursor(pane.transcript.document())
                cursor.setPosition(fragment.position() + 1)
                found[fragment.charFormat().anchorHref()] = cursor
            fragments += 1
        block = block.next()
    return found


def frames(frame: QTextFrame) -> list[QTextFrame]:
    return [frame, *(inner for child in frame.childFrames() for inner in frames(child))]


def click_link(qtbot, pane: ChatPane, href: str) -> None:
    """Click the link like a user: scrolled into view, the mouse pressed and released over it."""
    cursor = links(pane)[href]
    pane.transcript.setTextCursor(cursor)
    pane.transcript.ensureCursorVisible()
    rect = pane.transcript.cursorRect(cursor)
    qtbot.mouseClick(pane.transcript.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_an_answer_is_rendered_as_markdown(qtbot, pane):
    ask(pane)
    stream(qtbot, pane, ANSWER_MD)
    finish(pane)
    document = pane.transcript.document()
    text = pane.transcript.toPlainText()
    assert "## " not in text and "**" not in text and "|---" not in text
    tables = [frame for frame in frames(document.rootFrame()) if isinstance(frame, QTextTable)]
    assert len(tables) == 1 and (tables[0].rows(), tables[0].columns()) == (3, 3)
    assert tables[0].cellAt(2, 0).firstCursorPosition().block().text() == "Qwen3"
    heading = document.find("Routing", 0, QTextDocument.FindFlag.FindCaseSensitively).block()
    assert heading.blockFormat().headingLevel() == 2
    code = document.find("def top_k").block()
    assert QFontInfo(code.charFormat().font()).fixedPitch()
    assert QFontInfo(document.find("Done.").block().charFormat().font()).fixedPitch() is False
    assert pane.answer_text == ANSWER_MD
    assert pane.messages == [ChatMessage(USER, "Hello"), ChatMessage(ASSISTANT, pane.answer_text)]
    assert "42 tokens · 31.5 tokens/s · first token after 0.25 s" in text


def test_the_copy_link_of_a_code_block_puts_its_code_on_the_clipboard(qtbot, pane):
    ask(pane)
    stream(qtbot, pane, "Two blocks:\n\n```\nfirst = 1\n```\n\nand\n\n" + ANSWER_MD)
    finish(pane)
    QGuiApplication.clipboard().setText("")
    click_link(qtbot, pane, "code:2:1")
    assert QGuiApplication.clipboard().text() == CODE
    click_link(qtbot, pane, "code:2:0")
    assert QGuiApplication.clipboard().text() == "first = 1"


def test_copy_puts_a_whole_message_on_the_clipboard(qtbot, pane):
    long_question = "Why? " * 5000
    ask(pane, long_question)
    stream(qtbot, pane, ANSWER_MD)
    finish(pane)
    click_link(qtbot, pane, "copy:2")
    assert QGuiApplication.clipboard().text() == pane.answer_text
    click_link(qtbot, pane, "copy:1")
    assert QGuiApplication.clipboard().text() == long_question.strip()


def test_reasoning_shows_apart_and_closes_once_the_answer_starts(qtbot, pane):
    ended = []
    pane.answerEnded.connect(ended.append)
    ask(pane)
    stream(qtbot, pane, "<think>\nThe user greets me. I should greet back.")
    assert "Thinking…" in pane.transcript.toPlainText()
    assert "I should greet back." in pane.transcript.toPlainText(), "open while the model thinks"
    assert pane.answer_text == ""
    stream(qtbot, pane, "\n</think>\n\nHello **there**!")
    text = pane.transcript.toPlainText()
    assert "I should greet back." not in text, "closed once the answer starts"
    assert "Thought for" in text and "Hello there!" in text
    assert pane.answer_text == "Hello **there**!"
    assert pane.thinking_text == "The user greets me. I should greet back."
    finish(pane)
    assert pane.messages[-1] == ChatMessage(ASSISTANT, "Hello **there**!")
    [message] = ended
    assert (message.content, message.thinking, message.status) == (
        "Hello **there**!", "The user greets me. I should greet back.", COMPLETE)
    assert message.thinking_s is not None and message.stats.tokens_per_s == 31.5
    click_link(qtbot, pane, "think:2")
    assert "I should greet back." in pane.transcript.toPlainText()
    click_link(qtbot, pane, "think:2")
    assert "I should greet back." not in pane.transcript.toPlainText()


def test_a_prompt_that_opens_thinking_starts_the_answer_inside_it(qtbot, pane):
    pane.thinking_at_start = True
    ask(pane)
    stream(qtbot, pane, "Hmm, 2 + 2.\n</think>\n\n4")
    finish(pane)
    assert pane.answer_text == "4" and pane.thinking_text == "Hmm, 2 + 2."


def test_a_stopped_answer_is_kept_and_marked_interrupted(qtbot, pane):
    ended = []
    pane.answerEnded.connect(ended.append)
    ask(pane)
    stream(qtbot, pane, "<think>still thinking")
    finish(pane, STOP_STOPPED)
    assert ended[0].status == INTERRUPTED and ended[0].thinking == "still thinking"
    assert "stopped" in pane.transcript.toPlainText()
    assert pane.messages == [], "an answer without text is not kept, nor its question"
    ask(pane, "Again")
    stream(qtbot, pane, "Partial answ")
    pane.abort_answer("interrupted")
    assert ended[1].status == INTERRUPTED and ended[1].content == "Partial answ"
    assert pane.messages == [ChatMessage(USER, "Again"), ChatMessage(ASSISTANT, "Partial answ")]


@pytest.mark.parametrize("text", ["مرحبا بالعالم، كيف حالك؟", "שלום עולם, מה שלומך?"])
def test_right_to_left_messages_are_laid_out_right_to_left(qtbot, pane, text):
    ask(pane, text)
    stream(qtbot, pane, f"English first.\n\n{text}\n\n- {text}")
    finish(pane)
    document = pane.transcript.document()
    blocks = []
    cursor = document.find(text)
    while not cursor.isNull():
        blocks.append(cursor.block())
        cursor = document.find(text, cursor)
    assert len(blocks) == 3  # the question, a paragraph and a list item
    for block in blocks:
        assert block.textDirection() == Qt.LayoutDirection.RightToLeft
        assert block.blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert document.find("English first.").block().textDirection() == Qt.LayoutDirection.LeftToRight


def test_umlauts_emoji_and_cjk_come_through_whole(qtbot, pane):
    text = "Grüße aus Köln, Ärger! 😀🧠 日本語の文章 中文 한국어"
    ask(pane, text)
    stream(qtbot, pane, text, piece=1)
    finish(pane)
    assert pane.answer_text == text
    assert pane.transcript.toPlainText().count(text) == 2


def test_auto_scroll_follows_the_stream_until_the_user_scrolls_up(qtbot, pane):
    bar = pane.transcript.verticalScrollBar()
    ask(pane)
    stream(qtbot, pane, "A line of the answer.\n\n" * 60, piece=23)
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    bar.setValue(0)  # the user scrolls up to read
    stream(qtbot, pane, "More lines.\n\n" * 20, piece=13)
    assert bar.value() == 0 and not pane.transcript.following
    bar.setValue(bar.maximum())  # and back to the bottom
    stream(qtbot, pane, "Even more.\n\n" * 20, piece=12)
    assert bar.value() == bar.maximum() and pane.transcript.following
    finish(pane)
    assert bar.value() == bar.maximum()


def test_streaming_renders_only_the_answer_being_written(qtbot, pane, monkeypatch):
    for turn in range(5):
        ask(pane, f"Question {turn}")
        stream(qtbot, pane, ANSWER_MD, piece=40)
        finish(pane)
    rendered = []
    render = transcript_module.Transcript._render
    monkeypatch.setattr(transcript_module.Transcript, "_render",
                        lambda self, number, cursor: (rendered.append(number), render(self, number, cursor)))
    ask(pane, "Last question")
    rendered.clear()
    stream(qtbot, pane, ANSWER_MD, piece=5)
    answer_number = len(pane.transcript.entries) - 1
    assert rendered and set(rendered) == {answer_number}


def test_regenerate_replaces_the_last_answer(qtbot, pane):
    ask(pane, "Tell a joke")
    stream(qtbot, pane, "A first joke.")
    finish(pane)
    said = record(pane)
    click_link(qtbot, pane, "regenerate:2")
    assert said == [("regenerate",), ("generate", (ChatMessage(USER, "Tell a joke"),))]
    assert pane.generating and pane.messages == [ChatMessage(USER, "Tell a joke")]
    assert "A first joke." not in pane.transcript.toPlainText()
    stream(qtbot, pane, "A second joke.")
    finish(pane)
    assert pane.messages[-1] == ChatMessage(ASSISTANT, "A second joke.")
    assert [href for href in links(pane) if href.startswith("regenerate")] == ["regenerate:2"]


def test_edit_and_resend_drops_the_rest_of_the_conversation(qtbot, pane):
    for question, answer in (("One?", "1"), ("Two?", "2")):
        ask(pane, question)
        stream(qtbot, pane, answer)
        finish(pane)
    click_link(qtbot, pane, "edit:1")
    assert pane.input.toPlainText() == "One?" and pane.editing == 0
    pane.input.setPlainText("Uno?")
    said = record(pane)
    pane.send()
    assert said == [("edit", 0, "Uno?"), ("sent", 0, "Uno?"), ("generate", (ChatMessage(USER, "Uno?"),))]
    text = pane.transcript.toPlainText()
    assert "One?" not in text and "Two?" not in text and "Uno?" in text
    assert pane.messages == [ChatMessage(USER, "Uno?")]


def test_escape_cancels_an_edit(qtbot, pane):
    ask(pane, "One?")
    stream(qtbot, pane, "1")
    finish(pane)
    pane.edit_message(0)
    qtbot.keyClick(pane.input, Qt.Key.Key_Escape)
    assert pane.editing is None and pane.input.toPlainText() == ""


def test_clear_and_new_chat_empty_the_view(qtbot, pane):
    ask(pane)
    stream(qtbot, pane, "Hi")
    finish(pane)
    with qtbot.waitSignal(pane.clearRequested):
        qtbot.mouseClick(pane.clear_button, Qt.MouseButton.LeftButton)
    assert pane.messages == [] and pane.transcript.toPlainText().strip() == ""
    ask(pane)
    stream(qtbot, pane, "Hi")
    finish(pane)
    with qtbot.waitSignal(pane.newChatRequested):
        qtbot.mouseClick(pane.new_chat_button, Qt.MouseButton.LeftButton)
    assert pane.messages == [] and pane.transcript.entries == []


def test_a_stored_conversation_is_shown_with_its_thinking_and_interruptions(qtbot, pane):
    stats = AnswerStats(prompt_tokens=9, answer_tokens=12, ttft_s=0.5, tokens_per_s=20.0, stop_reason=STOP_EOS)
    stored = [
        Message(USER, "What is 2 + 2?"),
        Message(ASSISTANT, "It is **4**.", thinking="Add them.", thinking_s=4.2, model="/m/Qwen3-4B.gguf",
                stats=stats),
        Message(USER, "And 3 + 3?"),
        Message(ASSISTANT, "It is", status=INTERRUPTED, model="Qwen3-4B"),
    ]
    pane.show_conversation(stored)
    text = pane.transcript.toPlainText()
    assert "Welcome" not in text
    assert "Thought for 4.2 s" in text and "Add them." not in text
    assert "12 tokens · 20.0 tokens/s · first token after 0.50 s" in text
    assert text.rstrip().endswith("interrupted")
    assert "Qwen3-4B" in text and ".gguf" not in text
    assert pane.messages == [ChatMessage(m.role, m.content) for m in stored]
    assert "regenerate:3" in links(pane)
    click_link(qtbot, pane, "think:1")
    assert "Add them." in pane.transcript.toPlainText()
    ask(pane, "And 4 + 4?")
    assert "regenerate:3" not in links(pane)
    assert pane.generating and len(pane.messages) == 5
