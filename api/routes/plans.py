from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, HTTPException, Response, status

from api.auth import CurrentUser, HistoryReader, Principal
from api.deps import ServicesDep
from api.models import LearningPlanRecord, SessionPlanRecord
from api.plans import Record
from api.schemas import LearningPlanCreate, PlanPublic, SessionPlanCreate, SourcePublic
from coach.flows.export import session_plan_ics, session_plan_markdown
from coach.flows.learning_plan import learning_plan_markdown
from coach.flows.requests import clamp_notes
from coach.ports import UnknownConversationError

router = APIRouter(tags=["plans"])


def _public(record: SessionPlanRecord | LearningPlanRecord) -> PlanPublic:
    return PlanPublic(
        id=record.id,
        plan=record.plan,
        markdown=record.markdown,
        sources=[SourcePublic(**s) for s in record.sources["items"]],
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
    planner = services.core.coaching.sessions
    request = planner.read(body.request)
    explicit = body.model_dump(
        include={"topic", "format", "audience_size", "duration_minutes", "date", "hybrid"},
        exclude_none=True,
    )
    plan = planner.plan(replace(request, **explicit))
    if notes := clamp_notes(body.request):  # numbers read from the text, out of bounds
        plan = replace(plan, adjustments=[*notes, *plan.adjustments])
    try:
        record = services.plans.save_session_plan(
            request=replace(request, **explicit).to_json(),
            plan=plan.to_json(),
            sources=plan.sources,
            markdown=session_plan_markdown(plan),
            ics=session_plan_ics(plan).decode() if plan.date else None,
            conversation_id=body.conversation_id,
            owner=user.user,
        )
    except UnknownConversationError as error:
        raise _unknown_conversation(error) from None
    return _public(record)


def _mine(record: Record | None, user: Principal) -> Record | None:
    """An employee sees their own plans; Learning Ops see all."""
    if record is not None and (user.is_learning_ops or record.owner == user.user):
        return record
    return None


def _session_record(plan_id: str, services: ServicesDep, user: Principal) -> SessionPlanRecord:
    record = _mine(services.plans.session_plan(plan_id), user)
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
    plan = services.core.coaching.learning.plan(body.goal, body.hours_per_week, body.weeks)
    sources = list({r.source: r for r in plan.resources}.values())
    try:
        record = services.plans.save_learning_plan(
            goal=body.goal,
            plan=plan.to_json(),
            sources=sources,
            markdown=learning_plan_markdown(plan),
            conversation_id=body.conversation_id,
            owner=user.user,
        )
    except UnknownConversationError as error:
        raise _unknown_conversation(error) from None
    return _public(record)


def _learning_record(plan_id: str, services: ServicesDep, user: Principal) -> LearningPlanRecord:
    record = _mine(services.plans.learning_plan(plan_id), user)
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
