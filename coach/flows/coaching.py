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
from coach.flows.requests import SessionRequest, clamp_notes, parse_request
from coach.flows.session_plan import SessionPlanner
from coach.retrieval import Retriever
from coach.store import KnowledgeStore

ASK_TOPIC = (
    "Happy to help you plan it. What is the session about, and which format do you have in "
    "mind (for example a brown-bag, a lunch & learn, a workshop, a guest talk or a meetup)?"
)
NO_PAST_SESSIONS = (
    "I couldn't find a past session on this in the notes. If you run one, its notes will help "
    "the next person: Learning Ops can add them to the library."
)
FOLLOW_UP_WORDS = 10
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8,
                 "ten": 10, "twelve": 12}  # fmt: skip
_HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:hours?|hrs?|h)\s*(?:a|per|each|/)\s*week", re.I)
_SPAN = re.compile(r"(\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(weeks?|months?)", re.IGNORECASE)


def learning_request(text: str) -> tuple[float | None, int | None]:
    """Hours a week and number of weeks, when the message states them (within bounds)."""
    hours, weeks, _ = bounded_learning_request(text)
    return hours, weeks


def bounded_learning_request(text: str) -> tuple[float | None, int | None, list[str]]:
    """Hours a week and weeks, clamped to the bounds of coach.bounds, and what was clamped."""
    hours = weeks = None
    notes: list[str] = []
    if m := _HOURS.search(text):
        clamped_hours = clamp_hours_per_week(read_number(m.group(1)))
        hours, notes = clamped_hours.value, [*notes, *filter(None, [clamped_hours.note])]
    if span := _SPAN.search(text):
        count = _NUMBER_WORDS.get(span.group(1).lower()) or int(read_number(span.group(1)))
        clamped_weeks = clamp_weeks(
            count * 4 if span.group(2).lower().startswith("month") else count
        )
        weeks, notes = clamped_weeks.value, [*notes, *filter(None, [clamped_weeks.note])]
    return hours, weeks, notes


def with_notes(answer: str, notes: list[str]) -> str:
    """The answer, first saying which numbers were out of bounds and what was used instead."""
    return "".join(f"> {note}\n" for note in notes) + ("\n" if notes else "") + answer


class Coaching:
    def __init__(self, retriever: Retriever, store: KnowledgeStore) -> None:
        self._retriever = retriever
        self._store = store
        self.sessions = SessionPlanner(retriever, store)
        self.learning = LearningPlanner(retriever, store)

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
        request = parse_request(message, self.sessions.known_formats())
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
