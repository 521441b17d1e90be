"""Web sign-ins in SQL (coach.ports.SignInStore), by the hash of the browser's token."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from coach.adapters.sql.models import WebSession, utcnow
from coach.records import SignInRecord


class SqlSignIns:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, record: SignInRecord) -> None:
        with self._sessions.begin() as session:
            session.add(
                WebSession(
                    id=record.id,
                    user=record.user,
                    roles=record.roles,
                    key_hash=record.key_hash,
                    csrf=record.csrf,
                    created_at=record.created_at,
                    expires_at=record.expires_at,
                )
            )

    def get(self, session_id: str) -> SignInRecord | None:
        with self._sessions() as session:
            row = session.get(WebSession, session_id)
            if row is None:
                return None
            return SignInRecord(
                id=row.id,
                user=row.user,
                roles=row.roles,
                key_hash=row.key_hash,
                csrf=row.csrf,
                created_at=row.created_at,
                expires_at=row.expires_at,
                revoked_at=row.revoked_at,
            )

    def revoke(self, session_id: str) -> None:
        with self._sessions.begin() as session:
            row = session.get(WebSession, session_id)
            if row is not None and row.revoked_at is None:
                row.revoked_at = utcnow()

    def revoke_all_of(self, user: str) -> int:
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(WebSession).where(WebSession.user == user, WebSession.revoked_at.is_(None))
            ).all()
            for row in rows:
                row.revoked_at = utcnow()
            return len(rows)
