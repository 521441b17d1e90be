from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, HTTPException, Query, Response, status

from api.auth import CurrentUser, HistoryReader, LearningOps
from api.deps import ServicesDep
from api.schemas import EscalationCreate, EscalationList, EscalationPublic, EscalationUpdate
from coach.domain import NewTicket
from coach.ports import IdempotencyConflictError, UnknownConversationError
from coach.services.tickets import InvalidTransitionError

router = APIRouter(prefix="/v1/escalations", tags=["escalations"])


def _not_found(escalation_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"Unknown escalation: {escalation_id}")


@router.post(
    "",
    response_model=EscalationPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "A replay of an earlier request with the same Idempotency-Key"},
        409: {"description": "The Idempotency-Key was used with a different request"},
    },
)
def create_escalation(
    body: EscalationCreate,
    services: ServicesDep,
    user: CurrentUser,
    response: Response,
    idempotency_key: Annotated[str | None, Header(min_length=1, max_length=200)] = None,
) -> EscalationPublic:
    """Hand a request to people. The ticket (and its notification) is committed before this
    returns. With an `Idempotency-Key`, a retried request returns the same ticket."""
    ticket = NewTicket(body.route, body.summary, body.reason, body.conversation_id, user.user)
    try:
        row, created = services.escalations.create(
            ticket, idempotency_key=idempotency_key, body=body.model_dump()
        )
    except UnknownConversationError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Unknown conversation: {error}") from None
    except IdempotencyConflictError:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "This Idempotency-Key was already used with a different request.",
        ) from None
    if not created:
        response.status_code = status.HTTP_200_OK
    return EscalationPublic.model_validate(row)


@router.get("", response_model=EscalationList)
def list_escalations(
    services: ServicesDep,
    user: HistoryReader,
    status_: Annotated[
        Literal["open", "in_progress", "resolved", "closed"] | None, Query(alias="status")
    ] = None,
    route: Literal["learning_ops", "hr", "wellbeing"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> EscalationList:
    """Newest first. Learning Ops see the whole queue; employees see their own tickets."""
    page = services.escalations.seen_by(
        user, status=status_, route=route, limit=limit, offset=offset
    )
    return EscalationList(
        escalations=[EscalationPublic.model_validate(r) for r in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
    )


@router.get("/{escalation_id}", response_model=EscalationPublic)
def get_escalation(
    escalation_id: str, services: ServicesDep, user: HistoryReader
) -> EscalationPublic:
    """One ticket: any for Learning Ops, your own otherwise (others look unknown)."""
    row = services.escalations.visible(escalation_id, user)
    if row is None:
        raise _not_found(escalation_id)
    return EscalationPublic.model_validate(row)


@router.patch("/{escalation_id}", response_model=EscalationPublic)
def update_escalation(
    escalation_id: str, body: EscalationUpdate, services: ServicesDep, user: LearningOps
) -> EscalationPublic:
    """Move a ticket through open → in_progress → resolved (or closed); assign it; note how
    it was resolved (shown to the requester in their conversation)."""
    try:
        row = services.escalations.update(
            escalation_id,
            status=body.status,
            assignee=body.assignee,
            resolution_note=body.resolution_note,
        )
    except InvalidTransitionError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    if row is None:
        raise _not_found(escalation_id)
    return EscalationPublic.model_validate(row)
