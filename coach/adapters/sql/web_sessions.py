"""Server-side sessions for the web UI (OWASP session management): a random token in an
HttpOnly cookie, only its hash stored, an expiry, revocable at sign-out, and roles taken from
the key that opened it (checked again on every request, so revoking the key ends it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.auth import KeyRing, Principal, hash_key
from api.models import WebSession, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Opened:
    token: str  # for the cookie, never stored
    csrf: str  # for forms the signed-in person posts (sign-out)


class WebSessions:
    def __init__(self, sessions: sessionmaker[Session], keys: KeyRing, *, hours: float) -> None:
        self._sessions = sessions
        self._keys = keys
        self._lifetime = dt.timedelta(hours=hours)

    @property
    def lifetime_seconds(self) -> int:
        return int(self._lifetime.total_seconds())

    def open(self, key: str) -> tuple[Principal, Opened] | None:
        """A session for a valid key, or None."""
        principal = self._keys.principal(key)
        if principal is None:
            return None
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        now = utcnow()
        with self._sessions.begin() as session:
            session.add(
                WebSession(
                    id=_digest(token),
                    user=principal.user,
                    roles="+".join(sorted(principal.roles)),
                    key_hash=hash_key(key),
                    csrf=csrf,
                    created_at=now,
                    expires_at=now + self._lifetime,
                )
            )
        return principal, Opened(token, csrf)

    def _row(self, token: str) -> WebSession | None:
        with self._sessions() as session:
            row = session.get(WebSession, _digest(token))
        if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
            return None
        return row

    def principal(self, token: str) -> Principal | None:
        """Who a session token belongs to, with the roles of the key that opened it."""
        row = self._row(token)
        if row is None:
            return None
        key_principal = self._keys.principal_of_hash(row.key_hash)
        if key_principal is None:  # the key was revoked: so is every session it opened
            return None
        return key_principal

    def csrf(self, token: str) -> str | None:
        row = self._row(token)
        return row.csrf if row else None

    def close(self, token: str) -> None:
        with self._sessions.begin() as session:
            row = session.get(WebSession, _digest(token))
            if row is not None and row.revoked_at is None:
                row.revoked_at = utcnow()

    def close_all_of(self, user: str) -> int:
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(WebSession).where(WebSession.user == user, WebSession.revoked_at.is_(None))
            ).all()
            for row in rows:
                row.revoked_at = utcnow()
            return len(rows)
