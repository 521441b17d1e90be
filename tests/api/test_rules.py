"""The rules the coach reads over HTTP: Learning Ops list and correct them, a correction wins
in the next plan, and impossible decisions get a clear 4xx with nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import ALICE, OLIVIA

BROWN_BAG = "playbooks/brown-bag.md"
LIMIT = "A brown-bag lasts at most 45 minutes: 30 minutes of talk and 15 minutes of questions."


def _brown_bag(client: TestClient) -> dict[str, Any]:
    response = client.get("/v1/rules", params={"source": BROWN_BAG}, headers=OLIVIA)
    assert response.status_code == 200, response.text
    [playbook] = response.json()["playbooks"]
    return dict(playbook)


def test_a_correction_round_trips_and_wins_in_the_next_plan(keyed_client: TestClient) -> None:
    listed = _brown_bag(keyed_client)
    assert listed["title"] == "Running a brown-bag session"
    limit = next(r for r in listed["rules"] if r["kind"] == "max_duration")
    assert (limit["sentence"], limit["value"], limit["unit"], limit["status"]) == (
        LIMIT, 45.0, "minute", "read",
    )  # fmt: skip
    decision = {"source": BROWN_BAG, "sentence": LIMIT, "action": "correct",
                "kind": "max_duration", "value": 40}  # fmt: skip
    saved = keyed_client.put("/v1/rules/decisions", json=decision, headers=OLIVIA)
    assert saved.status_code == 200, saved.text
    corrected = [r for r in saved.json()["rules"] if r["sentence"] == LIMIT]
    assert [(r["value"], r["status"], r["decided_by"]) for r in corrected] == [
        (40.0, "corrected", "olivia")
    ]
    assert _brown_bag(keyed_client)["rules"] == saved.json()["rules"]
    plan = keyed_client.post(
        "/v1/session-plans",
        json={"request": "A brown-bag about testing", "duration_minutes": 60},
        headers=ALICE,
    ).json()["plan"]
    assert plan["duration_minutes"] == 40


def test_the_rules_of_every_playbook_are_listed(keyed_client: TestClient) -> None:
    playbooks = keyed_client.get("/v1/rules", headers=OLIVIA).json()["playbooks"]
    assert [p["source"] for p in playbooks] == [
        BROWN_BAG, "playbooks/learning-budget.md", "playbooks/when-to-ask.md",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"source": BROWN_BAG, "sentence": LIMIT}, 422, "action: Field required"),
        ({"source": BROWN_BAG, "sentence": LIMIT, "action": "correct", "kind": "length",
          "value": 40}, 422, "Unknown kind 'length'"),
        ({"source": BROWN_BAG, "sentence": LIMIT, "action": "correct", "kind": "max_duration",
          "value": -5}, 422, "must be above 0 and at most 1440 minute"),
        ({"source": "playbooks/nothing.md", "sentence": LIMIT, "action": "confirm"}, 404,
         "No playbook is indexed as 'playbooks/nothing.md'."),
        ({"source": BROWN_BAG, "sentence": "Bring cake.", "action": "correct",
          "kind": "capacity", "value": 5}, 404, "has no sentence 'Bring cake.'"),
    ],
)  # fmt: skip
def test_an_impossible_decision_is_a_clear_4xx_and_nothing_changes(
    keyed_client: TestClient, body: dict[str, Any], status: int, message: str
) -> None:
    before = _brown_bag(keyed_client)
    response = keyed_client.put("/v1/rules/decisions", json=body, headers=OLIVIA)
    assert response.status_code == status
    assert message in response.json()["error"]["message"]
    assert _brown_bag(keyed_client) == before


def test_an_unknown_playbook_is_404(keyed_client: TestClient) -> None:
    response = keyed_client.get("/v1/rules", params={"source": "x.md"}, headers=OLIVIA)
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
