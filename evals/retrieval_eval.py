"""Retrieval: does the coach find the files that answer a question?

Each question is run through the real retriever in `vector` and `hybrid` mode. Passages are
reduced to the files they come from, in rank order, so the metrics are about files (the
labels name files): recall@1, recall@5, MRR@10 and nDCG@10, side by side per mode.
"""

from __future__ import annotations

from collections import defaultdict

from evals.datasets import Case
from evals.harness import Coach, Tick
from evals.metrics import (
    CURVE_KS,
    HEADLINE_RANKING,
    RANKING_DEPTH,
    mean,
    per_query,
    unique_in_order,
)
from evals.results import Failure, SectionResult

MODES = ("vector", "hybrid")
# Passages fetched per query: enough to rank RANKING_DEPTH distinct files.
PASSAGES = 50


def rank_files(coach: Coach, question: str, mode: str) -> list[str]:
    passages = coach.retriever.retrieve(question, PASSAGES, mode=mode)  # type: ignore[arg-type]
    return unique_in_order(p.source for p in passages)[:RANKING_DEPTH]


def evaluate(coach: Coach, cases: list[Case], label: str, tick: Tick) -> SectionResult:
    """`label` names the knowledge set (bundled, foreign) in the metric keys."""
    result = SectionResult("retrieval", "Retrieval")
    qrels = {c["id"]: c["expected_sources"] for c in cases}
    scored: dict[str, dict[str, dict[str, float]]] = {}
    rankings: dict[str, dict[str, list[str]]] = {}
    for mode in MODES:
        rankings[mode] = {}
        for case in cases:
            rankings[mode][case["id"]] = rank_files(coach, case["question"], mode)
            tick()
        scored[mode] = per_query(rankings[mode], qrels)
        for name in HEADLINE_RANKING:
            values = [scored[mode][c["id"]][name] for c in cases]
            result.metrics[f"retrieval.{label}.{mode}.{name}"] = mean(values)
        result.extras[f"recall_curve.{label}.{mode}"] = [
            mean([scored[mode][c["id"]][f"recall@{k}"] for c in cases]) for k in CURVE_KS
        ]
    result.metrics[f"retrieval.{label}.n"] = float(len(cases))
    by_style: dict[str, list[float]] = defaultdict(list)
    for case in cases:
        by_style[case.get("style", "other")].append(scored["hybrid"][case["id"]]["recall@5"])
    result.extras[f"by_style.{label}"] = {s: (mean(v), len(v)) for s, v in sorted(by_style.items())}
    for case in cases:
        hybrid, vector = scored["hybrid"][case["id"]], scored["vector"][case["id"]]
        result.cases.append(
            {
                "section": "retrieval",
                "set": label,
                "id": case["id"],
                "question": case["question"],
                "expected": case["expected_sources"],
                "hybrid": rankings["hybrid"][case["id"]][:5],
                "vector": rankings["vector"][case["id"]][:5],
                "hybrid_recall@5": hybrid["recall@5"],
                "hybrid_mrr": hybrid["mrr"],
            }
        )
        if hybrid["recall@5"] < 1.0:
            got = ", ".join(rankings["hybrid"][case["id"]][:5]) or "nothing"
            result.failures.append(
                Failure(
                    section="retrieval",
                    case_id=f"{label}/{case['id']}",
                    question=case["question"],
                    expected=", ".join(case["expected_sources"]),
                    got=f"top 5 (hybrid): {got}",
                    severity=2.0
                    - hybrid["recall@5"]
                    - hybrid["mrr"]
                    + (1 - vector["recall@5"]) / 10,
                )
            )
    return result
