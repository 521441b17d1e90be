"""Autonomy per month, from the facts; demo history only when asked; CSV and charts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from coach.community.autonomy import (
    AutonomyFacts,
    AutonomyService,
    MonthAutonomy,
    chart_series,
    monthly,
    months_until,
    to_csv,
)
from coach.community.charts import render
from coach.community.demo import COMMUNITIES, FIRST_NAMES, LAST_NAMES, TOPICS, DemoService, generate
from coach.community.errors import NotAllowedError
from coach.community.records import (
    ConversationFact,
    Debrief,
    HandoffFact,
    HeldSession,
    InterestFact,
    NoteDraft,
    NoteFacts,
)
from tests.community_fakes import MemoryActivity, MemoryCommunities, MemoryDemo, MemoryDrafts
from tests.unit.community.conftest import ALICE, OLGA, World, sample_plan

ROOT = Path(__file__).resolve().parents[3]
TEAM = {"Olga Team"}


def _held(date: str, host: str, **extra: object) -> HeldSession:
    return HeldSession(dt.date.fromisoformat(date), "T", (host,), **extra)  # type: ignore[arg-type]


def test_each_month_s_figures_come_from_the_facts() -> None:
    facts = AutonomyFacts(
        held=[
            _held("2027-01-05", "Olga Team"),  # the team's: not an employee's session
            _held("2027-01-10", "Ana Diaz", attendees=("Ben Roe",), handed_off=True),
            _held("2027-02-03", "Ana Diaz", community="c1", handed_off=False),
            _held("2027-02-20", "Ben Roe", community="c1"),  # attended in January
            _held("2027-02-21", "Cy Lam", community="c2", handed_off=False),
        ],
        conversations=[
            ConversationFact(dt.datetime(2027, 2, d, tzinfo=dt.UTC), d == 1, unanswered=d % 2)
            for d in range(1, 5)
        ],
        interests=[
            InterestFact(dt.date(2027, 1, 1), dt.date(2027, 2, 3)),
            InterestFact(dt.date(2027, 1, 20), dt.date(2027, 2, 20)),
            InterestFact(dt.date(2027, 2, 1)),
        ],
    )

    january, february = monthly(facts, ["2027-01", "2027-02"], TEAM)

    assert january == MonthAutonomy("2027-01", 1, 0.0, 1, 0, 0, 0, 0, None, 0, None, 0)
    assert february == MonthAutonomy(
        month="2027-02",
        sessions_by_employees=3,
        share_without_handoff=1.0,  # two known, neither handed off
        first_time_hosts=2,
        repeat_hosts=1,
        attendees_who_later_hosted=1,
        communities_active=2,
        interests_became_sessions=2,
        median_days_interest_to_session=32.0,
        conversations=4,
        handoffs_per_100_conversations=25.0,
        unanswered_questions=2,
    )


def test_demo_facts_count_only_when_asked_for() -> None:
    facts = AutonomyFacts(
        held=[_held("2027-01-10", "Ana Diaz", demo=True)],
        conversations=[ConversationFact(dt.datetime(2027, 1, 2, tzinfo=dt.UTC), True, demo=True)],
    )

    real = monthly(facts, ["2027-01"], TEAM)[0]
    shown = monthly(facts, ["2027-01"], TEAM, include_demo=True)[0]

    assert (real.sessions_by_employees, real.conversations) == (0, 0)
    assert (shown.sessions_by_employees, shown.conversations) == (1, 1)


def test_the_csv_and_the_chart_series_hold_the_same_numbers() -> None:
    rows = monthly(
        AutonomyFacts(held=[_held("2027-02-03", "Ana Diaz")]), ["2027-01", "2027-02"], TEAM
    )

    text = to_csv(rows)
    series = chart_series(rows)

    assert text.splitlines()[0].startswith("month,sessions_by_employees,share_without_handoff,")
    assert text.splitlines()[1:] == ["2027-01,0,,0,0,0,0,0,,0,,0", "2027-02,1,,1,0,0,0,0,,0,,0"]
    assert series["month"] == ["2027-01", "2027-02"]
    assert series["sessions_by_employees"] == [0, 1]


def test_the_months_run_back_from_the_current_one() -> None:
    assert months_until(dt.date(2027, 2, 14), 3) == ["2026-12", "2027-01", "2027-02"]


def test_the_service_reads_notes_debriefs_tickets_interests_and_conversations(
    world: World,
) -> None:
    world.notes.notes.append(NoteFacts("sessions/old.md", "Old", "Rita Vale", "2027-02-11"))
    world.clock.set_date(dt.date(2027, 2, 1))
    session = world.planning.track(ALICE, sample_plan(date=dt.date(2027, 2, 25)))
    drafts = MemoryDrafts()
    drafts.add(
        NoteDraft("n1", session.id, "alice", "f.md", "", "draft", world.clock.now(),
                  world.clock.now(), Debrief(attendee_names=("Rita Vale",)))
    )  # fmt: skip
    activity = MemoryActivity(
        [ConversationFact(dt.datetime(2027, 2, 2, tzinfo=dt.UTC), True, unanswered=1)],
        [HandoffFact("alice", world.clock.now() + dt.timedelta(days=9))],
    )
    world.clock.set_date(dt.date(2027, 3, 1))
    service = AutonomyService(
        sessions=world.sessions, drafts=drafts, interests=world.interests,
        communities=MemoryCommunities(), notes=world.notes, activity=activity,
        demo=MemoryDemo(), clock=world.clock, enabling_team=lambda: {"Olga Team"},
    )  # fmt: skip

    february = service.by_month(OLGA, months=2)[0]

    assert february.month == "2027-02"
    assert (february.sessions_by_employees, february.first_time_hosts) == (2, 2)
    assert february.share_without_handoff == 0.0  # Alice opened a ticket before her session
    assert (february.conversations, february.handoffs_per_100_conversations) == (1, 100.0)
    assert february.unanswered_questions == 1
    with pytest.raises(NotAllowedError):
        service.by_month(ALICE)


def test_the_same_seed_gives_the_same_year_and_another_seed_another() -> None:
    last = dt.date(2027, 2, 14)

    assert generate(7, last) == generate(7, last)
    assert generate(7, last) != generate(8, last)
    assert all(h.demo for h in generate(7, last).held)
    assert max(h.date for h in generate(7, last).held) <= last


def test_the_demo_year_shows_an_organisation_growing_more_autonomous() -> None:
    history = generate(2024, dt.date(2027, 2, 14))
    facts = AutonomyFacts(history.held, history.conversations, history.interests)

    rows = monthly(facts, months_until(dt.date(2027, 2, 14)), history.team, include_demo=True)

    early, late = rows[:3], rows[-3:]
    assert sum(r.sessions_by_employees for r in late) > 2 * sum(
        r.sessions_by_employees for r in early
    )
    assert _mean(r.handoffs_per_100_conversations for r in late) < _mean(
        r.handoffs_per_100_conversations for r in early
    )
    assert sum(r.attendees_who_later_hosted for r in rows) > 0
    assert sum(r.repeat_hosts for r in late) > 0
    assert render(rows).startswith(b"\x89PNG")


def _mean(values: object) -> float:
    numbers = [float(v) for v in values if v is not None]  # type: ignore[attr-defined]
    return sum(numbers) / len(numbers)


def test_the_demo_is_learning_ops_only_kept_apart_and_removed_with_one_command(
    world: World,
) -> None:
    store = MemoryDemo()
    demo = DemoService(store, world.clock)
    with pytest.raises(NotAllowedError):
        demo.seed(ALICE)

    demo.seed(OLGA, seed=3)
    service = AutonomyService(
        sessions=world.sessions, drafts=MemoryDrafts(), interests=world.interests,
        communities=MemoryCommunities(), notes=world.notes, activity=MemoryActivity(),
        demo=store, clock=world.clock, enabling_team=set,
    )  # fmt: skip

    assert sum(r.conversations for r in service.by_month(OLGA)) == 0
    assert sum(r.conversations for r in service.by_month(OLGA, include_demo=True)) > 500
    assert demo.remove(OLGA) is True
    assert sum(r.conversations for r in service.by_month(OLGA, include_demo=True)) == 0
    assert demo.remove(OLGA) is False


def test_the_demo_s_names_and_topics_come_from_no_knowledge_or_evaluation_file() -> None:
    corpus = " ".join(
        p.read_text(encoding="utf-8", errors="ignore").lower()
        for folder in ("knowledge", "evals/data", "evals/orgs", "evals/foreign")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and p.suffix in (".md", ".html", ".txt", ".json", ".jsonl", ".toml")
    )
    words = [*FIRST_NAMES, *LAST_NAMES]
    phrases = [*TOPICS, *(c.removeprefix("demo-").replace("-", " ") for c in COMMUNITIES)]

    assert [w for w in words if re.search(rf"\b{w.lower()}\b", corpus)] == []
    assert [p for p in phrases if p.lower() in corpus] == []
