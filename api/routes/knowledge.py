from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile, status
from fastapi.concurrency import run_in_threadpool

from api.auth import require_learning_ops
from api.deps import ServicesDep
from api.schemas import (
    DocumentList,
    DocumentPublic,
    FlaggedList,
    FlaggedSentence,
    IngestResult,
    UploadResult,
)
from coach.ports import IngestOutcome, UploadRejectedError

router = APIRouter(
    prefix="/v1/knowledge", tags=["knowledge"], dependencies=[Depends(require_learning_ops)]
)


def _result(report: IngestOutcome) -> IngestResult:
    return IngestResult(**report.counts(), errors=report.failed)


@router.get("/documents", response_model=DocumentList)
def list_documents(services: ServicesDep) -> DocumentList:
    """Every indexed source with its chunk count and when it was last indexed."""
    return DocumentList(documents=[DocumentPublic(**vars(d)) for d in services.library.documents()])


@router.post("/documents", response_model=UploadResult, status_code=status.HTTP_201_CREATED)
async def upload_document(
    services: ServicesDep,
    file: Annotated[UploadFile, File(description="Markdown, text, HTML, PDF or DOCX")],
    kind: Annotated[Literal["playbook", "session_note", "document"], Form()] = "document",
) -> UploadResult:
    """Add (or replace) a document; it is indexed before this returns."""
    data = await file.read()
    try:
        source, report = await run_in_threadpool(
            services.library.upload, file.filename or "", data, kind
        )
    except UploadRejectedError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    return UploadResult(source=source, ingest=_result(report))


@router.post("/reindex", response_model=IngestResult)
def reindex(services: ServicesDep) -> IngestResult:
    """Sync the index with its folders: new and changed files are embedded, deleted pruned."""
    return _result(services.library.sync())


@router.get("/flagged", response_model=FlaggedList)
def flagged(services: ServicesDep) -> FlaggedList:
    """Sentences of the indexed documents that read as addressed to an assistant, for review.
    They are kept (searchable, citable); the coach treats them as data and never follows them."""
    return FlaggedList(
        flagged=[
            FlaggedSentence(source=f.source, title=f.title, sentence=f.sentence)
            for f in services.library.flagged()
        ]
    )
