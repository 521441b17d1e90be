from __future__ import annotations

import json
from collections.abc import Iterator

from anyio import to_thread
from fastapi import APIRouter, HTTPException, status
from fastapi.responses import StreamingResponse

from api.auth import CurrentUser
from api.deps import ServicesDep
from api.schemas import ChatRequest, ChatResponse, HandoffPublic, SourcePublic
from coach.chat import ChatOutcome, Token
from coach.ports import UnknownConversationError
from coach.services.access import caller_of

router = APIRouter(prefix="/v1", tags=["chat"])

SSE_EXAMPLE = (
    'event: token\ndata: {"text": "A brown-bag lasts"}\n\n'
    'event: done\ndata: {"conversation_id": "…", "message_id": "…", "answer": "…", '
    '"sources": […], "handoff": null, "replaced": false}\n\n'
)


def response_of(outcome: ChatOutcome) -> ChatResponse:
    reply = outcome.reply
    handoff = reply.handoff
    return ChatResponse(
        conversation_id=outcome.conversation_id,
        message_id=outcome.message_id,
        answer=reply.answer,
        sources=[SourcePublic(source=s.source, title=s.title) for s in reply.sources],
        handoff=HandoffPublic(
            route=handoff.route, reason=handoff.reason, ticket_id=handoff.ticket_id
        )
        if handoff
        else None,
    )


def _sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def _events(first: Token | ChatOutcome, rest: Iterator[Token | ChatOutcome]) -> Iterator[str]:
    """Tokens as they come; then whatever the final answer adds (e.g. the backing quote), or a
    `replaced` flag when the grounding check replaced the draft."""
    streamed = ""
    for event in _chain(first, rest):
        if isinstance(event, Token):
            streamed += event.text
            yield _sse("token", {"text": event.text})
            continue
        answer = event.reply.answer
        replaced = not answer.startswith(streamed)
        if not replaced and answer[len(streamed) :]:
            yield _sse("token", {"text": answer[len(streamed) :]})
        yield _sse("done", response_of(event).model_dump() | {"replaced": replaced})


def _chain(
    first: Token | ChatOutcome, rest: Iterator[Token | ChatOutcome]
) -> Iterator[Token | ChatOutcome]:
    yield first
    yield from rest


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={200: {"content": {"text/event-stream": {"example": SSE_EXAMPLE}}}},
)
async def chat(
    body: ChatRequest, services: ServicesDep, user: CurrentUser
) -> ChatResponse | StreamingResponse:
    """Ask the coach. Pass `conversation_id` back to continue the same conversation; set
    `stream` for Server-Sent Events."""
    events = services.chat.stream(body.message, body.conversation_id, user.user, caller_of(user))
    try:
        # Up to the first token, mostly waiting for the model: on a thread of the chats' own.
        # It surfaces an unknown conversation as a 404, not a broken stream.
        first = await to_thread.run_sync(next, events, limiter=services.chats)
    except UnknownConversationError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Unknown conversation: {error}") from None
    except ValueError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    if body.stream:
        return StreamingResponse(
            _events(first, events),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    outcome = first if isinstance(first, ChatOutcome) else None
    outcome = await to_thread.run_sync(_last_outcome, outcome, events, limiter=services.chats)
    return response_of(outcome)


def _last_outcome(
    outcome: ChatOutcome | None, events: Iterator[Token | ChatOutcome]
) -> ChatOutcome:
    for event in events:
        if isinstance(event, ChatOutcome):
            outcome = event
    assert outcome is not None
    return outcome
