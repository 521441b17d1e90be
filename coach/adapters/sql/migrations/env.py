"""Alembic environment: runs on the connection `coach.adapters.sql.db.upgrade_database` hands
it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from coach.adapters.sql.models import Base

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
