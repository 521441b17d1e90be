"""One leader across processes, by the database: whoever holds the lock runs the scheduler.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a connection the leader
keeps open; it is released when the leader stops or its connection dies. SQLite, which has no
such locks: a lease row taken by compare-and-set and renewed on every pass; a leader that dies
stops renewing, and another takes over once the lease has run out."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
import zlib

from sqlalchemy import Connection, Engine, or_, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import sessionmaker

from coach.adapters.sql.community_models import LeaderLeaseRow
from coach.adapters.sql.models import utcnow

log = logging.getLogger(__name__)
DEFAULT_LEASE = dt.timedelta(seconds=120)


class DatabaseLeaderLock:
    def __init__(
        self,
        engine: Engine,
        name: str = "community-scheduler",
        *,
        lease: dt.timedelta = DEFAULT_LEASE,
    ) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine)
        self.name = name
        self.holder = uuid.uuid4().hex
        self._lease = lease
        self._connection: Connection | None = None
        # One advisory lock id per name (a 31-bit number, clear of the migration lock's).
        self._lock_id = zlib.crc32(name.encode()) & 0x7FFFFFFF

    def hold(self) -> bool:
        """Take the lead, or keep it: whether this process leads now."""
        if self._engine.dialect.name == "postgresql":
            return self._hold_advisory()
        return self._hold_lease()

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:id)"), {"id": self._lock_id}
                )
                self._connection.commit()
            except DBAPIError:
                log.warning("could not release the scheduler lock; it ends with the connection")
            finally:
                self._connection.close()
                self._connection = None
            return
        if self._engine.dialect.name != "postgresql":
            with self._sessions.begin() as session:
                session.execute(
                    update(LeaderLeaseRow)
                    .where(LeaderLeaseRow.name == self.name, LeaderLeaseRow.holder == self.holder)
                    .values(expires_at=utcnow() - dt.timedelta(seconds=1))
                )

    def _hold_advisory(self) -> bool:
        if self._connection is not None:
            try:  # still ours while the connection lives
                self._connection.execute(text("SELECT 1"))
                self._connection.commit()
                return True
            except DBAPIError:
                self._connection.invalidate()
                self._connection = None
        connection = self._engine.connect()
        got = connection.execute(
            text("SELECT pg_try_advisory_lock(:id)"), {"id": self._lock_id}
        ).scalar()
        connection.commit()
        if got:
            self._connection = connection
            return True
        connection.close()
        return False

    def _hold_lease(self) -> bool:
        now = utcnow()
        with self._sessions.begin() as session:
            taken = session.execute(
                update(LeaderLeaseRow)
                .where(
                    LeaderLeaseRow.name == self.name,
                    or_(LeaderLeaseRow.holder == self.holder, LeaderLeaseRow.expires_at < now),
                )
                .values(holder=self.holder, expires_at=now + self._lease)
            )
            if taken.rowcount:  # type: ignore[attr-defined]
                return True
        try:
            with self._sessions.begin() as session:
                if session.get(LeaderLeaseRow, self.name) is not None:
                    return False
                session.add(
                    LeaderLeaseRow(name=self.name, holder=self.holder, expires_at=now + self._lease)
                )
        except IntegrityError:  # another process made the row first: it leads
            return False
        return True
