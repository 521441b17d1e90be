"""Sign-in for the web UI: the same API keys and roles as the API, behind a server-side
session (coach.services.access.WebSessions). The cookie holds a random token, never the key.

Gradio calls `SessionAuth` on every one of its routes (page, queue, files), so nothing under
/ui answers without a valid session; in local mode the one local user is signed in (the
local-mode guard keeps that to this machine's own browser). The sign-in form is protected
against cross-site posts (a token in a cookie and in the form), failed sign-ins are throttled
per client address, and signing out is a POST with the session's own token.
"""

from __future__ import annotations

import html
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.limits import RateLimiter, UiRateLimit
from coach.services import Services
from coach.services.access import LOCAL_PRINCIPAL, KeyRing, Principal, WebSessions

COOKIE = "coach_session"
LOGIN_CSRF_COOKIE = "coach_login_csrf"


class SessionAuth:
    def __init__(self, keys: KeyRing, sessions: WebSessions) -> None:
        self._keys = keys
        self._sessions = sessions

    def resolve(self, request: Any) -> Principal | None:
        """The person behind a request (a Starlette or Gradio request): their session's key
        decides their roles, never their user name."""
        if self._keys.local_mode:
            return LOCAL_PRINCIPAL
        token = request.cookies.get(COOKIE)
        if token:
            return self._sessions.principal(token)
        header = request.headers.get("authorization", "")
        scheme, _, key = header.partition(" ")
        return self._keys.principal(key.strip()) if scheme.lower() == "bearer" and key else None

    def __call__(self, request: Request) -> str | None:
        principal = self.resolve(request)
        return principal.user if principal and principal.reads_history else None

    def csrf(self, request: Any) -> str | None:
        token = request.cookies.get(COOKIE)
        return self._sessions.csrf(token) if token else None


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
<input type="hidden" name="csrf" value="{csrf}">
<p class="error">{error}</p><button>Sign in</button></form></body></html>"""


def _secure(request: Request) -> bool:
    """HTTPS, directly or as a trusted proxy said (api.network.TrustedProxyHeaders)."""
    return request.url.scheme == "https"


def _login_page(request: Request, error: str = "", status_code: int = 200) -> Response:
    csrf = secrets.token_urlsafe(24)
    response = HTMLResponse(
        LOGIN_PAGE.format(csrf=csrf, error=html.escape(error)), status_code=status_code
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=_secure(request),
        max_age=3600, path="/login",
    )  # fmt: skip
    return response


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def login_router(auth: SessionAuth, keys: KeyRing, sessions: WebSessions) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/login")
    def login_form(request: Request) -> Response:
        if keys.local_mode:
            return RedirectResponse("/ui/", status_code=303)
        return _login_page(request)

    @router.post("/login")
    async def login(
        request: Request,
        key: Annotated[str, Form(max_length=512)],
        csrf: Annotated[str, Form(max_length=128)] = "",
    ) -> Response:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not secrets.compare_digest(expected, csrf):
            return _login_page(request, "Please sign in from this page.", 403)
        limiter: RateLimiter = request.app.state.rate_limiter
        wait = await limiter.sign_in_wait(_client(request))
        if wait > 0:
            response = _login_page(request, "Too many failed sign-ins; try again later.", 429)
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        opened = sessions.open(key.strip())
        if opened is None:
            await limiter.failed_sign_in(_client(request))
            return _login_page(request, "That key is not valid.", 401)
        principal, session = opened
        if not principal.reads_history:
            sessions.close(session.token)
            return _login_page(request, "This key is for the embedded chat only.", 403)
        response = RedirectResponse("/ui/", status_code=303)
        response.set_cookie(
            COOKIE, session.token, httponly=True, samesite="lax", secure=_secure(request),
            max_age=sessions.lifetime_seconds, path="/",
        )  # fmt: skip
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return response

    @router.post("/logout")
    def logout(request: Request, csrf: Annotated[str, Form(max_length=128)] = "") -> Response:
        token = request.cookies.get(COOKIE)
        expected = sessions.csrf(token) if token else None
        if token is None or expected is None or not secrets.compare_digest(expected, csrf):
            return RedirectResponse("/login", status_code=303)
        sessions.close(token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    return router


class SignInFirst:
    """The UI page itself sends people to the sign-in form; its own routes answer 401."""

    def __init__(self, app: ASGIApp, auth: SessionAuth, page: str) -> None:
        self.app = app
        self.auth = auth
        self.pages = (page, f"{page}/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"] in self.pages
            and self.auth(Request(scope)) is None
        ):
            await RedirectResponse("/login", status_code=303)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def guard_ui(app: FastAPI, services: Services, path: str = "/ui") -> SessionAuth:
    """Put the web UI at `path` behind the same keys as the API: the sign-in form at /login,
    the page redirecting there, and its routes counted against the per-user rate limit. The
    returned SessionAuth says who is signed in, for the UI and for its own routes."""
    auth = SessionAuth(services.keys, services.web_sessions)
    app.include_router(login_router(auth, services.keys, services.web_sessions))
    app.add_middleware(SignInFirst, auth=auth, page=path)
    app.add_middleware(
        UiRateLimit,
        limiter=lambda: app.state.rate_limiter,
        who=lambda scope: p.user if (p := auth.resolve(Request(scope))) else None,
        prefix=f"{path}/",
    )
    return auth
