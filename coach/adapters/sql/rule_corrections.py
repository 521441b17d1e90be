"""Learning Ops' decisions about the rules the coach reads, in SQL (coach.ports.RuleCorrections).

A decision is keyed by its playbook and a hash of its sentence: re-indexing an unchanged file
keeps the sentence, so the decision still applies; a changed sentence has another hash, and the
decision stops applying. Every decision is a new row, so who decided what, and when, is kept.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from coach.adapters.sql.models import RuleCorrection, utcnow
from coach.domain import RuleDecision


def sentence_hash(sentence: str) -> str:
    return hashlib.sha256(sentence.encode()).hexdigest()


def _decision(row: RuleCorrection) -> RuleDecision:
    return RuleDecision(
        source=row.source,
        sentence=row.sentence,
        action=row.action,  # type: ignore[arg-type]  # written only from a RuleDecision
        kind=row.kind,
        value=row.value,
        unit=row.unit,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


class SqlRuleCorrections:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def all(self) -> list[RuleDecision]:
        with self._sessions() as session:
            rows = session.scalars(select(RuleCorrection).order_by(RuleCorrection.id)).all()
        latest = {(row.source, row.sentence_hash): row for row in rows}
        return [_decision(row) for row in sorted(latest.values(), key=lambda row: row.id)]

    def save(self, decision: RuleDecision) -> None:
        with self._sessions.begin() as session:
            session.add(
                RuleCorrection(
                    source=decision.source,
                    sentence_hash=sentence_hash(decision.sentence),
                    sentence=decision.sentence,
                    action=decision.action,
                    kind=decision.kind,
                    value=decision.value,
                    unit=decision.unit,
                    decided_by=decision.decided_by,
                    decided_at=decision.decided_at or utcnow(),
                )
            )
