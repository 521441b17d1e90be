"""The public API contracts that outside tools rely on."""

from __future__ import annotations

from fastapi.testclient import TestClient

from coach.providers.fakes import ScriptedChatModel
from coach.services import Services


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_retrieve_returns_passages_best_first(client: TestClient) -> None:
    response = client.post(
        "/v1/retrieve", json={"query": "brown-bag minutes talk questions", "k": 3}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    assert set(results[0]) == {"source", "title", "kind", "text", "score", "similarity"}
    assert results[0]["source"] == "playbooks/brown-bag.md"
    assert results[0]["kind"] == "playbook"
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def test_retrieve_clamps_an_absurd_k(client: TestClient, services: Services) -> None:
    response = client.post("/v1/retrieve", json={"query": "brown-bag", "k": 100000})
    assert response.status_code == 200
    assert len(response.json()["results"]) == services.core.store.count() == 7


def test_retrieve_rejects_an_empty_query_readably(client: TestClient) -> None:
    response = client.post("/v1/retrieve", json={"query": ""})
    assert response.status_code == 422
    assert "at least 1 character" in response.text


def test_chat_answers_with_sources_and_keeps_the_conversation(
    client: TestClient, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.enqueue(
        "A brown-bag lasts at most 45 minutes.", "Book it 10 working days ahead."
    )
    first = client.post("/v1/chat", json={"message": "How many minutes can a brown-bag last?"})
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"conversation_id", "message_id", "answer", "sources", "handoff"}
    assert body["answer"].startswith("A brown-bag lasts at most 45 minutes.")
    assert body["sources"][0] == {
        "source": "playbooks/brown-bag.md",
        "title": "Running a brown-bag session",
    }
    assert body["handoff"] is None
    follow_up = client.post(
        "/v1/chat",
        json={
            "message": "When do I book the brown-bag room?",
            "conversation_id": body["conversation_id"],
        },
    )
    assert follow_up.json()["conversation_id"] == body["conversation_id"]
    assert scripted_model.prompts[1][1].text == "How many minutes can a brown-bag last?"


def test_chat_with_unknown_conversation_is_404(client: TestClient) -> None:
    response = client.post("/v1/chat", json={"message": "hi", "conversation_id": "nope"})
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Unknown conversation: nope"}
    }


def test_chat_rejects_malformed_bodies(client: TestClient) -> None:
    assert client.post("/v1/chat", json={}).status_code == 422
    assert (
        client.post(
            "/v1/chat", content=b"{not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )
    assert client.post("/v1/chat", json={"message": "   "}).status_code == 422


def test_asking_for_a_person_in_chat_creates_a_listed_ticket(client: TestClient) -> None:
    body = client.post("/v1/chat", json={"message": "Can I speak to a human please?"}).json()
    ticket_id = body["handoff"]["ticket_id"]
    assert body["handoff"]["route"] == "learning_ops"
    ticket = client.get(f"/v1/escalations/{ticket_id}").json()
    assert ticket["status"] == "open"
    assert ticket["conversation_id"] == body["conversation_id"]
    assert "Can I speak to a human please?" in ticket["summary"]


def test_escalation_lifecycle(client: TestClient) -> None:
    created = client.post(
        "/v1/escalations",
        json={"summary": "Needs a budget exception", "reason": "Above the annual limit"},
    )
    assert created.status_code == 201
    ticket = created.json()
    assert {k: ticket[k] for k in ("status", "route", "summary", "reason")} == {
        "status": "open",
        "route": "learning_ops",
        "summary": "Needs a budget exception",
        "reason": "Above the annual limit",
    }
    assert ticket["created_at"]
    listed = client.get("/v1/escalations").json()["escalations"]
    assert [t["id"] for t in listed] == [ticket["id"]]
    updated = client.patch(
        f"/v1/escalations/{ticket['id']}",
        json={"status": "resolved", "resolution_note": "Approved up to EUR 1,500."},
    ).json()
    assert (updated["status"], updated["resolution_note"]) == (
        "resolved",
        "Approved up to EUR 1,500.",
    )
    assert client.get(f"/v1/escalations/{ticket['id']}").json()["status"] == "resolved"


def test_escalation_errors(client: TestClient) -> None:
    assert client.get("/v1/escalations/nope").status_code == 404
    assert client.patch("/v1/escalations/nope", json={"status": "resolved"}).status_code == 404
    assert client.post("/v1/escalations", json={"summary": "x"}).status_code == 422
    bad_status = client.post("/v1/escalations", json={"summary": "x", "reason": "y"}).json()["id"]
    response = client.patch(f"/v1/escalations/{bad_status}", json={"status": "done"})
    assert response.status_code == 422
    unknown_conversation = client.post(
        "/v1/escalations", json={"summary": "x", "reason": "y", "conversation_id": "nope"}
    )
    assert unknown_conversation.status_code == 404
    assert len(client.get("/v1/escalations").json()["escalations"]) == 1


def test_openapi_lists_the_contract_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) >= {
        "/healthz",
        "/v1/retrieve",
        "/v1/chat",
        "/v1/escalations",
        "/v1/escalations/{escalation_id}",
    }
    assert set(paths["/v1/escalations/{escalation_id}"]) == {"get", "patch"}
