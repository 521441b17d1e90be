"""The coaching flows as chat replies: session plans, learning plans and past sessions,
with follow-ups that change only what they mention."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from coach.answers import source_refs
from coach.bounds import clamp_hours_per_week, clamp_weeks, read_number
from coach.domain import Reply, SourceRef
from coach.flows.export import session_plan_markdown
from coach.flows.learning_plan import LearningPlanner, learning_plan_markdown
from coach.flows.people import find_past_sessions, people_answer
from coach.flows.requests import RequestReader, SessionRequest, clamp_notes, parse_request
from coach.flows.rulebook import RuleBook
from coach.flows.session_plan import SessionPlanner
from coach.profile import OrganisationProfile
from coach.reading.quantities import normalise
from coach.retrieval import Retriever
from coach.store import KnowledgeStore

ASK_TOPIC = (
    "Happy to help you plan it. What is the session about, and which format do you have in "
    "mind (a talk, a hands-on session, a community gathering, a guest speaker…)?"
)


def dollar_of(currency: str | None) -> str:
    """What a bare "$" means in this organisation's guides."""
    return currency if currency and currency.endswith("D") else "USD"


FOLLOW_UP_WORDS = 10
_HOURS = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:hours?|hrs?|h)\s*(?:a|per|each|every|/)\s*(?:1\s+)?week", re.I
)
_SPAN = re.compile(r"(\d+(?:\.\d+)?)\s+(weeks?|months?|years?)", re.IGNORECASE)
WEEKS_PER = {"week": 1, "month": 4, "year": 52}


def learning_request(text: str) -> tuple[float | None, int | None]:
    """Hours a week and number of weeks, when the message states them ("five weeks at
    two hours each week"; "the next six months"), within the bounds of coach.bounds."""
    hours, weeks, _ = bounded_learning_request(text)
    return hours, weeks


def _read_learning_request(text: str) -> tuple[float | None, float | None]:
    digits = normalise(text)
    hours = read_number(m.group(1)) if (m := _HOURS.search(digits)) else None
    weeks = None
    without_rate = _HOURS.sub(" ", digits)  # "3 hours a week" is a rate, not a span
    if span := _SPAN.search(without_rate):
        unit = span.group(2).lower().rstrip("s")
        weeks = read_number(span.group(1)) * WEEKS_PER[unit]
    return hours, weeks


def bounded_learning_request(text: str) -> tuple[float | None, int | None, list[str]]:
    """Hours a week and weeks, clamped to the bounds of coach.bounds, and what was clamped."""
    raw_hours, raw_weeks = _read_learning_request(text)
    hours = weeks = None
    notes: list[str] = []
    if raw_hours is not None:
        clamped_hours = clamp_hours_per_week(raw_hours)
        hours, notes = clamped_hours.value, [*notes, *filter(None, [clamped_hours.note])]
    if raw_weeks is not None:
        clamped_weeks = clamp_weeks(round(min(raw_weeks, 10**9)))
        weeks, notes = clamped_weeks.value, [*notes, *filter(None, [clamped_weeks.note])]
    return hours, weeks, notes


def with_notes(answer: str, notes: list[str]) -> str:
    """The answer, first saying which numbers were out of bounds and what was used instead."""
    return "".join(f"> {note}\n" for note in notes) + ("\n" if notes else "") + answer


class Coaching:
    def __init__(
        self,
        retriever: Retriever,
        store: KnowledgeStore,
        profile: OrganisationProfile | None = None,
        *,
        read_request: RequestReader = parse_request,
    ) -> None:
        profile = profile or OrganisationProfile()
        self._retriever = retriever
        self._store = store
        self.rulebook = RuleBook(store, dollar=dollar_of(profile.currency))
        self.sessions = SessionPlanner(
            retriever,
            store,
            rulebook=self.rulebook,
            working_week=profile.working_week,
            team=profile.team.name,
            read_request=read_request,
        )
        self.learning = LearningPlanner(retriever, store, self.rulebook)

    def is_session_follow_up(self, message: str, state: Mapping[str, Any] | None) -> bool:
        """A short message that changes the plan under discussion ("make it hybrid")."""
        if not state or state.get("flow") != "session_plan":
            return False
        if len(message.split()) > FOLLOW_UP_WORDS:
            return False
        change = parse_request(message, self.sessions.known_formats())
        return any(
            (change.audience_size, change.duration_minutes, change.date, change.format,
             change.hybrid, change.topic)
        )  # fmt: skip

    def session_plan(self, message: str, state: Mapping[str, Any] | None) -> Reply:
        request = self.sessions.read(message)
        if state and state.get("flow") == "session_plan":
            request = SessionRequest.from_json(dict(state["request"])).updated_by(request)
        flow_state = {"flow": "session_plan", "request": request.to_json()}
        if request.topic is None and request.format is None:
            return Reply(ASK_TOPIC, state=flow_state, kind="session_plan")
        plan = self.sessions.plan(request)
        return Reply(
            with_notes(session_plan_markdown(plan), clamp_notes(message)),
            plan.sources,
            state=flow_state,
            kind="session_plan",
        )

    def learning_plan(self, message: str) -> Reply:
        hours, weeks, notes = bounded_learning_request(message)
        plan = self.learning.plan(message, hours, weeks)
        sources = list(plan.resources) + [SourceRef(p.source, p.title) for p in plan.people]
        unique = list({s.source: s for s in sources}.values())
        return Reply(
            with_notes(learning_plan_markdown(plan), notes),
            unique,
            state={"flow": "learning_plan"},
            kind="learning_plan",
        )

    def past_sessions(self, message: str) -> Reply | None:
        found = find_past_sessions(self._retriever, self._store, message)
        if not found:
            return None
        passages = [p for _, p in found]
        return Reply(people_answer(found), source_refs(passages), passages=passages, kind="people")
