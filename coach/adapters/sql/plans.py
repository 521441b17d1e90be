"""Saved plans: each is stored with its Markdown (and calendar invitation) as generated."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.models import Conversation, LearningPlanRecord, SessionPlanRecord
from coach.domain import SourceRef
from coach.ports import UnknownConversationError

Record = TypeVar("Record", SessionPlanRecord, LearningPlanRecord)


def _sources(refs: list[SourceRef]) -> dict[str, Any]:
    return {"items": [{"source": r.source, "title": r.title} for r in refs]}


class SqlPlans:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def _save(self, record: Record) -> Record:
        with self._sessions.begin() as session:
            if record.conversation_id is not None:
                conversation = session.get(Conversation, record.conversation_id)
                if conversation is None or conversation.owner != record.owner:
                    raise UnknownConversationError(record.conversation_id)
            session.add(record)
            session.flush()
            return record

    def save_session_plan(
        self,
        *,
        request: dict[str, Any],
        plan: dict[str, Any],
        sources: list[SourceRef],
        markdown: str,
        ics: str | None,
        conversation_id: str | None,
        owner: str,
    ) -> SessionPlanRecord:
        return self._save(
            SessionPlanRecord(
                request=request,
                plan=plan,
                sources=_sources(sources),
                markdown=markdown,
                ics=ics,
                conversation_id=conversation_id,
                owner=owner,
            )
        )

    def save_learning_plan(
        self,
        *,
        goal: str,
        plan: dict[str, Any],
        sources: list[SourceRef],
        markdown: str,
        conversation_id: str | None,
        owner: str,
    ) -> LearningPlanRecord:
        return self._save(
            LearningPlanRecord(
                goal=goal,
                plan=plan,
                sources=_sources(sources),
                markdown=markdown,
                conversation_id=conversation_id,
                owner=owner,
            )
        )

    def session_plan(self, plan_id: str) -> SessionPlanRecord | None:
        with self._sessions() as session:
            return session.get(SessionPlanRecord, plan_id)

    def learning_plan(self, plan_id: str) -> LearningPlanRecord | None:
        with self._sessions() as session:
            return session.get(LearningPlanRecord, plan_id)

    def learning_plans_of(self, owner: str, limit: int = 50) -> list[LearningPlanRecord]:
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(LearningPlanRecord)
                    .where(LearningPlanRecord.owner == owner)
                    .order_by(LearningPlanRecord.created_at.desc())
                    .limit(limit)
                ).all()
            )
