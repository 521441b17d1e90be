from __future__ import annotations

import pytest

from coach.flows.agenda import build_agenda
from coach.reading.reader import read_text

WORKSHOP_RULES = read_text(
    "Include a break of at least 10 minutes for every 60 minutes.\n"
    "Participants spend at least 50% of workshop time practicing."
)


@pytest.mark.parametrize(
    "format_name",
    ["brown-bag", "lunch-and-learn", "workshop", "meetup", "hands-on-lab", "tech-talk"],
)
@pytest.mark.parametrize("minutes", [20, 25, 30, 45, 60, 90, 120, 180])
def test_agenda_minutes_add_up_to_the_duration(format_name: str, minutes: int) -> None:
    agenda = build_agenda(format_name, minutes, "Testing", WORKSHOP_RULES)
    assert sum(item.minutes for item in agenda) == minutes
    assert all(item.minutes > 0 for item in agenda)


def test_talk_uses_the_playbooks_own_split_when_it_runs_full_length() -> None:
    rules = read_text(
        "A tech talk lasts at most 25 minutes: 20 minutes of talk and 5 minutes of questions."
    )
    agenda = build_agenda("tech-talk", 25, "Terraform", rules)
    assert [(i.minutes, i.activity) for i in agenda] == [
        (20, "Talk: Terraform"),
        (5, "Questions and answers"),
    ]


def test_workshop_keeps_the_practice_share_and_a_break_per_hour() -> None:
    agenda = build_agenda("workshop", 120, "SQL", WORKSHOP_RULES)
    practice = sum(i.minutes for i in agenda if i.activity.startswith("Hands-on practice"))
    assert practice >= 60
    assert [i.minutes for i in agenda if i.activity == "Break"] == [10]
