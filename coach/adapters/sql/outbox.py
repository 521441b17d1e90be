"""Deliver ticket notifications from the outbox: once, with backoff, across crashes and workers.

One row at a time: a worker claims a due row with a compare-and-set (its own lease token and a
lease as long as one attempt can take: the HTTP timeout for each phase of the request, and a
margin), sends it outside any transaction, then settles it only if it still holds the lease.
A long batch can never outlive its lease, because each row gets a lease of its own when its
turn comes. A process that dies mid-delivery leaves a leased row, retried when the lease runs
out. After `max_attempts` failures a row is a dead letter: kept, shown in the Learning Ops
console, retried only when someone asks.

The webhook URL carries a secret (Slack-style hooks put a token in the path): logs and
`last_error` show only its scheme and host.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import uuid

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from coach.adapters.sql.models import OutboxMessage, utcnow
from coach.records import DeadLetter

log = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 300.0
MAX_ATTEMPTS = 8
LEASE_MARGIN_SECONDS = 30.0
_URL = re.compile(r"(https?://[^/\s'\"]+)[^\s'\"]*")


def redact(text: str, secret_url: str | None = None) -> str:
    """`text` with every URL cut to its scheme and host (and the webhook's path gone)."""
    if secret_url:
        text = text.replace(secret_url, _URL.sub(r"\1/…", secret_url))
    return _URL.sub(r"\1/…", text)


class OutboxDeliverer:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        url: str,
        *,
        timeout: float = 5.0,
        backoff_base: float = 2.0,
        poll_seconds: float = 1.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self._sessions = sessions
        self._url = url
        self._timeout = timeout
        self._backoff_base = backoff_base
        self._poll_seconds = poll_seconds
        self._max_attempts = max_attempts
        # connect, write, read and pool each get the timeout: one attempt's worst case.
        self.lease = dt.timedelta(seconds=4 * timeout + LEASE_MARGIN_SECONDS)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def backoff(self, attempts: int) -> dt.timedelta:
        return dt.timedelta(seconds=min(self._backoff_base**attempts, MAX_BACKOFF_SECONDS))

    def _claim_one(self, tried: set[int]) -> tuple[int, dict[str, object], str] | None:
        """Lease the oldest due row not tried in this pass, for one attempt; None when
        nothing is due."""
        now = utcnow()
        due = (
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.dead_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.id.not_in(tried or {-1}),
        )
        with self._sessions.begin() as session:
            candidates = session.scalars(
                select(OutboxMessage.id).where(*due).order_by(OutboxMessage.id).limit(5)
            ).all()
            for row_id in candidates:
                token = uuid.uuid4().hex
                claimed = session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row_id, *due)
                    .values(next_attempt_at=now + self.lease, lease_token=token)
                    .execution_options(synchronize_session=False)
                )
                if claimed.rowcount == 1:  # type: ignore[attr-defined]
                    row = session.get(OutboxMessage, row_id)
                    assert row is not None
                    return row.id, dict(row.payload), token
        return None

    def _settle(self, row_id: int, token: str, error: str | None) -> None:
        with self._sessions.begin() as session:
            row = session.get(OutboxMessage, row_id, with_for_update=True)
            if row is None or row.lease_token != token:
                return  # our lease ran out and another worker holds the row now
            row.attempts += 1
            row.lease_token = None
            if error is None:
                row.delivered_at, row.last_error = utcnow(), None
                return
            row.last_error = redact(error, self._url)[:500]
            if row.attempts >= self._max_attempts:
                row.dead_at = utcnow()
                log.error("ticket notification %s gave up after %s attempts", row_id, row.attempts)
            else:
                row.next_attempt_at = utcnow() + self.backoff(row.attempts)

    def deliver_due(self) -> int:
        """Send every due notification once; returns how many were delivered."""
        delivered = 0
        tried: set[int] = set()
        with httpx.Client(timeout=self._timeout) as client:
            while not self._stop.is_set() and (claimed := self._claim_one(tried)) is not None:
                row_id, payload, token = claimed
                tried.add(row_id)
                try:
                    response = client.post(self._url, json=payload)
                    response.raise_for_status()
                except httpx.HTTPError as error:
                    reason = redact(str(error) or type(error).__name__, self._url)
                    log.warning("ticket notification %s failed: %s", row_id, reason)
                    self._settle(row_id, token, reason)
                    continue
                self._settle(row_id, token, None)
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


class SqlOutbox:
    """The outbox's dead letters, for Learning Ops (coach.ports.NotificationOutbox)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def dead_letters(self, limit: int = 200) -> list[DeadLetter]:
        with self._sessions() as session:
            rows = session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.dead_at.is_not(None), OutboxMessage.delivered_at.is_(None))
                .order_by(OutboxMessage.dead_at.desc())
                .limit(limit)
            ).all()
        return [
            DeadLetter(r.id, r.escalation_id, r.attempts, r.last_error, r.dead_at)
            for r in rows
            if r.dead_at is not None
        ]

    def retry(self, notification_id: int) -> bool:
        """Put a dead letter back in the queue for a fresh round of attempts."""
        with self._sessions.begin() as session:
            row = session.get(OutboxMessage, notification_id)
            if row is None or row.dead_at is None or row.delivered_at is not None:
                return False
            row.dead_at, row.attempts, row.next_attempt_at = None, 0, utcnow()
            return True
