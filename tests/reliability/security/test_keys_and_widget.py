"""Keys: a malformed entry is reported without the key; the widget's shared key chats but
cannot list or read anyone's history."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from coach.services import Services
from coach.services.access import parse_key_list
from tests.reliability.security.conftest import ALICE, WIDGET


def test_a_malformed_key_entry_is_reported_without_the_key() -> None:
    with pytest.raises(ValueError, match="entry 2 is not key:role:user") as error:
        parse_key_list("good-key:employee:amy,s3cret-key-material:employee")
    assert "s3cret-key-material" not in str(error.value)


def test_the_widget_key_chats_but_cannot_list_or_read_history(
    keyed: tuple[Services, TestClient],
) -> None:
    _, client = keyed
    mine = client.post("/v1/chat", json={"message": "How long is a brown-bag?"}, headers=WIDGET)
    assert mine.status_code == 200
    follow_up = client.post(
        "/v1/chat",
        json={"message": "and for 40 people?", "conversation_id": mine.json()["conversation_id"]},
        headers=WIDGET,
    )
    assert follow_up.status_code == 200
    conversation = mine.json()["conversation_id"]
    for path in (
        "/v1/conversations",
        f"/v1/conversations/{conversation}/messages",
        "/v1/escalations",
    ):
        assert client.get(path, headers=WIDGET).status_code == 403, path
    assert client.get("/v1/conversations", headers=ALICE).status_code == 200
