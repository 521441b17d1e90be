"""Ticket notifications reach a webhook even when it fails at first or the server restarts."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from api.app import create_app
from api.models import OutboxMessage
from api.outbox import OutboxDeliverer
from api.services import build_services
from coach.core import CoachCore
from coach.settings import Settings
from tests.api.conftest import LOOPBACK


class Receiver:
    """A local Slack-like webhook that refuses its first `failures` calls."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[dict[str, object]] = []
        self.calls = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.calls += 1
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.calls <= receiver.failures:
                    self.send_response(503)
                else:
                    receiver.received.append(json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver(failures=2)
    yield hook
    hook.close()


def test_delivery_retries_until_the_receiver_accepts(
    api_settings: Settings, make_core: Callable[[], CoachCore], receiver: Receiver
) -> None:
    settings = api_settings.model_copy(update={"escalation_webhook_url": SecretStr(receiver.url)})
    services = build_services(settings, core=make_core())
    with TestClient(
        create_app(settings, services=services, with_ui=False), base_url=LOOPBACK
    ) as client:
        services.outbox.stop()  # drive delivery by hand, with no waiting between attempts
        ticket = client.post(
            "/v1/escalations", json={"summary": "Budget", "reason": "Above limit"}
        ).json()
    deliverer = OutboxDeliverer(services.escalations._sessions, receiver.url, backoff_base=0.0)
    assert [deliverer.deliver_due() for _ in range(3)] == [0, 0, 1]
    assert receiver.calls == 3
    assert receiver.received[0]["ticket"]["id"] == ticket["id"]  # type: ignore[index]
    assert str(receiver.received[0]["text"]).startswith(f"New Learning Ops ticket {ticket['id']}")
    assert deliverer.deliver_due() == 0  # delivered once, not again
    services.engine.dispose()


def test_nothing_is_lost_between_commit_and_delivery(
    api_settings: Settings, make_core: Callable[[], CoachCore], receiver: Receiver, tmp_path: Path
) -> None:
    settings = api_settings.model_copy(update={"escalation_webhook_url": SecretStr(receiver.url)})
    first = build_services(settings, core=make_core())
    with TestClient(
        create_app(settings, services=first, with_ui=False), base_url=LOOPBACK
    ) as client:
        first.outbox.stop()  # the process "dies" before it delivers anything
        client.post("/v1/escalations", json={"summary": "One", "reason": "r"})
        client.post("/v1/escalations", json={"summary": "Two", "reason": "r"})
    first.engine.dispose()
    receiver.failures = 0
    restarted = build_services(settings, core=make_core())
    with restarted.engine.connect() as connection:
        pending = connection.execute(
            select(OutboxMessage.id).where(OutboxMessage.delivered_at.is_(None))
        ).all()
    assert len(pending) == 2
    deliverer = OutboxDeliverer(restarted.escalations._sessions, receiver.url, backoff_base=0.0)
    assert deliverer.deliver_due() == 2
    assert sorted(r["ticket"]["summary"] for r in receiver.received) == ["One", "Two"]  # type: ignore[index]
    restarted.engine.dispose()


def test_background_delivery_runs_with_the_app(
    api_settings: Settings, make_core: Callable[[], CoachCore]
) -> None:
    hook = Receiver(failures=0)
    settings = api_settings.model_copy(update={"escalation_webhook_url": SecretStr(hook.url)})
    services = build_services(settings, core=make_core())
    try:
        with TestClient(
            create_app(settings, services=services, with_ui=False), base_url=LOOPBACK
        ) as client:
            client.post("/v1/escalations", json={"summary": "Live", "reason": "r"})
            for _ in range(100):
                if hook.received:
                    break
                threading.Event().wait(0.05)
        assert hook.received[0]["ticket"]["summary"] == "Live"  # type: ignore[index]
    finally:
        hook.close()
        services.engine.dispose()
