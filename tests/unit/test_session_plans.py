"""Session plans carry the rules of whatever knowledge folder is indexed, and keep inside them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coach.flows.export import session_plan_ics, session_plan_markdown
from coach.flows.requests import parse_request
from coach.flows.session_plan import SessionPlanner, subtract
from coach.providers.embeddings import EmbeddingIdentity
from coach.providers.fakes import HashingEmbeddings
from coach.retrieval import Retriever
from coach.settings import Settings
from coach.store import KnowledgeStore, chroma_client
from knowledge.ingest import Ingestor
from tests.conftest import write_tree

OAKMERE = {
    "playbooks/tech-talk.md": """\
        ---
        title: Giving a tech talk
        format: tech-talk
        ---
        # Giving a tech talk

        ## Rules
        - A tech talk lasts at most 25 minutes: 20 minutes of talk and 5 minutes of questions.
        - A tech talk holds at most 20 people in the room; above 20, stream it online.
        - Book the Harbor Room at least 3 working days before the talk.
        - Announce a tech talk at least 1 week before.
        - Send the feedback form within 48 hours after the talk.
        """,
    "playbooks/hands-on-lab.md": """\
        ---
        title: Running a hands-on lab
        format: hands-on-lab
        ---
        # Running a hands-on lab

        ## Rules
        - A hands-on lab lasts between 60 and 120 minutes.
        - At most 10 participants per facilitator.
        """,
    "sessions/2026-02-04-terraform-tech-talk.md": """\
        ---
        title: Terraform modules in practice
        date: 2026-02-04
        host: Wren Castellanos
        team: Infrastructure
        format: tech-talk
        attendees: 19
        feedback_score: 4.1
        ---
        # Terraform modules in practice

        ## What happened
        Wren walked through three Terraform modules we use every day.

        ## What to repeat
        - Showing the real module registry instead of slides.

        ## What to change
        - The demo overran by 10 minutes; rehearse it with a timer.
        """,
}


@pytest.fixture
def planner(tmp_path: Path, fake_settings: Settings) -> SessionPlanner:
    embedder = HashingEmbeddings()
    store = KnowledgeStore(
        chroma_client(fake_settings),
        "oakmere",
        embedder,
        EmbeddingIdentity(embedder.name, embedder.dimension),
    )
    Ingestor(store, max_file_bytes=100_000).ingest([write_tree(tmp_path / "oakmere", OAKMERE)])
    return SessionPlanner(Retriever(store, min_relevance=0.05), store)


def test_plan_is_cut_to_the_format_limit_and_says_why(planner: SessionPlanner) -> None:
    request = parse_request(
        "A 60 minute tech talk about Terraform modules for 35 people on 2027-03-10",
        planner.known_formats(),
    )
    plan = planner.plan(request)
    assert (plan.format, plan.duration_minutes, plan.audience_size) == ("tech-talk", 25, 35)
    assert [(i.minutes, i.activity) for i in plan.agenda] == [
        (20, "Talk: Terraform modules"),
        (5, "Questions and answers"),
    ]
    assert "You asked for 60 minutes" in plan.adjustments[0]
    assert "A tech talk lasts at most 25 minutes" in plan.adjustments[0]
    assert plan.hybrid  # 35 people is above the room's 20, and the rule says to stream it
    assert any("35 people is more than the in-person limit" in a for a in plan.adjustments)


def test_lead_times_become_dated_deadlines_with_their_rule(planner: SessionPlanner) -> None:
    plan = planner.plan(
        parse_request("tech talk about Terraform on 2027-03-10", planner.known_formats())
    )
    assert (
        "By Fri 05 Mar 2027: Book the Harbor Room at least 3 working days before the talk."
        in plan.logistics
    )
    assert "By Wed 03 Mar 2027: Announce a tech talk at least 1 week before." in plan.logistics
    cited = {(r.text, r.source) for r in plan.rules}
    assert (
        "Send the feedback form within 48 hours after the talk.",
        "playbooks/tech-talk.md",
    ) in cited
    assert plan.follow_up == ["Send the feedback form within 48 hours after the talk."]


def test_short_request_is_raised_to_the_minimum_and_staffed(planner: SessionPlanner) -> None:
    plan = planner.plan(
        parse_request(
            "a 30 minute hands-on lab on spreadsheets for 25 people", planner.known_formats()
        )
    )
    assert plan.duration_minutes == 60
    assert sum(i.minutes for i in plan.agenda) == 60
    assert (
        "3 facilitators for 25 participants: At most 10 participants per facilitator."
        in plan.logistics
    )


def test_similar_past_sessions_bring_their_host_and_lesson(planner: SessionPlanner) -> None:
    plan = planner.plan(parse_request("tech talk about Terraform modules", planner.known_formats()))
    assert plan.similar_sessions[0].host == "Wren Castellanos"
    assert (
        plan.similar_sessions[0].lesson
        == "The demo overran by 10 minutes; rehearse it with a timer."
    )
    assert "sessions/2026-02-04-terraform-tech-talk.md" in [s.source for s in plan.sources]


def test_missing_details_are_stated_as_assumptions(planner: SessionPlanner) -> None:
    plan = planner.plan(parse_request("I'd like to give a tech talk", planner.known_formats()))
    assert plan.duration_minutes == 25
    assert plan.audience_size == 20
    assert any("No audience size given" in a for a in plan.assumptions)
    assert any("No topic given" in a for a in plan.assumptions)


def test_exports_are_markdown_and_a_calendar_invitation(planner: SessionPlanner) -> None:
    plan = planner.plan(
        parse_request("tech talk about Terraform on 2027-03-10", planner.known_formats())
    )
    markdown = session_plan_markdown(plan)
    assert markdown.startswith("# Terraform: a tech talk\n")
    assert "| **25** | **Total** |" in markdown
    ics = session_plan_ics(plan).decode()
    assert "DTSTART:20270310T120000" in ics
    assert "DTEND:20270310T122500" in ics
    undated = planner.plan(parse_request("tech talk about Terraform", planner.known_formats()))
    with pytest.raises(ValueError, match="no date"):
        session_plan_ics(undated)


def test_working_days_skip_weekends() -> None:
    assert subtract(dt.date(2027, 3, 8), 1, "working day") == dt.date(2027, 3, 5)
    assert subtract(dt.date(2027, 3, 10), 10, "working day") == dt.date(2027, 2, 24)
    assert subtract(dt.date(2027, 3, 10), 2, "week") == dt.date(2027, 2, 24)
