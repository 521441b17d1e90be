"""Saved plans in SQL (coach.ports.PlanStore): each is stored with its Markdown (and calendar
invitation) as generated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from coach.adapters.sql.models import Conversation, LearningPlanRecord, SessionPlanRecord
from coach.domain import SourceRef
from coach.ports import UnknownConversationError
from coach.records import SavedLearningPlan, SavedSessionPlan

Record = TypeVar("Record", SessionPlanRecord, LearningPlanRecord)


def _sources(refs: Sequence[SourceRef]) -> dict[str, Any]:
    return {"items": [{"source": r.source, "title": r.title} for r in refs]}


def _refs(sources: dict[str, Any]) -> tuple[SourceRef, ...]:
    return tuple(SourceRef(s["source"], s["title"]) for s in sources.get("items", []))


def _session_plan(row: SessionPlanRecord) -> SavedSessionPlan:
    return SavedSessionPlan(
        id=row.id,
        owner=row.owner,
        conversation_id=row.conversation_id,
        request=row.request,
        plan=row.plan,
        sources=_refs(row.sources),
        markdown=row.markdown,
        ics=row.ics,
        created_at=row.created_at,
    )


def _learning_plan(row: LearningPlanRecord) -> SavedLearningPlan:
    return SavedLearningPlan(
        id=row.id,
        owner=row.owner,
        conversation_id=row.conversation_id,
        goal=row.goal,
        plan=row.plan,
        sources=_refs(row.sources),
        markdown=row.markdown,
        created_at=row.created_at,
    )


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
        sources: Sequence[SourceRef],
        markdown: str,
        ics: str | None,
        conversation_id: str | None,
        owner: str,
    ) -> SavedSessionPlan:
        return _session_plan(
            self._save(
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
        )

    def save_learning_plan(
        self,
        *,
        goal: str,
        plan: dict[str, Any],
        sources: Sequence[SourceRef],
        markdown: str,
        conversation_id: str | None,
        owner: str,
    ) -> SavedLearningPlan:
        return _learning_plan(
            self._save(
                LearningPlanRecord(
                    goal=goal,
                    plan=plan,
                    sources=_sources(sources),
                    markdown=markdown,
                    conversation_id=conversation_id,
                    owner=owner,
                )
            )
        )

    def session_plan(self, plan_id: str) -> SavedSessionPlan | None:
        with self._sessions() as session:
            row = session.get(SessionPlanRecord, plan_id)
            return _session_plan(row) if row is not None else None

    def learning_plan(self, plan_id: str) -> SavedLearningPlan | None:
        with self._sessions() as session:
            row = session.get(LearningPlanRecord, plan_id)
            return _learning_plan(row) if row is not None else None

    def learning_plans_of(self, owner: str, limit: int = 50) -> list[SavedLearningPlan]:
        with self._sessions() as session:
            rows = session.scalars(
                select(LearningPlanRecord)
                .where(LearningPlanRecord.owner == owner)
                .order_by(LearningPlanRecord.created_at.desc())
                .limit(limit)
            ).all()
            return [_learning_plan(r) for r in rows]
