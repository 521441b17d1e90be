from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServicesDep
from api.schemas import RetrievedPassage, RetrieveRequest, RetrieveResponse

router = APIRouter(prefix="/v1", tags=["retrieval"])


@router.post("/retrieve", response_model=RetrieveResponse)
def retrieve(body: RetrieveRequest, services: ServicesDep) -> RetrieveResponse:
    """The passages of the indexed knowledge closest to the query, best first."""
    passages = services.core.retriever.retrieve(body.query, body.k)
    return RetrieveResponse(
        results=[
            RetrievedPassage(
                source=p.source, title=p.title, kind=p.kind, text=p.text, score=p.score
            )
            for p in passages
        ]
    )
