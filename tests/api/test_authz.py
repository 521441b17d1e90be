"""Who may do what: every route with no key, the owner, another employee and Learning Ops."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import ALICE, BOB, OLIVIA

NOBODY: dict[str, str] = {}
CALLERS = {"nobody": NOBODY, "alice": ALICE, "bob": BOB, "olivia": OLIVIA}


@pytest.fixture
def alices(keyed_client: TestClient) -> dict[str, str]:
    """Things that belong to Alice: a conversation, an answer, plans and a ticket."""
    chat = keyed_client.post(
        "/v1/chat", json={"message": "How many minutes can a brown-bag last?"}, headers=ALICE
    ).json()
    session_plan = keyed_client.post(
        "/v1/session-plans",
        json={"request": "brown-bag on testing", "date": "2027-03-10"},
        headers=ALICE,
    ).json()
    learning_plan = keyed_client.post(
        "/v1/learning-plans", json={"goal": "Learn SQL"}, headers=ALICE
    ).json()
    ticket = keyed_client.post(
        "/v1/escalations", json={"summary": "Budget", "reason": "Above limit"}, headers=ALICE
    ).json()
    return {
        "conversation": chat["conversation_id"],
        "message": chat["message_id"],
        "session_plan": session_plan["id"],
        "learning_plan": learning_plan["id"],
        "ticket": ticket["id"],
    }


FOLLOW_UP = {"message": "and more?", "conversation_id": "{conversation}"}
FEEDBACK = {"conversation_id": "{conversation}", "message_id": "{message}", "rating": "up"}
CONFIRM_RULE = {
    "source": "playbooks/brown-bag.md",
    "sentence": "Book the room at least 10 working days before the brown-bag.",
    "action": "confirm",
}
COMPLETION = {
    "model": "learning-ops-coach",
    "messages": [{"role": "user", "content": "brown-bag length?"}],
}
# (method, path template, body, expected status for nobody / alice / bob / olivia)
MATRIX: list[tuple[str, str, Any, tuple[int, int, int, int]]] = [
    ("POST", "/v1/retrieve", {"query": "brown-bag"}, (401, 200, 200, 200)),
    ("POST", "/v1/chat", {"message": "How long is a brown-bag?"}, (401, 200, 200, 200)),
    ("POST", "/v1/chat", FOLLOW_UP, (401, 200, 404, 404)),
    ("GET", "/v1/conversations", None, (401, 200, 200, 200)),
    ("GET", "/v1/conversations/{conversation}/messages", None, (401, 200, 404, 404)),
    ("POST", "/v1/session-plans", {"request": "brown-bag on SQL"}, (401, 201, 201, 201)),
    ("GET", "/v1/session-plans/{session_plan}", None, (401, 200, 404, 200)),
    ("GET", "/v1/session-plans/{session_plan}/markdown", None, (401, 200, 404, 200)),
    ("GET", "/v1/session-plans/{session_plan}/ics", None, (401, 200, 404, 200)),
    ("POST", "/v1/learning-plans", {"goal": "Learn SQL"}, (401, 201, 201, 201)),
    ("GET", "/v1/learning-plans/{learning_plan}", None, (401, 200, 404, 200)),
    ("GET", "/v1/learning-plans/{learning_plan}/markdown", None, (401, 200, 404, 200)),
    ("POST", "/v1/escalations", {"summary": "s", "reason": "r"}, (401, 201, 201, 201)),
    ("GET", "/v1/escalations", None, (401, 200, 200, 200)),
    ("GET", "/v1/escalations/{ticket}", None, (401, 200, 404, 200)),
    ("PATCH", "/v1/escalations/{ticket}", {"status": "in_progress"}, (401, 403, 403, 200)),
    ("POST", "/v1/feedback", FEEDBACK, (401, 201, 404, 404)),
    ("GET", "/v1/knowledge/documents", None, (401, 403, 403, 200)),
    ("GET", "/embed", None, (200, 200, 200, 200)),
    ("GET", "/healthz", None, (200, 200, 200, 200)),
    ("POST", "/v1/knowledge/reindex", None, (401, 403, 403, 200)),
    ("GET", "/v1/rules", None, (401, 403, 403, 200)),
    ("PUT", "/v1/rules/decisions", CONFIRM_RULE, (401, 403, 403, 200)),
    ("GET", "/v1/models", None, (401, 200, 200, 200)),
    ("POST", "/v1/chat/completions", COMPLETION, (401, 200, 200, 200)),
]  # fmt: skip


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
def test_route_answers_each_caller_as_expected(
    keyed_client: TestClient,
    alices: dict[str, str],
    method: str,
    path: str,
    body: Any,
    expected: tuple[int, int, int, int],
) -> None:
    got = tuple(
        keyed_client.request(
            method, _fill(path, alices), json=_fill(body, alices), headers=headers
        ).status_code
        for headers in CALLERS.values()
    )
    assert got == expected


def test_upload_is_for_learning_ops_only(keyed_client: TestClient) -> None:
    files = {"file": ("tips.md", b"# Tips\n\nRotate facilitators every session.\n")}
    assert (
        keyed_client.post("/v1/knowledge/documents", files=files, headers=ALICE).status_code == 403
    )
    assert (
        keyed_client.post("/v1/knowledge/documents", files=files, headers=OLIVIA).status_code == 201
    )


def test_employees_list_only_their_own_tickets(
    keyed_client: TestClient, alices: dict[str, str]
) -> None:
    bob_ticket = keyed_client.post(
        "/v1/escalations", json={"summary": "b", "reason": "r"}, headers=BOB
    ).json()

    def ids(headers: dict[str, str]) -> set[str]:
        return {
            t["id"]
            for t in keyed_client.get("/v1/escalations", headers=headers).json()["escalations"]
        }

    assert ids(ALICE) == {alices["ticket"]}
    assert ids(BOB) == {bob_ticket["id"]}
    assert ids(OLIVIA) == {alices["ticket"], bob_ticket["id"]}


def test_a_wrong_key_is_401_with_the_error_shape(keyed_client: TestClient) -> None:
    response = keyed_client.post(
        "/v1/retrieve", json={"query": "x"}, headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthorized", "message": "This API key is not valid."}
    }
    assert response.headers["www-authenticate"] == "Bearer"


def test_conversations_list_shows_only_ones_own(
    keyed_client: TestClient, alices: dict[str, str]
) -> None:
    mine = keyed_client.get("/v1/conversations", headers=ALICE).json()["conversations"]
    assert [c["id"] for c in mine] == [alices["conversation"]]
    assert mine[0]["title"] == "How many minutes can a brown-bag last?"
    assert keyed_client.get("/v1/conversations", headers=BOB).json()["conversations"] == []


def test_retrieval_is_logged_with_who_asked_and_which_chunks(
    keyed_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="coach.audit"):
        keyed_client.post("/v1/retrieve", json={"query": "brown-bag minutes", "k": 2}, headers=BOB)
        chat = keyed_client.post(
            "/v1/chat", json={"message": "How many minutes can a brown-bag last?"}, headers=ALICE
        ).json()
    lines = [r.getMessage() for r in caplog.records if r.name == "coach.audit"]
    assert lines[0].startswith("retrieve user=bob chunks=")
    assert len(lines[0].split("chunks=")[1].split(",")) == 2
    assert lines[1].startswith(
        f"answer user=alice conversation={chat['conversation_id']} message={chat['message_id']}"
    )
