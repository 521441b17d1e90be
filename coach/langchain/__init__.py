"""The coach as LangChain parts, for a developer's own chains.

- `CoachRetriever`: the hybrid retriever (BM25 and vectors, fused by rank) as a `BaseRetriever`,
  with the coach's filters (kinds, tags, dates, mode).
- `answer_chain`: the answer path as a runnable, retrieve → answer → ground, on which
  `invoke`, `stream` and `batch` work.
- `coach_retriever` and `coach_answer_chain` build them from `Settings`, over what `coach ingest`
  indexed.
"""

from coach.langchain.chain import AnswerDraft, answer_chain, coach_answer_chain
from coach.langchain.retriever import (
    CoachRetriever,
    coach_retriever,
    passage_from_document,
    passage_to_document,
)

__all__ = [
    "AnswerDraft",
    "CoachRetriever",
    "answer_chain",
    "coach_answer_chain",
    "coach_retriever",
    "passage_from_document",
    "passage_to_document",
]
