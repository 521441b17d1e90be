from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter

from api.auth import LearningOps
from api.deps import ServicesDep

router = APIRouter(prefix="/v1/analytics", tags=["analytics"])


@router.get("")
def analytics(services: ServicesDep, user: LearningOps) -> dict[str, Any]:
    """Conversations per day, top topics, hand-off and 👎 rates, and content gaps (questions
    the library could not answer well, grouped, with hosts who could speak to them)."""
    return asdict(services.analytics.compute())
