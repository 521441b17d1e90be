"""How coach replies and records look in the UI. Model output is shown as text and Markdown
only: HTML is sanitised by Gradio, and image links are made inert (they could leak data)."""

from __future__ import annotations

import re
from typing import Any

from coach.domain import Reply
from coach.records import StoredMessage

Message = dict[str, Any]
ROUTE_NAMES = {
    "learning_ops": "Learning Ops",
    "hr": "HR",
    "wellbeing": "the Employee Assistance Program",
}
_IMAGE = re.compile(r"!\[")


def inert(text: str) -> str:
    """Markdown without HTML (shown as text) and with images turned into plain text, so no
    script runs and no request leaves the browser."""
    return _IMAGE.sub(r"!\\[", text.replace("&", "&amp;").replace("<", "&lt;"))


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def plain(text: str) -> str:
    """Text from a document's metadata (a title, a path) shown as itself: every Markdown
    character escaped, no HTML, one line."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split())).replace("&", "&amp;").replace("<", "&lt;")


def source_line(title: str, source: str) -> str:
    return f"- **{plain(title)}** ({plain(source)})"


def reply_messages(reply: Reply) -> list[Message]:
    messages: list[Message] = [{"role": "assistant", "content": inert(reply.answer)}]
    if reply.sources:
        listing = "\n".join(source_line(s.title, s.source) for s in reply.sources)
        messages.append(
            {
                "role": "assistant",
                "content": listing,
                "metadata": {"title": f"Sources ({len(reply.sources)})", "status": "done"},
            }
        )
    handoff = reply.handoff
    if handoff:
        if handoff.ticket_id:
            note = (
                f"Ticket **{handoff.ticket_id}** is open with {ROUTE_NAMES[handoff.route]}. "
                "Follow it under *My tickets*."
            )
        else:
            note = f"Suggested hand-off to {ROUTE_NAMES[handoff.route]}: {handoff.reason}"
        # Left open: the person should see where they are being handed off.
        message: Message = {"role": "assistant", "content": note, "metadata": {"title": "Hand-off"}}
        if handoff.route == "learning_ops" and not handoff.ticket_id:
            message["options"] = [{"label": "Yes, open a ticket", "value": "yes"}]
        messages.append(message)
    return messages


def stored_messages(rows: list[StoredMessage]) -> list[Message]:
    """A stored conversation, as chat messages."""
    messages: list[Message] = []
    for row in rows:
        messages.append(
            {"role": "user" if row.role == "user" else "assistant", "content": inert(row.content)}
        )
        sources = row.sources if row.role == "assistant" else ()
        if sources:
            listing = "\n".join(source_line(s.title, s.source) for s in sources)
            messages.append(
                {"role": "assistant", "content": listing,
                 "metadata": {"title": f"Sources ({len(sources)})", "status": "done"}}
            )  # fmt: skip
    return messages
