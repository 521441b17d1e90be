"""Learning Ops see what the coach reads in each playbook and correct it; corrections win in
plans, survive re-indexing while the sentence is unchanged, and come back when it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.domain import RuleDecision
from coach.flows.rulebook import RuleBook
from coach.store import KnowledgeStore
from knowledge.ingest import Ingestor
from tests.conftest import write_tree
from tests.fakes import MemoryRuleCorrections

GUIDE = {
    "guides/talks.md": """\
        # Talks
        Talks must not exceed forty-five minutes.
        Last spring 27 people attended the kickoff.
        Book the hall a fortnight ahead.
        """,
}
SOURCE = "guides/talks.md"
LIMIT = "Talks must not exceed forty-five minutes."


@pytest.fixture
def book(store: KnowledgeStore, tmp_path: Path) -> RuleBook:
    Ingestor(store, max_file_bytes=10_000).ingest([write_tree(tmp_path / "org", GUIDE)])
    return RuleBook(store, corrections=MemoryRuleCorrections())


def _read(book: RuleBook) -> list[tuple[str, str, float | None]]:
    return [(r.kind, r.text, r.value) for r in book.of(SOURCE)]


def test_the_review_lists_each_rule_with_its_sentence_as_read(book: RuleBook) -> None:
    review = book.review(SOURCE)
    assert [(r.rule.kind, r.rule.value, r.status) for r in review.rules] == [
        ("max_duration", 45.0, "read"),
        ("lead_time", 2.0, "read"),
    ]


def test_a_correction_wins_and_an_ignored_sentence_binds_nothing(book: RuleBook) -> None:
    assert book.corrections is not None
    book.corrections.save(RuleDecision(SOURCE, LIMIT, "correct", "max_duration", 40, "minute"))
    book.corrections.save(RuleDecision(SOURCE, "Book the hall a fortnight ahead.", "ignore"))
    assert _read(book) == [("max_duration", LIMIT, 40.0)]
    review = book.review(SOURCE)
    assert [(r.rule.kind, r.rule.value, r.status) for r in review.rules] == [
        ("max_duration", 40.0, "corrected"),
        ("lead_time", 2.0, "ignored"),
    ]


def test_a_correction_can_add_a_rule_the_reader_missed(book: RuleBook) -> None:
    assert book.corrections is not None
    missed = "Last spring 27 people attended the kickoff."
    book.corrections.save(RuleDecision(SOURCE, missed, "correct", "capacity", 27, "person"))
    assert ("capacity", missed, 27.0) in _read(book)


def test_a_decision_about_a_sentence_that_changed_comes_back_for_review(
    book: RuleBook, store: KnowledgeStore, tmp_path: Path
) -> None:
    assert book.corrections is not None
    book.corrections.save(RuleDecision(SOURCE, LIMIT, "correct", "max_duration", 40, "minute"))
    changed = {SOURCE: GUIDE[SOURCE].replace("forty-five", "fifty")}
    Ingestor(store, max_file_bytes=10_000).ingest([write_tree(tmp_path / "org", changed)])
    review = book.review(SOURCE)
    assert [d.sentence for d in review.stale] == [LIMIT]
    assert next((r.rule.value, r.status) for r in review.rules) == (50.0, "needs_review")
    # The correction no longer applies: not even as a rule the reader missed.
    assert ("max_duration", 40.0) not in [(r.kind, r.value) for r in book.of(SOURCE)]
