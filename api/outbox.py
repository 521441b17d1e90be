"""Deliver ticket notifications from the outbox: at least once, with backoff, across crashes.

A due row is first claimed (its next attempt pushed past a lease) in a short transaction, then
sent outside any transaction, then marked delivered or rescheduled. A process that dies
mid-delivery leaves a claimed row, which is retried when the lease runs out. Several workers
share the outbox safely: on PostgreSQL claims skip rows another worker holds.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)
LEASE = dt.timedelta(seconds=60)
MAX_BACKOFF_SECONDS = 300.0
BATCH = 20


class OutboxDeliverer:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        url: str,
        *,
        timeout: float = 5.0,
        backoff_base: float = 2.0,
        poll_seconds: float = 1.0,
    ) -> None:
        self._sessions = sessions
        self._url = url
        self._timeout = timeout
        self._backoff_base = backoff_base
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def backoff(self, attempts: int) -> dt.timedelta:
        return dt.timedelta(seconds=min(self._backoff_base**attempts, MAX_BACKOFF_SECONDS))

    def _claim(self) -> list[tuple[int, dict[str, object], int]]:
        now = utcnow()
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.delivered_at.is_(None), OutboxMessage.next_attempt_at <= now)
                .order_by(OutboxMessage.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                row.next_attempt_at = now + LEASE
            return [(row.id, dict(row.payload), row.attempts) for row in rows]

    def _settle(self, row_id: int, error: str | None) -> None:
        with self._sessions.begin() as session:
            row = session.get(OutboxMessage, row_id)
            if row is None:
                return
            row.attempts += 1
            if error is None:
                row.delivered_at, row.last_error = utcnow(), None
            else:
                row.last_error = error[:500]
                row.next_attempt_at = utcnow() + self.backoff(row.attempts)

    def deliver_due(self) -> int:
        """Send every due notification once; returns how many were delivered."""
        delivered = 0
        with httpx.Client(timeout=self._timeout) as client:
            for row_id, payload, _attempts in self._claim():
                try:
                    response = client.post(self._url, json=payload)
                    response.raise_for_status()
                except httpx.HTTPError as error:
                    log.warning("ticket notification %s failed: %s", row_id, error)
                    self._settle(row_id, str(error) or type(error).__name__)
                    continue
                self._settle(row_id, None)
                delivered += 1
        return delivered

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.deliver_due()
            except Exception:  # the loop must outlive a database hiccup
                log.exception("outbox delivery pass failed")
            self._stop.wait(self._poll_seconds)

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)
