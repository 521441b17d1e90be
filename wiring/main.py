"""The app factory uvicorn calls in each worker process (`coach serve --workers N`)."""

from __future__ import annotations

from fastapi import FastAPI

from coach.settings import Settings
from wiring.app import create_app


def build() -> FastAPI:
    return create_app(Settings())
