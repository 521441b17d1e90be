from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from api.auth import CurrentUser, HistoryReader
from api.deps import ServicesDep
from api.schemas import LearningPlanCreate, PlanPublic, SessionPlanCreate, SourcePublic
from coach.ports import UnknownConversationError
from coach.records import SavedLearningPlan, SavedPlan, SavedSessionPlan
from coach.services.access import Principal, caller_of

router = APIRouter(tags=["plans"])


def _public(record: SavedPlan) -> PlanPublic:
    return PlanPublic(
        id=record.id,
        plan=dict(record.plan),
        markdown=record.markdown,
        sources=[SourcePublic(source=s.source, title=s.title) for s in record.sources],
        created_at=record.created_at,
    )


def _unknown_conversation(error: UnknownConversationError) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"Unknown conversation: {error}")


def _markdown(body: str, name: str) -> Response:
    return Response(
        body,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.md"'},
    )


@router.post("/v1/session-plans", response_model=PlanPublic, status_code=status.HTTP_201_CREATED)
def create_session_plan(
    body: SessionPlanCreate, services: ServicesDep, user: CurrentUser
) -> PlanPublic:
    """Draft a session plan from the format's playbook and similar past sessions. Fields
    given explicitly override what is read from `request`."""
    explicit = body.model_dump(
        include={"topic", "format", "audience_size", "duration_minutes", "date", "hybrid"},
        exclude_none=True,
    )
    request, notes = services.plans.read_request(body.request, explicit)
    try:
        record = services.plans.draft_session_plan(
            request,
            owner=user.user,
            conversation_id=body.conversation_id,
            notes=notes,
            organiser=caller_of(user),
        )
    except UnknownConversationError as error:
        raise _unknown_conversation(error) from None
    return _public(record)


def _session_record(plan_id: str, services: ServicesDep, user: Principal) -> SavedSessionPlan:
    record = services.plans.session_plan(plan_id, user)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Unknown session plan: {plan_id}")
    return record


@router.get("/v1/session-plans/{plan_id}", response_model=PlanPublic)
def get_session_plan(plan_id: str, services: ServicesDep, user: HistoryReader) -> PlanPublic:
    return _public(_session_record(plan_id, services, user))


@router.get(
    "/v1/session-plans/{plan_id}/markdown",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}}}},
)
def session_plan_as_markdown(plan_id: str, services: ServicesDep, user: HistoryReader) -> Response:
    return _markdown(_session_record(plan_id, services, user).markdown, f"session-plan-{plan_id}")


@router.get(
    "/v1/session-plans/{plan_id}/ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, 409: {"description": "No date yet"}},
)
def session_plan_as_ics(plan_id: str, services: ServicesDep, user: HistoryReader) -> Response:
    """The calendar invitation (only for plans with a date)."""
    record = _session_record(plan_id, services, user)
    if record.ics is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, "This plan has no date; create one with a date."
        )
    return Response(
        record.ics,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="session-{plan_id}.ics"'},
    )


@router.post("/v1/learning-plans", response_model=PlanPublic, status_code=status.HTTP_201_CREATED)
def create_learning_plan(
    body: LearningPlanCreate, services: ServicesDep, user: CurrentUser
) -> PlanPublic:
    """Draft and save a personal learning plan for a goal and the time available."""
    try:
        record = services.plans.draft_learning_plan(
            body.goal,
            body.hours_per_week,
            body.weeks,
            owner=user.user,
            conversation_id=body.conversation_id,
        )
    except UnknownConversationError as error:
        raise _unknown_conversation(error) from None
    return _public(record)


def _learning_record(plan_id: str, services: ServicesDep, user: Principal) -> SavedLearningPlan:
    record = services.plans.learning_plan(plan_id, user)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Unknown learning plan: {plan_id}")
    return record


@router.get("/v1/learning-plans/{plan_id}", response_model=PlanPublic)
def get_learning_plan(plan_id: str, services: ServicesDep, user: HistoryReader) -> PlanPublic:
    return _public(_learning_record(plan_id, services, user))


@router.get(
    "/v1/learning-plans/{plan_id}/markdown",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}}}},
)
def learning_plan_as_markdown(plan_id: str, services: ServicesDep, user: HistoryReader) -> Response:
    return _markdown(_learning_record(plan_id, services, user).markdown, f"learning-plan-{plan_id}")
