from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from api.auth import HistoryReader
from api.deps import ServicesDep
from api.schemas import ConversationList, ConversationSummary

router = APIRouter(prefix="/v1/conversations", tags=["chat"])


@router.get("", response_model=ConversationList)
def list_conversations(services: ServicesDep, user: HistoryReader) -> ConversationList:
    """Your own conversations, newest first."""
    rows = services.conversations.conversations_of(user.user)
    return ConversationList(conversations=[ConversationSummary(**row) for row in rows])


@router.get("/{conversation_id}/messages")
def conversation_messages(
    conversation_id: str, services: ServicesDep, user: HistoryReader
) -> dict[str, object]:
    """The messages of one of your conversations, oldest first."""
    from coach.ports import UnknownConversationError

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
                "sources": m.details.get("sources", []),
                "handoff": m.details.get("handoff"),
                "created_at": m.created_at.isoformat(),
            }
            for m in rows
        ]
    }
