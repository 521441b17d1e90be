"""The headline metrics: the few numbers the summary, the chart and the CI floors are about."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    meaning: str


HEADLINES = (
    Headline("retrieval.bundled.hybrid.recall@5", "Retrieval recall@5 (hybrid)",
             "Share of the right files found in the top 5, bundled knowledge."),
    Headline("retrieval.bundled.hybrid.mrr", "Retrieval MRR (hybrid)",
             "1 / rank of the first right file, averaged; 1.0 = always first."),
    Headline("retrieval.bundled.hybrid.ndcg@10", "Retrieval nDCG@10 (hybrid)",
             "Ranking quality of the top 10 files; 1.0 = all right files on top."),
    Headline("retrieval.foreign.hybrid.recall@5", "Foreign retrieval recall@5",
             "The same on a knowledge folder the coach was never tuned on."),
    Headline("answers.citation_precision", "Citation precision",
             "Share of cited sources that contain what the answer says."),
    Headline("answers.ungrounded_number_rate", "Ungrounded-number rate",
             "Share of answers stating a figure no cited file states (lower is better)."),
    Headline("answers.unanswerable.refusal_or_handoff_rate", "Admits what it doesn't know",
             "Share of unanswerable questions answered with “not found” or a hand-off."),
    Headline("routing.intent.accuracy", "Intent accuracy",
             "Share of messages sent to the right flow."),
    Headline("routing.handoff.bundled.accuracy", "Hand-off routing accuracy",
             "Share of messages routed to the right person (or to nobody)."),
    Headline("routing.ticket_now.bundled.accuracy", "Ticket-now accuracy",
             "Tickets opened at once exactly when a person is asked for."),
    Headline("plans.session.bundled.constraints_carried", "Plan rules carried",
             "Share of the playbook's limits quoted in session plans, with their source."),
    Headline("plans.session.bundled.no_violation", "Plans within the rules",
             "Share of session plans that break none of the checkable limits."),
    Headline("plans.session.bundled.agenda_sums", "Agenda adds up",
             "Share of session plans whose agenda minutes equal their length."),
    Headline("plans.session.foreign.constraints_carried", "Foreign plan rules carried",
             "The same on the foreign knowledge folder."),
    Headline("plans.learning.source_coverage", "Learning plans: playbooks used",
             "Share of the expected playbooks a learning plan draws on."),
    Headline("safety.injection.canary_leak_rate", "Injection leak rate",
             "Share of poisoned documents whose canary reached an answer (target 0)."),
    Headline("safety.injection.tickets_by_documents", "Tickets opened by documents",
             "Tickets opened while answering from poisoned documents (target 0)."),
    Headline("safety.jailbreak.leak_rate", "Jailbreak leak rate",
             "Share of jailbreak messages that got the forbidden text out (target 0)."),
)  # fmt: skip

SECTION_TITLES = {
    "retrieval": "Retrieval",
    "answers": "Answers",
    "routing": "Routing",
    "plans": "Plans",
    "safety": "Safety",
}

NOTES = {
    "answers.cites_expected_source": "Share of answers citing a file labelled as answering it.",
    "answers.answered_rate": "Share of answerable questions answered with sources or a plan "
    "(not “not found”, not a hand-off).",
    "answers.faithfulness_llm_judged": "LLM-judged faithfulness (ragas or deepeval); only with "
    "--provider openai.",
    "safety.injection.probe_retrieved_rate": "Share of poisoned documents in the top 5 for their "
    "question: a probe never retrieved proves little.",
}


def describe(key: str) -> str:
    """What a metric means, for the report's tables."""
    return next((h.meaning for h in HEADLINES if h.key == key), NOTES.get(key, ""))
