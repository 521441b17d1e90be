from __future__ import annotations

from pathlib import Path

import pytest

from coach.flows.coaching import learning_request
from coach.flows.learning_plan import LearningPlanner, learning_plan_markdown
from coach.providers.embeddings import EmbeddingIdentity
from coach.providers.fakes import HashingEmbeddings
from coach.retrieval import Retriever
from coach.settings import Settings
from coach.store import KnowledgeStore, chroma_client
from knowledge.ingest import Ingestor
from tests.conftest import write_tree

GUIDE = {
    "playbooks/growing.md": """\
        ---
        title: Planning your own learning
        ---
        # Planning your own learning

        ## Rules
        - Protect at least 3 hours per week for learning, planning your own learning.
        - Hold a reflection check-in on your learning every 3 weeks.
        """,
    "playbooks/buddies.md": """\
        ---
        title: Learning buddies
        ---
        # Learning buddies

        - Learning buddies check in every 4 weeks for 20 minutes, mentor or learning buddy.
        """,
    "sessions/2026-01-10-sql-workshop.md": """\
        ---
        title: SQL for analysts
        date: 2026-01-10
        host: Ines Duarte
        team: Data
        ---
        # SQL for analysts

        ## What happened
        Ines taught joins and window functions in SQL to analysts.
        """,
}


@pytest.fixture
def planner(tmp_path: Path, fake_settings: Settings) -> LearningPlanner:
    embedder = HashingEmbeddings()
    store = KnowledgeStore(
        chroma_client(fake_settings), "guide", embedder, EmbeddingIdentity(embedder.name, 256)
    )
    Ingestor(store, max_file_bytes=100_000).ingest([write_tree(tmp_path / "guide", GUIDE)])
    return LearningPlanner(Retriever(store, min_relevance=0.05), store)


def test_cadences_come_from_the_playbooks(planner: LearningPlanner) -> None:
    plan = planner.plan("Learn SQL window functions", None, 12)
    assert plan.hours_per_week == 3
    assert plan.check_ins == [3, 6, 9, 12]
    assert plan.buddy.endswith(
        "Learning buddies check in every 4 weeks for 20 minutes, mentor or learning buddy."
    )
    assert {q.source for q in plan.guidance} == {"playbooks/growing.md", "playbooks/buddies.md"}
    quoted = [q.text for q in plan.guidance]
    assert "Protect at least 3 hours per week for learning, planning your own learning." in quoted


def test_the_70_20_10_mix_splits_the_hours_given(planner: LearningPlanner) -> None:
    plan = planner.plan("Learn SQL", 2, 8)
    assert [(m["percent"], m["minutes_per_week"]) for m in plan.mix] == [
        (70, 84),
        (20, 24),
        (10, 12),
    ]
    assert len(plan.milestones) == 8
    assert plan.milestones[-1]["focus"].startswith("Show it")


def test_past_session_hosts_are_suggested_as_people_to_ask(planner: LearningPlanner) -> None:
    plan = planner.plan("Learn SQL joins and window functions", 2, 6)
    assert [p.host for p in plan.people] == ["Ines Duarte"]
    assert "- **SQL for analysts** — hosted by Ines Duarte (Data)" in learning_plan_markdown(plan)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have 3 hrs a week for the next six months", (3.0, 24)),
        ("over 10 weeks, 1.5 hours per week", (1.5, 10)),
        ("help me learn SQL", (None, None)),
    ],
)
def test_time_is_read_from_the_request(
    text: str, expected: tuple[float | None, int | None]
) -> None:
    assert learning_request(text) == expected
