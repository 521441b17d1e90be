"""The rule reader's grammar of quantities, on shapes the rules benchmark has few of."""

from __future__ import annotations

import pytest

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
