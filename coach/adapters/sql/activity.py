"""What the community reads from the rest of the coach's tables: saved learning plans (for
check-ins), conversations and hand-offs (for the autonomy view), and who holds the
learning_ops role (the enabling team, whose sessions are not employees')."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from coach.adapters.sql.models import ApiKey, Conversation, Escalation, LearningPlanRecord, Message
from coach.community.checkins import tracked_plan
from coach.community.records import ConversationFact, HandoffFact, TrackedLearningPlan

# The route of a hand-off to the enabling team (the others go to HR or the support service).
TEAM_ROUTE = "learning_ops"
NOT_FOUND = "not_found"


class SqlLearningPlanSource:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get(self, plan_id: str) -> TrackedLearningPlan | None:
        with self._sessions() as session:
            row = session.get(LearningPlanRecord, plan_id)
            return _tracked(row) if row else None

    def of_owner(self, owner: str) -> list[TrackedLearningPlan]:
        query = (
            select(LearningPlanRecord)
            .where(LearningPlanRecord.owner == owner)
            .order_by(LearningPlanRecord.created_at.desc())
        )
        with self._sessions() as session:
            return [_tracked(r) for r in session.scalars(query)]


def _tracked(row: LearningPlanRecord) -> TrackedLearningPlan:
    return tracked_plan(row.id, row.owner, row.created_at.date(), row.plan)


class SqlActivity:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def conversations(self) -> list[ConversationFact]:
        with self._sessions() as session:
            started = session.execute(select(Conversation.id, Conversation.created_at)).all()
            handed = set(
                session.scalars(
                    select(Escalation.conversation_id).where(
                        Escalation.route == TEAM_ROUTE, Escalation.conversation_id.is_not(None)
                    )
                )
            )
            answers = session.execute(
                select(Message.conversation_id, Message.details).where(Message.role == "assistant")
            ).all()
        unanswered = Counter(
            c for c, details in answers if (details or {}).get("kind") == NOT_FOUND
        )
        return [
            ConversationFact(created, conversation_id in handed, unanswered[conversation_id])
            for conversation_id, created in started
        ]

    def handoffs(self) -> list[HandoffFact]:
        query = select(Escalation.requester, Escalation.created_at).where(
            Escalation.route == TEAM_ROUTE
        )
        with self._sessions() as session:
            return [HandoffFact(requester, opened) for requester, opened in session.execute(query)]

    def team_users(self) -> set[str]:
        """The users of stored keys with the learning_ops role (revoked or not: they were in
        the team when they hosted)."""
        with self._sessions() as session:
            rows = session.execute(select(ApiKey.user, ApiKey.role)).all()
        return {user for user, role in rows if TEAM_ROUTE in role.split("+")}
