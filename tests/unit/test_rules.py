from __future__ import annotations

import pytest

from coach.flows.rules import classify, room_capacities


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A brown-bag lasts at most 45 minutes: 30 minutes of talk.", [("max_duration", 45)]),
        ("A tech talk lasts at most 25 minutes.", [("max_duration", 25)]),
        ("A clinic runs for at most 2 hours.", [("max_duration", 120)]),
        ("A lab lasts between 90 and 180 minutes.", [("min_duration", 90), ("max_duration", 180)]),
        ("A lab lasts 60-120 minutes.", [("min_duration", 60), ("max_duration", 120)]),
        ("A lunch & learn has at most 40 attendees in person.", [("capacity", 40)]),
        ("The Loft holds at most 30 people.", [("capacity", 30)]),
        ("At most 10 participants per facilitator.", [("per_facilitator", 10)]),
        ("Book the room at least 3 working days before the talk.", [("lead_time", 3)]),
        ("Announce it at least 1 week before.", [("lead_time", 1)]),
        ("Guests need approval at least 6 weeks before the visit.", [("approval", 6)]),
        ("Honoraria above GBP 300 need sign-off.", [("budget", 300)]),
        ("Food costs at most EUR 12 per attendee, ordered 5 working days before.",
         [("lead_time", 5), ("budget", 12)]),
        ("A streamed talk with more than 8 viewers needs a chat host.", [("moderator", 8)]),
        ("Include a break of 10 minutes for every 60 minutes.", [("break", 10)]),
        ("Participants spend at least 50% of workshop time practicing.", [("practice_share", 50)]),
        ("Send the feedback form within 24 hours after the session.", [("feedback", None)]),
        ("A facilitator talks for at most 15 minutes before an activity.", [("other", None)]),
    ],
)  # fmt: skip
def test_rule_sentences_are_read_with_their_numbers(
    sentence: str, expected: list[tuple[str, float | None]]
) -> None:
    rules = classify(sentence, "playbooks/x.md", "X")
    assert [(r.kind, r.value) for r in rules] == expected
    assert all(r.text == sentence and r.source == "playbooks/x.md" for r in rules)


def test_a_sentence_listing_rooms_gives_each_room_its_capacity() -> None:
    sentence = "Never exceed a room's capacity: Atrium 60 people, Loft 30 people, Studio (16 seats)"

    assert room_capacities(sentence) == {"Atrium": 60, "Loft": 30, "Studio": 16}
    assert room_capacities("Book the Harbor Room for 24 people.") == {}  # one room is no list
    assert room_capacities("A brown-bag holds at most 30 people in person.") == {}
