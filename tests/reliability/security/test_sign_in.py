"""Web sign-in: a server-side session (never the key in a cookie), with expiry, sign-out that
revokes, CSRF protection, throttled failures, roles from the key, Secure behind a trusted
proxy, and body limits outside /v1."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import update

from api.sign_in import COOKIE, SessionAuth
from coach.adapters.sql.models import WebSession, utcnow
from coach.services import Services
from tests.reliability.security.conftest import KEYS, LOOPBACK

Build = Callable[..., tuple[Services, TestClient]]


def sign_in(client: TestClient, key: str) -> TestClient:
    form = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    client.post("/login", data={"key": key, "csrf": csrf.group(1)}, follow_redirects=False)
    return client


@pytest.fixture
def ui(build: Build) -> tuple[Services, TestClient]:
    return build(with_ui=True, api_keys=SecretStr(KEYS), rate_limit_per_minute=1000)


def test_the_cookie_holds_a_random_session_not_the_key(ui: tuple[Services, TestClient]) -> None:
    _, client = ui
    sign_in(client, "alice-key")
    token = client.cookies.get(COOKIE)
    assert token
    assert "alice-key" not in token
    assert client.get("/ui/", follow_redirects=False).status_code == 200


def test_sign_out_is_a_post_that_revokes_the_session(ui: tuple[Services, TestClient]) -> None:
    services, client = ui
    sign_in(client, "alice-key")
    token = client.cookies.get(COOKIE) or ""
    assert client.get("/logout").status_code == 405
    csrf = services.web_sessions.csrf(token)
    client.post("/logout", data={"csrf": "wrong"}, follow_redirects=False)
    assert services.web_sessions.principal(token) is not None  # a forged sign-out does nothing
    client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    client.cookies.set(COOKIE, token)  # as if someone kept a copy of the cookie
    assert client.get("/ui/", follow_redirects=False).status_code == 303


def test_a_session_expires(ui: tuple[Services, TestClient]) -> None:
    services, client = ui
    sign_in(client, "alice-key")
    with services.engine.begin() as connection:
        connection.execute(update(WebSession).values(expires_at=utcnow()))
    assert client.get("/ui/", follow_redirects=False).status_code == 303


def test_sign_in_needs_the_forms_own_token(ui: tuple[Services, TestClient]) -> None:
    _, client = ui
    forged = client.post("/login", data={"key": "alice-key"}, follow_redirects=False)
    assert forged.status_code == 403
    assert COOKIE not in forged.cookies


def test_failed_sign_ins_are_throttled(build: Build) -> None:
    _, client = build(with_ui=True, api_keys=SecretStr(KEYS), failed_logins_per_15_minutes=3)
    for _ in range(3):
        sign_in(client, "wrong-key")
    form = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    throttled = client.post("/login", data={"key": "alice-key", "csrf": csrf.group(1)})
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) >= 1


def test_a_sessions_role_comes_from_its_key_not_the_user_name(build: Build) -> None:
    keys = "sam-employee:employee:sam,sam-ops:learning_ops:sam"
    services, _ = build(api_keys=SecretStr(keys))
    auth = SessionAuth(services.keys, services.web_sessions)
    employee = services.web_sessions.open("sam-employee")
    ops = services.web_sessions.open("sam-ops")
    assert employee
    assert ops

    def request(token: str) -> SimpleNamespace:
        return SimpleNamespace(cookies={COOKIE: token}, headers={})

    assert auth.resolve(request(ops[1].token)).is_learning_ops  # type: ignore[union-attr]
    sam = auth.resolve(request(employee[1].token))
    assert sam is not None
    assert not sam.is_learning_ops


def test_a_revoked_key_ends_its_sessions(build: Build) -> None:
    services, client = build(with_ui=True)
    key = services.keys.create("employee", "erin")
    sign_in(client, key)
    assert client.get("/ui/", follow_redirects=False).status_code == 200
    services.keys.revoke("erin")
    assert client.get("/ui/", follow_redirects=False).status_code == 303


def test_the_widget_key_cannot_sign_in(ui: tuple[Services, TestClient]) -> None:
    _, client = ui
    sign_in(client, "widget-key")
    assert client.get("/ui/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(("peer", "secure"), [("127.0.0.1", True), ("203.0.113.5", False)])
def test_the_cookie_is_secure_behind_a_trusted_tls_proxy_only(
    build: Build, peer: str, secure: bool
) -> None:
    _, app_client = build(with_ui=True, api_keys=SecretStr(KEYS), trusted_proxies="127.0.0.1")
    client = TestClient(app_client.app, base_url=LOOPBACK, client=(peer, 40000))
    form = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    response = client.post(
        "/login",
        data={"key": "alice-key", "csrf": csrf.group(1)},
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"},
        follow_redirects=False,
    )
    cookie = response.headers.get("set-cookie", "")
    assert cookie.startswith(f"{COOKIE}=")
    assert ("Secure" in cookie) is secure


def test_bodies_outside_v1_are_limited(build: Build) -> None:
    _, client = build(with_ui=True, api_keys=SecretStr(KEYS), max_file_bytes=4096)
    huge_form = client.post("/login", data={"key": "k" * 100_000, "csrf": "x"})
    assert huge_form.status_code == 413
    upload = client.post(
        "/ui/gradio_api/upload",
        files={"files": ("big.md", b"x" * 200_000)},
        headers={"Authorization": "Bearer olivia-key"},
    )
    assert upload.status_code == 413


def test_the_web_uis_routes_are_rate_limited_per_user(build: Build) -> None:
    _, client = build(with_ui=True, api_keys=SecretStr(KEYS), rate_limit_per_minute=3)
    sign_in(client, "alice-key")
    codes = [
        client.post("/ui/gradio_api/upload", files={"files": ("a.md", b"# a\n")}).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
