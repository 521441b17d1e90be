"""Sessions people run: drafted from a topic in one step (or from any session plan), scheduled,
followed through task by task. Invitation lists name only the people who chose to be named;
everyone else interested is counted, and everyone is told when the session has a date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from coach.community.calendar import session_ics
from coach.community.errors import InvalidInputError, NotFoundError
from coach.community.people import Caller, require_person
from coach.community.ports import (
    Clock,
    IdGenerator,
    InterestStore,
    NoticeStore,
    SessionDrafter,
    SessionStore,
)
from coach.community.records import Interest, Notice, NoticeKind, TrackedSession
from coach.community.tasks import dated, lead_times_of, tasks_of
from coach.community.topics import TopicBoard
from coach.flows.export import session_plan_markdown
from coach.flows.requests import SessionRequest, parse_request, plausible
from coach.flows.session_plan import WORKING_WEEK, SessionPlan


@dataclass(frozen=True)
class Invitation:
    named: tuple[str, ...]  # people who chose to be named
    others: int  # everyone else interested, counted


@dataclass(frozen=True)
class SessionView:
    session: TrackedSession
    invitation: Invitation


@dataclass(frozen=True)
class DraftRequest:
    """What the person drafting may add to the topic: its words for the plan, a format, a date,
    a length, whether it is hybrid."""

    topic: str | None = None
    format: str | None = None
    date: dt.date | None = None
    duration_minutes: int | None = None
    hybrid: bool = False


class SessionService:
    def __init__(
        self,
        interests: InterestStore,
        sessions: SessionStore,
        notices: NoticeStore,
        board: TopicBoard,
        drafter: SessionDrafter,
        clock: Clock,
        ids: IdGenerator,
        *,
        working_week: tuple[int, ...] = WORKING_WEEK,
    ) -> None:
        self._interests = interests
        self._sessions = sessions
        self._notices = notices
        self._board = board
        self._drafter = drafter
        self._clock = clock
        self._ids = ids
        self._week = working_week

    def draft_from_topic(
        self, caller: Caller, topic_id: str, request: DraftRequest | None = None
    ) -> TrackedSession:
        """One step from a topic to a drafted session plan organised by the caller (one of its
        members, or Learning Ops); its members are told."""
        require_person(caller)
        request = request or DraftRequest()
        topic = self._board.topic(topic_id)
        mine = [i for i in topic.interests if i.person == caller.id]
        if not mine and not caller.is_learning_ops:
            raise NotFoundError("That topic has changed or no longer exists: look at it again.")
        words = request.topic or topic.public_label(self._board.min_people)
        if words is None and mine:
            words = mine[0].text
        if words is None:
            raise InvalidInputError(
                "Say what the session is about: this topic's words are private."
            )
        plan = self._drafter.plan(_session_request(words, request, topic.size))
        hosts = self._board.suggested_hosts(topic)
        session = self._tracked(caller, plan, topic.interests, topic_id=topic.id)
        session = replace(session, suggested_host=hosts[0].name if hosts else None)
        self._sessions.add(session)
        for interest in topic.interests:
            self._interests.update(replace(interest, session_id=session.id))
        self._tell(session, "drafted", "A session is being planned from what you registered")
        return session

    def track(
        self, caller: Caller, plan: SessionPlan, *, community_id: str | None = None
    ) -> TrackedSession:
        """Follow through any session plan: reminders, tasks and a debrief after its date."""
        require_person(caller)
        session = replace(self._tracked(caller, plan, (), topic_id=None), community_id=community_id)
        self._sessions.add(session)
        return session

    def _tracked(
        self,
        caller: Caller,
        plan: SessionPlan,
        interests: Sequence[Interest],
        *,
        topic_id: str | None,
    ) -> TrackedSession:
        leads = lead_times_of(plan)
        return TrackedSession(
            id=self._ids.new_id("ses"),
            title=plan.title,
            topic=plan.topic,
            format=plan.format,
            organiser=caller.id,
            organiser_name=caller.name,
            created_at=self._clock.now(),
            date=plan.date,
            duration_minutes=plan.duration_minutes,
            lead_times=leads,
            tasks=dated(tasks_of(plan, leads), leads, plan.date, self._week),
            plan=plan.to_json(),
            markdown=session_plan_markdown(plan),
            interest_ids=tuple(i.id for i in interests),
            topic_id=topic_id,
        )

    def view(self, caller: Caller, session_id: str) -> SessionView:
        """The plan and its invitation list, for its organiser, Learning Ops and the people
        interested in it."""
        session = self._visible(caller, session_id)
        return SessionView(session, self.invitation(session))

    def invitation(self, session: TrackedSession) -> Invitation:
        interests = [i for i in map(self._interests.get, session.interest_ids) if i is not None]
        named = {i.person: i.name for i in interests if i.named}
        others = {i.person for i in interests} - set(named)
        return Invitation(tuple(named.values()), len(others))

    def calendar(self, caller: Caller, session_id: str) -> bytes:
        """The session's calendar invitation, with an alarm for every lead time."""
        session = self._visible(caller, session_id)
        return session_ics(session, working_week=self._week)

    def of(self, caller: Caller) -> list[TrackedSession]:
        """The sessions the caller organises or registered an interest in, newest first."""
        require_person(caller)
        mine = {i.id for i in self._interests.of_person(caller.id)}
        found = [
            s
            for s in self._sessions.all()
            if s.organiser == caller.id or mine & set(s.interest_ids)
        ]
        return sorted(found, key=lambda s: s.created_at, reverse=True)

    def schedule(self, caller: Caller, session_id: str, date: dt.date) -> TrackedSession:
        """Set the date (tasks dated by the lead times); everyone interested is told."""
        session = self._organised(caller, session_id)
        if plausible(date) is None or date < self._clock.now().date():
            raise InvalidInputError("Choose a date from today on.")
        tasks = dated(session.tasks, session.lead_times, date, self._week)
        session = replace(session, date=date, tasks=tasks)
        self._sessions.update(session)
        self._tell(session, "scheduled", f"“{session.title}” is scheduled for {date:%a %d %b %Y}")
        return session

    def tick(
        self, caller: Caller, session_id: str, task_id: str, done: bool = True
    ) -> TrackedSession:
        session = self._organised(caller, session_id)
        if task_id not in {t.id for t in session.tasks}:
            raise NotFoundError("No such task in this plan.")
        tasks = tuple(replace(t, done=done) if t.id == task_id else t for t in session.tasks)
        session = replace(session, tasks=tasks)
        self._sessions.update(session)
        return session

    def _tell(self, session: TrackedSession, kind: NoticeKind, text: str) -> list[Notice]:
        """One notice per person interested (never naming anyone else)."""
        by_person: dict[str, list[str]] = {}
        for interest in filter(None, map(self._interests.get, session.interest_ids)):
            by_person.setdefault(interest.person, []).append(interest.id)
        sent = []
        for person, interest_ids in by_person.items():
            notice = Notice(
                id=self._ids.new_id("ntc"),
                recipient=person,
                kind=kind,
                text=f"{text}: “{session.title}”." if kind == "drafted" else f"{text}.",
                created_at=self._clock.now(),
                key=f"{kind}:{session.id}:{session.date}:{person}",
                interest_ids=tuple(interest_ids),
                session_id=session.id,
            )
            if self._notices.add(notice):
                sent.append(notice)
        return sent

    def _visible(self, caller: Caller, session_id: str) -> TrackedSession:
        require_person(caller)
        session = self._sessions.get(session_id)
        if session is None:
            raise NotFoundError("No such session.")
        if session.organiser == caller.id or caller.is_learning_ops:
            return session
        mine = {i.id for i in self._interests.of_person(caller.id)}
        if mine & set(session.interest_ids):
            return session
        raise NotFoundError("No such session.")

    def _organised(self, caller: Caller, session_id: str) -> TrackedSession:
        session = self._visible(caller, session_id)
        if session.organiser != caller.id and not caller.is_learning_ops:
            raise NotFoundError("Only its organiser (or Learning Ops) can change this session.")
        return session


def _session_request(words: str, request: DraftRequest, people: int) -> SessionRequest:
    topic = _topic_words(words)
    return SessionRequest(
        request=f"a session about {topic}",
        topic=topic,
        format=request.format,
        audience_size=people,
        duration_minutes=request.duration_minutes,
        date=request.date,
        hybrid=request.hybrid,
    )


def _topic_words(text: str) -> str:
    """The topic a statement names ("I'd like to learn about X" → "X"), else the statement."""
    found = parse_request(text).topic
    return (found or re.sub(r"[?!.]+$", "", text)).strip()
