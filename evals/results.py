"""What a section of the evaluation hands back: named metrics, failures worth reading, and
what the charts need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Metrics where less is better; every other metric is better higher.
LOWER_IS_BETTER_SUFFIXES = ("leak_rate", "ungrounded_number_rate", "tickets_by_documents")
COUNT_SUFFIXES = (".n",)


def lower_is_better(key: str) -> bool:
    return key.endswith(LOWER_IS_BETTER_SUFFIXES)


def is_count(key: str) -> bool:
    return key.endswith(COUNT_SUFFIXES)


@dataclass(frozen=True)
class Failure:
    """One case that went wrong: what was asked, what was expected, what came back."""

    section: str
    case_id: str
    question: str
    expected: str
    got: str
    severity: float = 1.0  # higher is worse, for ordering "the worst failures"


@dataclass
class SectionResult:
    name: str
    title: str
    metrics: dict[str, float] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def merge(self, other: SectionResult) -> None:
        self.metrics.update(other.metrics)
        self.failures.extend(other.failures)
        self.cases.extend(other.cases)
        self.extras.update(other.extras)
        self.notes.extend(other.notes)


def fmt(key: str, value: float | None) -> str:
    """A metric's value for people: counts as whole numbers, scores with two decimals."""
    if value is None:
        return "—"
    whole = is_count(key) or key.endswith("tickets_by_documents")
    return f"{value:.0f}" if whole else f"{value:.2f}"


def short(text: str, limit: int = 280) -> str:
    """One line of at most `limit` characters, for tables."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
