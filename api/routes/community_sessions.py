"""Sessions grown from a topic (drafted in one step, scheduled, ticked off), the debrief after
them, and the session notes Learning Ops review and publish into the library."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.auth import CurrentUser
from api.community_schemas import (
    DebriefCreate,
    DraftFromTopic,
    InvitationPublic,
    NoteDraftPublic,
    NoteEdit,
    Schedule,
    SessionPublic,
    TaskPublic,
    TaskTick,
)
from api.deps import ServicesDep
from coach.community.people import Caller
from coach.community.records import Debrief, NoteDraft, TrackedSession
from coach.community.sessions import DraftRequest
from coach.services import Services
from coach.services.access import caller_of

router = APIRouter(prefix="/v1", tags=["community"])


def session_public(services: Services, caller: Caller, session: TrackedSession) -> SessionPublic:
    invitation = services.community.sessions.invitation(session)
    return SessionPublic(
        id=session.id,
        title=session.title,
        topic=session.topic,
        format=session.format,
        organiser=session.organiser_name,
        yours=session.organiser == caller.id,
        date=session.date,
        duration_minutes=session.duration_minutes,
        suggested_host=session.suggested_host,
        tasks=[TaskPublic(id=t.id, text=t.text, due=t.due, done=t.done) for t in session.tasks],
        invitation=InvitationPublic(named=list(invitation.named), others=invitation.others),
        markdown=session.markdown,
        debriefed=session.debriefed,
    )


def draft_public(draft: NoteDraft) -> NoteDraftPublic:
    return NoteDraftPublic(
        id=draft.id,
        session_id=draft.session_id,
        filename=draft.filename,
        text=draft.text,
        status=draft.status,
        to_fill=list(draft.to_fill),
        updated_at=draft.updated_at,
        published_source=draft.published_source,
    )


@router.post(
    "/topics/{topic_id}/session", response_model=SessionPublic, status_code=status.HTTP_201_CREATED
)
def draft_session(
    topic_id: str, body: DraftFromTopic, services: ServicesDep, user: CurrentUser
) -> SessionPublic:
    """Turn a topic you are in (or, for Learning Ops, any topic) into a drafted session plan
    you organise. Its invitation names only those who chose to be named; everyone in it is
    told."""
    caller = caller_of(user)
    request = DraftRequest(**body.model_dump())
    session = services.community.sessions.draft_from_topic(caller, topic_id, request)
    return session_public(services, caller, session)


@router.get("/sessions", response_model=list[SessionPublic])
def my_sessions(services: ServicesDep, user: CurrentUser) -> list[SessionPublic]:
    """Sessions you organise or registered an interest in, newest first."""
    caller = caller_of(user)
    return [session_public(services, caller, s) for s in services.community.sessions.of(caller)]


@router.get("/sessions/{session_id}", response_model=SessionPublic)
def get_session(session_id: str, services: ServicesDep, user: CurrentUser) -> SessionPublic:
    caller = caller_of(user)
    view = services.community.sessions.view(caller, session_id)
    return session_public(services, caller, view.session)


@router.get(
    "/sessions/{session_id}/ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, 422: {"description": "No date yet"}},
)
def session_invitation(session_id: str, services: ServicesDep, user: CurrentUser) -> Response:
    """The calendar invitation, with an alarm (VALARM) on the day each lead time falls due."""
    ics = services.community.sessions.calendar(caller_of(user), session_id)
    return Response(
        ics,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="session-{session_id}.ics"'},
    )


@router.post("/sessions/{session_id}/schedule", response_model=SessionPublic)
def schedule_session(
    session_id: str, body: Schedule, services: ServicesDep, user: CurrentUser
) -> SessionPublic:
    """Its organiser sets the date: tasks are dated by the lead times, reminders fall due on
    those days, and everyone interested is told."""
    caller = caller_of(user)
    session = services.community.sessions.schedule(caller, session_id, body.date)
    return session_public(services, caller, session)


@router.post("/sessions/{session_id}/tasks/{task_id}", response_model=SessionPublic)
def tick_task(
    session_id: str, task_id: str, body: TaskTick, services: ServicesDep, user: CurrentUser
) -> SessionPublic:
    """Tick a task off (or back on): a done lead time sends no more reminders."""
    caller = caller_of(user)
    session = services.community.sessions.tick(caller, session_id, task_id, body.done)
    return session_public(services, caller, session)


@router.post(
    "/sessions/{session_id}/debrief",
    response_model=NoteDraftPublic,
    status_code=status.HTTP_201_CREATED,
)
def debrief(
    session_id: str, body: DebriefCreate, services: ServicesDep, user: CurrentUser
) -> NoteDraftPublic:
    """After the session's date, its organiser says how it went; the coach drafts the session
    note the way the library writes them, for Learning Ops to review."""
    given = Debrief(
        attendees=body.attendees,
        what_worked=tuple(w.strip() for w in body.what_worked if w.strip()),
        what_to_change=tuple(c.strip() for c in body.what_to_change if c.strip()),
        feedback_score=body.feedback_score,
        summary=body.summary.strip(),
        attendee_names=tuple(n.strip() for n in body.attendee_names if n.strip()),
        host=body.host.strip(),
    )
    draft = services.community.debriefs.submit(caller_of(user), session_id, given)
    return draft_public(draft)


@router.get("/notes/drafts", response_model=list[NoteDraftPublic])
def drafts_to_review(services: ServicesDep, user: CurrentUser) -> list[NoteDraftPublic]:
    """Learning Ops: drafted session notes waiting for review, oldest first."""
    return [draft_public(d) for d in services.community.debriefs.pending(caller_of(user))]


@router.get("/notes/drafts/{draft_id}", response_model=NoteDraftPublic)
def get_draft(draft_id: str, services: ServicesDep, user: CurrentUser) -> NoteDraftPublic:
    return draft_public(services.community.debriefs.get(caller_of(user), draft_id))


@router.patch("/notes/drafts/{draft_id}", response_model=NoteDraftPublic)
def edit_draft(
    draft_id: str, body: NoteEdit, services: ServicesDep, user: CurrentUser
) -> NoteDraftPublic:
    """Learning Ops: replace the draft's text (Markdown with its front matter)."""
    return draft_public(services.community.debriefs.edit(caller_of(user), draft_id, body.text))


@router.post("/notes/drafts/{draft_id}/publish", response_model=NoteDraftPublic)
def publish_draft(draft_id: str, services: ServicesDep, user: CurrentUser) -> NoteDraftPublic:
    """Learning Ops: write the note into the library and index it; the people finder and
    similar past sessions find it from now on."""
    return draft_public(services.community.debriefs.publish(caller_of(user), draft_id))
