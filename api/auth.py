"""Who is calling: API keys with roles, sent as `Authorization: Bearer KEY`.

Keys come from `COACH_API_KEYS` ("key:role:user,...") and from the api_keys table (`coach keys
create`), which stores only their SHA-256. With no key anywhere the server is in local mode:
one local user with both roles, served on loopback only.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from api.models import LOCAL_USER, ApiKey, utcnow

EMPLOYEE = "employee"
LEARNING_OPS = "learning_ops"
ROLES = frozenset({EMPLOYEE, LEARNING_OPS})
_CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Principal:
    user: str
    roles: frozenset[str]

    @property
    def is_learning_ops(self) -> bool:
        return LEARNING_OPS in self.roles


LOCAL_PRINCIPAL = Principal(LOCAL_USER, ROLES)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_roles(text: str) -> frozenset[str]:
    roles = frozenset(r.strip() for r in text.split("+") if r.strip())
    if not roles or not roles <= ROLES:
        raise ValueError(f"unknown role in '{text}' (roles: employee, learning_ops)")
    return roles


def parse_key_list(text: str) -> dict[str, Principal]:
    """'key:role:user,...' → principals by key hash."""
    keys: dict[str, Principal] = {}
    for entry in filter(None, (e.strip() for e in text.split(","))):
        parts = entry.split(":")
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"COACH_API_KEYS entries look like key:role:user, not '{entry}'")
        key, roles, user = parts
        keys[hash_key(key)] = Principal(user, parse_roles(roles))
    return keys


def is_loopback(host: str | None) -> bool:
    if host in (None, "localhost", "testclient"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class KeyRing:
    def __init__(self, configured: dict[str, Principal], sessions: sessionmaker[Session]) -> None:
        self._configured = configured
        self._sessions = sessions
        self._lock = threading.Lock()
        self._stored_count: tuple[float, int] = (0.0, 0)

    def create(self, role: str, user: str) -> str:
        """A new key (shown once); only its hash is stored."""
        parse_roles(role)
        key = f"loc_{secrets.token_urlsafe(24)}"
        with self._sessions.begin() as session:
            session.add(ApiKey(key_hash=hash_key(key), role=role, user=user))
        self._stored_count = (0.0, 0)
        return key

    def revoke(self, user: str) -> int:
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(ApiKey).where(ApiKey.user == user, ApiKey.revoked_at.is_(None))
            ).all()
            for row in rows:
                row.revoked_at = utcnow()
        self._stored_count = (0.0, 0)
        return len(rows)

    def _stored_keys(self) -> int:
        with self._lock:
            checked, count = self._stored_count
            if time.monotonic() - checked < _CACHE_SECONDS:
                return count
        with self._sessions() as session:
            count = (
                session.scalar(
                    select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_(None))
                )
                or 0
            )
        with self._lock:
            self._stored_count = (time.monotonic(), count)
        return count

    @property
    def local_mode(self) -> bool:
        return not self._configured and self._stored_keys() == 0

    def principal(self, key: str) -> Principal | None:
        digest = hash_key(key)
        if (principal := self._configured.get(digest)) is not None:
            return principal
        with self._sessions() as session:
            row = session.scalar(
                select(ApiKey).where(ApiKey.key_hash == digest, ApiKey.revoked_at.is_(None))
            )
        return Principal(row.user, parse_roles(row.role)) if row else None


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
