"""The rules use case: Learning Ops list what the coach reads per playbook, with each rule's
status, and record decisions; impossible decisions are refused before anything is stored."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest

from coach.flows.rulebook import RuleBook
from coach.services.rules import InvalidCorrectionError, Rules, UnknownRuleError
from coach.store import KnowledgeStore
from coach.structured.rules import RuleDisagreement
from knowledge.ingest import Ingestor
from tests.conftest import write_tree
from tests.fakes import MemoryRuleCorrections

SOURCE = "guides/talks.md"
LIMIT = "Talks must not exceed forty-five minutes."
LEAD = "Book the hall a fortnight ahead."
HISTORY = "Last spring 27 people attended the kickoff."
GUIDE = {
    SOURCE: f"""\
        ---
        title: Giving a talk
        ---
        # Giving a talk
        {LIMIT}
        {HISTORY}
        {LEAD}
        """,
    "guides/fees.md": "# Fees\nFees up to €500 are signed off by your manager.\n",
}
NOW = dt.datetime(2027, 1, 5, 9, 30, tzinfo=dt.UTC)


def _ingest(store: KnowledgeStore, folder: Path, files: dict[str, str]) -> None:
    assert Ingestor(store, max_file_bytes=10_000).ingest([write_tree(folder, files)]).ok


@pytest.fixture
def corrections() -> MemoryRuleCorrections:
    return MemoryRuleCorrections()


@pytest.fixture
def book(store: KnowledgeStore, tmp_path: Path, corrections: MemoryRuleCorrections) -> RuleBook:
    _ingest(store, tmp_path / "org", GUIDE)
    return RuleBook(store, corrections=corrections)


@pytest.fixture
def rules(book: RuleBook, corrections: MemoryRuleCorrections) -> Rules:
    return Rules(book, corrections, clock=lambda: NOW)


def _rows(rules: Rules) -> list[tuple[Any, ...]]:
    talks = rules.playbooks(SOURCE)[0]
    return [(r.sentence, r.kind, r.value, r.unit, r.status) for r in talks.rules]


def test_each_playbook_lists_its_rules_with_sentence_kind_value_unit_subject_and_status(
    rules: Rules,
) -> None:
    listed = rules.playbooks()
    assert [(p.source, p.title) for p in listed] == [
        ("guides/fees.md", "Fees"),
        (SOURCE, "Giving a talk"),
    ]
    assert [(r.kind, r.value, r.unit, r.subject) for r in listed[0].rules] == [
        ("approval_threshold", 500.0, "EUR", "fees")
    ]
    assert _rows(rules) == [
        (LIMIT, "max_duration", 45.0, "minute", "read"),
        (LEAD, "lead_time", 2.0, "week", "read"),
    ]


def test_a_decision_is_recorded_with_who_and_when_and_shown_in_the_list(
    rules: Rules, corrections: MemoryRuleCorrections
) -> None:
    rules.decide(SOURCE, LIMIT, "correct", by="olivia", kind="max_duration", value=40)
    after = rules.decide(SOURCE, LEAD, "ignore", by="olivia")
    assert [(r.value, r.unit, r.status, r.decided_by, r.decided_at) for r in after.rules] == [
        (40.0, "minute", "corrected", "olivia", NOW),
        (2.0, "week", "ignored", "olivia", NOW),
    ]
    assert [(d.action, d.decided_by) for d in corrections.all()] == [
        ("correct", "olivia"),
        ("ignore", "olivia"),
    ]


def test_a_later_decision_replaces_an_earlier_one(rules: Rules) -> None:
    rules.decide(SOURCE, LEAD, "ignore", by="olivia")
    rules.decide(SOURCE, LEAD, "confirm", by="omar")
    assert _rows(rules)[1] == (LEAD, "lead_time", 2.0, "week", "confirmed")


def test_a_correction_keeps_the_unit_it_was_read_in_unless_given(rules: Rules) -> None:
    rules.decide(SOURCE, LEAD, "correct", by="olivia", kind="lead_time", value=3)
    assert _rows(rules)[1] == (LEAD, "lead_time", 3.0, "week", "corrected")
    rules.decide(SOURCE, LEAD, "correct", by="olivia", kind="lead_time", value=10, unit="day")
    assert _rows(rules)[1] == (LEAD, "lead_time", 10.0, "day", "corrected")


def test_a_correction_adds_a_rule_from_a_sentence_the_reader_read_nothing_in(rules: Rules) -> None:
    rules.decide(SOURCE, HISTORY, "correct", by="olivia", kind="capacity", value=27)
    assert (HISTORY, "capacity", 27.0, "person", "corrected") in _rows(rules)


@pytest.mark.parametrize(
    ("source", "sentence", "action"),
    [
        ("guides/none.md", LIMIT, "confirm"),  # no such playbook
        (SOURCE, "Talks must not exceed ten minutes.", "correct"),  # not in the playbook
        (SOURCE, HISTORY, "confirm"),  # in it, but nothing is read there to confirm
    ],
)
def test_a_decision_about_an_unknown_rule_is_refused(
    rules: Rules, corrections: MemoryRuleCorrections, source: str, sentence: str, action: str
) -> None:
    with pytest.raises(UnknownRuleError):
        rules.decide(source, sentence, action, by="olivia", kind="max_duration", value=30)
    assert corrections.all() == []


def test_listing_an_unknown_playbook_is_refused(rules: Rules) -> None:
    with pytest.raises(UnknownRuleError, match=r"guides/none\.md"):
        rules.playbooks("guides/none.md")


@pytest.mark.parametrize(
    ("decision", "why"),
    [
        ({"action": "correct", "kind": "duration", "value": 40}, "Unknown kind"),
        ({"action": "correct", "kind": "max_duration", "value": 0}, "above 0"),
        ({"action": "correct", "kind": "max_duration", "value": 5000}, "at most 1440 minute"),
        ({"action": "correct", "kind": "max_duration", "value": math.nan}, "above 0"),
        ({"action": "correct", "kind": "max_duration", "value": 40, "unit": "day"}, "in minute"),
        ({"action": "correct", "kind": "practice_share", "value": 140}, "at most 100"),
        ({"action": "correct", "kind": "max_duration"}, "needs a value"),
        ({"action": "correct", "kind": "recording", "value": 3}, "states no value"),
        ({"action": "correct", "kind": "budget", "value": 300, "unit": "cash"}, "currency"),
        ({"action": "ignore", "kind": "max_duration"}, "Only a correction"),
        ({"action": "delete"}, "confirm, correct or ignore"),
    ],
)
def test_an_impossible_correction_is_refused_and_nothing_is_stored(
    rules: Rules, corrections: MemoryRuleCorrections, decision: dict[str, Any], why: str
) -> None:
    with pytest.raises(InvalidCorrectionError, match=why):
        rules.decide(SOURCE, LIMIT, by="olivia", **decision)
    assert corrections.all() == []


def test_a_rule_whose_sentence_changed_needs_review_and_the_old_decision_is_set_aside(
    rules: Rules, store: KnowledgeStore, tmp_path: Path
) -> None:
    rules.decide(SOURCE, LIMIT, "correct", by="olivia", kind="max_duration", value=40)
    _ingest(store, tmp_path / "org", {SOURCE: GUIDE[SOURCE].replace("forty-five", "fifty")})
    talks = rules.playbooks(SOURCE)[0]
    first = talks.rules[0]
    assert (first.value, first.status, first.note) == (
        50.0,
        "needs_review",
        f"It replaced a sentence decided on: {LIMIT}",
    )
    assert [(d.sentence, d.value) for d in talks.set_aside] == [(LIMIT, 40.0)]


def test_where_the_model_reads_otherwise_an_undecided_rule_is_flagged(
    book: RuleBook, corrections: MemoryRuleCorrections
) -> None:
    found = [
        RuleDisagreement(SOURCE, "", "lead_time", "values_differ", LEAD, 2, "week", 10, "day"),
        RuleDisagreement(SOURCE, "", "capacity", "only_model", HISTORY, model_value=27,
                         model_unit="person", model_text=HISTORY),
    ]  # fmt: skip
    rules = Rules(book, corrections, disagreements=lambda s: [d for d in found if d.source == s])
    flagged = [(r.sentence, r.kind, r.status, r.note) for r in rules.playbooks(SOURCE)[0].rules]
    assert flagged[1:] == [
        (LEAD, "lead_time", "model_disagrees", "The model reads a lead_time of 10 day."),
        (HISTORY, "capacity", "model_disagrees", "The model reads a capacity of 27 person."),
    ]
    rules.decide(SOURCE, LEAD, "confirm", by="olivia")  # Learning Ops side with the reader
    assert _rows(rules)[1] == (LEAD, "lead_time", 2.0, "week", "confirmed")
