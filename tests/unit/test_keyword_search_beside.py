"""BM25 runs beside the query embedding for a search running alone, inline under concurrent
searches; the passages are the same either way."""

from __future__ import annotations

from coach import retrieval
from coach.retrieval import Retriever
from coach.store import KnowledgeStore


def test_a_search_alone_and_one_among_others_find_the_same_passages(
    indexed_store: KnowledgeStore,
) -> None:
    retriever = Retriever(indexed_store, min_relevance=0.2)
    question = "How far ahead do I book the room for a brown-bag?"

    alone = retriever.retrieve(question, 3)
    with retrieval._IN_FLIGHT:  # another search is running: BM25 runs inline
        among_others = retriever.retrieve(question, 3)

    assert [p.chunk_id for p in alone] == [p.chunk_id for p in among_others]
    assert alone[0].source == "playbooks/brown-bag.md"


def test_the_count_of_searches_in_flight_goes_back_down() -> None:
    with retrieval._IN_FLIGHT as first, retrieval._IN_FLIGHT as second:
        assert (first, second) == (1, 2)
    with retrieval._IN_FLIGHT as again:
        assert again == 1
