"""The evaluation's checks on hand-made answers, plans and runs (no models needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coach.flows.agenda import AgendaItem
from coach.flows.session_plan import SessionPlan
from coach.reading.rules import Rule
from evals import report
from evals.cli import app
from evals.compare import compare
from evals.datasets import FAST_INJECTION_IDS, load, pick
from evals.plans_eval import carries, missing_fields, violations
from evals.results import Failure, SectionResult
from evals.runner import Run

SOURCE = (
    "Running a brown-bag session\n\n- A brown-bag lasts at most **45 minutes**: 30 minutes of "
    "talk and 15 minutes of questions.\n- Book the room at least 10 working days before."
)


def _rule(text: str, source: str = "playbooks/brown-bag.md") -> Rule:
    return Rule("feedback", text, source, "Brown-bag")


def test_a_constraint_is_carried_by_a_rule_from_its_file_with_its_number() -> None:
    limit = {"rule": "max_duration_minutes", "value": 45, "source": "playbooks/brown-bag.md"}
    assert carries(_rule("A brown-bag lasts at most 45 minutes."), limit)
    assert not carries(_rule("A brown-bag lasts at most 60 minutes."), limit)
    assert not carries(_rule("At most 45 minutes.", "playbooks/other.md"), limit)
    budget = {"rule": "budget_eur", "value": 1200, "source": "playbooks/brown-bag.md"}
    assert carries(_rule("You have EUR 1,200 a year."), budget)
    monthly = {"rule": "min_meetups_per_month", "value": 1, "source": "playbooks/brown-bag.md"}
    assert carries(_rule("Meet at least once a month."), monthly)
    captions = {"rule": "captions_required", "value": True, "source": "playbooks/brown-bag.md"}
    assert carries(_rule("Turn on live captions."), captions)


def _plan(duration: int, audience: int, agenda: list[int], **extra: object) -> SessionPlan:
    values: dict[str, object] = {
        "title": "T", "format": "workshop", "topic": "dbt", "audience_size": audience,
        "duration_minutes": duration, "date": None, "hybrid": False, "objectives": ["o"],
        "agenda": [AgendaItem(m, "Hands-on practice" if i else "Intro")
                   for i, m in enumerate(agenda)],
        "logistics": [], "rules": [],
    } | extra  # fmt: skip
    return SessionPlan(**values)  # type: ignore[arg-type]


def test_violations_of_checkable_limits() -> None:
    limits = [
        {"rule": "max_duration_minutes", "value": 180},
        {"rule": "min_duration_minutes", "value": 90},
        {"rule": "max_per_facilitator", "value": 16},
        {"rule": "min_practice_percent", "value": 50},
        {"rule": "max_in_person", "value": 30},
        {"rule": "announce_weeks", "value": 2},
    ]
    assert violations(_plan(120, 12, [30, 90]), limits) == []
    broken = violations(_plan(60, 20, [40, 20]), limits)
    assert broken == [
        "60 minutes, below the 90-minute minimum",
        "20 people need 2 facilitators; not planned",
        "20 of 60 minutes practice, under 50%",
    ]
    staffed = _plan(120, 20, [30, 90], logistics=["2 facilitators for 20 participants"])
    assert violations(staffed, limits) == []
    crowded = _plan(120, 40, [30, 90], logistics=["3 facilitators"])
    assert violations(crowded, limits) == ["40 in person, above 30, not addressed"]
    streamed = _plan(120, 40, [30, 90], logistics=["3 facilitators"], hybrid=True)
    assert violations(streamed, limits) == []


def test_missing_fields_are_absent_or_empty() -> None:
    data = {"title": "T", "agenda": [], "rules": [1], "topic": ""}
    assert missing_fields(data, ("title", "agenda", "rules", "topic", "logistics")) == [
        "agenda", "topic", "logistics",
    ]  # fmt: skip


def test_the_datasets_load_and_the_fast_subset_is_deterministic() -> None:
    unanswerable = load("unanswerable")
    assert len(unanswerable) >= 10
    assert all(case["question"] and case["why"] for case in unanswerable)
    assert [c["id"] for c in pick("injection", "fast")] == list(FAST_INJECTION_IDS)
    assert pick("retrieval", "fast") == pick("retrieval", "fast")
    assert len(pick("retrieval", "fast")) == (len(load("retrieval")) + 1) // 2
    assert pick("retrieval", "fast", foreign=True) == load("retrieval", foreign=True)


def test_comparison_knows_which_way_is_better() -> None:
    changes = {c.key: c.verdict for c in compare(
        {"retrieval.x.recall@5": 0.8, "safety.injection.canary_leak_rate": 0.0, "answers.n": 5,
         "old": 1.0},
        {"retrieval.x.recall@5": 0.9, "safety.injection.canary_leak_rate": 0.1, "answers.n": 6,
         "new": 1.0},
    )}  # fmt: skip
    assert changes == {
        "retrieval.x.recall@5": "better", "safety.injection.canary_leak_rate": "worse",
        "answers.n": "count", "old": "removed", "new": "added",
    }  # fmt: skip


def _run() -> Run:
    run = Run("local", "fast", meta={"seconds": 75, "finished_at": "2026-11-28T10:00:00+00:00"})
    retrieval = SectionResult("retrieval", "Retrieval")
    retrieval.metrics = {"retrieval.bundled.hybrid.recall@5": 0.9, "retrieval.bundled.n": 2}
    retrieval.extras = {"recall_curve.bundled.hybrid": [0.5 + k / 20 for k in range(10)]}
    retrieval.failures = [Failure("retrieval", "r1", "who | what?", "a.md", "b.md", 1.0)]
    routing = SectionResult("routing", "Routing")
    routing.metrics = {"routing.intent.accuracy": 0.5}
    routing.extras = {"confusion": {"labels": ["a", "b"], "matrix": [[1, 1], [0, 2]]}}
    safety = SectionResult("safety", "Safety")
    safety.metrics = {"safety.injection.canary_leak_rate": 0.0}
    run.sections = {"retrieval": retrieval, "routing": routing, "safety": safety}
    return run


def test_the_report_has_a_summary_tables_failures_and_charts(tmp_path: Path) -> None:
    paths = report.write(_run(), tmp_path)
    assert json.loads(paths["metrics"].read_text())["routing.intent.accuracy"] == 0.5
    for chart in ("metrics.png", "recall_at_k.png", "intent_confusion.png"):
        assert (tmp_path / chart).read_bytes().startswith(b"\x89PNG")
    text = paths["report"].read_text()
    assert "| Retrieval recall@5 (hybrid) | **0.90** |" in text
    assert "| Injection leak rate ↓ | **0.00** ✅ |" in text
    assert "who \\| what?" in text  # table cells are escaped
    assert "![Intent confusion matrix](intent_confusion.png)" in text
    assert "Not run in the fast subset" in text


def test_cli_compares_two_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps({"routing.intent.accuracy": 0.5}))
    second.write_text(json.dumps({"routing.intent.accuracy": 0.75}))
    result = CliRunner().invoke(app, ["--compare", str(first), str(second)])
    assert result.exit_code == 0, result.output
    assert "routing.intent.accuracy" in result.output
    assert "+0.250" in result.output
    assert "1 better, 0 worse" in result.output
    missing = CliRunner().invoke(app, ["--compare", str(first), str(tmp_path / "none.json")])
    assert missing.exit_code == 2


@pytest.mark.parametrize("option", ["--provider", "--out", "--subset", "--compare"])
def test_cli_documents_its_options(option: str) -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert option in result.output
