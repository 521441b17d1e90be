"""What falls due now: every lead time of a dated session becomes a reminder to its organiser on
the day it falls due, and after the session's date its organiser is asked how it went.

`due` is a pure function of the date and the sessions; `ReminderService.send_due` turns what
is due into notices, each exactly once (the notice's key is the idempotency key), so a
scheduler may call it as often as it likes, from any worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from coach.community.ports import Clock, IdGenerator, NoticeStore, SessionStore
from coach.community.records import Notice, NoticeKind, TrackedSession
from coach.community.tasks import due_date
from coach.flows.session_plan import WORKING_WEEK

# A debrief is asked for from the day after the session, for this long: a scheduler started
# on an old database does not ask about sessions long past.
DEBRIEF_DAYS = 30


@dataclass(frozen=True)
class Due:
    key: str
    recipient: str
    kind: NoticeKind
    text: str
    session_id: str
    on: dt.date


def due(
    today: dt.date,
    sessions: Iterable[TrackedSession],
    week: tuple[int, ...] = WORKING_WEEK,
) -> list[Due]:
    """Reminders whose day has come (up to the session's date; a lead time already past when
    the session was scheduled is due at once), for tasks not yet ticked off, and debrief
    prompts for sessions whose date has passed and that have no debrief."""
    found: list[Due] = []
    for session in sessions:
        if session.date is None:
            continue
        found += _reminders(today, session, week)
        days_after = (today - session.date).days
        if 1 <= days_after <= DEBRIEF_DAYS and not session.debriefed:
            found.append(
                Due(
                    key=f"debrief:{session.id}:{session.date}",
                    recipient=session.organiser,
                    kind="debrief",
                    text=(
                        f"How did “{session.title}” go? Say “debrief” in a conversation (or "
                        "use the form): who came, what worked, what you would change and the "
                        "feedback score, and I will draft the session note for the library."
                    ),
                    session_id=session.id,
                    on=session.date + dt.timedelta(days=1),
                )
            )
    return found


def _reminders(today: dt.date, session: TrackedSession, week: tuple[int, ...]) -> list[Due]:
    assert session.date is not None
    done = {t.lead for t in session.tasks if t.done and t.lead is not None}
    found = []
    for index, lead in enumerate(session.lead_times):
        on = due_date(session.date, lead, week)
        if index in done or not on <= today <= session.date:
            continue
        found.append(
            Due(
                key=f"reminder:{session.id}:{index}:{session.date}",
                recipient=session.organiser,
                kind="reminder",
                text=f"Due {on:%a %d %b %Y} for “{session.title}” ({session.date:%d %b}): "
                f"{lead.text}",
                session_id=session.id,
                on=on,
            )
        )
    return found


class ReminderService:
    def __init__(
        self,
        sessions: SessionStore,
        notices: NoticeStore,
        clock: Clock,
        ids: IdGenerator,
        *,
        working_week: tuple[int, ...] = WORKING_WEEK,
    ) -> None:
        self._sessions = sessions
        self._notices = notices
        self._clock = clock
        self._ids = ids
        self._week = working_week

    def send_due(self) -> list[Notice]:
        """Send what is due today and was not sent before; what was sent now."""
        now = self._clock.now()
        sent = []
        for item in due(now.date(), self._sessions.all(), self._week):
            notice = Notice(
                id=self._ids.new_id("ntc"),
                recipient=item.recipient,
                kind=item.kind,
                text=item.text,
                created_at=now,
                key=item.key,
                session_id=item.session_id,
            )
            if self._notices.add(notice):
                sent.append(notice)
        return sent
