"""Who is calling: API keys with roles, sent as `Authorization: Bearer KEY`.

Keys come from `COACH_API_KEYS` ("key:role:user,...") and from the api_keys table (`coach keys
create`), which stores only their SHA-256. With no key anywhere the server is in local mode:
one local user with both roles, served on loopback only (see api.local_mode). A server that
has had keys never drops back to local mode, whatever is revoked: it fails closed.

The `widget` role is for the embeddable chat page, whose key every visitor shares: it can chat
but never list or read conversations, tickets or plans.
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
WIDGET = "widget"
ROLES = frozenset({EMPLOYEE, LEARNING_OPS, WIDGET})
_CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Principal:
    user: str
    roles: frozenset[str]

    @property
    def is_learning_ops(self) -> bool:
        return LEARNING_OPS in self.roles

    @property
    def reads_history(self) -> bool:
        """Whether this caller may list and read stored conversations, tickets and plans: a
        shared widget key may not (everyone using the widget is the same user)."""
        return bool(self.roles - {WIDGET})


LOCAL_PRINCIPAL = Principal(LOCAL_USER, frozenset({EMPLOYEE, LEARNING_OPS}))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_roles(text: str) -> frozenset[str]:
    roles = frozenset(r.strip() for r in text.split("+") if r.strip())
    if not roles or not roles <= ROLES:
        raise ValueError(f"unknown role in '{text}' (roles: employee, learning_ops, widget)")
    return roles


def parse_key_list(text: str) -> dict[str, Principal]:
    """'key:role:user,...' → principals by key hash. Errors never repeat an entry: it holds a
    key."""
    keys: dict[str, Principal] = {}
    for number, entry in enumerate(filter(None, (e.strip() for e in text.split(","))), start=1):
        parts = entry.split(":")
        if len(parts) != 3 or not all(parts):
            raise ValueError(
                f"COACH_API_KEYS entry {number} is not key:role:user "
                f"({len(parts)} field(s), some empty: {not all(parts)}); the entry is not shown "
                "because it holds a key"
            )
        key, roles, user = parts
        keys[hash_key(key)] = Principal(user, parse_roles(roles))
    return keys


def is_loopback(host: str | None) -> bool:
    """Whether a peer address is this machine. Unknown (a Unix socket, where anything may sit
    in front) is not."""
    if host is None:
        return False
    if host in ("localhost", "testclient"):
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
        # Once keyed, always keyed: revoking the last key locks everyone out rather than
        # opening the server to anyone who can reach it; a revoked key still counts, so a
        # restart does not reopen it either.
        self._keyed = bool(configured) or self._keys_ever_made() > 0

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

    def _keys_ever_made(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(ApiKey)) or 0

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
        if not self._keyed and self._stored_keys() > 0:
            self._keyed = True
        return not self._keyed

    def principal_of_hash(self, digest: str) -> Principal | None:
        """The principal of a key given by its hash, if the key is still valid."""
        if (principal := self._configured.get(digest)) is not None:
            return principal
        with self._sessions() as session:
            row = session.scalar(
                select(ApiKey).where(ApiKey.key_hash == digest, ApiKey.revoked_at.is_(None))
            )
        return Principal(row.user, parse_roles(row.role)) if row else None

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


def require_history_reader(user: CurrentUser) -> Principal:
    if not user.reads_history:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "This key can chat but not read stored conversations."
        )
    return user


HistoryReader = Annotated[Principal, Depends(require_history_reader)]
