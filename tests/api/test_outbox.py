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

from coach.adapters.sql.db import make_session_factory
from coach.adapters.sql.models import OutboxMessage
from coach.adapters.sql.outbox import OutboxDeliverer
from coach.core import CoachCore
from coach.services import Services
from coach.settings import Settings
from tests.api.conftest import LOOPBACK
from wiring.app import create_app
from wiring.services import build_services


class Receiver:
    """A local Slack-like webhook that refuses its first `failures` calls."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[dict[str, object]] = []
        self.calls = 0
        self.on_receive: Callable[[dict[str, object]], None] = lambda payload: None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.calls += 1
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.calls <= receiver.failures:
                    self.send_response(503)
                else:
                    payload = json.loads(body)
                    receiver.on_receive(payload)
                    receiver.received.append(payload)
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
    deliverer = OutboxDeliverer(
        make_session_factory(services.engine), receiver.url, backoff_base=0.0
    )
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
    deliverer = OutboxDeliverer(
        make_session_factory(restarted.engine), receiver.url, backoff_base=0.0
    )
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


def _tickets(services: Services, count: int) -> None:
    from coach.domain import NewTicket

    for i in range(count):
        services.escalations.create(NewTicket("learning_ops", f"Ticket {i}", "r", None))


def test_two_workers_deliver_each_notice_exactly_once_through_a_slow_batch(
    api_settings: Settings,
    make_core: Callable[[], CoachCore],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each send takes 25 s of (simulated) time; the second worker polls during the fourth."""
    import datetime as dt

    import coach.adapters.sql.outbox

    hook = Receiver(failures=0)
    settings = api_settings.model_copy(update={"escalation_webhook_url": SecretStr(hook.url)})
    services = build_services(settings, core=make_core())
    _tickets(services, 6)
    clock = [coach.adapters.sql.outbox.utcnow() + dt.timedelta(seconds=1)]
    monkeypatch.setattr(coach.adapters.sql.outbox, "utcnow", lambda: clock[0])
    sessions = make_session_factory(services.engine)
    first = OutboxDeliverer(sessions, hook.url, timeout=30.0)
    second = OutboxDeliverer(sessions, hook.url, timeout=30.0)
    polled = threading.Event()

    def slow_send(payload: dict[str, object]) -> None:
        clock[0] += dt.timedelta(seconds=25)
        if len(hook.received) == 3 and not polled.is_set():
            polled.set()
            second.deliver_due()  # another worker's pass, while this send is in flight

    hook.on_receive = slow_send
    try:
        first.deliver_due()
    finally:
        hook.close()
        services.engine.dispose()
    summaries = sorted(r["ticket"]["summary"] for r in hook.received)  # type: ignore[index]
    assert polled.is_set()
    assert summaries == sorted(f"Ticket {i}" for i in range(6))  # each once, none twice


def test_a_notice_that_keeps_failing_becomes_a_visible_dead_letter_without_the_secret(
    api_settings: Settings,
    make_core: Callable[[], CoachCore],
    caplog: pytest.LogCaptureFixture,
) -> None:
    hook = Receiver(failures=1000)
    secret_url = f"{hook.url}/T0001/B0002/s3cr3t-token"
    settings = api_settings.model_copy(update={"escalation_webhook_url": SecretStr(secret_url)})
    services = build_services(settings, core=make_core())
    _tickets(services, 1)
    deliverer = OutboxDeliverer(
        make_session_factory(services.engine), secret_url, backoff_base=0.0, max_attempts=3
    )
    try:
        with caplog.at_level("WARNING"):
            for _ in range(5):
                deliverer.deliver_due()
        with TestClient(
            create_app(settings, services=services, with_ui=False), base_url=LOOPBACK
        ) as client:
            services.outbox.stop()
            dead = client.get("/v1/notifications/dead-letters").json()["dead_letters"]
    finally:
        hook.close()
        services.engine.dispose()
    assert hook.calls == 3  # capped: no retries after the third failure
    assert len(dead) == 1
    assert dead[0]["attempts"] == 3
    assert "s3cr3t-token" not in (dead[0]["last_error"] or "")
    assert "s3cr3t-token" not in caplog.text
