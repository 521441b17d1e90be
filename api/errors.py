"""One error shape for every 4xx and 5xx: {"error": {"code", "message"}}."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from coach.community.errors import (
    CommunityError,
    InvalidInputError,
    NotAllowedError,
    NotAPersonError,
    NotFoundError,
    PublishFailedError,
)

# What each refusal of the community's use cases is over HTTP.
COMMUNITY_STATUS: tuple[tuple[type[CommunityError], int], ...] = (
    (NotAPersonError, 403),
    (NotAllowedError, 403),
    (NotFoundError, 404),
    (InvalidInputError, 422),
    (PublishFailedError, 409),
)

log = logging.getLogger(__name__)


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    code = code or HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    return {"error": {"code": code, "message": message}}


def _readable(errors: list[Any]) -> str:
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "The request is not valid."


def install_error_handlers(app: FastAPI, *, unavailable: tuple[type[Exception], ...] = ()) -> None:
    """`unavailable`: what the storage raises when it is locked, restarting or unreachable
    (the composition root names them: the API never sees the database itself)."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            error_body(exc.status_code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            error_body(422, _readable(list(exc.errors())), "invalid_request"), status_code=422
        )

    async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # Locked past the busy timeout, restarting, unreachable: nothing was half-written
        # (every write is one transaction), so the client can simply try again.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return JSONResponse(
            error_body(503, "The database is busy or unavailable; please try again shortly."),
            status_code=503,
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(CommunityError)
    async def community_refused(request: Request, exc: CommunityError) -> JSONResponse:
        status = next((s for kind, s in COMMUNITY_STATUS if isinstance(exc, kind)), 422)
        return JSONResponse(error_body(status, str(exc)), status_code=status)

    for error in unavailable:
        app.add_exception_handler(error, database_unavailable)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            error_body(500, "Something went wrong on our side; the error was logged."),
            status_code=500,
        )
