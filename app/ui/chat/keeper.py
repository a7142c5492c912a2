"""ConversationKeeper: keeps what the chat pane shows in the conversation store, and brings a stored
conversation back into the pane.

The pane knows messages by their place in ``ChatPane.messages``; the store by message ids. The keeper
holds the id of each of the pane's messages (None until the store has given one) and turns the pane's
requests into store requests: a sent message is added, an answer is written while it streams (its
visible text and its reasoning section apart, and the passages of the user's documents it was given),
regenerate and edit-and-resend drop the stored messages from there on, Clear empties the conversation,
New chat starts another one beside it. Store work runs on the ConversationController's thread; nothing
here waits for it.

The document collections a conversation asks belong to it: they are kept with it, and an opened
conversation brings its own back (``collectionsShown``). New chat starts with the collections of the
conversation on screen, as it does with its model and settings: someone asking the company handbook
starts a new chat to ask the handbook something else, and the chooser above the input box says plainly
which documents are asked, so going on with them is what a user expects, and switching them off is one
click. The window starts with none.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict

from PySide6.QtCore import QObject, Signal

from app.core.chat.model import ASSISTANT, USER, Conversation, Message, Settings, Source
from app.core.engine import protocol
from app.ui.chat.conversation_controller import ConversationController
from app.ui.chat.pane import ChatPane

GENERATION_FIELDS = ("max_tokens", "temperature", "top_p", "top_k", "min_p", "repeat_penalty", "seed", "thinking")


def generation_overrides(settings: Settings) -> dict:
    """The Generate fields ``settings`` sets (None: the model's own default, so left out)."""
    values = asdict(settings)
    return {name: values[name] for name in GENERATION_FIELDS if values[name] is not None}


class ConversationKeeper(QObject):
    """Between the ChatPane and the ConversationController. The window reports the engine's answer
    events here (``add_prompt_routing``, ``add_token``, ``answer_flushed``, ``answer_finished``,
    ``answer_interrupted``) and the model it loads (``set_model_path``).

    Attributes:
        settings: the current conversation's Settings (system prompt and sampling).
        model_path: the model file the current conversation is held with ("" for none yet).
        thinking_switch: whether the loaded model's template can be told to think first or not (only
            then is the conversation's ``thinking`` choice sent).
        collections: the names of the document collections the current conversation asks.

    Signals:
        conversationShown(): the pane shows another conversation (opened, or a new empty one): whatever
            belonged to the previous one (expert view, speed) should go.
        modelWanted(str): an opened conversation was held with this model file, which is not the one
            loaded: the window may load it.
        routingShown(object, object): the routing trace (a RoutingTrace, or None when the answer has
            none) and the figures (AnswerStats or None) of the answer the user asked to see in the
            expert view, or of an opened conversation's last answer.
        collectionsShown(list): an opened conversation asks these document collections (names); the
            chooser follows.
    """

    conversationShown = Signal()
    modelWanted = Signal(str)
    routingShown = Signal(object, object)
    collectionsShown = Signal(list)

    def __init__(self, chat: ChatPane, controller: ConversationController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chat = chat
        self.controller = controller
        self.settings = Settings()
        self.model_path = ""
        self.thinking_switch = False
        self.collections: tuple[str, ...] = ()
        self._ids: list[int | None] = []  # per message of chat.messages
        self._waiting: deque[int] = deque()  # indexes in chat.messages whose store ids are on their way
        self._answer_index: int | None = None
        self._answer_open = False
        self._shown_content = ""
        self._shown_thinking = ""
        self._shown_sources: tuple[Source, ...] = ()
        self._routing_wanted: int | None = None  # the store id of the answer whose routing is on its way

        chat.messageSent.connect(self._on_message_sent)
        chat.generateRequested.connect(self._on_answer_begins)
        chat.regenerateRequested.connect(self._on_regenerate)
        chat.editResendRequested.connect(self._on_edit_resend)
        chat.clearRequested.connect(self._on_clear)
        chat.newChatRequested.connect(self.new_conversation)
        chat.answerEnded.connect(self._on_answer_ended)
        chat.routingRequested.connect(self._on_routing_requested)
        controller.routingLoaded.connect(self._on_routing_loaded)
        controller.conversationOpened.connect(self._on_opened)
        controller.messageStored.connect(self._on_stored)
        controller.answerStored.connect(self._on_stored)
        self._apply_settings()

    # --- choosing the conversation ------------------------------------------------------------------

    def open(self, conversation_id: int) -> None:
        """Show a stored conversation (not while an answer is written)."""
        if not self.chat.generating:
            self.controller.open(conversation_id)

    def new_conversation(self) -> None:
        """An empty conversation with the current model and settings; the one before stays stored."""
        if self.chat.generating:
            return
        self.chat.new_chat()
        self._forget_messages()
        self.controller.new_conversation(self.model_path, self.settings, self.collections)
        self.conversationShown.emit()

    def _on_opened(self, conversation: Conversation) -> None:
        self.chat.show_conversation(conversation.messages)
        self._forget_messages()
        self._ids = [message.id for message in conversation.messages]
        self.settings = conversation.settings
        self._apply_settings()
        self.collections = conversation.collections
        self.collectionsShown.emit(list(conversation.collections))
        self.conversationShown.emit()
        if conversation.model_path and conversation.model_path != self.model_path:
            self.modelWanted.emit(conversation.model_path)
        answers = [index for index, message in enumerate(conversation.messages) if message.role == ASSISTANT]
        if answers:
            self._on_routing_requested(answers[-1])

    def _on_routing_requested(self, index: int) -> None:
        message_id = self._ids[index] if 0 <= index < len(self._ids) else None
        if message_id is not None:
            self._routing_wanted = message_id
            self.controller.load_routing(message_id)

    def _on_routing_loaded(self, message_id: int, trace, stats) -> None:
        if message_id == self._routing_wanted:
            self._routing_wanted = None
            self.routingShown.emit(trace, stats)

    def _forget_messages(self) -> None:
        self._ids.clear()
        self._waiting.clear()
        self._answer_index = None

    # --- settings and model ---------------------------------------------------------------------------

    def set_settings(self, settings: Settings) -> None:
        """New settings for the current conversation (the settings dialog): kept, and used from the
        next answer on."""
        self.settings = settings
        self._apply_settings()
        self.controller.update(settings=settings)

    def set_model_path(self, path: str) -> None:
        """The window loaded this model: the current conversation goes on with it."""
        if path != self.model_path:
            self.model_path = path
            self.controller.update(model_path=path)

    def set_collections(self, names: list[str]) -> None:
        """The user chose the document collections the current conversation asks: kept with it."""
        if tuple(names) != self.collections:
            self.collections = tuple(names)
            self.controller.set_collections(self.collections)

    def set_thinking_switch(self, available: bool) -> None:
        """The loaded model's template has (or lacks) a switch for thinking first."""
        self.thinking_switch = available
        self._apply_settings()

    def _apply_settings(self) -> None:
        self.chat.settings = generation_overrides(self.settings)
        if not self.thinking_switch:
            self.chat.settings.pop("thinking", None)
        self.chat.system_prompt = self.settings.system_prompt

    # --- messages ---------------------------------------------------------------------------------------

    def _on_message_sent(self, index: int, text: str) -> None:
        self._ids[index:] = [None]
        self._waiting.append(index)
        self.controller.add_message(Message(USER, text, model=self.model_path, settings=self.settings))

    def _on_stored(self, _conversation_id: int, message_id: int) -> None:
        if self._waiting:
            index = self._waiting.popleft()
            if 0 <= index < len(self._ids):
                self._ids[index] = message_id

    def _drop_from(self, index: int) -> None:
        """Delete the stored messages from the pane's ``index`` on."""
        stored = next((i for i in self._ids[index:] if i is not None), None)
        del self._ids[index:]
        self._waiting = deque(i for i in self._waiting if i < index)
        if stored is not None:
            self.controller.truncate_from(stored)

    def _on_regenerate(self) -> None:
        self._drop_from(len(self.chat.messages))

    def _on_edit_resend(self, index: int, _text: str) -> None:
        self._drop_from(index)

    def _on_clear(self) -> None:
        self._drop_from(0)
        self.conversationShown.emit()

    # --- the answer streaming in ------------------------------------------------------------------------

    def _on_answer_begins(self, _request: protocol.Generate) -> None:
        self._answer_open = True
        self._shown_content = self._shown_thinking = ""
        self._shown_sources = ()
        self.controller.begin_answer(self.model_path, self.settings)

    def add_prompt_routing(self, event: protocol.PromptRouting) -> None:
        if self._answer_open:
            self.controller.add_prompt_routing(event)

    def add_token(self, token: protocol.Token) -> None:
        if self._answer_open:
            self.controller.add_token(token)

    def answer_flushed(self) -> None:
        """The pane put new answer text on screen: keep its visible text and reasoning apart, and its sources."""
        if not self._answer_open:
            return
        if self.chat.answer_sources != self._shown_sources:
            self._shown_sources = self.chat.answer_sources
            self.controller.set_sources(self._shown_sources)
        content, thinking = self.chat.answer_text, self.chat.thinking_text
        if thinking != self._shown_thinking:
            self._shown_thinking = thinking
            self.controller.set_thinking(thinking, self.chat.thinking_seconds)
        if content != self._shown_content:
            self._shown_content = content
            self.controller.set_content(content)

    def _on_answer_ended(self, message: Message) -> None:
        """The pane ended the answer (complete, stopped or interrupted): its final text and reasoning."""
        if not self._answer_open:
            return
        self.controller.set_thinking(message.thinking, message.thinking_s)
        self.controller.set_content(message.content)
        self.controller.set_sources(message.sources)
        kept = bool(self.chat.messages) and self.chat.messages[-1].role == ASSISTANT \
            and self.chat.messages[-1].content == message.content
        if kept:
            self._ids.append(None)
            self._answer_index = len(self._ids) - 1

    def answer_finished(self, finished: protocol.Finished) -> None:
        """The engine's figures of the answer: it is stored complete (stopped: interrupted)."""
        if self._answer_open:
            self._answer_open = False
            self.controller.finish_answer(finished)
            self._await_answer_id()

    def answer_restarted(self) -> None:
        """The answer being written is asked for again from its start (compatibility mode): the store forgets
        the first attempt."""
        if self._answer_open:
            self._shown_content = self._shown_thinking = ""
            self.controller.restart_answer()

    def answer_interrupted(self) -> None:
        """The answer ended without figures (engine lost, error, window closing): kept, interrupted."""
        if self._answer_open:
            self._answer_open = False
            self.controller.interrupt_answer()
            self._await_answer_id()

    def _await_answer_id(self) -> None:
        """The store's id of the answer just ended comes next; the pane may not have kept the answer
        (nothing was written), then the id is not needed (-1)."""
        index, self._answer_index = self._answer_index, None
        self._waiting.append(-1 if index is None else index)

    def close(self) -> None:
        """The window closes: an answer being written is kept, interrupted, and the store is closed."""
        if self._answer_open:
            self.answer_flushed()
            self.answer_interrupted()
        self.controller.stop()
