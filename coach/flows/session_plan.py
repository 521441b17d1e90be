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
from dataclasses import dataclass, field
from typing import Any

from coach.domain import Passage, SourceRef
from coach.flows.agenda import AgendaItem, build_agenda
from coach.flows.people import PastSession, find_past_sessions
from coach.flows.requests import RequestReader, SessionRequest, detect_format, parse_request
from coach.flows.rulebook import Room, RuleBook, mentions, named_in_words, same_format
from coach.reading.rules import Rule, first
from coach.retrieval import Filters, Retriever
from coach.store import KnowledgeStore
from coach.text import proper_names, words

DEFAULT_AUDIENCE = 20
DEFAULT_DURATION = 60
# Searches for the guidance a kind of session brings, in plain words (never a document's title).
HYBRID_QUERY = "running a session with some people in the room and others joining online"
GUEST_QUERY = "inviting a speaker from outside the organisation: approvals, fees, visitors"
ACCESSIBILITY_QUERY = "making a session accessible: captions, interpreters, accommodations"
EXTERNAL_SPEAKER = re.compile(
    r"\b(external|guest|outside|visiting|(another|other) (company|organi[sz]ation)|"
    r"bring(ing)? in|invit(e|ing) (a|an|someone)|speaker from|"
    r"from (a|an) ([\w-]+ )?(start-?up|company|firm|university|vendor|agency|consultancy|charity)|"
    # A speaker who names a fee is not on the payroll.
    r"(asks?|asked|asking|charges?|charging|wants?) (for )?"
    r"([$€£]|\d|(eur|gbp|usd|aud|cad|chf|nzd) ?\d|a fee|an honorarium))",
    re.IGNORECASE,
)
_ONLINE = re.compile(r"\b(hybrid|stream|online|remote|virtual)", re.IGNORECASE)


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


WORKING_WEEK = (0, 1, 2, 3, 4)


def lead_time_rules(plan: SessionPlan) -> list[Rule]:
    """The plan's lead times (rules saying how long before the date something is due) that
    state an amount and a unit, once each."""
    return _unique([r for r in plan.rules if r.kind == "lead_time" and r.value and r.unit])


def subtract(
    date: dt.date, amount: float, unit: str, week: tuple[int, ...] = WORKING_WEEK
) -> dt.date:
    """`date` moved back by a lead time; working days skip the days outside the working week."""
    return _shift(date, -math.ceil(amount), unit, week)


def add(date: dt.date, amount: float, unit: str, week: tuple[int, ...] = WORKING_WEEK) -> dt.date:
    """`date` moved forward by a lead time; working days skip the days outside the working week."""
    return _shift(date, math.ceil(amount), unit, week)


def _shift(date: dt.date, count: int, unit: str, week: tuple[int, ...]) -> dt.date:
    if unit.startswith(("working", "business")):
        step = dt.timedelta(days=1 if count > 0 else -1)
        remaining = abs(count)
        while remaining:
            date += step
            remaining -= date.weekday() in week
        return date
    if unit.startswith("month"):
        month = date.month - 1 + count
        year, month = date.year + month // 12, month % 12 + 1
        return date.replace(year=year, month=month, day=min(date.day, _month_days(year, month)))
    days = {"day": 1, "week": 7, "year": 365, "hour": 1 / 24}.get(unit.split()[-1], 1)
    return date + dt.timedelta(
        days=math.ceil(count * days) if count > 0 else -math.ceil(-count * days)
    )


def _month_days(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


class SessionPlanner:
    def __init__(
        self,
        retriever: Retriever,
        store: KnowledgeStore,
        today: Callable[[], dt.date] = dt.date.today,
        *,
        rulebook: RuleBook | None = None,
        working_week: tuple[int, ...] = (0, 1, 2, 3, 4),
        team: str = "your learning team",
        read_request: RequestReader = parse_request,
    ) -> None:
        self._retriever = retriever
        self._read_request = read_request
        self._store = store
        self._today = today
        self.rulebook = rulebook or RuleBook(store)
        self._week = working_week
        self._team = team

    def known_formats(self) -> set[str]:
        """Formats named in front matter, then those the playbooks' rules name (each under
        one spelling: front matter's when both name it)."""
        declared = self._store.metadata_values("format")
        read = self.rulebook.format_names()
        return declared | {n for n in read if not any(same_format(n, d) for d in declared)}

    def read(self, text: str) -> SessionRequest:
        """What a request states (`parse_request`, or a model's reading when one is set)."""
        return self._read_request(text, self.known_formats())

    def _playbook_for(self, request: SessionRequest) -> tuple[str | None, list[Passage]]:
        """The format's playbook: the one whose front matter or title names the format, else
        the playbook closest to the request."""
        query = f"running a {request.format or ''} session {request.topic or ''} {request.request}"
        passages = self._retriever.retrieve(query, 10, filters=Filters(kinds=("playbook",)))
        if request.format:
            for passage in passages:
                named = str(passage.metadata.get("format") or "")
                if same_format(named, request.format) or same_format(passage.title, request.format):
                    return passage.source, passages
        relevant = self._retriever.relevant(passages)
        return (relevant[0].source if relevant else None), passages

    def _relevant_playbook(self, query: str) -> str | None:
        return next(iter(self._relevant_playbooks(query, 1)), None)

    def _relevant_playbooks(self, query: str, limit: int) -> list[str]:
        """The playbooks most relevant to `query`, best first, at most `limit` of them."""
        hits = self._retriever.relevant(
            self._retriever.retrieve(query, 3 * limit, filters=Filters(kinds=("playbook",)))
        )
        return list(dict.fromkeys(hit.source for hit in hits))[:limit]

    def plan(self, request: SessionRequest) -> SessionPlan:
        assumptions: list[str] = []
        adjustments: list[str] = []
        known = self.known_formats()
        if request.format is None:
            request = _with(request, format=detect_format(request.request, known))
        if not any(same_format(request.format, name) for name in known):
            # "a meetup evening for the community" names the "Community Evening" in other words.
            request = _with(
                request, format=named_in_words(request.request, known) or request.format
            )
        playbook, _ = self._playbook_for(request)
        format_name = request.format or _format_of(self._store, playbook) or "session"
        rules = self.rulebook.for_format(
            playbook, request.format or _format_of(self._store, playbook)
        )
        if playbook is None:
            assumptions.append("No playbook matches this request, so no house rules were applied.")
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
            rules += self.rulebook.supporting(self._relevant_playbook(HYBRID_QUERY), playbook)
        rules += self._guest_rules(request, playbook)
        rules += [
            r
            for r in self.rulebook.supporting(
                self._relevant_playbook(ACCESSIBILITY_QUERY), playbook
            )
            if r.kind in ("lead_time", "feedback", "recording")
        ][:3]
        room_rule, room = (
            (None, None)
            if request.online_only
            else self._room(request.request, audience, rules, adjustments)
        )
        rules = _for_the_room(
            _unique(rules + ([room_rule] if room_rule else [])), room, self.rulebook
        )
        if request.date:
            self._check_lead_times(request.date, rules, adjustments)
        similar = find_past_sessions(
            self._retriever, self._store, f"{topic} {_label(format_name)}", limit=3
        )
        title = f"{topic[:1].upper()}{topic[1:]}: a {_label(format_name)}"
        cited = [r.source for r in rules] + [s.source for s, _ in similar]
        titles = {r.source: r.title for r in rules} | {s.source: s.title for s, _ in similar}
        logistics = ([room.line()] if room else []) + self._logistics(
            request.date, audience, hybrid, _budgets_for(format_name, rules, known)
        )
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
            logistics=logistics,
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
                duration = max(int(shortest.value), DEFAULT_DURATION)
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

    def _due(self, date: dt.date, rule: Rule) -> dt.date:
        return subtract(date, rule.value or 0, rule.unit or "day", self._week)

    def _check_lead_times(self, date: dt.date, rules: list[Rule], adjustments: list[str]) -> None:
        """Say which deadlines have already passed, and the first date that meets them all.
        A conditional rule ("an honorarium above EUR 500 needs...") is named as such and does
        not move that date: it may not apply to this session."""
        today = self._today()
        if date < today:
            adjustments.append(f"{date:%a %d %b %Y} has already passed: choose a new date.")
            return
        first_dates = []  # for each binding rule missed, the first date that meets it
        for rule in rules:
            if rule.kind != "lead_time" or not rule.value or not rule.unit:
                continue
            due = self._due(date, rule)
            if due >= today:
                continue
            lead = "If it applies, too late" if rule.conditional else "Too late"
            adjustments.append(
                f"{lead}: “{rule.text}” ({rule.title}) was due by {due:%a %d %b %Y}."
            )
            if not rule.conditional:
                first_dates.append(add(today, rule.value, rule.unit, self._week))
        if first_dates:
            adjustments.append(
                f"The first date that meets every lead time is {max(first_dates):%a %d %b %Y}: "
                f"move the session, or ask {self._team} for an exception."
            )

    def _guest_rules(self, request: SessionRequest, playbook: str | None) -> list[Rule]:
        """An outside speaker brings the guest playbook's rules (approvals, contracts, visitor
        registration), unless that playbook is already the format's own."""
        if not EXTERNAL_SPEAKER.search(request.request):
            return []
        # Two guides, when two are about it: one on inviting guests, one on paying them.
        return [
            rule
            for source in self._relevant_playbooks(GUEST_QUERY, 2)
            for rule in self.rulebook.supporting(source, playbook)
        ]

    def _room(
        self, asked: str, audience: int, rules: list[Rule], adjustments: list[str]
    ) -> tuple[Rule | None, ChosenRoom | None]:
        """The smallest room a playbook lists that holds the people in the room (None, with
        an adjustment, when none does), among those whose listing shares most of the names
        the request uses (an office, a building, a format the room is listed as good for)."""
        rooms = self.rulebook.rooms()
        if not rooms:
            return None, None
        # Above the format's in-person limit the plan goes hybrid or caps registration (see
        # _over_capacity): either way only that many are in the room.
        capacity = _session_capacity(rules)
        in_person = min(audience, int(capacity.value)) if capacity and capacity.value else audience
        fits = _sharing_most_names(asked, [room for room in rooms if room.seats >= in_person])
        if not fits:
            largest = rooms[-1]
            adjustments.append(
                f"No room holds {in_person} people: the largest is {_the(largest.name)} "
                f"({largest.seats} people): “{largest.rule.text}” ({largest.rule.title}), so run "
                "it hybrid or run it twice."
            )
            return largest.rule, None
        return fits[0].rule, ChosenRoom(fits[0], in_person)

    def _over_capacity(self, audience: int, rules: list[Rule], adjustments: list[str]) -> bool:
        capacity = _session_capacity(rules)
        if not capacity or not capacity.value or audience <= capacity.value:
            return False
        online = bool(_ONLINE.search(capacity.text))
        remedy = "so it runs hybrid" if online else "so cap registration or run it twice"
        adjustments.append(
            f"{audience} people is more than the in-person limit of {capacity.value:g}: "
            f"“{capacity.text}” "
            f"({capacity.title}), {remedy}."
        )
        return online

    def _logistics(
        self, date: dt.date | None, audience: int, hybrid: bool, rules: list[Rule]
    ) -> list[str]:
        items: list[str] = []
        for rule in rules:
            if rule.kind == "lead_time" and rule.value and rule.unit:
                when = f"By {self._due(date, rule):%a %d %b %Y}: " if date else ""
                items.append(f"{when}{rule.text}")
            elif rule.kind == "per_facilitator" and rule.value:
                needed = math.ceil(audience / rule.value)
                plural = "facilitator" if needed == 1 else "facilitators"
                items.append(f"{needed} {plural} for {audience} participants: {rule.text}")
            elif rule.kind == "moderator" and (
                hybrid and (not rule.value or audience > rule.value)
            ):
                items.append(f"Online moderator needed: {rule.text}")
            elif rule.kind == "budget" and rule.value and rule.subject == "per person":
                total = int(rule.value * audience)
                items.append(
                    f"Budget: {audience} people at {rule.unit} {rule.value:g} each = "
                    f"{rule.unit} {total} ({rule.text})"
                )
            elif rule.kind == "approval_threshold" and rule.value:
                who = f": above it, {rule.approver}" if rule.approver else ""
                items.append(f"Approval above {rule.unit} {rule.value:g}{who} ({rule.text})")
        return items


@dataclass(frozen=True)
class ChosenRoom:
    room: Room
    in_person: int

    def line(self) -> str:
        return (
            f"Room: {_the(self.room.name)} ({self.room.seats} people) is the smallest that holds "
            f"{self.in_person} in person: {self.room.rule.text}"
        )


def _budgets_for(format_name: str, rules: list[Rule], formats: set[str]) -> list[Rule]:
    """Of several per-head budgets, those that name this format ("Meetups get up to £9 a
    head"), else those that name no format: another format's rate is not this one's."""
    budgets = [r for r in rules if r.kind == "budget" and r.subject == "per person"]
    if len(budgets) < 2:
        return rules

    def named(rule: Rule) -> set[str]:
        return {name for name in formats if mentions(rule.text, name)}

    mine = [r for r in budgets if any(same_format(n, format_name) for n in named(r))]
    keep = mine or [r for r in budgets if not named(r)]
    return [r for r in rules if r not in budgets or r in keep]


def _the(name: str) -> str:
    return name if name.lower().startswith("the ") else f"the {name}"


def _session_capacity(rules: list[Rule]) -> Rule | None:
    return next((r for r in rules if r.kind == "capacity" and r.value and not r.room), None)


def _sharing_most_names(asked: str, rooms: list[Room]) -> list[Room]:
    """The rooms whose listings name most of what the request names ("in the North office"
    keeps the North office's rooms), smallest first; all of them when none names anything."""
    names = proper_names(asked)
    shared = {room.name: len(names & set(words(room.rule.text))) for room in rooms}
    most = max(shared.values(), default=0)
    return [r for r in rooms if shared[r.name] == most] if most else rooms


def _for_the_room(rules: list[Rule], room: ChosenRoom | None, book: RuleBook) -> list[Rule]:
    """Lead times that name a room bind only when it is the chosen one; the chosen room's own
    (from any playbook) are added."""
    names = {r.name.lower() for r in book.rooms()}
    chosen = room.room.name.lower() if room else None

    def said(rule: Rule) -> str:
        # The room may be named in another sentence of the rule's list item.
        return f"{rule.text} {rule.item or ''}".lower()

    def names_other_room(rule: Rule) -> bool:
        return any(re.search(rf"\b{re.escape(n)}\b", said(rule)) for n in names - {chosen})

    kept = [r for r in rules if not (r.kind == "lead_time" and names_other_room(r))]
    if chosen:
        kept += [
            r
            for r in book.everywhere()
            if r.kind == "lead_time" and re.search(rf"\b{re.escape(chosen)}\b", said(r))
        ]
    return _unique(kept)


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
    seen: set[tuple[str, str, float | None]] = set()
    unique = []
    for rule in rules:
        if (rule.text, rule.kind, rule.value) not in seen:
            seen.add((rule.text, rule.kind, rule.value))
            unique.append(rule)
    return unique


def _objectives(topic: str) -> list[str]:
    return [
        f"Explain the essentials of {topic} in plain terms",
        f"Show how {topic} applies to our own work, with a real example",
        "Leave everyone with one concrete next step to try",
    ]


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
