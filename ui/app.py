"""The employee chat page."""

from __future__ import annotations

from typing import Any

import gradio as gr

from coach.chat import ChatService
from coach.ports import UnknownConversationError
from ui.render import Message, reply_messages

EXAMPLES = [
    "How long should a brown-bag be?",
    "How do I invite an external guest speaker?",
    "Help me plan my learning",
    "I'd like to talk to a person in Learning Ops",
]
# Several people chat at once; the model provider serialises what it must itself.
CHAT_CONCURRENCY = 16


def build_ui(chat: ChatService) -> gr.Blocks:
    def respond(
        message: str, history: list[Message], conversation_id: str | None
    ) -> tuple[list[Message], str | None, str]:
        if not message.strip():
            return history, conversation_id, ""
        try:
            outcome = chat.chat(message, conversation_id)
        except UnknownConversationError:
            outcome = chat.chat(message, None)
            history = []
        history = [*history, {"role": "user", "content": message}, *reply_messages(outcome.reply)]
        return history, outcome.conversation_id, ""

    def choose_option(
        history: list[Message], conversation_id: str | None, event: gr.SelectData
    ) -> tuple[list[Message], str | None, str]:
        return respond(str(event.value), history, conversation_id)

    with gr.Blocks(title="Learning Ops Coach", fill_height=True) as blocks:
        gr.Markdown(
            "## Learning Ops Coach\nAsk about running sessions, planning your learning, "
            "or reaching Learning Ops. Answers cite the playbooks and past session notes."
        )
        conversation = gr.State(None)
        chatbot = gr.Chatbot(label="Coach", elem_id="coach-chat", scale=1, buttons=["copy"])
        with gr.Row():
            box = gr.Textbox(
                placeholder="Ask the coach…", show_label=False, scale=8, elem_id="coach-input"
            )
            send = gr.Button("Send", variant="primary", scale=1, elem_id="coach-send")
        gr.Examples(EXAMPLES, inputs=box)
        outputs: list[Any] = [chatbot, conversation, box]
        for trigger in (box.submit, send.click):
            trigger(
                respond, [box, chatbot, conversation], outputs, concurrency_limit=CHAT_CONCURRENCY
            )
        chatbot.option_select(choose_option, [chatbot, conversation], outputs)
    blocks_built: gr.Blocks = blocks
    return blocks_built
