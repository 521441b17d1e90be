"""Coaching flows on the real embedded models, over HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import Server, coach_env, run_coach

pytestmark = pytest.mark.integration

FOREIGN = Path(__file__).resolve().parents[2] / "evals" / "foreign" / "knowledge"


def chat(server: Server, http: httpx.Client, message: str, conversation: str | None = None) -> dict:
    response = http.post(
        f"{server.url}/v1/chat", json={"message": message, "conversation_id": conversation}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_session_plan_in_chat_with_follow_ups(bundled_coach: Server, http: httpx.Client) -> None:
    first = chat(
        bundled_coach,
        http,
        "Can you help me organise a brown-bag on Kubernetes for 25 people, 60 minutes?",
    )
    assert "**Length:** 45 minutes" in first["answer"]
    assert "A brown-bag lasts at most 45 minutes" in first["answer"]
    assert "playbooks/brown-bag.md" in [s["source"] for s in first["sources"]]
    bigger = chat(bundled_coach, http, "and for 40 people?", first["conversation_id"])
    assert "**Audience:** 40 people (hybrid)" in bigger["answer"]
    assert "Kubernetes" in bigger["answer"].splitlines()[0]


def test_learning_plan_in_chat(bundled_coach: Server, http: httpx.Client) -> None:
    body = chat(
        bundled_coach,
        http,
        "Help me make a learning plan to get better at public speaking, 3 hours a week for 8 weeks",
    )
    assert body["answer"].startswith("# Learning plan:")
    assert "3 hours a week for 8 weeks" in body["answer"]
    assert "playbooks/planning-your-own-learning.md" in [s["source"] for s in body["sources"]]


def test_who_has_run_it_before(bundled_coach: Server, http: httpx.Client) -> None:
    body = chat(bundled_coach, http, "Has anyone here run a session about dbt?")
    assert "Javier Morales" in body["answer"]
    assert "sessions/2026-02-25-dbt-fundamentals-workshop.md" in [
        s["source"] for s in body["sources"]
    ]


def test_session_plan_api_carries_a_foreign_folders_rules(tmp_path: Path) -> None:
    env = coach_env(tmp_path / "data")
    assert run_coach("ingest", str(FOREIGN), env=env, cwd=tmp_path).returncode == 0
    server = Server(env, tmp_path)
    try:
        with httpx.Client(timeout=120) as http:
            plan = http.post(
                f"{server.url}/v1/session-plans",
                json={
                    "request": "A 45-minute tech talk about Terraform for 30 people on 2027-05-12"
                },
            ).json()["plan"]
    finally:
        server.stop()
    assert plan["format"] == "tech-talk"
    assert plan["duration_minutes"] == 25
    assert [a["minutes"] for a in plan["agenda"]] == [20, 5]
    assert plan["audience"]["hybrid"] is True
    assert any("Harbor Room at least 3 working days" in item for item in plan["logistics"])
    assert plan["similar_sessions"][0]["host"]
