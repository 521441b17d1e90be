"""Sign-in for the web UI: the same API keys and roles as the API, kept in an HttpOnly cookie.

Gradio calls `SessionAuth` on every one of its routes (page, queue, files), so nothing under
/ui answers without a valid key; in local mode the one local user is signed in on loopback.
"""

from __future__ import annotations

import html
from typing import Annotated

import gradio as gr
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import LOCAL_PRINCIPAL, KeyRing, Principal, is_loopback

COOKIE = "coach_key"


class SessionAuth:
    def __init__(self, keys: KeyRing) -> None:
        self._keys = keys
        self._principals: dict[str, Principal] = {}

    def resolve(self, request: Request) -> Principal | None:
        if self._keys.local_mode:
            return (
                LOCAL_PRINCIPAL
                if is_loopback(request.client.host if request.client else None)
                else None
            )
        header = request.headers.get("authorization", "")
        key = request.cookies.get(COOKIE) or header.removeprefix("Bearer ").strip()
        principal = self._keys.principal(key) if key else None
        if principal is not None:
            self._principals[principal.user] = principal
        return principal

    def __call__(self, request: Request) -> str | None:
        principal = self.resolve(request)
        return principal.user if principal else None

    def of(self, request: gr.Request) -> Principal:
        """The signed-in person behind a Gradio event."""
        principal = self._principals.get(request.username or "")
        if principal is None and self._keys.local_mode:
            return LOCAL_PRINCIPAL
        if principal is None:
            raise gr.Error("Please sign in again.")
        return principal


LOGIN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — Learning Ops Coach</title>
<style>
body{{font:16px system-ui,sans-serif;display:grid;place-items:center;height:100vh;margin:0;
background:#faf7f2}}
form{{background:#fff;padding:28px;border-radius:14px;box-shadow:0 2px 12px #0001;width:320px}}
input{{width:100%;padding:10px;margin:8px 0 14px;box-sizing:border-box;border:1px solid #ccc;
border-radius:8px}}
button{{width:100%;padding:10px;border:0;border-radius:8px;background:#e8590c;color:#fff;
font-size:16px}}
.error{{color:#b42318;font-size:14px}}
</style></head><body>
<form method="post" action="/login"><h2>Learning Ops Coach</h2>
<label for="key">Your API key</label>
<input id="key" name="key" type="password" autocomplete="off" required>
<p class="error">{error}</p><button>Sign in</button></form></body></html>"""


def login_router(auth: SessionAuth, keys: KeyRing) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/login")
    def login_form() -> Response:
        if keys.local_mode:
            return RedirectResponse("/ui/", status_code=303)
        return HTMLResponse(LOGIN_PAGE.format(error=""))

    @router.post("/login")
    def login(request: Request, key: Annotated[str, Form()]) -> Response:
        if keys.principal(key.strip()) is None:
            message = html.escape("That key is not valid.")
            return HTMLResponse(LOGIN_PAGE.format(error=message), status_code=401)
        response = RedirectResponse("/ui/", status_code=303)
        response.set_cookie(
            COOKIE, key.strip(), httponly=True, samesite="lax", secure=request.url.scheme == "https"
        )
        return response

    @router.get("/logout")
    def logout() -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    return router
