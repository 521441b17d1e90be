"""Tickets Learning Ops can rely on: idempotent creation, a status workflow, paging."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from tests.api.conftest import ALICE, OLIVIA

BODY = {"summary": "Needs a budget exception", "reason": "Above the annual limit"}


def test_replay_with_the_same_key_returns_the_same_ticket(keyed_client: TestClient) -> None:
    headers = ALICE | {"Idempotency-Key": "req-1"}
    first = keyed_client.post("/v1/escalations", json=BODY, headers=headers)
    again = keyed_client.post("/v1/escalations", json=BODY, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert keyed_client.get("/v1/escalations", headers=OLIVIA).json()["total"] == 1


def test_same_key_with_another_body_is_a_conflict(keyed_client: TestClient) -> None:
    headers = ALICE | {"Idempotency-Key": "req-2"}
    assert keyed_client.post("/v1/escalations", json=BODY, headers=headers).status_code == 201
    other = keyed_client.post("/v1/escalations", json=BODY | {"summary": "x"}, headers=headers)
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "conflict"


def test_concurrent_replays_make_one_ticket(keyed_client: TestClient) -> None:
    headers = ALICE | {"Idempotency-Key": "req-3"}
    with ThreadPoolExecutor(8) as pool:
        results = list(
            pool.map(
                lambda _: keyed_client.post("/v1/escalations", json=BODY, headers=headers), range(8)
            )
        )
    assert sorted(r.status_code for r in results) == [200] * 7 + [201]
    assert len({r.json()["id"] for r in results}) == 1


def test_status_workflow_with_assignee_and_timestamps(keyed_client: TestClient) -> None:
    ticket = keyed_client.post("/v1/escalations", json=BODY, headers=ALICE).json()
    url = f"/v1/escalations/{ticket['id']}"
    taken = keyed_client.patch(
        url, json={"status": "in_progress", "assignee": "olivia"}, headers=OLIVIA
    ).json()
    assert (taken["status"], taken["assignee"], taken["resolved_at"]) == (
        "in_progress",
        "olivia",
        None,
    )
    done = keyed_client.patch(
        url,
        json={"status": "resolved", "resolution_note": "Approved up to EUR 1,500."},
        headers=OLIVIA,
    ).json()
    assert done["status"] == "resolved"
    assert done["resolved_at"] is not None
    closed = keyed_client.patch(url, json={"status": "closed"}, headers=OLIVIA).json()
    assert closed["closed_at"] is not None
    reopened = keyed_client.patch(url, json={"status": "open"}, headers=OLIVIA)
    assert reopened.status_code == 409
    assert reopened.json()["error"]["message"] == "A ticket that is closed cannot become open."


def test_queue_filters_and_pages(keyed_client: TestClient) -> None:
    for index in range(5):
        route = "hr" if index % 2 else "learning_ops"
        keyed_client.post(
            "/v1/escalations", json=BODY | {"summary": f"t{index}", "route": route}, headers=ALICE
        )
    page = keyed_client.get(
        "/v1/escalations?route=learning_ops&limit=2&offset=0", headers=OLIVIA
    ).json()
    assert (page["total"], len(page["escalations"])) == (3, 2)
    rest = keyed_client.get(
        "/v1/escalations?route=learning_ops&limit=2&offset=2", headers=OLIVIA
    ).json()
    assert [t["summary"] for t in page["escalations"] + rest["escalations"]] == ["t4", "t2", "t0"]
    assert keyed_client.get("/v1/escalations?status=bogus", headers=OLIVIA).status_code == 422


def test_resolution_note_is_shown_back_in_the_conversation(keyed_client: TestClient) -> None:
    chat = keyed_client.post(
        "/v1/chat", json={"message": "I want to talk to a person"}, headers=ALICE
    ).json()
    ticket_id = chat["handoff"]["ticket_id"]
    keyed_client.patch(
        f"/v1/escalations/{ticket_id}",
        json={"status": "resolved", "resolution_note": "Booked you a call for Tuesday."},
        headers=OLIVIA,
    )
    follow_up = keyed_client.post(
        "/v1/chat",
        json={
            "message": "How many minutes can a brown-bag last?",
            "conversation_id": chat["conversation_id"],
        },
        headers=ALICE,
    ).json()
    assert follow_up["answer"].startswith(
        f"Update on ticket {ticket_id}: it is resolved. Booked you a call for Tuesday.\n\n"
    )
    again = keyed_client.post(
        "/v1/chat",
        json={
            "message": "How many minutes can a brown-bag last?",
            "conversation_id": chat["conversation_id"],
        },
        headers=ALICE,
    ).json()
    assert not again["answer"].startswith("Update on ticket")
    assert (
        keyed_client.get(f"/v1/escalations/{ticket_id}", headers=ALICE).json()["status"]
        == "resolved"
    )
