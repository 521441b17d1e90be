"""The employee's chat: streamed answers, folded sources, quick starts, hand-off
confirmation, 👍/👎, and their past conversations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from api.persistence import UnknownMessageError
from api.services import Services
from coach.chat import ChatOutcome, Token
from coach.ports import UnknownConversationError
from ui.render import Message, inert, reply_messages, stored_messages
from ui.session import SessionAuth

QUICK_STARTS = {
    "Plan my learning": "Help me make a learning plan to get better at ",
    "Organise a session": "Help me organise a brown-bag about ",
    "Who has done this before?": "Who has run a session on ",
}
TALK_TO_A_PERSON = "I'd like to talk to a person in Learning Ops"
# Several people chat at once; the model provider serialises what it must itself.
CHAT_CONCURRENCY = 16


def build_chat_tab(services: Services, auth: SessionAuth) -> None:
    def respond(
        message: str,
        history: list[Message],
        conversation_id: str | None,
        answers: dict[str, list[str]],
        request: gr.Request,
    ) -> Iterator[tuple[list[Message], str | None, dict[str, list[str]], str]]:
        user = auth.of(request)
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
            events = services.chat.stream(message, conversation_id, user.user)
            streamed = ""
            for event in events:
                if isinstance(event, Token):
                    streamed += event.text
                    # Inert while it streams too: an image link must not be fetched before
                    # the final answer replaces the draft.
                    history[-1] = {"role": "assistant", "content": inert(streamed)}
                    yield history, conversation_id, answers, ""
                elif isinstance(event, ChatOutcome):
                    rendered = reply_messages(event.reply)
                    history = [*history[:-1], *rendered]
                    conversation_id = event.conversation_id
                    # Remember which answer each chat bubble is, for 👍/👎.
                    answers = {
                        **answers,
                        str(len(history) - len(rendered)): [conversation_id, event.message_id],
                    }
        except UnknownConversationError:
            raise gr.Error("That conversation is not available; start a new one.") from None
        yield history, conversation_id, answers, ""

    def choose_option(
        history: list[Message], conversation_id: str | None, answers: dict[str, list[str]],
        event: gr.SelectData, request: gr.Request,
    ) -> Iterator[tuple[list[Message], str | None, dict[str, list[str]], str]]:  # fmt: skip
        yield from respond(str(event.value), history, conversation_id, answers, request)

    def rate(answers: dict[str, list[str]], event: gr.LikeData, request: gr.Request) -> None:
        target = answers.get(str(event.index if isinstance(event.index, int) else event.index[0]))
        if target is None:
            gr.Info("Only the coach's answers can be rated.")
            return
        try:
            services.feedback.record(
                conversation_id=target[0], message_id=target[1], owner=auth.of(request).user,
                rating="up" if event.liked else "down", comment=None,
            )  # fmt: skip
        except (UnknownConversationError, UnknownMessageError):
            raise gr.Error("That answer can no longer be rated.") from None
        gr.Info("Thanks, your feedback helps Learning Ops improve the playbooks.")

    def past(request: gr.Request) -> Any:
        rows = services.conversations.conversations_of(auth.of(request).user)
        return gr.update(choices=[(r["title"][:60] or r["id"], r["id"]) for r in rows], value=None)

    def load(
        conversation_id: str | None, request: gr.Request
    ) -> tuple[list[Message], str | None, dict[str, list[str]]]:
        if not conversation_id:
            return [], None, {}
        rows = services.conversations.messages(conversation_id, auth.of(request).user)
        return stored_messages(rows), conversation_id, {}

    conversation = gr.State(None)
    answers = gr.State({})
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
        person = gr.Button("Talk to a person", size="sm", elem_id="talk-to-a-person")
    outputs: list[Any] = [chatbot, conversation, answers, box]
    inputs: list[Any] = [box, chatbot, conversation, answers]
    for trigger in (box.submit, send.click):
        trigger(respond, inputs, outputs, concurrency_limit=CHAT_CONCURRENCY).then(
            past, None, history_picker
        )
    for button, text in zip(starters, QUICK_STARTS.values(), strict=True):
        button.click(lambda t=text: t, None, box)
    person.click(lambda: TALK_TO_A_PERSON, None, box).then(respond, inputs, outputs)
    chatbot.option_select(choose_option, [chatbot, conversation, answers], outputs)
    chatbot.like(rate, [answers], None)
    history_picker.focus(past, None, history_picker)
    history_picker.input(load, [history_picker], [chatbot, conversation, answers])
    new_chat.click(lambda: ([], None, {}), None, [chatbot, conversation, answers])
