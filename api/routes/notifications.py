from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status
from pydantic import BaseModel

from api.auth import LearningOps
from api.deps import ServicesDep

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])


class DeadLetterPublic(BaseModel):
    id: int
    escalation_id: str
    attempts: int
    last_error: str | None
    dead_at: dt.datetime


class DeadLetterList(BaseModel):
    dead_letters: list[DeadLetterPublic]


@router.get("/dead-letters", response_model=DeadLetterList)
def list_dead_letters(services: ServicesDep, user: LearningOps) -> DeadLetterList:
    """Ticket notifications the webhook refused until the coach gave up, newest first."""
    rows = services.notifications.dead_letters()
    return DeadLetterList(dead_letters=[DeadLetterPublic(**vars(r)) for r in rows])


@router.post("/dead-letters/{row_id}/retry", status_code=status.HTTP_202_ACCEPTED)
def retry(
    row_id: Annotated[int, Path(ge=1, le=2**63 - 1)], services: ServicesDep, user: LearningOps
) -> dict[str, bool]:
    """Queue a dead letter again, e.g. once the webhook is fixed."""
    if not services.notifications.retry(row_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"No dead letter {row_id}")
    return {"queued": True}
