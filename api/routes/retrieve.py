from __future__ import annotations

import logging
from functools import partial

from anyio import to_thread
from fastapi import APIRouter

from api.auth import CurrentUser
from api.deps import ServicesDep
from api.schemas import RetrievedPassage, RetrieveRequest, RetrieveResponse
from coach.retrieval import Filters

router = APIRouter(prefix="/v1", tags=["retrieval"])
audit = logging.getLogger("coach.audit")


@router.post("/retrieve", response_model=RetrieveResponse)
async def retrieve(
    body: RetrieveRequest, services: ServicesDep, user: CurrentUser
) -> RetrieveResponse:
    """The passages of the indexed knowledge that best match the query, best first."""
    filters = Filters(
        kinds=tuple(body.kinds),
        tags=tuple(body.tags),
        since=body.since.isoformat() if body.since else None,
        until=body.until.isoformat() if body.until else None,
    )
    search = partial(services.search.passages, body.query, body.k, filters=filters, mode=body.mode)
    passages = await to_thread.run_sync(search, limiter=services.searches)
    audit.info(
        "retrieve user=%s chunks=%s", user.user, ",".join(p.chunk_id for p in passages) or "-"
    )
    return RetrieveResponse(
        results=[
            RetrievedPassage(
                source=p.source,
                title=p.title,
                kind=p.kind,
                text=p.text,
                score=p.score,
                similarity=round(p.similarity, 6),
            )
            for p in passages
        ]
    )
