"""API keys in SQL (coach.ports.KeyStore): only the SHA-256 of each key is stored."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from coach.adapters.sql.models import ApiKey, utcnow
from coach.records import StoredKey


class SqlKeys:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, key_hash: str, role: str, user: str) -> None:
        with self._sessions.begin() as session:
            session.add(ApiKey(key_hash=key_hash, role=role, user=user))

    def revoke_all(self, user: str) -> int:
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(ApiKey).where(ApiKey.user == user, ApiKey.revoked_at.is_(None))
            ).all()
            for row in rows:
                row.revoked_at = utcnow()
            return len(rows)

    def count(self, *, include_revoked: bool) -> int:
        query = select(func.count()).select_from(ApiKey)
        if not include_revoked:
            query = query.where(ApiKey.revoked_at.is_(None))
        with self._sessions() as session:
            return session.scalar(query) or 0

    def find(self, key_hash: str) -> StoredKey | None:
        with self._sessions() as session:
            row = session.scalar(
                select(ApiKey).where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
            )
            return StoredKey(row.user, row.role) if row else None
