"""The HTTP API (FastAPI) and persistence (SQLAlchemy 2)."""
