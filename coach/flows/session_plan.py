"""Draft a session plan grounded in the format's playbook and similar past sessions.

The plan is assembled, not generated: the length, capacity, lead times, approvals and budgets
come from the playbook's own sentences (cited), the agenda is built to fit them, and past
sessions come from the notes. A model can only polish wording, never a figure.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from coach.domain import Passage, SourceRef
from coach.flows.agenda import AgendaItem, build_agenda
from coach.flows.people import PastSession, find_past_sessions
from coach.flows.requests import SessionRequest, detect_format
from coach.flows.rules import Rule, first, room_capacities, rules_in
from coach.retrieval import Filters, Retriever
from coach.store import KnowledgeStore

DEFAULT_AUDIENCE = 20
DEFAULT_DURATION = 60
HYBRID_QUERY = "hybrid and remote sessions: online moderator, captions, room kit"
ROOMS_QUERY = "book a room: each room's capacity in people"
GUEST_QUERY = "inviting an external guest speaker from outside the company: approvals, visitor"
EXTERNAL_SPEAKER = re.compile(
    r"\b(external|guest|outside speaker|from outside|(another|other) (company|organi[sz]ation))",
    re.IGNORECASE,
)
# "above EUR 500", "if you no longer need it": rules that bind only some sessions.
CONDITIONAL = re.compile(r"\b(if|above|over|more than|unless)\b", re.IGNORECASE)
# The format's playbook sets these; another playbook's sentence about them is cited, not applied.
FORMAT_LIMITS = ("max_duration", "min_duration", "capacity", "per_facilitator")
ACCESSIBILITY_QUERY = (
    "accessible and inclusive sessions: captions, slides in advance, dietary needs"
)


@dataclass(frozen=True)
class SessionPlan:
    title: str
    format: str
    topic: str
    audience_size: int
    duration_minutes: int
    date: dt.date | None
    hybrid: bool
    objectives: list[str]
    agenda: list[AgendaItem]
    logistics: list[str]
    rules: list[Rule]
    adjustments: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    promotion: str = ""
    follow_up: list[str] = field(default_factory=list)
    similar_sessions: list[PastSession] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "format": self.format,
            "topic": self.topic,
            "audience": {"size": self.audience_size, "hybrid": self.hybrid},
            "duration_minutes": self.duration_minutes,
            "date": self.date.isoformat() if self.date else None,
            "objectives": self.objectives,
            "agenda": [{"minutes": i.minutes, "activity": i.activity} for i in self.agenda],
            "logistics": self.logistics,
            "rules": [
                {"text": r.text, "source": r.source, "title": r.title}
                for r in {r.text: r for r in self.rules}.values()
            ],
            "adjustments": self.adjustments,
            "assumptions": self.assumptions,
            "promotion": self.promotion,
            "follow_up": self.follow_up,
            "similar_sessions": [vars(s) for s in self.similar_sessions],
        }


def subtract(date: dt.date, amount: float, unit: str) -> dt.date:
    """`date` moved back by a lead time; working days skip weekends."""
    return _shift(date, -int(amount), unit)


def add(date: dt.date, amount: float, unit: str) -> dt.date:
    """`date` moved forward by a lead time; working days skip weekends."""
    return _shift(date, int(amount), unit)


def _shift(date: dt.date, count: int, unit: str) -> dt.date:
    if unit.startswith("working") or unit.startswith("business"):
        step = dt.timedelta(days=1 if count > 0 else -1)
        remaining = abs(count)
        while remaining:
            date += step
            remaining -= date.weekday() < 5
        return date
    days = {"day": 1, "week": 7, "month": 30}.get(unit.split()[-1], 1)
    return date + dt.timedelta(days=count * days)


class SessionPlanner:
    def __init__(
        self,
        retriever: Retriever,
        store: KnowledgeStore,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._retriever = retriever
        self._store = store
        self._today = today

    def known_formats(self) -> set[str]:
        return self._store.metadata_values("format")

    def _playbook_for(self, request: SessionRequest) -> tuple[str | None, list[Passage]]:
        """The format's playbook: the one whose front matter names the format, else the
        closest playbook to the request."""
        query = f"running a {request.format or ''} session {request.topic or ''} {request.request}"
        passages = self._retriever.retrieve(query, 10, filters=Filters(kinds=("playbook",)))
        for passage in passages:
            if request.format and passage.metadata.get("format") == request.format:
                return passage.source, passages
        relevant = self._retriever.relevant(passages)
        return (relevant[0].source if relevant else None), passages

    def _relevant_playbooks(self, query: str) -> list[str]:
        """The playbooks (best first, each once) among the top passages for `query`."""
        hits = self._retriever.relevant(
            self._retriever.retrieve(query, 3, filters=Filters(kinds=("playbook",)))
        )
        return list(dict.fromkeys(p.source for p in hits))

    def _supporting_rules(self, query: str, exclude: set[str]) -> list[Rule]:
        source = next((s for s in self._relevant_playbooks(query) if s not in exclude), None)
        return rules_in(self._store.chunks_of(source)) if source else []

    def plan(self, request: SessionRequest) -> SessionPlan:
        assumptions: list[str] = []
        adjustments: list[str] = []
        if request.format is None:
            request = _with(request, format=detect_format(request.request, self.known_formats()))
        playbook, _ = self._playbook_for(request)
        rules = rules_in(self._store.chunks_of(playbook)) if playbook else []
        if playbook is None:
            assumptions.append("No playbook matches this request, so no house rules were applied.")
        format_name = request.format or _format_of(self._store, playbook) or "session"
        if request.format is None:
            assumptions.append(f"No format given: planned as a {_label(format_name)}.")
        topic = request.topic or "your topic"
        if request.topic is None:
            assumptions.append("No topic given: replace “your topic” in the title and invitation.")
        audience = request.audience_size
        if audience is None:
            audience = DEFAULT_AUDIENCE
            assumptions.append(f"No audience size given: planned for {audience} people.")
        duration = self._duration(request, rules, adjustments, assumptions)
        hybrid = request.hybrid or self._over_capacity(audience, rules, adjustments)
        if hybrid:
            rules += self._supporting_rules(HYBRID_QUERY, {playbook or ""})
        rules += self._guest_rules(request, playbook)
        rules += [
            r
            for r in self._supporting_rules(ACCESSIBILITY_QUERY, {playbook or ""})
            if r.kind in ("lead_time", "other")
        ][:4]
        if request.date:
            self._check_lead_times(request.date, rules, adjustments)
        room_listing, room = self._room(audience, rules, adjustments)
        rules = _unique(rules + ([room_listing] if room_listing else []))
        similar = find_past_sessions(
            self._retriever, self._store, f"{topic} {_label(format_name)}", limit=3
        )
        title = f"{topic[:1].upper()}{topic[1:]}: a {_label(format_name)}"
        cited = [r.source for r in rules] + [s.source for s, _ in similar]
        titles = {r.source: r.title for r in rules} | {s.source: s.title for s, _ in similar}
        return SessionPlan(
            title=title,
            format=format_name,
            topic=topic,
            audience_size=audience,
            duration_minutes=duration,
            date=request.date,
            hybrid=hybrid,
            objectives=_objectives(topic),
            agenda=build_agenda(format_name, duration, topic, rules),
            logistics=([room] if room else []) + _logistics(request.date, audience, hybrid, rules),
            rules=rules,
            adjustments=adjustments,
            assumptions=assumptions,
            promotion=_promotion(title, format_name, duration, request.date, hybrid),
            follow_up=[r.text for r in rules if r.kind in ("feedback", "recording")],
            similar_sessions=[s for s, _ in similar],
            sources=[SourceRef(s, titles[s]) for s in dict.fromkeys(cited)],
        )

    def _duration(
        self,
        request: SessionRequest,
        rules: list[Rule],
        adjustments: list[str],
        assumptions: list[str],
    ) -> int:
        longest, shortest = first(rules, "max_duration"), first(rules, "min_duration")
        if request.duration_minutes is None:
            duration = int(longest.value) if longest and longest.value else DEFAULT_DURATION
            if shortest and shortest.value and not longest:
                duration = int(shortest.value)
            assumptions.append(f"No length given: planned for {duration} minutes.")
            return duration
        duration = request.duration_minutes
        if longest and longest.value and duration > longest.value:
            adjustments.append(
                f"You asked for {duration} minutes, but “{longest.text}” ({longest.title}), "
                f"so this plan is {int(longest.value)} minutes."
            )
            return int(longest.value)
        if shortest and shortest.value and duration < shortest.value:
            adjustments.append(
                f"You asked for {duration} minutes, but “{shortest.text}” ({shortest.title}), "
                f"so this plan is {int(shortest.value)} minutes."
            )
            return int(shortest.value)
        return duration

    def _check_lead_times(self, date: dt.date, rules: list[Rule], adjustments: list[str]) -> None:
        """Say which deadlines have already passed, and the first date that meets them all.
        A conditional rule ("an honorarium above EUR 500 needs...") is named as such and does
        not move that date: it may not apply to this session."""
        today = self._today()
        if date < today:
            adjustments.append(f"{date:%a %d %b %Y} has already passed: choose a new date.")
            return
        lead_times = [
            (r, r.value, r.unit)
            for r in rules
            if r.kind in ("lead_time", "approval") and r.value and r.unit
        ]
        first_dates = []  # for each binding rule missed, the first date that meets it
        for rule, value, unit in lead_times:
            due = subtract(date, value, unit)
            if due >= today:
                continue
            conditional = CONDITIONAL.search(rule.text)
            lead = "If it applies, too late" if conditional else "Too late"
            adjustments.append(
                f"{lead}: “{rule.text}” ({rule.title}) was due by {due:%a %d %b %Y}."
            )
            if not conditional:
                first_dates.append(add(today, value, unit))
        if first_dates:
            adjustments.append(
                f"The first date that meets every lead time is {max(first_dates):%a %d %b %Y}: "
                "move the session, or ask Learning Ops for an exception."
            )

    def _guest_rules(self, request: SessionRequest, playbook: str | None) -> list[Rule]:
        """An outside speaker brings the guest playbook's rules (approvals, contracts, visitor
        registration), unless that playbook is already the format's own."""
        if not EXTERNAL_SPEAKER.search(request.request):
            return []
        playbooks = self._relevant_playbooks(GUEST_QUERY)
        if not playbooks or playbooks[0] == playbook:
            return []
        return [
            replace(r, kind="other", value=None) if r.kind in FORMAT_LIMITS else r
            for r in rules_in(self._store.chunks_of(playbooks[0]))
        ]

    def _room_listing(self, rules: list[Rule]) -> Rule | None:
        """The playbook sentence that lists the rooms and their capacities, if one does."""
        for source in [None, *self._relevant_playbooks(ROOMS_QUERY)]:
            candidates = rules if source is None else rules_in(self._store.chunks_of(source))
            listing = next((r for r in candidates if room_capacities(r.text)), None)
            if listing:
                return listing
        return None

    def _room(
        self, audience: int, rules: list[Rule], adjustments: list[str]
    ) -> tuple[Rule | None, str | None]:
        """The rooms' listing, if a playbook has one, and the smallest room that holds the
        people in the room (None, with an adjustment, when none does)."""
        listing = self._room_listing(rules)
        if listing is None:
            return None, None
        # Above the format's in-person limit the plan goes hybrid or caps registration (see
        # _over_capacity): either way only that many are in the room.
        capacity = first(rules, "capacity")
        in_person = min(audience, int(capacity.value)) if capacity and capacity.value else audience
        rooms = sorted(room_capacities(listing.text).items(), key=lambda room: room[1])
        fits = [(name, seats) for name, seats in rooms if seats >= in_person]
        if not fits:
            name, seats = rooms[-1]
            adjustments.append(
                f"No room holds {in_person} people: the largest is the {name} ({seats} people): "
                f"“{listing.text}” ({listing.title}), so run it hybrid or run it twice."
            )
            return listing, None
        name, seats = fits[0]
        return listing, (
            f"Room: the {name} ({seats} people) is the smallest that holds {in_person} "
            f"in person: {listing.text}"
        )

    def _over_capacity(self, audience: int, rules: list[Rule], adjustments: list[str]) -> bool:
        capacity = first(rules, "capacity")
        if not capacity or not capacity.value or audience <= capacity.value:
            return False
        online = any(w in capacity.text.lower() for w in ("hybrid", "stream", "online"))
        remedy = "so it runs hybrid" if online else "so cap registration or run it twice"
        adjustments.append(
            f"{audience} people is more than the in-person limit: “{capacity.text}” "
            f"({capacity.title}), {remedy}."
        )
        return online


def _with(request: SessionRequest, **changes: Any) -> SessionRequest:
    return SessionRequest(**{**vars(request), **changes})


def _format_of(store: KnowledgeStore, source: str | None) -> str | None:
    if not source:
        return None
    chunks = store.chunks_of(source)
    return (
        str(chunks[0].metadata["format"]) if chunks and chunks[0].metadata.get("format") else None
    )


def _label(format_name: str) -> str:
    return format_name.replace("-and-", " & ").replace("-", " ")


def _unique(rules: list[Rule]) -> list[Rule]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for rule in rules:
        if (rule.text, rule.kind) not in seen:
            seen.add((rule.text, rule.kind))
            unique.append(rule)
    return unique


def _objectives(topic: str) -> list[str]:
    return [
        f"Explain the essentials of {topic} in plain terms",
        f"Show how {topic} applies to our own work, with a real example",
        "Leave everyone with one concrete next step to try",
    ]


def _logistics(date: dt.date | None, audience: int, hybrid: bool, rules: list[Rule]) -> list[str]:
    items: list[str] = []
    for rule in rules:
        if rule.kind in ("lead_time", "approval") and rule.value and rule.unit:
            when = f"By {subtract(date, rule.value, rule.unit):%a %d %b %Y}: " if date else ""
            items.append(f"{when}{rule.text}")
        elif rule.kind == "per_facilitator" and rule.value:
            needed = math.ceil(audience / rule.value)
            plural = "facilitator" if needed == 1 else "facilitators"
            items.append(f"{needed} {plural} for {audience} participants: {rule.text}")
        elif rule.kind == "moderator" and (hybrid and (not rule.value or audience > rule.value)):
            items.append(f"Online moderator needed: {rule.text}")
        elif (
            rule.kind == "budget" and rule.value and "per" in rule.text and "attendee" in rule.text
        ):
            total = int(rule.value * audience)
            items.append(
                f"Food budget: {audience} people at {rule.unit} {rule.value:g} each = "
                f"{rule.unit} {total} ({rule.text})"
            )
        elif (
            hybrid
            and rule.kind == "other"
            and any(w in rule.text.lower() for w in ("caption", "kit"))
        ):
            items.append(rule.text)
    return items


def _promotion(
    title: str, format_name: str, duration: int, date: dt.date | None, hybrid: bool
) -> str:
    when = f"on {date:%A %d %B %Y}" if date else "soon (date to be announced)"
    where = "in the room or online, with captions on" if hybrid else "in person"
    return (
        f"{title}. Join us {when} for a {duration}-minute {_label(format_name)}, {where}. "
        "Bring your questions, and tell us in the registration form if you need an "
        "accommodation to take part."
    )
