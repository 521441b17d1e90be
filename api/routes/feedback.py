from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from api.auth import CurrentUser
from api.deps import ServicesDep
from api.schemas import FeedbackCreate, FeedbackPublic
from coach.ports import UnknownConversationError, UnknownMessageError

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])


@router.post("", response_model=FeedbackPublic, status_code=status.HTTP_201_CREATED)
def give_feedback(body: FeedbackCreate, services: ServicesDep, user: CurrentUser) -> FeedbackPublic:
    """Rate one of the coach's answers in your conversation; stored with the passages used."""
    try:
        row = services.feedback.record(
            conversation_id=body.conversation_id,
            message_id=body.message_id,
            owner=user.user,
            rating=body.rating,
            comment=body.comment,
        )
    except (UnknownConversationError, UnknownMessageError):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Unknown conversation or message.") from None
    return FeedbackPublic(
        id=row.id,
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        rating=row.rating,
        comment=row.comment,
        chunk_ids=list(row.chunk_ids),
        created_at=row.created_at,
    )
