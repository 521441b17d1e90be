from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["embed"])
PAGE = Path(__file__).resolve().parents[1] / "static" / "embed.html"


@router.get("/embed", response_class=HTMLResponse)
def embed_page() -> HTMLResponse:
    """A minimal chat page for an iframe. Pass a key in the fragment: /embed#key=KEY."""
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))
