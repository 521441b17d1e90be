"""Owners, the escalation workflow, idempotency, the notification outbox, feedback, API keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _owner(table: str, name: str = "owner") -> None:
    op.add_column(table, sa.Column(name, sa.String(128), nullable=False, server_default="local"))
    op.create_index(f"ix_{table}_{name}", table, [name])


def upgrade() -> None:
    _owner("conversations")
    _owner("session_plans")
    _owner("learning_plans")
    _owner("escalations", "requester")
    for column in (
        sa.Column("assignee", sa.String(128), nullable=True),
        sa.Column("sources", sa.JSON, nullable=False, server_default="{}"),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("request_fingerprint", sa.String(64), nullable=True),
        sa.Column("resolved_at", TIMESTAMP, nullable=True),
        sa.Column("closed_at", TIMESTAMP, nullable=True),
        sa.Column("requester_notified_at", TIMESTAMP, nullable=True),
    ):
        op.add_column("escalations", column)
    op.create_index(
        "ux_escalations_requester_idempotency_key",
        "escalations",
        ["requester", "idempotency_key"],
        unique=True,
    )
    op.create_index("ix_escalations_route", "escalations", ["route"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("escalation_id", sa.String(32), sa.ForeignKey("escalations.id"), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", TIMESTAMP, nullable=False),
        sa.Column("delivered_at", TIMESTAMP, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_outbox_escalation_id", "outbox", ["escalation_id"])
    op.create_index("ix_outbox_next_attempt_at", "outbox", ["next_attempt_at"])
    op.create_index("ix_outbox_delivered_at", "outbox", ["delivered_at"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "conversation_id", sa.String(32), sa.ForeignKey("conversations.id"), nullable=False
        ),
        sa.Column("message_id", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(128), nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("chunk_ids", sa.JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_feedback_conversation_id", "feedback", ["conversation_id"])
    op.create_index("ix_feedback_message_id", "feedback", ["message_id"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("revoked_at", TIMESTAMP, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("api_keys")
    op.drop_table("feedback")
    op.drop_table("outbox")
    op.drop_index("ix_escalations_route", "escalations")
    op.drop_index("ux_escalations_requester_idempotency_key", "escalations")
    with op.batch_alter_table("escalations") as batch:
        for name in (
            "requester_notified_at", "closed_at", "resolved_at", "request_fingerprint",
            "idempotency_key", "sources", "assignee",
        ):  # fmt: skip
            batch.drop_column(name)
    for table, name in (
        ("escalations", "requester"),
        ("learning_plans", "owner"),
        ("session_plans", "owner"),
        ("conversations", "owner"),
    ):
        op.drop_index(f"ix_{table}_{name}", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column(name)
