"""Saved session plans and learning plans.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _conversation() -> sa.Column[str]:
    return sa.Column(
        "conversation_id", sa.String(32), sa.ForeignKey("conversations.id"), nullable=True
    )


def upgrade() -> None:
    op.create_table(
        "session_plans",
        sa.Column("id", sa.String(32), primary_key=True),
        _conversation(),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("markdown", sa.Text, nullable=False),
        sa.Column("ics", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_session_plans_conversation_id", "session_plans", ["conversation_id"])
    op.create_table(
        "learning_plans",
        sa.Column("id", sa.String(32), primary_key=True),
        _conversation(),
        sa.Column("goal", sa.Text, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("markdown", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_learning_plans_conversation_id", "learning_plans", ["conversation_id"])


def downgrade() -> None:
    op.drop_table("learning_plans")
    op.drop_table("session_plans")
