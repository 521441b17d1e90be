"""Sends what falls due (reminders on the day a lead time falls due, debrief prompts after a
session) from inside `coach serve` or from `coach worker`. However many processes run it, one
leads at a time (a database lock); and were two ever to send, each notice's key stores it once.
"""

from __future__ import annotations

import logging
import threading

from coach.community.ports import LeaderLock
from coach.community.records import Notice
from coach.community.reminders import ReminderService

log = logging.getLogger(__name__)
POLL_SECONDS = 60.0


class Scheduler:
    def __init__(
        self, reminders: ReminderService, lock: LeaderLock, *, poll_seconds: float = POLL_SECONDS
    ) -> None:
        self._reminders = reminders
        self._lock = lock
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> list[Notice] | None:
        """One pass: what was sent now, or None when another process leads."""
        if not self._lock.hold():
            return None
        sent = self._reminders.send_due()
        if sent:
            log.info("sent %d reminder(s) and debrief prompt(s)", len(sent))
        return sent

    def release(self) -> None:
        """Let another process lead (after `run_once`; `run` and `stop` do it themselves)."""
        self._lock.release()

    def run(self) -> None:
        """Pass after pass until `stop` (the worker command runs this in the foreground)."""
        try:
            while not self._stop.is_set():
                try:
                    self.run_once()
                except Exception:  # the loop must outlive a database hiccup
                    log.exception("scheduler pass failed")
                self._stop.wait(self._poll_seconds)
        finally:
            self._lock.release()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="community-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)
            self._thread = None
