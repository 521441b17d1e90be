"""The turn classifier's examples are never evaluation cases: routing figures measured on
cases the classifier was shown would mean nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coach.intents import EXAMPLES
from coach.settings import Settings
from evals.datasets import EVALS_DIR, case_texts
from evals.orgs_eval import DEVELOPMENT_ORGS

pytestmark = pytest.mark.integration
TOO_CLOSE = 0.85


def _normal(text: str) -> str:
    return " ".join(text.lower().strip(" ?!.").split())


def _examples() -> list[str]:
    return [text for texts in EXAMPLES.values() for text in texts]


def _cases() -> list[str]:
    folders = [EVALS_DIR] + ([DEVELOPMENT_ORGS] if DEVELOPMENT_ORGS.is_dir() else [])
    return sorted(case_texts(*folders))


def test_no_example_is_an_evaluation_case_word_for_word() -> None:
    cases = {_normal(t) for t in _cases()}
    assert not [e for e in _examples() if _normal(e) in cases]


def test_no_example_is_a_paraphrase_of_an_evaluation_case(tmp_path: Path) -> None:
    from coach.providers.embeddings import build_embeddings

    embeddings, _ = build_embeddings(Settings(_env_file=None, data_dir=tmp_path))
    examples, cases = _examples(), _cases()
    assert len(cases) > 500  # the evaluation sets are found
    a = np.asarray(embeddings.embed_documents(examples))
    b = np.asarray(embeddings.embed_documents(cases))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    similarity = a @ b.T
    close = [
        f"{similarity[i].max():.2f}: {examples[i]!r} ~ {cases[int(similarity[i].argmax())]!r}"
        for i in range(len(examples))
        if similarity[i].max() >= TOO_CLOSE
    ]
    assert close == []
