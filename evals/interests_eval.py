"""Grouping of interests by meaning, measured on evals/data/interests (written by someone who
never read the code): pairwise precision and recall, F1 and the adjusted Rand index.

The 31 labelled groups are split in two by a fixed rule: sorted by label, the groups at even
positions are the development half (16 groups), those at odd positions the held-out half (15).
For each way of grouping, the threshold is the one with the best pairwise F1 on the development
half (ties: the higher threshold, fewer false merges); the held-out half is reported at that
threshold and never used to choose anything. Each half is grouped on its own.

    python -m evals.interests_eval            # the bundled all-MiniLM-L6-v2
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from langchain_core.embeddings import Embeddings

from coach.community.grouping import FRAMES, GROUPING_THRESHOLD, Linkage, TopicSpace, cluster

DATA = Path(__file__).parent / "data" / "interests" / "interests.jsonl"
THRESHOLDS = tuple(round(0.05 + 0.01 * i, 2) for i in range(56))  # 0.05 … 0.60
# The product's way first; the others are there to show why it is the product's.
VARIANTS: tuple[tuple[str, Linkage, bool], ...] = (
    ("average", "average", True),
    ("average_raw", "average", False),  # without taking the frames out
    ("single", "single", True),
    ("complete", "complete", True),
)


@dataclass(frozen=True)
class Statement:
    text: str
    group: str


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    ari: float
    groups: int


def load(path: Path = DATA) -> list[Statement]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Statement(row["text"], row["group"]) for row in map(json.loads, filter(None, lines))]


def halves(statements: Sequence[Statement]) -> tuple[list[int], list[int]]:
    """Indices of the development and held-out halves (see the module's docstring)."""
    labels = sorted({s.group for s in statements})
    development = set(labels[0::2])
    dev = [i for i, s in enumerate(statements) if s.group in development]
    held_out = [i for i, s in enumerate(statements) if s.group not in development]
    return dev, held_out


def pairwise(gold: Sequence[str], predicted: Sequence[int]) -> tuple[float, float]:
    """Precision and recall over pairs: a pair is positive when grouped together."""
    both = grouped = together = 0
    for i, j in combinations(range(len(gold)), 2):
        same_gold, same_predicted = gold[i] == gold[j], predicted[i] == predicted[j]
        both += same_gold and same_predicted
        grouped += same_predicted
        together += same_gold
    return (both / grouped if grouped else 1.0), (both / together if together else 1.0)


def adjusted_rand(gold: Sequence[str], predicted: Sequence[int]) -> float:
    """Hubert and Arabie's adjusted Rand index (1: the same grouping; about 0: chance)."""
    pairs = math.comb(len(gold), 2)
    joint = sum(math.comb(n, 2) for n in Counter(zip(gold, predicted, strict=True)).values())
    rows = sum(math.comb(n, 2) for n in Counter(gold).values())
    columns = sum(math.comb(n, 2) for n in Counter(predicted).values())
    expected = rows * columns / pairs if pairs else 0.0
    best = (rows + columns) / 2
    return (joint - expected) / (best - expected) if best != expected else 1.0


def score(
    vectors: Sequence[Sequence[float]], gold: Sequence[str], threshold: float, linkage: Linkage
) -> Scores:
    labels = [0] * len(gold)
    groups = cluster(vectors, threshold, linkage)
    for number, members in enumerate(groups):
        for index in members:
            labels[index] = number
    precision, recall = pairwise(gold, labels)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, adjusted_rand(gold, labels), len(groups))


def _best_threshold(
    vectors: Sequence[Sequence[float]], gold: Sequence[str], linkage: Linkage
) -> float:
    scored = [(score(vectors, gold, t, linkage).f1, t) for t in THRESHOLDS]
    return max(scored)[1]  # the higher threshold on a tie


def evaluate(embeddings: Embeddings, path: Path = DATA) -> dict[str, float]:
    """Named metrics: `interests.<variant>.{dev,held_out}.{precision,recall,f1,ari,groups}` at
    the threshold chosen on the development half (`interests.<variant>.threshold`), and the
    product's own threshold on the held-out half (`interests.product.held_out.*`)."""
    statements = load(path)
    texts = [s.text for s in statements]
    spaces = {True: TopicSpace(embeddings, FRAMES), False: TopicSpace(embeddings, ())}
    vectors = {frames: space.vectors(texts) for frames, space in spaces.items()}
    dev, held_out = halves(statements)
    metrics: dict[str, float] = {"interests.statements": float(len(statements))}
    for name, linkage, frames in VARIANTS:
        threshold: float | None = None
        for half, indices in (("dev", dev), ("held_out", held_out)):
            half_vectors = [vectors[frames][i] for i in indices]
            gold = [statements[i].group for i in indices]
            if threshold is None:
                threshold = _best_threshold(half_vectors, gold, linkage)
                metrics[f"interests.{name}.threshold"] = threshold
            _put(metrics, f"interests.{name}.{half}", score(half_vectors, gold, threshold, linkage))
    held = [vectors[True][i] for i in held_out]
    gold = [statements[i].group for i in held_out]
    metrics["interests.product.threshold"] = GROUPING_THRESHOLD
    _put(metrics, "interests.product.held_out", score(held, gold, GROUPING_THRESHOLD, "average"))
    metrics["interests.dev.groups_labelled"] = float(len({statements[i].group for i in dev}))
    metrics["interests.held_out.groups_labelled"] = float(len(set(gold)))
    return metrics


def _put(metrics: dict[str, float], prefix: str, scores: Scores) -> None:
    for field in ("precision", "recall", "f1", "ari", "groups"):
        metrics[f"{prefix}.{field}"] = float(getattr(scores, field))


def report(metrics: dict[str, float]) -> str:
    lines = [
        f"{'variant':<12} {'threshold':>9}  {'half':<8} {'precision':>9} {'recall':>7} "
        f"{'F1':>5} {'ARI':>5} {'groups':>6}"
    ]
    for name in [v[0] for v in VARIANTS] + ["product"]:
        for half in ("dev", "held_out"):
            prefix = f"interests.{name}.{half}"
            if f"{prefix}.f1" not in metrics:
                continue
            m = {k.rsplit(".", 1)[1]: v for k, v in metrics.items() if k.startswith(prefix + ".")}
            lines.append(
                f"{name:<12} {metrics[f'interests.{name}.threshold']:>9.2f}  {half:<8} "
                f"{m['precision']:>9.2f} {m['recall']:>7.2f} {m['f1']:>5.2f} {m['ari']:>5.2f} "
                f"{int(m['groups']):>6}"
            )
    return "\n".join(lines)


def main() -> None:
    from coach.providers.embeddings import build_embeddings
    from coach.settings import Settings

    embeddings, identity = build_embeddings(Settings())
    metrics = evaluate(embeddings)
    print(f"Interest grouping with {identity.name}")
    print(report(metrics))
    print(json.dumps(metrics, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
