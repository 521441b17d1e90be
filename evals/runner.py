"""Run the evaluation: index the knowledge folders, then every section the subset includes.

`fast` (the CI subset): retrieval, routing, plans and a few injection probes, on a
deterministic subset of the cases, with five chat answers in all. `full`: every case, plus
chat answers, unanswerable questions and jailbreaks.
"""

from __future__ import annotations

import datetime as dt
import platform
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from evals import (
    orgs_eval,
    plans_eval,
    retrieval_eval,
    routing_eval,
    rules_eval,
    safety_eval,
)
from evals.datasets import FOREIGN_KNOWLEDGE, Subset, pick
from evals.harness import Coach, Harness, Provider, Tick
from evals.results import SectionResult
from knowledge.ingest import Root, discover
from knowledge.library import BUNDLED_ROOT

SECTION_ORDER = ("retrieval", "answers", "orgs", "rules", "routing", "plans", "safety")


class Tracker(Protocol):
    def section(self, description: str, total: int) -> Tick:
        """Start a progress task; the returned function advances it by one."""


class QuietTracker:
    def section(self, description: str, total: int) -> Tick:
        return lambda: None


@dataclass
class Run:
    provider: str
    subset: str
    sections: dict[str, SectionResult] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def metrics(self) -> dict[str, float]:
        merged: dict[str, float] = {}
        for name in SECTION_ORDER:
            if name in self.sections:
                merged.update(self.sections[name].metrics)
        return dict(sorted(merged.items()))

    def add(self, result: SectionResult, seconds: float) -> None:
        result.seconds = seconds
        if result.name in self.sections:
            existing = self.sections[result.name]
            existing.merge(result)
            existing.seconds += seconds
        else:
            self.sections[result.name] = result


def _timed(run: Run, step: Callable[[], SectionResult]) -> None:
    start = time.perf_counter()
    result = step()
    run.add(result, time.perf_counter() - start)


def run(provider: Provider, subset: Subset, tracker: Tracker | None = None) -> Run:
    tracker = tracker or QuietTracker()
    started = time.perf_counter()
    result = Run(provider, subset)
    with tempfile.TemporaryDirectory(prefix="coach-eval-", ignore_cleanup_errors=True) as tmp:
        harness = Harness(provider, Path(tmp))
        try:
            _sections(harness, subset, tracker, result)
        finally:
            harness.close()
        settings = harness.models.settings
        result.meta = {
            "provider": provider,
            "subset": subset,
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 1),
            "section_seconds": {n: round(s.seconds, 1) for n, s in result.sections.items()},
            "embeddings": harness.models.identity.name,
            "chat_model": settings.llm_model or f"{settings.llm} default",
            "retrieve_k": settings.retrieve_k,
            "min_relevance": settings.min_relevance,
            "chunks": {c.name: c.store.count() for c in harness.coaches},
            "python": platform.python_version(),
        }
    return result


def _sections(harness: Harness, subset: Subset, tracker: Tracker, run_: Run) -> None:
    def index(name: str, roots: list[Root | Path]) -> Coach:
        # One step per file read, and a last one once everything is embedded and stored.
        tick = tracker.section(f"Indexing {name} knowledge", len(discover(roots)) + 1)
        coach = harness.coach(name, roots, on_file=lambda _source: tick())
        tick()
        return coach

    start = time.perf_counter()
    bundled = index("bundled", [BUNDLED_ROOT])
    foreign = index("foreign", [FOREIGN_KNOWLEDGE])
    run_.meta["indexing_seconds"] = round(time.perf_counter() - start, 1)

    for label, coach in (("bundled", bundled), ("foreign", foreign)):
        cases = pick("retrieval", subset, foreign=label == "foreign")
        tick = tracker.section(f"Retrieval ({label})", 2 * len(cases))
        _timed(run_, partial(retrieval_eval.evaluate, coach, cases, label, tick))

    router = bundled.services.core.router
    intents = pick("intents", subset)
    tick = tracker.section("Routing: intents", len(intents))
    _timed(run_, partial(routing_eval.evaluate_intents, router, intents, tick))
    for label in ("bundled", "foreign"):
        cases = pick("handoffs", subset, foreign=label == "foreign")
        tick = tracker.section(f"Routing: hand-offs ({label})", len(cases))
        _timed(run_, partial(routing_eval.evaluate_handoffs, router, cases, label, tick))

    for label, coach in (("bundled", bundled), ("foreign", foreign)):
        cases = pick("session_plans", subset, foreign=label == "foreign")
        tick = tracker.section(f"Session plans ({label})", len(cases))
        _timed(run_, partial(plans_eval.evaluate_sessions, coach, cases, label, tick))
    goals = pick("learning_plans", subset)
    tick = tracker.section("Learning plans", len(goals))
    _timed(run_, partial(plans_eval.evaluate_learning, bundled, goals, tick))

    stride = 1 if subset == "full" else 2
    bundled_answers = orgs_eval.subset(orgs_eval.bundled_answer_cases(), stride)
    tick = tracker.section("Answers (bundled)", orgs_eval.count(bundled_answers))
    _timed(run_, partial(orgs_eval.evaluate, bundled, "bundled", bundled_answers, tick))
    for org in orgs_eval.organisations():
        coach = index(org.name, list(orgs_eval.roots(org)))
        org_cases = orgs_eval.subset(org.cases, stride)
        tick = tracker.section(f"Organisation: {org.name}", orgs_eval.count(org_cases))
        _timed(run_, partial(orgs_eval.evaluate, coach, org.name, org_cases, tick))
        coach.close()
    _timed(run_, rules_eval.section)

    probes = pick("injection", subset)
    tick = tracker.section("Injection probes", len(probes))
    _timed(run_, partial(safety_eval.evaluate_injection, harness, bundled, probes, tick))
    if subset == "full":
        jailbreaks = pick("jailbreaks", subset)
        tick = tracker.section("Jailbreaks", len(jailbreaks))
        _timed(run_, partial(safety_eval.evaluate_jailbreaks, bundled, jailbreaks, tick))
