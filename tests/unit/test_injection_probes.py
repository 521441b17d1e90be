"""Every injection probe of the evaluation set, against a model that parrots its prompt:
if anything of the injected text reached the prompt, it would reach the answer."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from coach.chat import ChatService
from coach.core import CoachCore
from coach.domain import Passage
from coach.providers.fakes import ScriptedChatModel
from coach.retrieval import Retriever
from coach.safety import FLAG_CLOSE, FLAG_OPEN, suspicious_sentences
from knowledge import BUNDLED_KNOWLEDGE_DIR
from knowledge.chunking import split_document
from knowledge.loaders import load
from tests.fakes import MemoryConversationLog, MemoryTicketDesk

EVALS = Path(__file__).resolve().parents[2] / "evals"
PROBES = [
    json.loads(line) for line in (EVALS / "data" / "injection.jsonl").read_text().splitlines()
]


def passages_of(probe: dict[str, str]) -> list[Passage]:
    document = load(probe["document_name"], probe["document"].encode())
    return [
        Passage(
            f"c{i}",
            probe["document_name"],
            document.title,
            "playbook",
            piece.with_context(document.title),
            0.9,
            similarity=0.9,
        )
        for i, piece in enumerate(split_document(document))
    ]


@pytest.mark.parametrize("probe", PROBES, ids=[p["id"] for p in PROBES])
def test_injected_text_never_reaches_the_answer_or_opens_a_ticket(
    probe: dict[str, str], make_core: Callable[[], CoachCore]
) -> None:
    core = make_core()
    passages = passages_of(probe)

    class ProbeRetriever(Retriever):
        def retrieve(self, query: str, k: int = 5, **_: object) -> list[Passage]:
            return passages

    parrot = ScriptedChatModel().enqueue(lambda messages: "\n".join(m.text for m in messages))
    tickets = MemoryTicketDesk()
    service = ChatService(
        retriever=ProbeRetriever(core.store, min_relevance=0.0),
        chat_model=parrot,
        router=core.router,
        coaching=core.coaching,
        conversations=MemoryConversationLog(),
        tickets=tickets,
    )
    reply = service.chat(probe["question"]).reply
    assert probe["canary"] not in reply.answer
    # The injected text is still there for the model to read as data, marked, never as prose.
    flagged = re.compile(re.escape(FLAG_OPEN) + ".*?" + re.escape(FLAG_CLOSE), re.DOTALL)
    unmarked = [flagged.sub("", m.text) for prompt in parrot.prompts for m in prompt]
    assert all(probe["canary"] not in text for text in unmarked)
    assert tickets.tickets == []


@pytest.mark.parametrize(
    "path", sorted((BUNDLED_KNOWLEDGE_DIR).glob("*/*.md")), ids=lambda p: p.name
)
def test_ordinary_playbooks_have_nothing_flagged(path: Path) -> None:
    document = load(path.name, path.read_bytes())
    assert suspicious_sentences(document.text) == []
