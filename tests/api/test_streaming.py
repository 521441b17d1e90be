"""Server-Sent Events from POST /v1/chat with "stream": true."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from coach.providers.fakes import ScriptedChatModel


def events(text: str) -> list[tuple[str, dict[str, object]]]:
    parsed = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        parsed.append((lines["event"], json.loads(lines["data"])))
    return parsed


def test_tokens_then_a_done_event_with_sources(
    client: TestClient, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.enqueue("A brown-bag lasts at most 45 minutes.")
    with client.stream(
        "POST",
        "/v1/chat",
        json={"message": "How many minutes can a brown-bag last?", "stream": True},
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        received = events(response.read().decode())
    kinds = [kind for kind, _ in received]
    assert kinds[-1] == "done"
    assert kinds.count("token") >= 8  # the model's words, one by one, then the backing quote
    streamed = "".join(str(data["text"]) for kind, data in received if kind == "token")
    done = received[-1][1]
    assert done["answer"] == streamed
    assert done["replaced"] is False
    assert str(done["answer"]).startswith("A brown-bag lasts at most 45 minutes.")
    assert done["sources"] == [
        {"source": "playbooks/brown-bag.md", "title": "Running a brown-bag session"}
    ]


def test_a_draft_that_fails_grounding_is_flagged_as_replaced(
    client: TestClient, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.enqueue("Brown-bags last 90 minutes.")
    response = client.post(
        "/v1/chat", json={"message": "How many minutes can a brown-bag last?", "stream": True}
    )
    done = events(response.text)[-1][1]
    assert done["replaced"] is True
    assert "90" not in str(done["answer"])
    assert "A brown-bag lasts at most 45 minutes" in str(done["answer"])


def test_flows_without_a_model_stream_their_answer_in_one_event(client: TestClient) -> None:
    response = client.post(
        "/v1/chat", json={"message": "I want to talk to a person", "stream": True}
    )
    received = events(response.text)
    assert [kind for kind, _ in received] == ["token", "done"]
    assert received[-1][1]["handoff"]["ticket_id"]


def test_unknown_conversation_is_a_404_before_any_stream(client: TestClient) -> None:
    response = client.post(
        "/v1/chat", json={"message": "hi", "conversation_id": "nope", "stream": True}
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
