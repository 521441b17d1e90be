"""Realistic questions for the benchmarks: a fixed set people ask again and again (the
retriever's query-embedding cache helps), and as many never-asked ones as needed (it does not)."""

from __future__ import annotations

from itertools import product

REPEATED = [
    "How long should a brown-bag be?",
    "How far ahead do I need to book a room for a lunch and learn?",
    "How do I invite an external guest speaker?",
    "What is the learning budget per year?",
    "How many people can join a hands-on workshop?",
    "How do I make my session accessible to everyone?",
    "What are the rules for recording a session?",
    "How do I start a community of practice?",
    "Who has run a session on Kubernetes before?",
    "What went wrong last time we ran a hybrid session?",
    "How do I collect feedback after my talk?",
    "Can I pay a guest speaker an honorarium?",
    "How do I find a mentor or a learning buddy?",
    "What should a session plan template contain?",
    "How do I run a good hybrid meeting with remote attendees?",
    "Which facilitation techniques work for a large audience?",
    "Has anyone done a workshop on dbt?",
    "What lessons came out of the negotiation guest talk?",
    "When should I ask Learning Ops for help?",
    "Do guests need to sign an NDA?",
]

TOPICS = [
    "Kubernetes", "dbt", "public speaking", "accessibility", "finance basics", "SQL tuning",
    "phishing", "negotiation", "remote facilitation", "mentoring circles", "time management",
    "product requirements", "design critique", "A/B testing", "onboarding", "type hints",
    "data privacy", "user interviews", "clear writing", "effective meetings", "postmortems",
    "flaky tests", "packaging", "language exchange", "customer support with AI",
]  # fmt: skip

TEMPLATES = [
    "Who has run a session on {} before?",
    "How do I organise a brown-bag about {}?",
    "What went wrong in the {} session?",
    "Is there a past workshop on {} I can learn from?",
    "What feedback did the {} talk get?",
    "Can my learning budget pay for a {} course?",
    "How long should a lunch and learn on {} last?",
    "Could we invite an outside expert to speak about {}?",
]


def never_asked(count: int, offset: int = 0) -> list[str]:
    """`count` distinct questions, none in REPEATED; `offset` gives a disjoint set."""
    combos = [t.format(topic) for topic, t in product(TOPICS, TEMPLATES)]
    if offset + count > len(combos):
        raise ValueError(f"only {len(combos)} distinct questions")
    return combos[offset : offset + count]
