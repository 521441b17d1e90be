from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from api.deps import ServicesDep
from api.schemas import EscalationCreate, EscalationList, EscalationPublic, EscalationUpdate
from coach.domain import NewTicket
from coach.ports import UnknownConversationError

router = APIRouter(prefix="/v1/escalations", tags=["escalations"])


def _not_found(escalation_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"Unknown escalation: {escalation_id}")


@router.post("", response_model=EscalationPublic, status_code=status.HTTP_201_CREATED)
def create_escalation(body: EscalationCreate, services: ServicesDep) -> EscalationPublic:
    """Hand a conversation to people. The ticket is committed before this returns."""
    ticket = NewTicket(body.route, body.summary, body.reason, body.conversation_id)
    try:
        row = services.escalations.create(ticket)
    except UnknownConversationError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Unknown conversation: {error}") from None
    return EscalationPublic.model_validate(row)


@router.get("", response_model=EscalationList)
def list_escalations(services: ServicesDep) -> EscalationList:
    rows = services.escalations.list()
    return EscalationList(escalations=[EscalationPublic.model_validate(r) for r in rows])


@router.get("/{escalation_id}", response_model=EscalationPublic)
def get_escalation(escalation_id: str, services: ServicesDep) -> EscalationPublic:
    row = services.escalations.get(escalation_id)
    if row is None:
        raise _not_found(escalation_id)
    return EscalationPublic.model_validate(row)


@router.patch("/{escalation_id}", response_model=EscalationPublic)
def update_escalation(
    escalation_id: str, body: EscalationUpdate, services: ServicesDep
) -> EscalationPublic:
    row = services.escalations.update(escalation_id, body.status, body.resolution_note)
    if row is None:
        raise _not_found(escalation_id)
    return EscalationPublic.model_validate(row)
