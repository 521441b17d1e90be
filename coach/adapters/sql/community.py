"""The community's storage ports (coach.community.ports) in SQL. Each method is one
transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from coach.adapters.sql.codec import from_json, to_json
from coach.adapters.sql.community_models import (
    CheckInRow,
    CommunityRow,
    DemoRow,
    InterestRow,
    NoteDraftRow,
    NoticeInterestRow,
    NoticeRow,
    TrackedSessionRow,
)
from coach.community.records import (
    CheckIn,
    Community,
    DemoHistory,
    Interest,
    NoteDraft,
    Notice,
    TrackedSession,
)


def _interest(row: InterestRow) -> Interest:
    return Interest(
        id=row.id,
        person=row.person,
        name=row.name,
        text=row.text,
        direction=row.direction,  # type: ignore[arg-type]
        visibility=row.visibility,  # type: ignore[arg-type]
        vector=tuple(float(x) for x in row.vector["values"]),
        registered_at=row.registered_at,
        session_id=row.session_id,
    )


def _interest_columns(interest: Interest) -> dict[str, Any]:
    return {
        "person": interest.person,
        "name": interest.name,
        "text": interest.text,
        "direction": interest.direction,
        "visibility": interest.visibility,
        "vector": {"values": list(interest.vector)},
        "registered_at": interest.registered_at,
        "session_id": interest.session_id,
    }


class SqlInterests:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, interest: Interest) -> None:
        with self._sessions.begin() as session:
            session.add(InterestRow(id=interest.id, **_interest_columns(interest)))

    def get(self, interest_id: str) -> Interest | None:
        with self._sessions() as session:
            row = session.get(InterestRow, interest_id)
            return _interest(row) if row else None

    def update(self, interest: Interest) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(InterestRow)
                .where(InterestRow.id == interest.id)
                .values(**_interest_columns(interest))
            )

    def remove(self, interest_id: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(InterestRow).where(InterestRow.id == interest_id))

    def of_person(self, person: str) -> list[Interest]:
        return self._select(InterestRow.person == person)

    def all(self) -> list[Interest]:
        return self._select()

    def _select(self, *where: Any) -> list[Interest]:
        query = (
            select(InterestRow).where(*where).order_by(InterestRow.registered_at, InterestRow.id)
        )
        with self._sessions() as session:
            return [_interest(r) for r in session.scalars(query)]


class SqlNotices:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, notice: Notice) -> bool:
        """Atomic by the unique key: of two workers sending the same notice, one stores it."""
        try:
            with self._sessions.begin() as session:
                session.add(
                    NoticeRow(
                        id=notice.id, key=notice.key, recipient=notice.recipient,
                        kind=notice.kind, text=notice.text, created_at=notice.created_at,
                        session_id=notice.session_id, read_at=notice.read_at,
                    )
                )  # fmt: skip
                session.flush()
                session.add_all(
                    NoticeInterestRow(notice_id=notice.id, interest_id=i, position=n)
                    for n, i in enumerate(dict.fromkeys(notice.interest_ids))
                )
        except IntegrityError:
            return False
        return True

    def of(self, recipients: Sequence[str], *, unread_only: bool, limit: int) -> list[Notice]:
        query = select(NoticeRow).where(NoticeRow.recipient.in_(list(recipients)))
        if unread_only:
            query = query.where(NoticeRow.read_at.is_(None))
        query = query.order_by(NoticeRow.created_at.desc(), NoticeRow.id.desc()).limit(limit)
        with self._sessions() as session:
            rows = session.scalars(query).all()
            links = session.execute(
                select(NoticeInterestRow.notice_id, NoticeInterestRow.interest_id)
                .where(NoticeInterestRow.notice_id.in_([r.id for r in rows]))
                .order_by(NoticeInterestRow.position)
            ).all()
        about: dict[str, list[str]] = {}
        for notice_id, interest_id in links:
            about.setdefault(notice_id, []).append(interest_id)
        return [_notice(r, about.get(r.id, [])) for r in rows]

    def mark_read(self, recipients: Sequence[str], ids: Sequence[str], at: dt.datetime) -> int:
        with self._sessions.begin() as session:
            result = session.execute(
                update(NoticeRow)
                .where(
                    NoticeRow.id.in_(list(ids)),
                    NoticeRow.recipient.in_(list(recipients)),
                    NoticeRow.read_at.is_(None),
                )
                .values(read_at=at)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def remove_about(self, interest_ids: Sequence[str]) -> int:
        with self._sessions.begin() as session:
            notice_ids = (
                select(NoticeInterestRow.notice_id)
                .where(NoticeInterestRow.interest_id.in_(list(interest_ids)))
                .scalar_subquery()
            )
            found = list(session.scalars(select(NoticeRow.id).where(NoticeRow.id.in_(notice_ids))))
            session.execute(delete(NoticeInterestRow).where(NoticeInterestRow.notice_id.in_(found)))
            session.execute(delete(NoticeRow).where(NoticeRow.id.in_(found)))
            return len(found)


def _notice(row: NoticeRow, interest_ids: list[str]) -> Notice:
    return Notice(
        id=row.id,
        recipient=row.recipient,
        kind=row.kind,  # type: ignore[arg-type]
        text=row.text,
        created_at=row.created_at,
        key=row.key,
        interest_ids=tuple(interest_ids),
        session_id=row.session_id,
        read_at=row.read_at,
    )


Rec = TypeVar("Rec", TrackedSession, NoteDraft, Community)
Row = TypeVar("Row", TrackedSessionRow, NoteDraftRow, CommunityRow)


class _JsonRecords(Generic[Rec, Row]):
    """Records kept whole as JSON, with the columns they are found by."""

    record: type[Rec]
    row: type[Row]

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def columns(self, item: Rec) -> dict[str, Any]:
        raise NotImplementedError

    def add(self, item: Rec) -> None:
        with self._sessions.begin() as session:
            session.add(self.row(id=item.id, record=to_json(item), **self.columns(item)))

    def get(self, item_id: str) -> Rec | None:
        with self._sessions() as session:
            row = session.get(self.row, item_id)
            return from_json(self.record, row.record) if row else None

    def update(self, item: Rec) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(self.row)
                .where(self.row.id == item.id)
                .values(record=to_json(item), **self.columns(item))
            )

    def all(self) -> list[Rec]:
        with self._sessions() as session:
            rows = session.scalars(select(self.row).order_by(self.row.created_at, self.row.id))
            return [from_json(self.record, r.record) for r in rows]


class SqlTrackedSessions(_JsonRecords[TrackedSession, TrackedSessionRow]):
    record, row = TrackedSession, TrackedSessionRow

    def columns(self, item: TrackedSession) -> dict[str, Any]:
        return {"organiser": item.organiser, "created_at": item.created_at, "date": item.date}


class SqlNoteDrafts(_JsonRecords[NoteDraft, NoteDraftRow]):
    record, row = NoteDraft, NoteDraftRow

    def columns(self, item: NoteDraft) -> dict[str, Any]:
        return {"session_id": item.session_id, "status": item.status, "created_at": item.created_at}


class SqlCommunities(_JsonRecords[Community, CommunityRow]):
    record, row = Community, CommunityRow

    def columns(self, item: Community) -> dict[str, Any]:
        return {"name": item.name, "created_at": item.created_at}


class SqlCheckIns:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, check_in: CheckIn) -> None:
        with self._sessions.begin() as session:
            session.add(
                CheckInRow(
                    plan_id=check_in.plan_id, week=check_in.week, status=check_in.status,
                    at=check_in.at, to_week=check_in.to_week, note=check_in.note,
                )
            )  # fmt: skip

    def of_plan(self, plan_id: str) -> list[CheckIn]:
        query = select(CheckInRow).where(CheckInRow.plan_id == plan_id).order_by(CheckInRow.seq)
        with self._sessions() as session:
            return [
                CheckIn(r.plan_id, r.week, r.status, r.at, r.to_week, r.note)  # type: ignore[arg-type]
                for r in session.scalars(query)
            ]


class SqlDemo:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def save(self, history: DemoHistory) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(DemoRow))
            session.add(
                DemoRow(
                    tag=history.tag, created_at=dt.datetime.now(dt.UTC), record=to_json(history)
                )
            )

    def load(self) -> DemoHistory | None:
        with self._sessions() as session:
            row = session.scalars(select(DemoRow)).first()
            return from_json(DemoHistory, row.record) if row else None

    def remove(self) -> bool:
        with self._sessions.begin() as session:
            return bool(session.execute(delete(DemoRow)).rowcount)  # type: ignore[attr-defined]
