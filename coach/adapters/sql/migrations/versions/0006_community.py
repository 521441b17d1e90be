"""The community: interests, notices, tracked sessions, note drafts, communities, learning-plan
check-ins, the demo history and the scheduler's lock row.

Revision ID: 0006_community
Revises: 0005_rule_corrections
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_community"
down_revision = "0005_rule_corrections"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(64), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "community_interests",
        _id(),
        sa.Column("person", sa.String(128), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("vector", sa.JSON, nullable=False),
        sa.Column("registered_at", TIMESTAMP, nullable=False, index=True),
        sa.Column("session_id", sa.String(64), nullable=True),
    )
    op.create_table(
        "community_notices",
        _id(),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("recipient", sa.String(128), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("session_id", sa.String(64), nullable=True),
        sa.Column("read_at", TIMESTAMP, nullable=True),
    )
    op.create_table(
        "community_notice_interests",
        sa.Column(
            "notice_id",
            sa.String(64),
            sa.ForeignKey("community_notices.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("interest_id", sa.String(64), primary_key=True, index=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "community_sessions",
        _id(),
        sa.Column("organiser", sa.String(128), nullable=False, index=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_table(
        "community_note_drafts",
        _id(),
        sa.Column("session_id", sa.String(64), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_table(
        "communities",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_table(
        "learning_plan_check_ins",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.String(64), nullable=False, index=True),
        sa.Column("week", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("to_week", sa.Integer, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "community_demo",
        sa.Column("tag", sa.String(64), primary_key=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "scheduler_leases",
        "community_demo",
        "learning_plan_check_ins",
        "communities",
        "community_note_drafts",
        "community_sessions",
        "community_notice_interests",
        "community_notices",
        "community_interests",
    ):
        op.drop_table(table)
