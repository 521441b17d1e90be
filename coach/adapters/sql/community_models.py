"""The community's tables (coach.community.ports): interests, notices, tracked sessions, note
drafts, communities, learning-plan check-ins, the demo history and the scheduler's lock row.

A record whose parts are read only as a whole (a session's tasks and lead times, a draft's
debrief, a community's members) is kept as JSON beside the columns that are queried."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coach.adapters.sql.models import Base


class InterestRow(Base):
    __tablename__ = "community_interests"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person: Mapped[str] = mapped_column(String(128), index=True)
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    direction: Mapped[str] = mapped_column(String(8))
    visibility: Mapped[str] = mapped_column(String(16))
    vector: Mapped[dict[str, Any]] = mapped_column()  # {"values": [...]}
    registered_at: Mapped[dt.datetime] = mapped_column(index=True)
    session_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class NoticeRow(Base):
    __tablename__ = "community_notices"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # One notice per key, whoever sends it: the unique index makes sending idempotent.
    key: Mapped[str] = mapped_column(String(300), unique=True)
    recipient: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column()
    session_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class NoticeInterestRow(Base):
    """Which interests a notice is about or reveals: withdrawing one deletes the notice."""

    __tablename__ = "community_notice_interests"

    notice_id: Mapped[str] = mapped_column(
        ForeignKey("community_notices.id", ondelete="CASCADE"), primary_key=True
    )
    interest_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class TrackedSessionRow(Base):
    __tablename__ = "community_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organiser: Mapped[str] = mapped_column(String(128), index=True)
    created_at: Mapped[dt.datetime] = mapped_column()
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    record: Mapped[dict[str, Any]] = mapped_column()


class NoteDraftRow(Base):
    __tablename__ = "community_note_drafts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column()
    record: Mapped[dict[str, Any]] = mapped_column()


class CommunityRow(Base):
    __tablename__ = "communities"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column()
    record: Mapped[dict[str, Any]] = mapped_column()


class CheckInRow(Base):
    __tablename__ = "learning_plan_check_ins"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(String(64), index=True)
    week: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column()
    to_week: Mapped[int | None] = mapped_column(nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class DemoRow(Base):
    """The demo year, all in one row, so that one command removes it and nothing of it ever
    reaches the real tables."""

    __tablename__ = "community_demo"

    tag: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column()
    record: Mapped[dict[str, Any]] = mapped_column()


class LeaderLeaseRow(Base):
    """Who runs the scheduler, where the database has no advisory locks (SQLite)."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column()
