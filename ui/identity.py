"""Who is using the UI. Signing in is the HTTP door's business (api.sign_in); the UI is handed
something that tells who is behind a request, and asks it on every event."""

from __future__ import annotations

from typing import Any, Protocol

import gradio as gr

from coach.services.access import Principal

SIGN_OUT_FORM = (
    '<form method="post" action="/logout" style="display:inline">'
    '<input type="hidden" name="csrf" value="{csrf}">'
    '<button id="sign-out" style="border:0;background:none;color:#e8590c;cursor:pointer">'
    "Sign out</button></form>"
)


class SignIn(Protocol):
    def resolve(self, request: Any) -> Principal | None:
        """The person behind a request, or None."""
        ...

    def csrf(self, request: Any) -> str | None:
        """The token the sign-out form must carry (None when nobody signed in)."""
        ...


def person(auth: SignIn, request: gr.Request) -> Principal:
    """The signed-in person behind a Gradio event (a widget key never signs in here)."""
    principal = auth.resolve(request)
    if principal is None or not principal.reads_history:
        raise gr.Error("Please sign in again.")
    return principal


def learning_ops(auth: SignIn, request: gr.Request) -> Principal:
    """The signed-in person, who must have the learning_ops role."""
    principal = person(auth, request)
    if not principal.is_learning_ops:
        raise gr.Error("This needs the learning_ops role.")
    return principal
