"""How a coach reply looks in the chat: the answer, then its sources folded away."""

from __future__ import annotations

from typing import Any

from coach.domain import Reply

Message = dict[str, Any]
ROUTE_NAMES = {
    "learning_ops": "Learning Ops",
    "hr": "HR",
    "wellbeing": "the Employee Assistance Program",
}


def reply_messages(reply: Reply) -> list[Message]:
    messages: list[Message] = [{"role": "assistant", "content": reply.answer}]
    if reply.sources:
        listing = "\n".join(f"- **{s.title}** (`{s.source}`)" for s in reply.sources)
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
            note = f"Ticket **{handoff.ticket_id}** is open with {ROUTE_NAMES[handoff.route]}."
        else:
            note = f"Suggested hand-off to {ROUTE_NAMES[handoff.route]}: {handoff.reason}"
        message: Message = {
            "role": "assistant",
            "content": note,
            # Left open: the person should see where they are being handed off.
            "metadata": {"title": "Hand-off"},
        }
        if handoff.route == "learning_ops" and not handoff.ticket_id:
            message["options"] = [{"label": "Yes, open a ticket", "value": "yes"}]
        messages.append(message)
    return messages
