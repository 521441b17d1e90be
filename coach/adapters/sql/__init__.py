"""The ports implemented with SQLAlchemy 2 (SQLite or PostgreSQL), with the tables and their
Alembic migrations. Nothing outside this package touches a model, a session or an engine
except through the ports; `wiring` builds them."""
