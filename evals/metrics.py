"""Metric functions: ranking metrics via trec_eval (pytrec-eval-terrier), and the small
classification and rate helpers the sections share.

Ranking metrics follow BEIR's conventions: a query's ranking is a list of document ids best
first, its qrels the set of relevant ids; recall@k is the fraction of the relevant documents in
the top k, MRR the reciprocal rank of the first relevant one within the ranking (cut at
RANKING_DEPTH, so MRR@10), nDCG@10 uses binary gains. Every labelled query counts: one with an
empty ranking scores 0 (trec_eval itself would silently drop it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import pytrec_eval

RANKING_DEPTH = 10
CURVE_KS = tuple(range(1, RANKING_DEPTH + 1))
_TREC_NAMES = {"mrr": "recip_rank", "ndcg@10": "ndcg_cut_10"} | {
    f"recall@{k}": f"recall_{k}" for k in CURVE_KS
}
_MEASURES = {"recip_rank", "ndcg_cut.10", "recall." + ",".join(str(k) for k in CURVE_KS)}
HEADLINE_RANKING = ("recall@1", "recall@5", "mrr", "ndcg@10")


def unique_in_order(items: Iterable[str]) -> list[str]:
    """The items without repeats, in the order they first appear (passages -> files)."""
    return list(dict.fromkeys(items))


def per_query(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Iterable[str]]
) -> dict[str, dict[str, float]]:
    """Every ranking metric (recall@1..10, mrr, ndcg@10) for every query in `qrels`."""
    qrel = {q: dict.fromkeys(docs, 1) for q, docs in qrels.items()}
    run = {
        q: {doc: float(len(ranked) - i) for i, doc in enumerate(ranked[:RANKING_DEPTH])}
        for q in qrel
        if (ranked := unique_in_order(rankings.get(q, ())))
    }
    evaluated = pytrec_eval.RelevanceEvaluator(qrel, _MEASURES).evaluate(run) if run else {}
    zero = dict.fromkeys(_TREC_NAMES, 0.0)
    return {
        q: {name: float(evaluated[q][trec]) for name, trec in _TREC_NAMES.items()}
        if q in evaluated
        else dict(zero)
        for q in qrel
    }


def ranking_metrics(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Iterable[str]]
) -> dict[str, float]:
    """The mean of each ranking metric over all labelled queries."""
    scores = per_query(rankings, qrels)
    if not scores:
        return {}
    names = next(iter(scores.values())).keys()
    return {name: mean([s[name] for s in scores.values()]) for name in names}


def mean(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("the mean of no values is undefined")
    return math.fsum(values) / len(values)


def rate(flags: Sequence[bool]) -> float:
    """The fraction of True flags."""
    return mean([1.0 if flag else 0.0 for flag in flags])


def accuracy(pairs: Sequence[tuple[str, str]]) -> float:
    """Pairs are (expected, predicted)."""
    return rate([expected == predicted for expected, predicted in pairs])


def precision_recall(
    pairs: Sequence[tuple[str, str]], label: str
) -> tuple[float | None, float | None]:
    """Precision and recall of one label; None where undefined (nothing predicted as it, or
    nothing labelled as it)."""
    true_positive = sum(1 for e, p in pairs if e == label and p == label)
    predicted = sum(1 for _, p in pairs if p == label)
    expected = sum(1 for e, _ in pairs if e == label)
    precision = true_positive / predicted if predicted else None
    recall = true_positive / expected if expected else None
    return precision, recall


def f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def confusion(labels: Sequence[str], pairs: Sequence[tuple[str, str]]) -> list[list[int]]:
    """Rows are expected labels, columns predicted labels, in the order of `labels`."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for expected, predicted in pairs:
        matrix[index[expected]][index[predicted]] += 1
    return matrix
