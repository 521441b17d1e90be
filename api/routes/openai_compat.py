"""OpenAI-compatible chat, so existing chat front ends and SDKs can use the coach.

`model` is `learning-ops-coach`. The conversation is the `messages` sent (or a stored one,
with the extra `conversation_id` field); the reply carries `sources`, `handoff` and
`conversation_id` as extra top-level fields. Streamed replies stream the final, grounded
answer: an OpenAI client cannot take back text it has shown.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from functools import partial
from typing import Any, Literal

from anyio import to_thread
from fastapi import APIRouter, HTTPException, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.auth import CurrentUser
from api.deps import ServicesDep
from api.routes.chat import response_of
from api.schemas import ChatResponse
from coach.chat import ChatOutcome
from coach.ports import UnknownConversationError

MODEL = "learning-ops-coach"
MAX_MESSAGES = 200
# Only this many earlier exchanges are stored: all that follow-ups are ever resolved against.
STORED_EXCHANGES = 10
router = APIRouter(prefix="/v1", tags=["openai-compatible"])


class OpenAIMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # content parts: keep the text ones
            return " ".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class CompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = Field(default=MODEL, examples=[MODEL])
    messages: list[OpenAIMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    conversation_id: str | None = Field(
        default=None, description="Extra: continue a stored conversation instead."
    )


@router.get("/models")
def list_models(user: CurrentUser) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "learning-ops"}],
    }


def _outcome(body: CompletionRequest, services: ServicesDep, owner: str) -> ChatOutcome:
    turns = [m for m in body.messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user" or not turns[-1].text().strip():
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "The last message must be the user's question."
        )
    conversation_id = body.conversation_id
    if conversation_id is None and len(turns) > 1:
        # The client keeps the history: store it so follow-ups resolve against it.
        exchanges: list[tuple[str, str]] = []
        question: str | None = None
        for turn in turns[:-1]:
            if turn.role == "user":
                question = turn.text()
            elif question is not None:
                exchanges.append((question, turn.text()))
                question = None
        conversation_id = services.conversations.continue_from(owner, exchanges[-STORED_EXCHANGES:])
    try:
        return services.chat.chat(turns[-1].text(), conversation_id, owner)
    except UnknownConversationError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Unknown conversation: {error}") from None


def _extras(response: ChatResponse) -> dict[str, Any]:
    dumped = response.model_dump()
    return {k: dumped[k] for k in ("sources", "handoff", "conversation_id")}


def _chunks(response: ChatResponse, created: int) -> Iterator[str]:
    base = {"id": f"chatcmpl-{response.message_id}", "object": "chat.completion.chunk",
            "created": created, "model": MODEL}  # fmt: skip
    first = {"role": "assistant", "content": ""}
    yield f"data: {json.dumps(base | {'choices': [{'index': 0, 'delta': first}]})}\n\n"
    for piece in re.findall(r"\S+\s*|\s+", response.answer):
        delta = {"index": 0, "delta": {"content": piece}, "finish_reason": None}
        yield f"data: {json.dumps(base | {'choices': [delta]})}\n\n"
    last = {"index": 0, "delta": {}, "finish_reason": "stop"}
    yield f"data: {json.dumps(base | {'choices': [last]} | _extras(response))}\n\n"
    yield "data: [DONE]\n\n"


@router.post("/chat/completions", response_model=None)
async def chat_completions(
    body: CompletionRequest, services: ServicesDep, user: CurrentUser
) -> dict[str, Any] | StreamingResponse:
    """OpenAI's chat completions, answered by the coach (grounded, with sources)."""
    if body.model != MODEL:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"Unknown model '{body.model}'; use '{MODEL}'."
        )
    answer = partial(_outcome, body, services, user.user)
    response = response_of(await to_thread.run_sync(answer, limiter=services.chats))
    created = int(time.time())
    if body.stream:
        return StreamingResponse(_chunks(response, created), media_type="text/event-stream")
    return {
        "id": f"chatcmpl-{response.message_id}",
        "object": "chat.completion",
        "created": created,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": response.answer},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    } | _extras(response)
