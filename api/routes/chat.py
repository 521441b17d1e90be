from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from api.deps import ServicesDep
from api.schemas import ChatRequest, ChatResponse, HandoffPublic, SourcePublic
from coach.ports import UnknownConversationError

router = APIRouter(prefix="/v1", tags=["chat"])


@router.post("/chat", response_model=ChatResponse)
def chat(body: ChatRequest, services: ServicesDep) -> ChatResponse:
    """Ask the coach. Pass `conversation_id` back to continue the same conversation."""
    try:
        outcome = services.chat.chat(body.message, body.conversation_id)
    except UnknownConversationError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Unknown conversation: {error}") from None
    except ValueError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    reply = outcome.reply
    handoff = reply.handoff
    return ChatResponse(
        conversation_id=outcome.conversation_id,
        answer=reply.answer,
        sources=[SourcePublic(source=s.source, title=s.title) for s in reply.sources],
        handoff=HandoffPublic(
            route=handoff.route, reason=handoff.reason, ticket_id=handoff.ticket_id
        )
        if handoff
        else None,
    )
