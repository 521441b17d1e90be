"""The walking skeleton end to end: bundled knowledge, embedded models, real HTTP."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.conftest import Server

pytestmark = pytest.mark.integration


def test_health_and_docs(bundled_coach: Server, http: httpx.Client) -> None:
    assert http.get(f"{bundled_coach.url}/healthz").json() == {"status": "ok"}
    docs = http.get(f"{bundled_coach.url}/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    paths = http.get(f"{bundled_coach.url}/openapi.json").json()["paths"]
    assert {"/v1/chat", "/v1/retrieve", "/v1/escalations"} <= set(paths)


def test_ui_is_served(bundled_coach: Server, http: httpx.Client) -> None:
    page = http.get(f"{bundled_coach.url}/ui/", follow_redirects=True)
    assert page.status_code == 200
    assert "Learning Ops Coach" in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("How long should a brown-bag be?", "playbooks/brown-bag.md"),
        (
            "What does the company pay for my courses each year?",
            "playbooks/learning-budget-policy.md",
        ),
        ("Bringing in a speaker from outside the company", "playbooks/external-guest-speaker.md"),
        (
            "Who explained Kubernetes to product people?",
            "sessions/2026-03-12-kubernetes-basics-brown-bag.md",
        ),
    ],
)
def test_retrieval_finds_the_right_file(
    bundled_coach: Server, http: httpx.Client, query: str, expected: str
) -> None:
    results = http.post(f"{bundled_coach.url}/v1/retrieve", json={"query": query, "k": 5}).json()
    assert expected in [r["source"] for r in results["results"]]


def test_brown_bag_question_is_answered_from_the_playbook_with_a_citation(
    bundled_coach: Server, http: httpx.Client
) -> None:
    body = http.post(
        f"{bundled_coach.url}/v1/chat", json={"message": "How long should a brown-bag be?"}
    ).json()
    assert "playbooks/brown-bag.md" in [s["source"] for s in body["sources"]]
    assert "45 minutes" in body["answer"]
    assert body["handoff"] is None


def test_every_figure_in_an_answer_is_in_its_cited_sources(
    bundled_coach: Server, http: httpx.Client
) -> None:
    from pathlib import Path

    from coach.grounding import figures
    from knowledge import BUNDLED_KNOWLEDGE_DIR

    for question in (
        "What is the yearly learning budget?",
        "How far ahead do I need approval for an external guest?",
        "How many people can join a hands-on workshop?",
    ):
        body = http.post(f"{bundled_coach.url}/v1/chat", json={"message": question}).json()
        cited_text = " ".join(
            Path(BUNDLED_KNOWLEDGE_DIR, s["source"]).read_text() for s in body["sources"]
        )
        assert body["sources"], question
        answer_figures = figures(body["answer"].split("— *")[0])
        assert answer_figures <= figures(cited_text), (question, body["answer"])


def test_hand_offs_route_right(bundled_coach: Server, http: httpx.Client) -> None:
    def ask(message: str, conversation_id: str | None = None) -> dict[str, object]:
        payload = {"message": message, "conversation_id": conversation_id}
        response = http.post(f"{bundled_coach.url}/v1/chat", json=payload)
        assert response.status_code == 200
        return dict(response.json())

    person = ask("I'd like to speak with someone from Learning Ops")
    assert isinstance(person["handoff"], dict)
    assert person["handoff"]["ticket_id"]

    hr = ask("My manager and I keep clashing and I want to raise a complaint")
    assert isinstance(hr["handoff"], dict)
    assert (hr["handoff"]["route"], hr["handoff"]["ticket_id"]) == ("hr", None)

    wellbeing = ask("I'm completely burned out and anxious every day")
    assert isinstance(wellbeing["handoff"], dict)
    assert (wellbeing["handoff"]["route"], wellbeing["handoff"]["ticket_id"]) == ("wellbeing", None)

    exception = ask("Can Learning Ops make an exception so I can spend more than my annual budget?")
    assert isinstance(exception["handoff"], dict)
    assert (exception["handoff"]["route"], exception["handoff"]["ticket_id"]) == (
        "learning_ops",
        None,
    )
    confirmed = ask("yes", str(exception["conversation_id"]))
    assert isinstance(confirmed["handoff"], dict)
    ticket_id = confirmed["handoff"]["ticket_id"]
    ticket = http.get(f"{bundled_coach.url}/v1/escalations/{ticket_id}").json()
    assert "spend more than my annual budget" in ticket["summary"]
