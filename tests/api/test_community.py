"""The community over HTTP, on SQLite and PostgreSQL: interests, topics, inboxes, a session grown
from a topic, its debrief published into the library, and who may see what.

Privacy is the point of most of these tests: nobody's name or interest is shown to others
without their opt-in, withdrawing removes it everywhere, and a key many people share (the
widget role) cannot register or see interests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from coach.core import CoachCore
from coach.services import Services
from coach.settings import Settings
from knowledge.ingest import Root
from tests.api.conftest import LOOPBACK
from wiring.app import create_app
from wiring.services import build_services

KEYS = ",".join([
    "alice-key:employee:alice", "bob-key:employee:bob", "chidi-key:employee:chidi",
    "dana-key:employee:dana", "olivia-key:learning_ops:olivia",
    "widget-key:widget:intranet-widget",
])  # fmt: skip
ALICE, BOB, CHIDI, DANA, OLIVIA, WIDGET = (
    {"Authorization": f"Bearer {name}-key"}
    for name in ("alice", "bob", "chidi", "dana", "olivia", "widget")
)


@pytest.fixture
def community_services(
    api_settings: Settings, make_core: Callable[[], CoachCore], knowledge_dir: Path
) -> Iterator[Services]:
    settings = api_settings.model_copy(update={"api_keys": SecretStr(KEYS), "scheduler": False})
    services = build_services(settings, core=make_core())
    services.library.sync([Root(knowledge_dir)])
    yield services
    services.engine.dispose()


@pytest.fixture
def http(community_services: Services) -> Iterator[TestClient]:
    app = create_app(community_services.settings, services=community_services, with_ui=False)
    with TestClient(app, base_url=LOOPBACK) as client:
        yield client


def register(http: TestClient, who: dict[str, str], text: str, **extra: Any) -> dict[str, Any]:
    body = {"text": text, "direction": "learn", **extra}
    response = http.post("/v1/interests", json=body, headers=who)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def three_on_kubernetes(http: TestClient) -> dict[str, str]:
    """Alice (named), Bob and Chidi (anonymous) on one topic; their interests' ids."""
    return {
        "alice": register(http, ALICE, "kubernetes", named=True)["id"],
        "bob": register(http, BOB, "kubernetes pods")["id"],
        "chidi": register(http, CHIDI, "kubernetes deployments", direction="share")["id"],
    }


def topics(http: TestClient, who: dict[str, str]) -> list[dict[str, Any]]:
    response = http.get("/v1/topics", headers=who)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def inbox_texts(http: TestClient, who: dict[str, str]) -> list[str]:
    return [n["text"] for n in http.get("/v1/inbox", headers=who).json()["notices"]]


def test_a_shared_key_cannot_register_or_see_interests(http: TestClient) -> None:
    register(http, ALICE, "kubernetes", named=True)
    body = {"text": "kubernetes", "direction": "learn"}

    refused = [
        http.post("/v1/interests", json=body, headers=WIDGET),
        http.get("/v1/interests", headers=WIDGET),
        http.get("/v1/topics", headers=WIDGET),
        http.get("/v1/inbox", headers=WIDGET),
        http.get("/v1/sessions", headers=WIDGET),
    ]

    assert [r.status_code for r in refused] == [403] * 5
    assert "shared key" in refused[0].json()["error"]["message"]
    assert http.get("/v1/interests", headers=ALICE).json()[0]["text"] == "kubernetes"


def test_an_anonymous_interest_is_counted_never_named(http: TestClient) -> None:
    three_on_kubernetes(http)

    seen_by_dana = topics(http, DANA)
    seen_by_team = http.get("/v1/topics/team", headers=OLIVIA).json()

    assert [(t["people"], t["learners"], t["sharers"]) for t in seen_by_dana] == [(3, 2, 1)]
    assert seen_by_dana[0]["named"] == [{"name": "alice", "direction": "learn"}]
    for body in (seen_by_dana, seen_by_team, inbox_texts(http, ALICE)):
        assert "bob" not in str(body)
        assert "chidi" not in str(body)
    assert seen_by_team[0]["new_last_30_days"] == 3


def test_a_topic_of_fewer_than_three_shows_its_words_only_to_its_members(
    http: TestClient,
) -> None:
    register(http, BOB, "kubernetes pods")
    register(http, CHIDI, "kubernetes deployments")

    assert topics(http, DANA) == []
    assert [t["label"] for t in topics(http, BOB)] == ["kubernetes pods"]
    assert http.get("/v1/topics/team", headers=OLIVIA).json() == []


def test_members_are_told_and_a_past_host_is_suggested(http: TestClient) -> None:
    three_on_kubernetes(http)

    seen = topics(http, BOB)[0]
    bob_hears = inbox_texts(http, BOB)

    assert [h["name"] for h in seen["hosts"]] == ["Amara Okafor"]
    assert seen["hosts"][0]["source"] == "sessions/2026-03-12-kubernetes-brown-bag.md"
    assert len(bob_hears) == 1
    assert bob_hears[0].startswith("2 other people want to learn or share about")
    assert "Among them: alice (wants to learn)." in bob_hears[0]
    assert "Suggested host: Amara Okafor" in bob_hears[0]


def test_withdrawing_removes_an_interest_everywhere(http: TestClient) -> None:
    ids = three_on_kubernetes(http)
    topic_id = topics(http, BOB)[0]["id"]
    session = http.post(f"/v1/topics/{topic_id}/session", json={}, headers=BOB).json()
    assert session["invitation"] == {"named": ["alice"], "others": 2}

    withdrawn = http.delete(f"/v1/interests/{ids['alice']}", headers=ALICE)

    assert withdrawn.status_code == 204
    assert http.get("/v1/interests", headers=ALICE).json() == []
    again = http.get(f"/v1/sessions/{session['id']}", headers=BOB).json()
    assert again["invitation"] == {"named": [], "others": 2}
    assert all("alice" not in text for text in inbox_texts(http, BOB) + inbox_texts(http, CHIDI))
    assert inbox_texts(http, ALICE) == []
    assert http.get(f"/v1/sessions/{session['id']}", headers=ALICE).status_code == 404
    assert http.delete(f"/v1/interests/{ids['alice']}", headers=ALICE).status_code == 404


def test_choosing_to_be_named_or_not_rewrites_what_others_are_told(http: TestClient) -> None:
    ids = three_on_kubernetes(http)

    hidden = http.patch(f"/v1/interests/{ids['alice']}", json={"named": False}, headers=ALICE)

    assert hidden.json()["named"] is False
    assert topics(http, DANA)[0]["named"] == []
    assert all("alice" not in text for text in inbox_texts(http, BOB))
    assert len(inbox_texts(http, BOB)) == 1  # told again, without her name


def test_someone_else_s_interest_cannot_be_changed_or_withdrawn(http: TestClient) -> None:
    ids = three_on_kubernetes(http)

    assert http.delete(f"/v1/interests/{ids['bob']}", headers=ALICE).status_code == 404
    changed = http.patch(f"/v1/interests/{ids['bob']}", json={"named": True}, headers=ALICE)
    assert changed.status_code == 404
    assert "bob" not in str(topics(http, DANA))


def test_bad_input_gets_a_clear_error(http: TestClient) -> None:
    wrong_direction = http.post(
        "/v1/interests", json={"text": "kubernetes", "direction": "teach"}, headers=ALICE
    )
    too_long = http.post("/v1/interests", json={"text": "k" * 301, "direction": "learn"},
                         headers=ALICE)  # fmt: skip
    unknown_topic = http.post("/v1/topics/topic-nope/session", json={}, headers=ALICE)

    assert wrong_direction.status_code == 422
    assert "direction" in wrong_direction.json()["error"]["message"]
    assert too_long.status_code == 422
    assert unknown_topic.status_code == 404
    assert http.get("/v1/interests", headers=ALICE).json() == []


def test_a_topic_becomes_a_plan_each_member_sees_then_a_published_note(
    http: TestClient,
) -> None:
    three_on_kubernetes(http)
    topic_id = topics(http, ALICE)[0]["id"]

    drafted = http.post(f"/v1/topics/{topic_id}/session", json={"format": "brown-bag"},
                        headers=ALICE)  # fmt: skip
    session = drafted.json()

    assert drafted.status_code == 201, drafted.text
    assert (session["suggested_host"], session["invitation"]) == (
        "Amara Okafor", {"named": ["alice"], "others": 2},
    )  # fmt: skip
    for who in (ALICE, BOB, CHIDI):
        assert [s["id"] for s in http.get("/v1/sessions", headers=who).json()] == [session["id"]]
    assert http.get(f"/v1/sessions/{session['id']}", headers=DANA).status_code == 404
    today = dt.date.today().isoformat()
    scheduled = http.post(f"/v1/sessions/{session['id']}/schedule", json={"date": today},
                          headers=ALICE).json()  # fmt: skip
    assert scheduled["date"] == today
    assert all(t["due"] is not None for t in scheduled["tasks"])
    for who in (BOB, CHIDI):
        assert any("is scheduled for" in text for text in inbox_texts(http, who))
    task = scheduled["tasks"][0]["id"]
    ticked = http.post(f"/v1/sessions/{session['id']}/tasks/{task}", json={"done": True},
                       headers=ALICE).json()  # fmt: skip
    assert ticked["tasks"][0]["done"] is True
    assert http.post(f"/v1/sessions/{session['id']}/tasks/{task}", json={"done": True},
                     headers=BOB).status_code == 404  # fmt: skip

    debrief = {"attendees": 14, "what_worked": ["The live demo"], "host": "Alice Moreau",
               "what_to_change": ["Start on time"], "feedback_score": 4.5}  # fmt: skip
    draft = http.post(f"/v1/sessions/{session['id']}/debrief", json=debrief, headers=ALICE)
    assert draft.status_code == 201, draft.text
    note = draft.json()
    assert note["status"] == "draft"
    assert "host: Alice Moreau" in note["text"]
    assert http.get("/v1/notes/drafts", headers=ALICE).status_code == 403
    pending = http.get("/v1/notes/drafts", headers=OLIVIA).json()
    assert [d["id"] for d in pending] == [note["id"]]
    edited = note["text"].replace("- The live demo.", "- The live demo of a rolling update.")
    assert http.patch(f"/v1/notes/drafts/{note['id']}", json={"text": edited},
                      headers=OLIVIA).status_code == 200  # fmt: skip
    assert http.post(f"/v1/notes/drafts/{note['id']}/publish", headers=ALICE).status_code == 403

    published = http.post(f"/v1/notes/drafts/{note['id']}/publish", headers=OLIVIA).json()

    assert published["status"] == "published"
    assert published["published_source"] == f"sessions/{note['filename']}"
    search = {"query": "rolling update live demo", "k": 3, "kinds": ["session_note"]}
    found = http.post("/v1/retrieve", json=search, headers=DANA).json()
    assert found["results"][0]["source"] == published["published_source"]
    answer = http.post("/v1/chat", json={"message": "Who has run a session on Kubernetes before?"},
                       headers=DANA).json()["answer"]  # fmt: skip
    assert "hosted by Alice Moreau" in answer
    assert any("is published in the library" in t for t in inbox_texts(http, ALICE))


def test_a_debrief_before_the_session_s_date_is_refused(http: TestClient) -> None:
    three_on_kubernetes(http)
    topic_id = topics(http, ALICE)[0]["id"]
    session = http.post(f"/v1/topics/{topic_id}/session", json={}, headers=ALICE).json()
    later = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    http.post(f"/v1/sessions/{session['id']}/schedule", json={"date": later}, headers=ALICE)

    refused = http.post(f"/v1/sessions/{session['id']}/debrief", json={}, headers=ALICE)

    assert refused.status_code == 422
    assert "after the session" in refused.json()["error"]["message"]
    assert http.get("/v1/notes/drafts", headers=OLIVIA).json() == []


def test_learning_plan_check_ins_say_where_the_plan_stands(http: TestClient) -> None:
    plan = http.post("/v1/learning-plans", json={"goal": "Get better at public speaking",
                                                 "weeks": 4}, headers=BOB).json()  # fmt: skip

    moved = http.post(f"/v1/learning-plans/{plan['id']}/check-ins",
                      json={"week": 1, "status": "moved", "to_week": 3}, headers=BOB)  # fmt: skip

    assert moved.status_code == 200, moved.text
    assert moved.json()["moved"] == [[1, 3]]
    assert [s["planned_for"] for s in moved.json()["next_weeks"]][:2] == [2, 1]
    assert http.get(f"/v1/learning-plans/{plan['id']}/standing", headers=ALICE).status_code == 404
    bad = http.post(f"/v1/learning-plans/{plan['id']}/check-ins",
                    json={"week": 1, "status": "moved"}, headers=BOB)  # fmt: skip
    assert bad.status_code == 422


def test_communities_name_only_the_members_who_agree(http: TestClient) -> None:
    made = http.post("/v1/communities", json={"name": "Platform guild", "about": "Clusters"},
                     headers=ALICE).json()  # fmt: skip
    http.post(f"/v1/communities/{made['id']}/join", json={"named": False}, headers=BOB)
    page = http.post(f"/v1/communities/{made['id']}/join", json={"named": True},
                     headers=CHIDI).json()  # fmt: skip

    assert (page["organisers"], page["members_named"], page["members"]) == (
        ["alice"], ["alice", "chidi"], 3,
    )  # fmt: skip
    assert [c["name"] for c in http.get("/v1/communities", headers=DANA).json()] == [
        "Platform guild"
    ]


def test_the_autonomy_view_is_for_learning_ops_and_counts_demo_only_when_seeded(
    http: TestClient, community_services: Services
) -> None:
    assert http.get("/v1/analytics/autonomy", headers=ALICE).status_code == 403
    real = http.get("/v1/analytics/autonomy", headers=OLIVIA).json()
    assert (real["includes_demo"], len(real["months"])) == (False, 12)
    # The library's one session note (2026-03-12, by an employee), when in the last 12 months.
    in_view = {m["month"]: m["sessions_by_employees"] for m in real["months"]}
    assert sum(in_view.values()) == in_view.get("2026-03", 0) <= 1

    from coach.community.people import Caller

    team = Caller.person("olivia", learning_ops=True)
    community_services.community.demo.seed(team, seed=3)
    seeded = http.get("/v1/analytics/autonomy", headers=OLIVIA).json()
    csv = http.get("/v1/analytics/autonomy.csv", headers=OLIVIA)
    without = http.get("/v1/analytics/autonomy?include_demo=false", headers=OLIVIA).json()

    assert (seeded["includes_demo"], seeded["demo_tag"]) == (True, "demo:3")
    assert sum(m["sessions_by_employees"] for m in seeded["months"]) > 20 + sum(in_view.values())
    assert csv.text.splitlines()[0].startswith("month,sessions_by_employees,")
    assert len(csv.text.splitlines()) == 13
    assert without["months"] == real["months"]
    assert community_services.community.demo.remove(team) is True
    assert http.get("/v1/analytics/autonomy", headers=OLIVIA).json()["includes_demo"] is False


def test_a_drafted_session_plan_is_followed_through_by_its_organiser(http: TestClient) -> None:
    date = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    request = {"request": f"A brown-bag about Kubernetes basics on {date}"}

    drafted = http.post("/v1/session-plans", json=request, headers=BOB)
    by_widget = http.post("/v1/session-plans", json=request, headers=WIDGET)

    assert (drafted.status_code, by_widget.status_code) == (201, 201)
    tracked = http.get("/v1/sessions", headers=BOB).json()
    assert [(s["date"], s["yours"]) for s in tracked] == [(date, True)]
    lead = tracked[0]["tasks"][0]
    assert lead["text"] == "Book the room at least 10 working days before the brown-bag."
    assert dt.date.fromisoformat(lead["due"]) < dt.date.fromisoformat(date)
    assert http.get("/v1/sessions", headers=ALICE).json() == []


def test_a_scheduled_session_s_invitation_carries_an_alarm_per_lead_time(
    http: TestClient,
) -> None:
    three_on_kubernetes(http)
    topic_id = topics(http, ALICE)[0]["id"]
    session = http.post(f"/v1/topics/{topic_id}/session", json={"format": "brown-bag"},
                        headers=ALICE).json()  # fmt: skip
    url = f"/v1/sessions/{session['id']}/ics"
    assert http.get(url, headers=BOB).status_code == 422  # no date yet
    date = dt.date.today() + dt.timedelta(days=30)
    http.post(f"/v1/sessions/{session['id']}/schedule", json={"date": date.isoformat()},
              headers=ALICE)  # fmt: skip

    invitation = http.get(url, headers=BOB)

    assert invitation.headers["content-type"].startswith("text/calendar")
    assert f"DTSTART:{date:%Y%m%d}T120000" in invitation.text
    leads = [t for t in session["tasks"] if t["id"].startswith("lead-")]
    assert len(leads) == invitation.text.count("BEGIN:VALARM") == 1  # the room, 10 days ahead
    assert http.get(url, headers=DANA).status_code == 404
