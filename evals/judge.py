"""Optional LLM-judged faithfulness, only with `--provider openai` and ragas or deepeval
installed (neither is a dependency). Anything missing or failing skips it with a note: the
offline metrics never depend on it."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from langchain_core.language_models import BaseChatModel

from evals.metrics import mean

Sample = dict[str, Any]  # question, answer, contexts


def _ragas_scores(samples: list[Sample], chat_model: BaseChatModel) -> list[float]:
    ragas = importlib.import_module("ragas")
    metrics = importlib.import_module("ragas.metrics")
    llms = importlib.import_module("ragas.llms")
    metric = metrics.Faithfulness(llm=llms.LangchainLLMWrapper(chat_model))
    return [
        float(
            metric.single_turn_score(
                ragas.SingleTurnSample(
                    user_input=s["question"],
                    response=s["answer"],
                    retrieved_contexts=s["contexts"],
                )
            )
        )
        for s in samples
    ]


def _deepeval_scores(samples: list[Sample], model_name: str) -> list[float]:
    metrics = importlib.import_module("deepeval.metrics")
    test_case = importlib.import_module("deepeval.test_case")
    scores = []
    for s in samples:
        metric = metrics.FaithfulnessMetric(model=model_name)
        metric.measure(
            test_case.LLMTestCase(
                input=s["question"], actual_output=s["answer"], retrieval_context=s["contexts"]
            )
        )
        scores.append(float(metric.score))
    return scores


def faithfulness(
    samples: list[Sample], *, provider: str, chat_model: BaseChatModel, model_name: str
) -> tuple[float | None, str]:
    """The mean judged faithfulness of the answers, or None and why it was skipped."""
    if provider != "openai":
        return None, "LLM-judged faithfulness skipped: it runs only with --provider openai."
    if not samples:
        return None, "LLM-judged faithfulness skipped: no drafted answers to judge."
    judges = [name for name in ("ragas", "deepeval") if importlib.util.find_spec(name)]
    if not judges:
        return None, "LLM-judged faithfulness skipped: neither ragas nor deepeval is installed."
    try:
        if judges[0] == "ragas":
            scores = _ragas_scores(samples, chat_model)
        else:
            scores = _deepeval_scores(samples, model_name)
    except Exception as error:  # a judge's API or server problem must not sink the run
        return None, f"LLM-judged faithfulness skipped: {judges[0]} failed ({error})."
    return mean(scores), f"LLM-judged faithfulness by {judges[0]} over {len(scores)} answers."
