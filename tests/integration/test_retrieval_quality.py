"""Retrieval quality on the real embedder: hybrid beats vector-only on exact terms."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from coach.core import open_store
from coach.retrieval import Retriever
from coach.settings import Settings
from knowledge.ingest import Ingestor
from tests.integration.conftest import Server

pytestmark = pytest.mark.integration

KEYWORD_QUERIES = {
    "Lars Becker": "sessions/2025-05-14-python-guild-kickoff-community-meetup.md",
    "EAP phone number": "playbooks/when-to-ask-learning-ops.md",
    "NDA for guests": "playbooks/external-guest-speaker.md",
    "dbt": "sessions/2026-02-25-dbt-fundamentals-workshop.md",
    "Kwame Mensah phishing": "sessions/2025-06-11-phishing-awareness-hybrid-session.md",
    "PRD": "sessions/2025-10-22-writing-prds-lunch-and-learn.md",
    "Atrium capacity": "playbooks/booking-rooms-and-equipment.md",
    "70-20-10": "playbooks/planning-your-own-learning.md",
    "Amara Okafor": "sessions/2026-03-12-kubernetes-basics-brown-bag.md",
    "Hana Sato": "sessions/2025-09-10-accessible-frontend-workshop.md",
}


def top_hits(server: Server, http: httpx.Client, mode: str) -> int:
    hits = 0
    for query, expected in KEYWORD_QUERIES.items():
        body = {"query": query, "k": 1, "mode": mode}
        results = http.post(f"{server.url}/v1/retrieve", json=body).json()["results"]
        hits += results[0]["source"] == expected
    return hits


def test_hybrid_beats_vector_only_on_names_and_acronyms(
    bundled_coach: Server, http: httpx.Client
) -> None:
    vector = top_hits(bundled_coach, http, "vector")
    hybrid = top_hits(bundled_coach, http, "hybrid")
    assert hybrid > vector
    assert hybrid >= 9


def test_filters_narrow_results(bundled_coach: Server, http: httpx.Client) -> None:
    body = {"query": "what went wrong with the hybrid set-up", "k": 10, "kinds": ["session_note"]}
    results = http.post(f"{bundled_coach.url}/v1/retrieve", json=body).json()["results"]
    assert results
    assert {r["kind"] for r in results} == {"session_note"}
    body = {"query": "python guild", "k": 10, "tags": ["python"], "since": "2026-01-01"}
    results = http.post(f"{bundled_coach.url}/v1/retrieve", json=body).json()["results"]
    assert [r["source"] for r in results][:1] == [
        "sessions/2026-04-08-python-guild-type-hints-community-meetup.md"
    ]


FOREIGN = Path(__file__).resolve().parents[2] / "evals" / "foreign"


def test_paraphrased_questions_find_their_file_on_a_folder_that_is_not_ours(
    tmp_path: Path,
) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    store = open_store(settings)
    report = Ingestor(store, max_file_bytes=settings.max_file_bytes).ingest([FOREIGN / "knowledge"])
    assert report.ok, report.failed
    retriever = Retriever(store, min_relevance=settings.min_relevance)
    cases = [json.loads(line) for line in (FOREIGN / "retrieval.jsonl").read_text().splitlines()]
    missed = [
        case["id"]
        for case in cases
        if not set(case["expected_sources"])
        & {p.source for p in retriever.retrieve(case["question"], 5)}
    ]
    assert len(cases) >= 15
    assert missed == []
