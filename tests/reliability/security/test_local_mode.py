"""Local mode (no keys) serves this machine's own browser and tools, and nothing that merely
reaches loopback: not a cross-site page, not DNS rebinding, not a proxy or a Unix socket.
A server that has had keys never falls back to it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from coach.core import CoachCore
from coach.services import Services
from coach.services.access import is_loopback
from coach.settings import Settings
from wiring.app import create_app
from wiring.services import build_services

PLAYBOOK = {"file": ("brown-bag.md", b"# Brown-bag\n\nA brown-bag lasts 5 hours.\n")}


def test_dns_rebinding_cannot_read_conversations(local: tuple[Services, TestClient]) -> None:
    _, client = local
    client.post("/v1/chat", json={"message": "How long is a brown-bag?"})
    rebound = client.get("/v1/conversations", headers={"Host": "attacker.example:8000"})
    assert rebound.status_code == 403
    assert "localhost" in rebound.json()["error"]["message"]
    assert client.get("/v1/conversations", headers={"Host": "localhost:8000"}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://attacker.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}],
)
def test_a_cross_site_upload_cannot_replace_a_playbook(
    local: tuple[Services, TestClient], headers: dict[str, str]
) -> None:
    services, client = local
    before = {d.source: d.chunks for d in services.library.documents()}
    response = client.post(
        "/v1/knowledge/documents", files=PLAYBOOK, data={"kind": "playbook"}, headers=headers
    )
    assert response.status_code == 403
    assert {d.source: d.chunks for d in services.library.documents()} == before
    same_site = client.post(
        "/v1/knowledge/documents",
        files=PLAYBOOK,
        data={"kind": "playbook"},
        headers={"Origin": "http://127.0.0.1:8000"},
    )
    assert same_site.status_code == 201


def test_requests_through_a_proxy_are_refused_in_local_mode(
    local: tuple[Services, TestClient],
) -> None:
    _, client = local
    proxied = client.get("/v1/conversations", headers={"X-Forwarded-For": "203.0.113.7"})
    assert proxied.status_code == 403


def test_an_unknown_peer_is_not_loopback() -> None:
    assert not is_loopback(None)


def test_a_unix_socket_does_not_get_local_mode(
    fake_settings: Settings, make_core: Callable[[], CoachCore], tmp_path: Path
) -> None:
    services = build_services(fake_settings, core=make_core())
    socket = str(tmp_path / "coach.sock")
    config = uvicorn.Config(
        create_app(fake_settings, services=services, with_ui=False),
        uds=socket,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        with httpx.Client(transport=httpx.HTTPTransport(uds=socket)) as http:
            response = http.get("http://localhost/v1/conversations")
    finally:
        server.should_exit = True
        thread.join(10)
        services.engine.dispose()
    assert response.status_code == 403


def test_revoking_the_last_key_does_not_open_the_server(
    build: Callable[..., tuple[Services, TestClient]],
) -> None:
    services, client = build()
    key = services.keys.create("employee", "carol")
    mine = {"Authorization": f"Bearer {key}"}
    assert client.get("/v1/conversations", headers=mine).status_code == 200
    assert services.keys.revoke("carol") == 1
    services.keys._stored_count = (0.0, 0)  # as after the cache's few seconds
    assert client.get("/v1/conversations").status_code == 401
    assert client.get("/v1/conversations", headers=mine).status_code == 401
    assert not services.keys.local_mode


def test_a_server_started_with_keys_never_runs_in_local_mode(
    fake_settings: Settings, make_core: Callable[[], CoachCore]
) -> None:
    first = build_services(fake_settings, core=make_core())
    first.keys.create("employee", "dana")
    first.keys.revoke("dana")
    first.engine.dispose()
    # A new process on the same database: a key was made once, none is valid now.
    restarted = build_services(fake_settings, core=make_core())
    try:
        assert not restarted.keys.local_mode
    finally:
        restarted.engine.dispose()
