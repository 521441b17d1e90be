"""Retrieval: filters, the keyword index's filter masks, fusion, and the query-embedding cache."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from coach.answers import supported_draft
from coach.core import build_core
from coach.keyword import KeywordIndex
from coach.keyword_cache import KeywordIndexCache
from coach.providers.embeddings import EmbeddingIdentity
from coach.providers.fakes import HashingEmbeddings
from coach.providers.query_cache import CachedQueryEmbeddings, embed_sentences
from coach.retrieval import Filters, Retriever
from coach.settings import Settings
from coach.store import Chunk, KnowledgeStore, chroma_client
from coach.text import cosine
from knowledge.ingest import Ingestor
from tests.conftest import SMALL_KNOWLEDGE, write_tree


class CountingEmbeddings(HashingEmbeddings):
    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []
        self.documents = 0

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return super().embed_query(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents += len(texts)
        return super().embed_documents(texts)


def test_filters_keep_only_matching_kinds_and_dates(indexed_store: KnowledgeStore) -> None:
    retriever = Retriever(indexed_store, min_relevance=0.0)
    for mode in ("hybrid", "vector", "keyword"):
        notes = retriever.retrieve("brown-bag", 5, filters=Filters(kinds=("session_note",)))
        assert notes, mode
        assert {p.metadata["kind"] for p in notes} == {"session_note"}, mode
        later = retriever.retrieve("brown-bag", 5, filters=Filters(since="2026-06-01"))
        assert later == [], mode  # the only dated chunk is from March
        earlier = retriever.retrieve("brown-bag", 5, filters=Filters(until="2026-06-01"))
        assert {p.source for p in earlier} == {"sessions/2026-03-12-kubernetes-brown-bag.md"}


def test_filter_masks_are_computed_once_per_filter_and_generation(
    indexed_store: KnowledgeStore, knowledge_dir: Path
) -> None:
    index = KeywordIndex(indexed_store)
    calls: list[str] = []

    def playbooks_only(chunk: Chunk) -> bool:
        calls.append(chunk.id)
        return chunk.metadata.get("kind") == "playbook"

    first = index.search("brown-bag room", 5, playbooks_only, keep_key="playbooks")
    chunks = len(calls)
    assert chunks == len(indexed_store.all_chunks())
    again = index.search("learning budget", 5, playbooks_only, keep_key="playbooks")
    assert len(calls) == chunks  # the cached mask
    assert first
    assert again
    assert all(c.metadata["kind"] == "playbook" for c in first + again)

    index.search("brown-bag", 5, playbooks_only, keep_key="other")
    assert len(calls) == 2 * chunks  # another key, another mask
    index.search("brown-bag", 5, playbooks_only)
    assert len(calls) == 3 * chunks  # no key: never cached

    write_tree(
        knowledge_dir,
        {"playbooks/meetups.md": "# Community meetups\nA meetup needs a room for 40 people.\n"},
    )
    Ingestor(indexed_store, max_file_bytes=1_000_000).ingest([knowledge_dir])
    found = index.search("meetup room", 5, playbooks_only, keep_key="playbooks")
    assert len(calls) == 3 * chunks + chunks + 1  # the store changed: the mask is rebuilt
    assert found[0].metadata["source"] == "playbooks/meetups.md"


def test_hybrid_reads_embeddings_only_for_keyword_only_hits_it_returns(
    indexed_store: KnowledgeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    retriever = Retriever(indexed_store, min_relevance=0.0)
    requested: list[list[str]] = []
    real = indexed_store.embeddings_of

    def spy(ids: Sequence[str]) -> dict[str, list[float]]:
        requested.append(list(ids))
        return real(ids)

    monkeypatch.setattr(indexed_store, "embeddings_of", spy)
    passages = retriever.retrieve("Amara Okafor Kubernetes pods", 2)
    assert len(passages) == 2
    returned = {p.chunk_id for p in passages}
    assert all(set(ids) <= returned for ids in requested)

    vector = retriever.embed_query("Amara Okafor Kubernetes pods")
    stored = real([p.chunk_id for p in passages])
    for passage in passages:  # every similarity is the true cosine, whichever ranking found it
        assert passage.similarity == pytest.approx(cosine(vector, stored[passage.chunk_id]), 1e-5)
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


def test_query_cache_embeds_each_question_once_and_stays_bounded() -> None:
    inner = CountingEmbeddings()
    cached = CachedQueryEmbeddings(inner, size=2)
    assert cached.embed_query("a") == inner.embed_query("a")
    inner.queries.clear()
    cached.embed_query("a")
    assert inner.queries == []
    cached.embed_query("b")
    cached.embed_query("c")  # evicts "a", the least recently used
    cached.embed_query("b")
    cached.embed_query("a")
    assert inner.queries == ["b", "c", "a"]
    assert cached.embed_documents(["x", "y"]) == inner.embed_documents(["x", "y"])


def test_sentence_embeddings_are_remembered_and_batched() -> None:
    inner = CountingEmbeddings()
    cached = CachedQueryEmbeddings(inner, sentences=3)
    first = cached.embed_sentences(["a", "b", "a"])
    assert first == inner.embed_documents(["a", "b", "a"])
    inner.documents = 0
    assert cached.embed_sentences(["b", "a"]) == first[1::-1]
    assert inner.documents == 0  # both remembered
    cached.embed_sentences(["c", "d"])  # one batch of the two new ones; evicts "b"
    assert inner.documents == 2
    cached.embed_sentences(["a", "b", "d"])
    assert inner.documents == 3  # only "b" again
    assert embed_sentences(inner, ["x"]) == inner.embed_documents(["x"])  # no cache: as is


def test_grounding_a_second_answer_from_the_same_passages_embeds_no_sentence(
    indexed_store: KnowledgeStore,
) -> None:
    counting = CountingEmbeddings()
    cached = CachedQueryEmbeddings(counting)
    passages = Retriever(indexed_store, min_relevance=0.0).retrieve("brown-bag length", 3)
    draft = "A brown-bag lasts at most 45 minutes."
    supported_draft(draft, passages, cached)
    embedded = counting.documents
    assert embedded > 0
    again = supported_draft(draft, passages, cached)
    assert counting.documents == embedded
    assert again == supported_draft(draft, passages, HashingEmbeddings())  # same result


def _cached_core(settings: Settings, knowledge_dir: Path) -> tuple[Any, CountingEmbeddings]:
    counting = CountingEmbeddings()
    identity = EmbeddingIdentity(counting.name, counting.dimension)
    store = KnowledgeStore(
        chroma_client(settings), "knowledge", CachedQueryEmbeddings(counting), identity
    )
    Ingestor(store, max_file_bytes=1_000_000).ingest([knowledge_dir])
    return build_core(settings, store=store), counting


def test_a_chat_turn_embeds_the_question_once(fake_settings: Settings, tmp_path: Path) -> None:
    from coach.chat import ChatService
    from tests.fakes import MemoryConversationLog, MemoryTicketDesk

    core, counting = _cached_core(fake_settings, write_tree(tmp_path / "k", SMALL_KNOWLEDGE))
    chat = ChatService(
        retriever=core.retriever,
        chat_model=core.chat_model,
        router=core.router,
        coaching=core.coaching,
        conversations=MemoryConversationLog(),
        tickets=MemoryTicketDesk(),
    )
    question = "How long should a brown-bag be?"
    outcome = chat.chat(question)
    assert outcome.reply.sources  # classified, retrieved and grounded
    assert counting.queries.count(question) == 1


def test_warm_builds_what_the_first_answer_needs(fake_settings: Settings, tmp_path: Path) -> None:
    core, counting = _cached_core(fake_settings, write_tree(tmp_path / "k", SMALL_KNOWLEDGE))
    reads: list[int] = []
    real = core.store.all_chunks
    core.store.all_chunks = lambda: reads.append(1) or real()  # type: ignore[method-assign]
    counting.documents = 0
    core.warm()
    examples = counting.documents
    assert reads == [1]
    assert examples > 0
    core.router.classify("How long should a brown-bag be?")
    core.retriever.retrieve("How long should a brown-bag be?")
    assert reads == [1]
    assert counting.documents == examples


def _spy_reads(store: KnowledgeStore, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    real = store.all_chunks
    monkeypatch.setattr(store, "all_chunks", lambda: reads.append(1) or real())
    return reads


def test_a_saved_keyword_index_is_loaded_instead_of_rebuilt(
    indexed_store: KnowledgeStore,
    knowledge_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = KeywordIndexCache(tmp_path / "keyword-index")
    reads = _spy_reads(indexed_store, monkeypatch)
    first = KeywordIndex(indexed_store, saved).search("Amara Okafor pods", 5)
    assert reads == [1]
    restarted = KeywordIndex(indexed_store, saved)  # as after a restart: nothing in memory
    assert restarted.search("Amara Okafor pods", 5) == first
    assert reads == [1]  # loaded, not read back from the store
    assert restarted.known([first[0].id]) == {first[0].id: first[0]}

    write_tree(knowledge_dir, {"playbooks/meetups.md": "# Meetups\nA meetup needs pizza.\n"})
    Ingestor(indexed_store, max_file_bytes=1_000_000).ingest([knowledge_dir])
    assert restarted.search("meetup pizza", 5)[0].metadata["source"] == "playbooks/meetups.md"
    assert reads == [1, 1]  # a new generation is built, saved, and replaces the old one
    assert len(list((tmp_path / "keyword-index").iterdir())) == 1
    again = KeywordIndex(indexed_store, saved)
    assert again.search("meetup pizza", 5)[0].metadata["source"] == "playbooks/meetups.md"
    assert reads == [1, 1]


def test_a_damaged_saved_keyword_index_is_rebuilt(
    indexed_store: KnowledgeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "keyword-index"
    expected = KeywordIndex(indexed_store, KeywordIndexCache(folder)).search("budget", 5)
    (saved,) = folder.iterdir()
    (saved / "chunks.jsonl").write_text('{"id": "truncated", "te')
    reads = _spy_reads(indexed_store, monkeypatch)
    assert KeywordIndex(indexed_store, KeywordIndexCache(folder)).search("budget", 5) == expected
    assert reads == [1]
    assert KeywordIndex(indexed_store, KeywordIndexCache(folder)).search("budget", 5) == expected
    assert reads == [1]  # the rebuild replaced the damaged copy
