"""The employee's chat: streamed answers, folded sources, quick starts, hand-off
confirmation, 👍/👎, and their past conversations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from coach.chat import ChatOutcome, Token
from coach.ports import UnknownConversationError, UnknownMessageError
from coach.services import Services
from coach.services.access import Principal, caller_of
from ui.identity import SignIn, person
from ui.render import Message, inert, reply_messages, stored_messages

QUICK_STARTS = {
    "Plan my learning": "Help me make a learning plan to get better at ",
    "Organise a session": "Help me organise a brown-bag about ",
    "Who has done this before?": "Who has run a session on ",
}
TALK_TO_A_PERSON = "Please let me speak with a human from Learning Ops"
# Several people chat at once; the model provider serialises what it must itself.
CHAT_CONCURRENCY = 16

History = list[Message]
Answers = dict[str, list[str]]  # chat bubble index → [conversation id, message id], for 👍/👎
Step = tuple[History, str | None, Answers, str]  # what each step of an answer shows


class ChatHandlers:
    def __init__(self, services: Services, auth: SignIn) -> None:
        self._services = services
        self._auth = auth

    def respond(
        self, message: str, history: History, conversation_id: str | None, answers: Answers,
        request: gr.Request,
    ) -> Iterator[Step]:  # fmt: skip
        """Send a message: the question shows at once, then the answer as it is written."""
        user = person(self._auth, request)
        if not message.strip():
            yield history, conversation_id, answers, ""
            return
        history = [
            *history,
            {"role": "user", "content": message},
            {"role": "assistant", "content": "…"},
        ]
        yield history, conversation_id, answers, ""
        try:
            yield from self._answer(message, history, conversation_id, answers, user)
        except UnknownConversationError:
            raise gr.Error("That conversation is not available; start a new one.") from None

    def _answer(
        self, message: str, history: History, conversation_id: str | None, answers: Answers,
        user: Principal,
    ) -> Iterator[Step]:  # fmt: skip
        streamed = ""
        events = self._services.chat.stream(message, conversation_id, user.user, caller_of(user))
        for event in events:
            if isinstance(event, Token):
                streamed += event.text
                # Inert while it streams too: an image link must not be fetched before the
                # final answer replaces the draft.
                history[-1] = {"role": "assistant", "content": inert(streamed)}
                yield history, conversation_id, answers, ""
            elif isinstance(event, ChatOutcome):
                rendered = reply_messages(event.reply)
                history = [*history[:-1], *rendered]
                conversation_id = event.conversation_id
                # Remember which answer each chat bubble is, for 👍/👎.
                bubble = str(len(history) - len(rendered))
                answers = {**answers, bubble: [conversation_id, event.message_id]}
        yield history, conversation_id, answers, ""

    def choose_option(
        self, history: History, conversation_id: str | None, answers: Answers,
        event: gr.SelectData, request: gr.Request,
    ) -> Iterator[Step]:  # fmt: skip
        """A button under an answer (e.g. "Yes, open a ticket") answers as if typed."""
        yield from self.respond(str(event.value), history, conversation_id, answers, request)

    def rate(self, answers: Answers, event: gr.LikeData, request: gr.Request) -> None:
        target = answers.get(str(event.index if isinstance(event.index, int) else event.index[0]))
        if target is None:
            gr.Info("Only the coach's answers can be rated.")
            return
        try:
            self._services.feedback.record(
                conversation_id=target[0], message_id=target[1],
                owner=person(self._auth, request).user,
                rating="up" if event.liked else "down", comment=None,
            )  # fmt: skip
        except (UnknownConversationError, UnknownMessageError):
            raise gr.Error("That answer can no longer be rated.") from None
        gr.Info("Thanks, your feedback helps Learning Ops improve the playbooks.")

    def past(self, request: gr.Request) -> Any:
        """The person's conversations, for the picker."""
        rows = self._services.conversations.conversations_of(person(self._auth, request).user)
        return gr.update(choices=[(r.title[:60] or r.id, r.id) for r in rows], value=None)

    def load(
        self, conversation_id: str | None, request: gr.Request
    ) -> tuple[History, str | None, Answers]:
        """Show a past conversation, to read or continue."""
        if not conversation_id:
            return [], None, {}
        owner = person(self._auth, request).user
        rows = self._services.conversations.messages(conversation_id, owner)
        return stored_messages(rows), conversation_id, {}


@dataclass
class ChatPanel:
    conversation: gr.State
    answers: gr.State
    history_picker: gr.Dropdown
    new_chat: gr.Button
    chatbot: gr.Chatbot
    box: gr.Textbox
    send: gr.Button
    starters: list[gr.Button]
    talk_to_a_person: gr.Button


def _chat_panel() -> ChatPanel:
    conversation, answers = gr.State(None), gr.State({})
    with gr.Row():
        history_picker = gr.Dropdown(
            label="Your conversations", choices=[], scale=4, elem_id="history"
        )
        new_chat = gr.Button("New conversation", scale=1)
    chatbot = gr.Chatbot(
        label="Coach",
        elem_id="coach-chat",
        height=520,
        buttons=["copy"],
        feedback_options=("Like", "Dislike"),
    )
    with gr.Row():
        box = gr.Textbox(
            placeholder="Ask the coach…", show_label=False, scale=8, elem_id="coach-input"
        )
        send = gr.Button("Send", variant="primary", scale=1, elem_id="coach-send")
    with gr.Row():
        starters = [gr.Button(label, size="sm") for label in QUICK_STARTS]
        talk = gr.Button("Talk to a person", size="sm", elem_id="talk-to-a-person")
    return ChatPanel(
        conversation, answers, history_picker, new_chat, chatbot, box, send, starters, talk
    )


def _connect(panel: ChatPanel, handlers: ChatHandlers) -> None:
    state = [panel.chatbot, panel.conversation, panel.answers]
    outputs: list[Any] = [*state, panel.box]
    inputs: list[Any] = [panel.box, *state]
    for trigger in (panel.box.submit, panel.send.click):
        trigger(handlers.respond, inputs, outputs, concurrency_limit=CHAT_CONCURRENCY).then(
            handlers.past, None, panel.history_picker
        )
    for button, text in zip(panel.starters, QUICK_STARTS.values(), strict=True):
        button.click(lambda t=text: t, None, panel.box)
    panel.talk_to_a_person.click(lambda: TALK_TO_A_PERSON, None, panel.box).then(
        handlers.respond, inputs, outputs
    )
    panel.chatbot.option_select(handlers.choose_option, state, outputs)
    panel.chatbot.like(handlers.rate, [panel.answers], None)
    panel.history_picker.focus(handlers.past, None, panel.history_picker)
    panel.history_picker.input(handlers.load, [panel.history_picker], state)
    panel.new_chat.click(lambda: ([], None, {}), None, state)


def build_chat_tab(services: Services, auth: SignIn) -> None:
    _connect(_chat_panel(), ChatHandlers(services, auth))
