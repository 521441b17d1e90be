"""The evaluation's metric functions on hand-made rankings and cases, with exact values."""

from __future__ import annotations

import math

import pytest

from evals.metrics import (
    accuracy,
    confusion,
    f1,
    per_query,
    precision_recall,
    ranking_metrics,
    rate,
    unique_in_order,
)

# nDCG@10 of a ranking with relevant documents at ranks 2 and 3, out of two relevant ones.
NDCG_RANKS_2_3 = (1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3))


def test_two_relevant_files_found_second_and_third() -> None:
    scores = per_query({"q": ["b", "a", "c", "d"]}, {"q": ["a", "c"]})["q"]
    assert scores["recall@1"] == 0.0
    assert scores["recall@2"] == 0.5
    assert scores["recall@3"] == 1.0
    assert scores["recall@5"] == 1.0
    assert scores["mrr"] == 0.5
    assert scores["ndcg@10"] == pytest.approx(NDCG_RANKS_2_3, abs=1e-4)


def test_a_perfect_ranking_scores_one_everywhere() -> None:
    scores = per_query({"q": ["x", "y"]}, {"q": ["x"]})["q"]
    assert scores == dict.fromkeys(scores, 1.0)


def test_a_relevant_file_at_rank_seven_counts_for_recall_at_ten_only() -> None:
    scores = per_query({"q": ["a", "b", "c", "d", "e", "f", "z"]}, {"q": ["z"]})["q"]
    assert scores["recall@5"] == 0.0
    assert scores["recall@7"] == 1.0
    assert scores["recall@10"] == 1.0
    assert scores["mrr"] == pytest.approx(1 / 7)
    assert scores["ndcg@10"] == pytest.approx(1 / 3, abs=1e-4)  # 1 / log2(8)


def test_rankings_are_cut_at_ten() -> None:
    ranking = [f"d{i}" for i in range(10)] + ["hit"]
    scores = per_query({"q": ranking}, {"q": ["hit"]})["q"]
    assert scores["mrr"] == 0.0
    assert scores["recall@10"] == 0.0


def test_repeated_files_count_once_at_their_first_rank() -> None:
    # Passages of one file reduce to the file's first appearance.
    assert unique_in_order(["a", "a", "b", "a", "c"]) == ["a", "b", "c"]
    scores = per_query({"q": ["a", "a", "b"]}, {"q": ["b"]})["q"]
    assert scores["mrr"] == 0.5
    assert scores["recall@1"] == 0.0
    assert scores["ndcg@10"] == pytest.approx(1 / math.log2(3), abs=1e-4)


def test_a_query_with_no_results_scores_zero_and_still_counts() -> None:
    means = ranking_metrics(
        {"hit": ["x"], "half": ["b", "a", "c"], "empty": []},
        {"hit": ["x"], "half": ["a", "c"], "empty": ["y"]},
    )
    assert means["recall@1"] == pytest.approx(1 / 3)
    assert means["recall@5"] == pytest.approx(2 / 3)
    assert means["mrr"] == pytest.approx(0.5)
    assert means["ndcg@10"] == pytest.approx((1 + NDCG_RANKS_2_3) / 3, abs=1e-4)


def test_no_queries_no_metrics() -> None:
    assert ranking_metrics({}, {}) == {}


def test_rates_and_accuracy() -> None:
    assert rate([True, False, True, True]) == 0.75
    assert accuracy([("a", "a"), ("a", "b"), ("b", "b"), ("c", "b")]) == 0.5
    with pytest.raises(ValueError, match="undefined"):
        rate([])


def test_precision_and_recall_per_label() -> None:
    pairs = [("hr", "hr"), ("hr", "none"), ("none", "hr"), ("none", "none"), ("lo", "lo")]
    assert precision_recall(pairs, "hr") == (0.5, 0.5)
    assert precision_recall(pairs, "lo") == (1.0, 1.0)
    # Never predicted: precision is undefined; never labelled: recall is undefined.
    assert precision_recall([("hr", "none")], "hr") == (None, 0.0)
    assert precision_recall([("none", "hr")], "hr") == (0.0, None)
    assert f1(0.5, 1.0) == pytest.approx(2 / 3)
    assert f1(0.0, 0.0) == 0.0
    assert f1(None, 1.0) is None


def test_confusion_matrix_rows_are_labels_and_columns_predictions() -> None:
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("c", "a"), ("a", "a")]
    assert confusion(["a", "b", "c"], pairs) == [[2, 1, 0], [0, 1, 0], [1, 0, 0]]
