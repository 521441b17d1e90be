"""Who is calling over HTTP: `Authorization: Bearer KEY`, checked against the key ring
(coach.services.access). With no key anywhere the server is in local mode: one local user with
both roles, loopback only (see also api.network)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from coach.services.access import LOCAL_PRINCIPAL, KeyRing, Principal, is_loopback


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"}
    )


def authenticate(request: Request) -> Principal:
    keys: KeyRing = request.app.state.services.keys
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if keys.local_mode:
        if not is_loopback(request.client.host if request.client else None):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Local mode answers loopback only.")
        return LOCAL_PRINCIPAL
    if scheme.lower() != "bearer" or not key:
        raise _unauthorized("Send an API key: Authorization: Bearer KEY.")
    principal = keys.principal(key.strip())
    if principal is None:
        raise _unauthorized("This API key is not valid.")
    request.state.principal = principal
    return principal


CurrentUser = Annotated[Principal, Depends(authenticate)]


def require_learning_ops(user: CurrentUser) -> Principal:
    if not user.is_learning_ops:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "This needs the learning_ops role.")
    return user


LearningOps = Annotated[Principal, Depends(require_learning_ops)]


def require_history_reader(user: CurrentUser) -> Principal:
    if not user.reads_history:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "This key can chat but not read stored conversations."
        )
    return user


HistoryReader = Annotated[Principal, Depends(require_history_reader)]
