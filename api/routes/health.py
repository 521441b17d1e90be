from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from api.schemas import Health

router = APIRouter(tags=["health"])


class Readiness(BaseModel):
    status: Literal["ready", "starting"]
    warm: bool  # the models and indexes are loaded (COACH_WARM_UP), or warm-up is off
    ui: bool  # the web UI is built, or the app has none


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The server is up: it answers at once, before the models and the UI are loaded."""
    return Health()


@router.get(
    "/readyz", response_model=Readiness, responses={503: {"model": Readiness}}, tags=["health"]
)
async def readyz(request: Request, response: Response) -> Readiness:
    """200 once the start-up work running in the background is done (the first answer then
    waits for nothing), 503 until then."""
    warm, ui = request.app.state.readiness()
    ready = warm and ui
    if not ready:
        response.status_code = 503
    return Readiness(status="ready" if ready else "starting", warm=warm, ui=ui)
