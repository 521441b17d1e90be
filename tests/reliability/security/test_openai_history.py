"""The OpenAI-compatible route stores a client's history capped, in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from coach.adapters.sql.models import Message
from coach.services import Services


def test_client_history_is_capped_and_stored_in_one_commit(
    build: Callable[..., tuple[Services, TestClient]],
) -> None:
    # Without the reminder scheduler, whose own commits would be counted with the route's.
    services, client = build(scheduler=False)
    commits: list[int] = []
    event.listen(services.engine, "commit", lambda _: commits.append(1))
    history = []
    for i in range(90):
        history += [
            {"role": "user", "content": f"question {i}"},
            {"role": "assistant", "content": f"answer {i}"},
        ]
    body = {
        "model": "learning-ops-coach",
        "messages": [*history, {"role": "user", "content": "How long is a brown-bag?"}],
    }
    assert client.post("/v1/chat/completions", json=body).status_code == 200
    with services.engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(Message))
    assert stored == 2 * 10 + 2  # the last ten exchanges, then this one
    assert len(commits) <= 4  # start, history, the answer: not one per turn
    too_long = {**body, "messages": [*history, *history, body["messages"][-1]]}
    assert client.post("/v1/chat/completions", json=too_long).status_code == 422
