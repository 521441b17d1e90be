"""Shared fixtures: a small knowledge folder, fake providers, a real Chroma store."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from coach.core import CoachCore, build_core
from coach.intents import TurnClassifier
from coach.providers.embeddings import EmbeddingIdentity
from coach.providers.fakes import HashingEmbeddings, ScriptedChatModel
from coach.settings import Settings, prepare_offline_environment
from coach.store import KnowledgeStore, chroma_client
from knowledge.ingest import Ingestor
from tests.fakes import TEST_EXAMPLES

prepare_offline_environment()

SMALL_KNOWLEDGE = {
    "playbooks/brown-bag.md": """\
        ---
        title: Running a brown-bag session
        owner: Learning Ops
        tags: [brown-bag]
        format: brown-bag
        ---
        # Running a brown-bag session

        ## Rules
        - A brown-bag lasts at most 45 minutes: 30 minutes of talk and 15 minutes of questions.
        - Book the room at least 10 working days before the brown-bag.

        ## Tips
        Bring your own lunch and keep slides short and visual.
        """,
    "playbooks/learning-budget.md": """\
        ---
        title: Personal learning budget
        owner: Learning Ops
        ---
        # Personal learning budget

        ## Rules
        - Every employee has EUR 1,200 per calendar year for courses, books and conferences.
        - Anything above the annual limit is a policy exception only Learning Ops can grant.
        """,
    "playbooks/when-to-ask.md": """\
        ---
        title: When to ask Learning Ops, HR or the assistance program
        ---
        # When to ask

        ## HR
        Conflicts with a manager, contracts and complaints go to your HR People Partner.

        ## Employee Assistance Program
        The Employee Assistance Program offers confidential support for stress and wellbeing.
        """,
    "sessions/2026-03-12-kubernetes-brown-bag.md": """\
        ---
        title: Kubernetes basics for non-platform engineers
        date: 2026-03-12
        host: Amara Okafor
        team: Platform Engineering
        format: brown-bag
        ---
        # Kubernetes basics

        ## What happened
        Amara Okafor explained pods and deployments to 27 people from product teams.

        ## What to change
        The session ran 20 minutes over; cut the live demo.
        """,
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "knowledge", SMALL_KNOWLEDGE)


def fake_settings_at(data_dir: Path) -> Settings:
    """Settings for the fake chat model and embedder, with their data in `data_dir`."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        llm="fake",
        embeddings="fake",
        min_relevance=0.2,
        # The bag-of-words fake embedder is less generous than a neural one.
        min_answer_similarity=0.2,
        min_answer_standout=0.0,
    )


@pytest.fixture
def fake_settings(tmp_path: Path) -> Settings:
    return fake_settings_at(tmp_path / "data")


@pytest.fixture
def embedder() -> HashingEmbeddings:
    return HashingEmbeddings()


@pytest.fixture
def store(fake_settings: Settings, embedder: HashingEmbeddings) -> KnowledgeStore:
    identity = EmbeddingIdentity(embedder.name, embedder.dimension)
    return KnowledgeStore(chroma_client(fake_settings), "knowledge", embedder, identity)


@pytest.fixture
def indexed_store(store: KnowledgeStore, knowledge_dir: Path) -> KnowledgeStore:
    report = Ingestor(store, max_file_bytes=1_000_000).ingest([knowledge_dir])
    assert report.ok, report.failed
    return store


@pytest.fixture
def scripted_model() -> ScriptedChatModel:
    return ScriptedChatModel()


@pytest.fixture
def make_core(
    fake_settings: Settings, indexed_store: KnowledgeStore, scripted_model: ScriptedChatModel
) -> Callable[[], CoachCore]:
    return lambda: build_core(
        fake_settings,
        store=indexed_store,
        chat_model=scripted_model,
        router=TurnClassifier(indexed_store.embeddings, TEST_EXAMPLES),
    )
