"""The app factory uvicorn calls in each worker process (`coach serve --workers N`)."""

from __future__ import annotations

from fastapi import FastAPI

from api.app import create_app
from coach.settings import Settings


def build() -> FastAPI:
    return create_app(Settings())
