"""Is the organisation becoming more autonomous? Per month: sessions run by employees, the share
run without any hand-off to the enabling team, first-time and repeat hosts, attendees who later
hosted, communities active, interests that became sessions and how fast, hand-offs per 100
conversations, and questions the library could not answer.

`monthly` is a pure function of the facts; `AutonomyService` gathers them from the ports.
Demo history is never counted unless asked for (and then it is all there is of its kind).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections.abc import Callable, Collection, Sequence
from dataclasses import astuple, dataclass, fields

from coach.community.people import Caller, person_key, require_team
from coach.community.ports import (
    ActivitySource,
    Clock,
    CommunityStore,
    DemoStore,
    InterestStore,
    NoteDraftStore,
    SessionNotes,
    SessionStore,
)
from coach.community.records import (
    ConversationFact,
    HandoffFact,
    HeldSession,
    InterestFact,
    NoteDraft,
    NoteFacts,
    TrackedSession,
)

MONTHS = 12


@dataclass(frozen=True)
class AutonomyFacts:
    held: Sequence[HeldSession] = ()
    conversations: Sequence[ConversationFact] = ()
    interests: Sequence[InterestFact] = ()


@dataclass(frozen=True)
class MonthAutonomy:
    month: str  # YYYY-MM
    sessions_by_employees: int
    share_without_handoff: float | None  # of employees' sessions whose hand-offs are known
    first_time_hosts: int
    repeat_hosts: int
    attendees_who_later_hosted: int
    communities_active: int
    interests_became_sessions: int
    median_days_interest_to_session: float | None
    conversations: int
    handoffs_per_100_conversations: float | None
    unanswered_questions: int


def months_until(last: dt.date, count: int = MONTHS) -> list[str]:
    """The `count` months up to and including `last`'s, oldest first."""
    index = last.year * 12 + last.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def monthly(
    facts: AutonomyFacts,
    months: Sequence[str],
    enabling_team: Collection[str],
    *,
    include_demo: bool = False,
) -> list[MonthAutonomy]:
    """The autonomy figures of each month; demo facts only when `include_demo`."""
    team = {person_key(t) for t in enabling_team}
    held = sorted((h for h in facts.held if include_demo or not h.demo), key=lambda h: h.date)
    by_employees = [h for h in held if any(person_key(x) not in team for x in h.hosts)]
    first_hosted = _first_hosted(by_employees, team)
    first_attended = _first_attended(held)
    conversations = [c for c in facts.conversations if include_demo or not c.demo]
    interests = [i for i in facts.interests if include_demo or not i.demo]
    return [
        _month(month, by_employees, team, first_hosted, first_attended, conversations, interests)
        for month in months
    ]


def _first_hosted(held: Sequence[HeldSession], team: set[str]) -> dict[str, dt.date]:
    first: dict[str, dt.date] = {}
    for session in held:
        for host in map(person_key, session.hosts):
            if host not in team:
                first.setdefault(host, session.date)
    return first


def _first_attended(held: Sequence[HeldSession]) -> dict[str, dt.date]:
    first: dict[str, dt.date] = {}
    for session in held:
        for person in map(person_key, session.attendees):
            first.setdefault(person, session.date)
    return first


def _month(
    month: str,
    by_employees: Sequence[HeldSession],
    team: set[str],
    first_hosted: dict[str, dt.date],
    first_attended: dict[str, dt.date],
    conversations: Sequence[ConversationFact],
    interests: Sequence[InterestFact],
) -> MonthAutonomy:
    sessions = [h for h in by_employees if _in(h.date, month)]
    known = [h for h in sessions if h.handed_off is not None]
    hosts = {k for h in sessions for k in map(person_key, h.hosts) if k not in team}
    first_time = {k for k in hosts if _in(first_hosted[k], month)}
    talks = [c for c in conversations if _in(c.started_at.date(), month)]
    became = [
        (i.became_session - i.registered).days
        for i in interests
        if i.became_session is not None and _in(i.became_session, month)
    ]
    return MonthAutonomy(
        month=month,
        sessions_by_employees=len(sessions),
        share_without_handoff=(
            round(sum(not h.handed_off for h in known) / len(known), 3) if known else None
        ),
        first_time_hosts=len(first_time),
        repeat_hosts=len(hosts - first_time),
        attendees_who_later_hosted=sum(
            k in first_attended and first_attended[k] < first_hosted[k] for k in first_time
        ),
        communities_active=len({h.community for h in sessions if h.community}),
        interests_became_sessions=len(became),
        median_days_interest_to_session=float(statistics.median(became)) if became else None,
        conversations=len(talks),
        handoffs_per_100_conversations=(
            round(100 * sum(c.handed_off for c in talks) / len(talks), 1) if talks else None
        ),
        unanswered_questions=sum(c.unanswered for c in talks),
    )


def _in(date: dt.date, month: str) -> bool:
    return f"{date:%Y-%m}" == month


def to_csv(rows: Sequence[MonthAutonomy]) -> str:
    """The numbers behind the charts, one row a month (empty where there is nothing to
    divide by)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(MonthAutonomy)])
    for row in rows:
        writer.writerow(["" if v is None else v for v in astuple(row)])
    return out.getvalue()


def chart_series(rows: Sequence[MonthAutonomy]) -> dict[str, list[str | int | float | None]]:
    """Each figure as a series over the months, for a chart (the UI's, or `charts.render`)."""
    return {f.name: [getattr(row, f.name) for row in rows] for f in fields(MonthAutonomy)}


def held_sessions(
    notes: Sequence[NoteFacts],
    sessions: Sequence[TrackedSession],
    drafts: Sequence[NoteDraft],
    handoffs: Sequence[HandoffFact],
    community_of_tag: Callable[[Sequence[str]], str | None] = lambda tags: None,
) -> list[HeldSession]:
    """Sessions that took place: those debriefed here (with who came and whether their
    organiser handed anything off to the enabling team between drafting and the day after),
    and the library's other notes (hand-offs unknown)."""
    by_id = {s.id: s for s in sessions}
    held, debriefed_sources = [], set()
    for draft in drafts:
        session = by_id.get(draft.session_id)
        if session is None or session.date is None:
            continue
        debriefed_sources.add(draft.published_source)
        until = dt.datetime.combine(session.date + dt.timedelta(days=1), dt.time.max, dt.UTC)
        handed = any(
            h.requester == session.organiser and session.created_at <= h.opened_at <= until
            for h in handoffs
        )
        host = draft.debrief.host or session.organiser_name
        held.append(
            HeldSession(
                session.date, session.title, (host,), draft.debrief.attendee_names,
                session.community_id, handed,
            )
        )  # fmt: skip
    for note in notes:
        date = _date(note.date)
        if date is None or note.source in debriefed_sources:
            continue
        hosts = tuple(h.strip() for h in note.host.split(",") if h.strip())
        held.append(HeldSession(date, note.title, hosts, community=community_of_tag(note.tags)))
    return held


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


class AutonomyService:
    def __init__(
        self,
        *,
        sessions: SessionStore,
        drafts: NoteDraftStore,
        interests: InterestStore,
        communities: CommunityStore,
        notes: SessionNotes,
        activity: ActivitySource,
        demo: DemoStore,
        clock: Clock,
        enabling_team: Callable[[], Collection[str]],
    ) -> None:
        self._sessions = sessions
        self._drafts = drafts
        self._interests = interests
        self._communities = communities
        self._notes = notes
        self._activity = activity
        self._demo = demo
        self._clock = clock
        self._team = enabling_team

    def facts(self) -> AutonomyFacts:
        """The real facts (never any demo)."""
        sessions = self._sessions.all()
        tags = {c.tag: c.id for c in self._communities.all()}
        held = held_sessions(
            self._notes.all(),
            sessions,
            self._drafts.all(),
            self._activity.handoffs(),
            lambda note_tags: next((tags[t] for t in note_tags if t in tags), None),
        )
        today = self._clock.now().date()
        dates = {s.id: s.date for s in sessions}
        interests = [
            InterestFact(i.registered_at.date(), _held_on(dates.get(i.session_id or ""), today))
            for i in self._interests.all()
        ]
        return AutonomyFacts(held, self._activity.conversations(), interests)

    def by_month(
        self, caller: Caller, *, months: int = MONTHS, include_demo: bool = False
    ) -> list[MonthAutonomy]:
        """The last `months` months; with `include_demo`, the demo history too."""
        require_team(caller)
        facts, team = self.facts(), set(self._team())
        demo = self._demo.load() if include_demo else None
        if demo is not None:
            facts = AutonomyFacts(
                [*facts.held, *demo.held],
                [*facts.conversations, *demo.conversations],
                [*facts.interests, *demo.interests],
            )
            team |= set(demo.team)
        last = self._clock.now().date()
        return monthly(facts, months_until(last, months), team, include_demo=include_demo)

    def csv(self, caller: Caller, *, months: int = MONTHS, include_demo: bool = False) -> str:
        return to_csv(self.by_month(caller, months=months, include_demo=include_demo))


def _held_on(date: dt.date | None, today: dt.date) -> dt.date | None:
    return date if date is not None and date <= today else None
