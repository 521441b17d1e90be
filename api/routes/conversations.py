from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from api.auth import HistoryReader
from api.deps import ServicesDep
from api.schemas import ConversationList, ConversationSummary
from coach.ports import UnknownConversationError

router = APIRouter(prefix="/v1/conversations", tags=["chat"])


@router.get("", response_model=ConversationList)
def list_conversations(services: ServicesDep, user: HistoryReader) -> ConversationList:
    """Your own conversations, newest first."""
    rows = services.conversations.conversations_of(user.user)
    return ConversationList(
        conversations=[
            ConversationSummary(id=r.id, title=r.title, created_at=r.created_at) for r in rows
        ]
    )


@router.get("/{conversation_id}/messages")
def conversation_messages(
    conversation_id: str, services: ServicesDep, user: HistoryReader
) -> dict[str, object]:
    """The messages of one of your conversations, oldest first."""
    try:
        rows = services.conversations.messages(conversation_id, user.user)
    except UnknownConversationError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Unknown conversation") from None
    return {
        "messages": [
            {
                "id": m.id,
                "role": m.role,
                "content": m.content,
                "sources": [{"source": s.source, "title": s.title} for s in m.sources],
                "handoff": {
                    "route": m.handoff.route,
                    "reason": m.handoff.reason,
                    "ticket_id": m.handoff.ticket_id,
                }
                if m.handoff
                else None,
                "created_at": m.created_at.isoformat(),
            }
            for m in rows
        ]
    }
