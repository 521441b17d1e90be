from __future__ import annotations

from coach.domain import Passage
from coach.grounding import figures, quantities, ungrounded_figures

RULE = Passage(
    chunk_id="1",
    source="playbooks/brown-bag.md",
    title="Running a brown-bag session",
    kind="playbook",
    text="Running a brown-bag session — Rules\n\n"
    "- A brown-bag lasts at most 45 minutes: 30 minutes of talk and 15 minutes of questions.\n"
    "- Book the room at least 10 working days before.",
    score=0.8,
)
BUDGET = Passage(
    "2", "playbooks/budget.md", "Budget", "playbook", "You have EUR 1,200 per year.", 0.5
)


def test_figures_normalise_thousands_and_number_words() -> None:
    assert figures("EUR 1,200 for twelve months, 4.5 stars, on 2026-03-12") == {
        "1200", "12", "4.5", "2026-03-12",
    }  # fmt: skip


def test_quantities_keep_the_unit_written_next_to_them() -> None:
    assert quantities("EUR 1,200 a year, 10 working days, 40%, 45 minutes of talk, 4.5") == {
        ("1200", "eur"), ("10", "day"), ("40", "percent"), ("45", "minute"), ("4.5", None),
    }  # fmt: skip


def test_figure_missing_from_passages_is_reported() -> None:
    assert ungrounded_figures("It lasts 60 minutes, about 45 at most.", [RULE]) == {"60 minute"}
    assert ungrounded_figures("You get 1200 euros.", [BUDGET]) == set()


def test_a_number_with_the_wrong_unit_is_not_grounded() -> None:
    assert ungrounded_figures("Plan for 15 hours.", [RULE]) == {"15 hour"}
    assert (
        ungrounded_figures("Book it 10 days ahead, with 15 minutes for questions.", [RULE]) == set()
    )


def test_times_of_day_must_be_in_the_passages() -> None:
    note = Passage("3", "playbooks/rooms.md", "Rooms", "playbook", "Return it by 10:00 a.m.", 0.5)
    assert ungrounded_figures("The Loft closes at 10pm.", [note]) == {"10 pm"}
    assert ungrounded_figures("Bring it back by 10:00 a.m.", [note]) == set()
