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
