"""Records kept as JSON come back equal, with their dates, tuples and nested records."""

from __future__ import annotations

import datetime as dt
import json

from coach.adapters.sql.codec import from_json, to_json
from coach.community.demo import generate
from coach.community.records import (
    Community,
    Debrief,
    DemoHistory,
    LeadTime,
    Member,
    NoteDraft,
    Task,
    TrackedSession,
)

NOW = dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)


def _round_trip(record: object) -> object:
    return from_json(type(record), json.loads(json.dumps(to_json(record))))


def test_a_tracked_session_comes_back_equal() -> None:
    session = TrackedSession(
        id="ses1", title="Pottery: a talk", topic="pottery", format="talk", organiser="alice",
        organiser_name="Alice", created_at=NOW, date=dt.date(2027, 4, 1), duration_minutes=45,
        lead_times=(LeadTime("Book the room 10 working days before.", 10.0, "working day"),),
        tasks=(Task("lead-0", "Book it", dt.date(2027, 3, 18), True, 0), Task("after-0", "x")),
        plan={"title": "Pottery: a talk", "rules": [{"kind": "lead_time"}]}, markdown="# P\n",
        interest_ids=("int1", "int2"), topic_id="topic-int1", suggested_host="Bo",
    )  # fmt: skip

    assert _round_trip(session) == session


def test_a_note_draft_and_a_community_come_back_equal() -> None:
    debrief = Debrief(12, ("The demo.",), (), 4.5, "Fun.", ("Ana Diaz",), "Bo")
    draft = NoteDraft("n1", "ses1", "alice", "2027-04-01-p.md", "---\n", "draft", NOW, NOW,
                      debrief, to_fill=("tags",))  # fmt: skip
    community = Community(
        "c1", "Clay", "Pots", "clay", NOW, (Member("a", "A", "named", NOW, True),)
    )

    assert _round_trip(draft) == draft
    assert _round_trip(community) == community


def test_a_demo_year_comes_back_equal() -> None:
    history = generate(7, dt.date(2027, 3, 15))

    restored = _round_trip(history)

    assert isinstance(restored, DemoHistory)
    assert restored == history
