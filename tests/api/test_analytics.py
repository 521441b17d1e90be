from __future__ import annotations

from fastapi.testclient import TestClient

from coach.providers.fakes import ScriptedChatModel
from tests.api.conftest import ALICE, OLIVIA


def test_analytics_show_volume_topics_rates_and_content_gaps(
    keyed_client: TestClient, scripted_model: ScriptedChatModel
) -> None:
    scripted_model.enqueue("A brown-bag lasts at most 45 minutes.")
    answered = keyed_client.post(
        "/v1/chat", json={"message": "How many minutes can a brown-bag last?"}, headers=ALICE
    ).json()
    rating = {
        "conversation_id": answered["conversation_id"],
        "message_id": answered["message_id"],
        "rating": "down",
    }
    keyed_client.post("/v1/feedback", json=rating, headers=ALICE)
    for question in ("Sabbatical rules for a part-time doctorate", "Doctorate sabbatical rules"):
        keyed_client.post("/v1/chat", json={"message": question}, headers=ALICE)
    assert keyed_client.get("/v1/analytics", headers=ALICE).status_code == 403
    data = keyed_client.get("/v1/analytics", headers=OLIVIA).json()
    assert (data["conversations"], data["questions"]) == (3, 3)
    assert data["conversations_per_day"][0]["conversations"] == 3
    assert data["top_topics"] == [{"topic": "Running a brown-bag session", "questions": 1}]
    assert data["handoff_rate"] == round(2 / 3, 3)
    assert data["thumbs_down_rate"] == 1.0
    gaps = {tuple(sorted(g["questions"])): g for g in data["content_gaps"]}
    sabbatical = gaps[("Doctorate sabbatical rules", "Sabbatical rules for a part-time doctorate")]
    assert sabbatical["reasons"] == {"not_found": 2}
    assert "sabbatical" in sabbatical["topic"]
    assert gaps[("How many minutes can a brown-bag last?",)]["reasons"] == {"thumbs_down": 1}
