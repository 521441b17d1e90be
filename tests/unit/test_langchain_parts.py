"""coach.langchain: the hybrid retriever as a LangChain retriever, and the answer path as a
runnable (retrieve → answer → ground) that invoke, stream and batch work on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from coach.chat import ChatService
from coach.core import CoachCore
from coach.langchain import (
    CoachRetriever,
    answer_chain,
    passage_from_document,
    passage_to_document,
)
from coach.providers.fakes import ScriptedChatModel
from tests.fakes import MemoryConversationLog, MemoryTicketDesk

QUESTION = "How many minutes can a brown-bag last?"
# The bag-of-words fake embedder needs the looser thresholds of the test settings.
LOOSE = {"min_similarity": 0.2, "min_standout": 0.0}


@pytest.fixture
def core(make_core: Callable[[], CoachCore]) -> CoachCore:
    return make_core()


@pytest.fixture
def retriever(core: CoachCore) -> CoachRetriever:
    return CoachRetriever(retriever=core.retriever)


def sources(documents: list[Document]) -> list[str]:
    return [str(d.metadata["source"]) for d in documents]


def without_documents(output: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in output.items() if k != "documents"}


def test_the_retriever_is_a_langchain_retriever_with_the_coachs_ranking(
    retriever: CoachRetriever, core: CoachCore
) -> None:
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke(QUESTION)
    expected = core.retriever.relevant(core.retriever.retrieve(QUESTION, 5))
    assert [d.id for d in documents] == [p.chunk_id for p in expected]
    assert documents[0].metadata["title"] == "Running a brown-bag session"
    assert documents[0].metadata["similarity"] == expected[0].similarity


def test_the_retrievers_filters_are_fields_and_per_call_options(
    retriever: CoachRetriever,
) -> None:
    notes_only = CoachRetriever(retriever=retriever.retriever, kinds=("session_note",))
    assert set(sources(notes_only.invoke("brown-bag"))) == {
        "sessions/2026-03-12-kubernetes-brown-bag.md"
    }
    assert set(sources(retriever.invoke("brown-bag", kinds=["playbook"]))) == {
        "playbooks/brown-bag.md"
    }
    tagged = retriever.invoke("brown-bag", document_tags=["brown-bag"], relevant_only=False)
    assert set(sources(tagged)) == {"playbooks/brown-bag.md"}
    dated = retriever.invoke("brown-bag", since="2026-01-01", until="2026-12-31")
    assert {d.metadata["date"] for d in dated} == {"2026-03-12"}
    assert retriever.invoke("brown-bag", since="2027-01-01") == []
    assert len(retriever.invoke("brown-bag room", k=1, relevant_only=False)) == 1
    keyword = retriever.invoke("Amara Okafor", mode="keyword", relevant_only=False)
    assert sources(keyword)[0] == "sessions/2026-03-12-kubernetes-brown-bag.md"


def test_documents_and_passages_convert_both_ways(retriever: CoachRetriever) -> None:
    passages = retriever.passages(QUESTION)
    assert [passage_from_document(passage_to_document(p)) for p in passages] == passages


def test_the_retriever_works_inside_a_users_own_chain(retriever: CoachRetriever) -> None:
    def context(documents: list[Document]) -> str:
        return "\n".join(f"[{d.metadata['title']}] {d.page_content}" for d in documents)

    chain = {
        "context": retriever.with_config(run_name="coach") | RunnableLambda(context),
        "question": RunnablePassthrough(),
    } | RunnableLambda(lambda x: f"{x['context']}\n\nQuestion: {x['question']}")
    prompt = chain.invoke(QUESTION)
    assert prompt.startswith("[Running a brown-bag session] Running a brown-bag session")
    assert "at most 45 minutes" in prompt
    assert prompt.endswith(f"Question: {QUESTION}")


def test_without_a_model_the_chain_answers_as_the_chat_does(
    retriever: CoachRetriever, core: CoachCore
) -> None:
    chat = ChatService(
        retriever=core.retriever, chat_model=core.chat_model, router=core.router,
        coaching=core.coaching, conversations=MemoryConversationLog(),
        tickets=MemoryTicketDesk(), generate_answers=False,
        min_answer_similarity=0.2, min_answer_standout=0.0,
    )  # fmt: skip
    expected = chat.chat(QUESTION).reply
    output = answer_chain(retriever, **LOOSE).invoke(QUESTION)
    assert output["answer"] == expected.answer
    assert output["path"] == "extractive" == expected.path
    assert output["sources"] == [{"source": s.source, "title": s.title} for s in expected.sources]
    assert output["draft"] == ""
    assert output["question"] == QUESTION


def test_a_model_draft_streams_then_is_grounded(retriever: CoachRetriever) -> None:
    model = ScriptedChatModel().enqueue("A brown-bag lasts at most 45 minutes.")
    pieces = list(answer_chain(retriever, model, **LOOSE).stream({"question": QUESTION}))
    assert without_documents(pieces[0]) == {"question": QUESTION, "draft": ""}
    drafted = [p["draft"] for p in pieces[1:-1]]
    assert "".join(drafted) == "A brown-bag lasts at most 45 minutes."
    assert len(drafted) > 1  # token by token, as the model writes
    assert pieces[-1] == {
        "answer": "A brown-bag lasts at most 45 minutes. (Running a brown-bag session)",
        "sources": [{"source": "playbooks/brown-bag.md", "title": "Running a brown-bag session"}],
        "path": "model",
    }


def test_streamed_pieces_add_up_to_what_invoke_returns(retriever: CoachRetriever) -> None:
    draft = "A brown-bag lasts at most 45 minutes."
    chain = answer_chain(retriever, ScriptedChatModel().enqueue(draft, draft), **LOOSE)
    total: Any = None
    for piece in chain.stream(QUESTION):
        total = piece if total is None else total + piece
    assert dict(total) == chain.invoke(QUESTION)


def test_an_unsupported_draft_is_replaced_by_the_documents(retriever: CoachRetriever) -> None:
    model = ScriptedChatModel().enqueue("A brown-bag can last 90 minutes.")
    output = answer_chain(retriever, model, **LOOSE).invoke(QUESTION)
    assert output["draft"] == "A brown-bag can last 90 minutes."
    assert "90" not in output["answer"]
    assert output["path"] == "fallback"
    assert output["answer"] == answer_chain(retriever, **LOOSE).invoke(QUESTION)["answer"]


def test_a_failing_model_leaves_the_documents_to_answer(retriever: CoachRetriever) -> None:
    def broken(_: object) -> str:
        raise ConnectionError("model server down")

    output = answer_chain(retriever, ScriptedChatModel().enqueue(broken), **LOOSE).invoke(QUESTION)
    assert output["path"] == "fallback"
    assert output["answer"].endswith(answer_chain(retriever, **LOOSE).invoke(QUESTION)["answer"])


def test_batch_answers_each_question_and_says_what_the_library_lacks(
    retriever: CoachRetriever,
) -> None:
    answered, unanswered = answer_chain(retriever, **LOOSE).batch(
        [QUESTION, "Which vaccines does a trip to Peru need?"]
    )
    assert answered["path"] == "extractive"
    assert answered["sources"][0]["source"] == "playbooks/brown-bag.md"
    assert unanswered["path"] == "not_found"
    assert unanswered["sources"] == []
    assert "couldn't find that" in unanswered["answer"]


def test_the_chains_steps_are_retrieve_answer_ground(retriever: CoachRetriever) -> None:
    chain = answer_chain(retriever)
    assert [step.get_name() for step in chain.bound.steps] == [  # type: ignore[attr-defined]
        "retrieve",
        "answer",
        "ground",
    ]


def test_the_retriever_runs_inside_the_chains_run(retriever: CoachRetriever) -> None:
    class Runs(BaseCallbackHandler):
        def __init__(self) -> None:
            self.retrievals: list[tuple[str, UUID | None]] = []
            self.chains: dict[UUID, str] = {}

        def on_chain_start(self, serialized: Any, inputs: Any, **kwargs: Any) -> None:
            self.chains[kwargs["run_id"]] = str(kwargs.get("name"))

        def on_retriever_start(self, serialized: Any, query: str, **kwargs: Any) -> None:
            self.retrievals.append((query, kwargs.get("parent_run_id")))

    runs = Runs()
    answer_chain(retriever, **LOOSE).invoke(QUESTION, {"callbacks": [runs]})
    [(query, parent)] = runs.retrievals
    assert query == QUESTION
    assert parent is not None
    assert runs.chains[parent] == "retrieve"
