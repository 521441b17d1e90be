"""Rule reading: precision and recall of the rule reader on sentences it was not written
against (evals/data/rules/sentences.jsonl, written from a brief by someone who never read
`coach/reading`).

A predicted rule matches an expected one with the same kind, unit and value (within 1%). Kinds
the set does not label (moderator, feedback, recording) are not scored. HTML table rows are
turned into text by the HTML loader first, as ingestion would.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from coach.reading.reader import read_text
from coach.reading.rules import Rule
from evals.datasets import DATA_DIR
from evals.results import Failure, SectionResult
from knowledge.loaders import load_html

SENTENCES = DATA_DIR / "rules" / "sentences.jsonl"
UNSCORED = {"moderator", "feedback", "recording"}
_CURRENCIES = {"€": "EUR", "£": "GBP", "$": "USD"}


@dataclass(frozen=True)
class Outcome:
    case: dict[str, Any]
    predicted: list[tuple[str, float, str]]
    matched: int
    split: str


def _expected(case: dict[str, Any]) -> list[tuple[str, float, str]]:
    return [(r["kind"], float(r["value"]), str(r["unit"])) for r in case["rules"]]


def _predicted(rules: Iterable[Rule]) -> list[tuple[str, float, str]]:
    return [
        (r.kind, float(r.value), str(r.unit))
        for r in rules
        if r.kind not in UNSCORED and r.value is not None
    ]


def _same(a: tuple[str, float, str], b: tuple[str, float, str]) -> bool:
    return a[0] == b[0] and a[2].lower() == b[2].lower() and abs(a[1] - b[1]) <= 0.01 * max(1, b[1])


def _matches(
    expected: list[tuple[str, float, str]], predicted: list[tuple[str, float, str]]
) -> int:
    remaining = list(predicted)
    count = 0
    for rule in expected:
        hit = next((p for p in remaining if _same(p, rule)), None)
        if hit is not None:
            remaining.remove(hit)
            count += 1
    return count


def _text(sentence: str) -> str:
    if re.search(r"<t[rdh]\b", sentence, re.IGNORECASE):
        return load_html("row.html", f"<table>{sentence}</table>".encode()).text
    return sentence


def _dollar(sentence: str) -> str:
    # The organisation's own currency decides what a bare "$" means; the set's dollars are
    # labelled USD unless the sentence names another.
    return "AUD" if re.search(r"\bAUD\b|A\$", sentence) else "USD"


def load_cases() -> list[dict[str, Any]]:
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def evaluate() -> tuple[dict[str, float], list[Outcome]]:
    """Precision and recall overall, per kind and per style; `dev` (odd ids) and `test` (even
    ids) halves reported apart, so a change tuned on one half is checked on the other."""
    outcomes = []
    for case in load_cases():
        text = _text(case["sentence"])
        predicted = _predicted(read_text(text, dollar=_dollar(text)))
        split = "dev" if int(re.sub(r"\D", "", case["id"]) or 0) % 2 else "test"
        outcomes.append(Outcome(case, predicted, _matches(_expected(case), predicted), split))
    metrics: dict[str, float] = {}
    groups: dict[str, list[Outcome]] = {"all": outcomes}
    for outcome in outcomes:
        groups.setdefault(f"split.{outcome.split}", []).append(outcome)
        groups.setdefault(f"style.{outcome.case['style']}", []).append(outcome)
    for name, group in groups.items():
        metrics |= _scores(f"rules.{name}", group)
    metrics |= _per_kind(outcomes)
    no_rule = [o for o in outcomes if not o.case["rules"]]
    metrics["rules.no_rule_sentences.false_positive_rate"] = sum(
        bool(o.predicted) for o in no_rule
    ) / max(1, len(no_rule))
    return metrics, outcomes


def _scores(prefix: str, outcomes: list[Outcome]) -> dict[str, float]:
    expected = sum(len(o.case["rules"]) for o in outcomes)
    predicted = sum(len(o.predicted) for o in outcomes)
    matched = sum(o.matched for o in outcomes)
    precision = matched / predicted if predicted else 1.0
    recall = matched / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        f"{prefix}.precision": precision,
        f"{prefix}.recall": recall,
        f"{prefix}.f1": f1,
        f"{prefix}.n": float(len(outcomes)),
    }


def _per_kind(outcomes: list[Outcome]) -> dict[str, float]:
    expected: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    for o in outcomes:
        gold = _expected(o.case)
        expected.update(k for k, _, _ in gold)
        predicted.update(k for k, _, _ in o.predicted)
        remaining = list(o.predicted)
        for rule in gold:
            hit = next((p for p in remaining if _same(p, rule)), None)
            if hit is not None:
                remaining.remove(hit)
                matched[rule[0]] += 1
    metrics = {}
    for kind in sorted(set(expected) | set(predicted)):
        metrics[f"rules.kind.{kind}.precision"] = (
            matched[kind] / predicted[kind] if predicted[kind] else 1.0
        )
        metrics[f"rules.kind.{kind}.recall"] = (
            matched[kind] / expected[kind] if expected[kind] else 1.0
        )
    return metrics


def section() -> SectionResult:
    """Rule reading as a section of the evaluation's report."""
    metrics, outcomes = evaluate()
    result = SectionResult("rules", "Rule reading", metrics=metrics)
    for o in outcomes:
        if o.matched < len(o.case["rules"]) or len(o.predicted) > o.matched:
            result.failures.append(
                Failure("rules", o.case["id"], o.case["sentence"],
                        str(_expected(o.case)), str(o.predicted))
            )  # fmt: skip
    return result


def failures(outcomes: list[Outcome], split: str = "dev") -> list[str]:
    """Readable misses and extra rules of one split, for digging."""
    lines = []
    for o in outcomes:
        gold = _expected(o.case)
        if o.split == split and (o.matched < len(gold) or len(o.predicted) > o.matched):
            lines.append(f"{o.case['id']} [{o.case['style']}] {o.case['sentence']!r}")
            lines.append(f"    expected {gold}\n    got      {o.predicted}")
    return lines


if __name__ == "__main__":
    import sys

    scores, cases = evaluate()
    for key, value in scores.items():
        if not key.endswith(".n"):
            print(f"{key:55} {value:.2f}")
    if "-v" in sys.argv:
        print("\n".join(failures(cases, "dev")))
