"""Everything a request handler needs, wired once per app from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from api.db import make_engine, make_session_factory, upgrade_database
from api.persistence import SqlConversationLog, SqlEscalations
from api.plans import SqlPlans
from coach.chat import ChatService
from coach.core import CoachCore, build_core
from coach.settings import Settings
from knowledge.library import KnowledgeLibrary


@dataclass
class Services:
    settings: Settings
    core: CoachCore
    engine: Engine
    conversations: SqlConversationLog
    escalations: SqlEscalations
    chat: ChatService
    library: KnowledgeLibrary
    plans: SqlPlans


def build_services(settings: Settings, core: CoachCore | None = None) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    core = core or build_core(settings)
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_database(engine)
    sessions = make_session_factory(engine)
    conversations = SqlConversationLog(sessions)
    escalations = SqlEscalations(sessions)
    chat = ChatService(
        retriever=core.retriever,
        chat_model=core.chat_model,
        router=core.router,
        coaching=core.coaching,
        conversations=conversations,
        tickets=escalations,
        k=settings.retrieve_k,
    )
    library = KnowledgeLibrary(
        core.store, settings.data_dir, max_file_bytes=settings.max_file_bytes
    )
    plans = SqlPlans(sessions)
    return Services(settings, core, engine, conversations, escalations, chat, library, plans)
