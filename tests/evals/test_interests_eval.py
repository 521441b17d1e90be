"""The interest-grouping evaluation: its metrics on hand-made groupings, its split, and (on the
real embedder) floors just below what was measured and the product's threshold being the one
the development half chose."""

from __future__ import annotations

import pytest

from coach.community.grouping import GROUPING_THRESHOLD
from evals.interests_eval import adjusted_rand, evaluate, halves, load, pairwise


def test_pairwise_precision_and_recall_count_pairs_put_together() -> None:
    gold = ["a", "a", "a", "b"]

    assert pairwise(gold, [0, 0, 0, 1]) == (1.0, 1.0)
    assert pairwise(gold, [0, 0, 1, 1]) == (0.5, pytest.approx(1 / 3))
    assert pairwise(gold, [0, 1, 2, 3]) == (1.0, 0.0)


def test_adjusted_rand_is_one_for_the_same_grouping_and_low_for_chance() -> None:
    gold = ["a", "a", "b", "b", "c", "c"]

    assert adjusted_rand(gold, [5, 5, 7, 7, 9, 9]) == 1.0
    assert adjusted_rand(gold, [0, 1, 0, 1, 0, 1]) < 0


def test_the_halves_split_whole_groups_by_a_fixed_rule() -> None:
    statements = load()
    dev, held_out = halves(statements)

    dev_groups = {statements[i].group for i in dev}
    held_groups = {statements[i].group for i in held_out}
    assert (len(statements), len(dev_groups), len(held_groups)) == (156, 16, 15)
    assert not dev_groups & held_groups


@pytest.mark.integration
def test_grouping_on_the_real_embedder_keeps_its_measured_quality() -> None:
    from coach.providers.embeddings import build_embeddings
    from coach.settings import Settings

    embeddings, _ = build_embeddings(Settings(_env_file=None))  # type: ignore[call-arg]
    metrics = evaluate(embeddings)

    assert metrics["interests.average.threshold"] == GROUPING_THRESHOLD
    assert metrics["interests.product.held_out.precision"] >= 0.85
    assert metrics["interests.product.held_out.recall"] >= 0.80
    assert metrics["interests.average.held_out.f1"] > metrics["interests.average_raw.held_out.f1"]
