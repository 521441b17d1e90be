"""Session and learning plans over HTTP: created, saved, exported."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_session_plan_is_created_saved_and_exported(client: TestClient) -> None:
    response = client.post(
        "/v1/session-plans",
        json={"request": "A brown-bag about Kubernetes", "audience_size": 25, "date": "2027-03-10"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "plan", "markdown", "sources", "created_at"}
    plan = body["plan"]
    assert (plan["format"], plan["duration_minutes"], plan["audience"]["size"]) == (
        "brown-bag",
        45,
        25,
    )
    assert sum(item["minutes"] for item in plan["agenda"]) == 45
    assert {
        "title", "objectives", "agenda", "logistics", "rules", "promotion", "follow_up",
        "similar_sessions",
    } <= set(plan)  # fmt: skip
    rule = next(r for r in plan["rules"] if r["text"].startswith("A brown-bag lasts at most 45"))
    assert rule["source"] == "playbooks/brown-bag.md"
    assert (
        "By Wed 24 Feb 2027: Book the room at least 10 working days before the brown-bag."
        in plan["logistics"]
    )
    assert client.get(f"/v1/session-plans/{body['id']}").json()["plan"] == plan
    markdown = client.get(f"/v1/session-plans/{body['id']}/markdown")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text == body["markdown"]
    ics = client.get(f"/v1/session-plans/{body['id']}/ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "DTSTART:20270310T120000" in ics.text


def test_explicit_fields_override_the_text(client: TestClient) -> None:
    body = client.post(
        "/v1/session-plans",
        json={
            "request": "a brown-bag for 10 people on testing",
            "audience_size": 12,
            "duration_minutes": 30,
        },
    ).json()
    assert (body["plan"]["audience"]["size"], body["plan"]["duration_minutes"]) == (12, 30)


def test_session_plan_errors(client: TestClient) -> None:
    undated = client.post("/v1/session-plans", json={"request": "brown-bag on testing"}).json()
    assert client.get(f"/v1/session-plans/{undated['id']}/ics").status_code == 409
    assert client.get("/v1/session-plans/nope").status_code == 404
    assert client.post("/v1/session-plans", json={"request": ""}).status_code == 422
    too_many = client.post("/v1/session-plans", json={"request": "x", "audience_size": 0})
    assert too_many.status_code == 422
    unknown = client.post("/v1/session-plans", json={"request": "x", "conversation_id": "nope"})
    assert unknown.status_code == 404


def test_learning_plan_is_created_saved_and_exported(client: TestClient) -> None:
    response = client.post(
        "/v1/learning-plans",
        json={"goal": "Run better brown-bag sessions", "hours_per_week": 2, "weeks": 6},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    plan = body["plan"]
    assert (plan["hours_per_week"], plan["weeks"]) == (2, 6)
    assert [m["minutes_per_week"] for m in plan["mix"]] == [84, 24, 12]
    assert [m["week"] for m in plan["milestones"]] == [1, 2, 3, 4, 5, 6]
    assert client.get(f"/v1/learning-plans/{body['id']}").json()["markdown"] == body["markdown"]
    markdown = client.get(f"/v1/learning-plans/{body['id']}/markdown")
    assert markdown.text.startswith("# Learning plan: Run better brown-bag sessions")
    assert client.get("/v1/learning-plans/nope").status_code == 404
    assert client.post("/v1/learning-plans", json={"goal": "x"}).status_code == 422
