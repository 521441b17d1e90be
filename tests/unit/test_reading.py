"""The rule reader's grammar of quantities, on shapes the rules benchmark has few of."""

from __future__ import annotations

import pytest

from coach.reading.reader import read_text
from coach.reading.rules import read_sentence


@pytest.mark.parametrize(
    ("sentence", "low", "high"),
    [
        ("A clinic lasts between two hours and four hours.", 120, 240),
        ("A clinic lasts between 30 minutes and 2 hours.", 30, 120),
        ("A clinic lasts between 45 and 90 minutes.", 45, 90),
    ],
)
def test_a_range_gives_its_lower_and_upper_length_in_any_units(
    sentence: str, low: float, high: float
) -> None:
    read = {r.kind: r.value for r in read_sentence(sentence)}
    assert read == {"min_duration": low, "max_duration": high}


def test_a_list_of_lengths_gives_each_format_its_own_even_with_the_unit_written_once() -> None:
    read = read_sentence(
        "In short: code dojos get ten minutes apiece, paper clubs forty, "
        "demo hours an hour, and retreats three hours tops."
    )
    assert [(r.format, r.value, r.scoped) for r in read] == [
        ("code dojos", 10, True),
        ("paper clubs", 40, True),
        ("demo hours", 60, True),
        ("retreats", 180, True),
    ]
    assert {r.kind for r in read} == {"max_duration"}


def test_a_list_of_counts_without_a_length_is_no_list_of_lengths() -> None:
    assert read_sentence("Last year paper clubs drew 45, code dojos 12 and retreats 30.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "*Can I run two code dojos back-to-back and call it twenty minutes?*",
        "Most of the time you'll only need the first one.",
    ],
)
def test_questions_and_pronouns_state_no_rule(sentence: str) -> None:
    assert read_sentence(sentence) == []


def test_a_condition_and_a_breaks_length_are_not_the_sessions_length() -> None:
    read = read_sentence(
        "Anything longer than ninety minutes needs a break of at least ten minutes every hour."
    )
    assert [(r.kind, r.value) for r in read] == [("break", 60)]


def test_list_items_opening_with_a_bold_name_give_one_limit_per_name() -> None:
    text = (
        "## The formats\n\n"
        "- **Code dojo**: pairs at the keyboard. Max 40 minutes.\n"
        "- **Paper club**: one paper, read ahead. Up to 60 minutes.\n"
        "- **Booking**: book the room five working days ahead.\n"
    )
    lengths = [(r.format, r.value, r.scoped) for r in read_text(text) if r.kind == "max_duration"]
    assert lengths == [("Code dojo", 40, True), ("Paper club", 60, True)]
    assert any(r.kind == "lead_time" and not r.scoped for r in read_text(text))


def test_a_single_bold_item_keeps_its_limit_general() -> None:
    read = read_text("- **Length**: sessions last at most 50 minutes.\n")
    assert [(r.kind, r.value, r.scoped) for r in read] == [("max_duration", 50, False)]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("No event can host more than seventy guests on site, however large the hall.", 70),
        ("On the day, no more than 95 people; the fire officer is strict.", 95),
        ("Thirty-five learners on site, tops.", 35),
        ("A ceiling of 22 in person, as the tables allow no more.", 22),
    ],
)
def test_a_head_count_limit_is_read_however_the_limit_is_placed(sentence: str, value: int) -> None:
    assert [(r.kind, r.value) for r in read_sentence(sentence)] == [("capacity", value)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Should more than 40 people register, open a second room.",
        "Our spring edition drew 30 in person.",
        "Fifty-one people came along to the launch.",
    ],
)
def test_a_condition_or_a_past_head_count_is_no_capacity(sentence: str) -> None:
    assert not [r for r in read_sentence(sentence) if r.kind == "capacity"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Every mentor can guide 7 learners, tops.",
        "One trainer should never handle more than 9 trainees.",
    ],
)
def test_one_facilitators_share_is_a_ratio_not_the_sessions_capacity(sentence: str) -> None:
    kinds = {r.kind for r in read_sentence(sentence)}
    assert kinds == {"per_facilitator"}


def test_an_article_before_a_head_count_is_not_a_rooms_name() -> None:
    read = read_sentence("The fifty-person cap counts only those on site.")
    assert [(r.kind, r.value, r.room) for r in read] == [("capacity", 50, False)]


def test_rules_remember_the_bold_name_they_sit_under() -> None:
    read = read_text("- **Evening talks**: they run up to 90 minutes.\n")
    assert [(r.kind, r.heading) for r in read] == [("max_duration", "Evening talks")]
