"""Communities of practice and their pages, learning-plan check-ins, and the autonomy view."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query, Response, status

from api.auth import CurrentUser
from api.community_schemas import (
    AutonomyPublic,
    CheckInCreate,
    CommunityCreate,
    CommunityJoin,
    CommunityPagePublic,
    CommunitySummary,
    GatheringPublic,
    MonthPublic,
    NewOrganiser,
    StandingPublic,
    WeekStepPublic,
)
from api.deps import ServicesDep
from coach.community.autonomy import MONTHS, to_csv
from coach.community.checkins import PlanStanding, standing_markdown
from coach.community.communities import CommunityPage, Gathering
from coach.community.people import Caller
from coach.community.records import Community, Visibility
from coach.services import Services
from coach.services.access import caller_of

router = APIRouter(prefix="/v1", tags=["community"])


def _summary(community: Community) -> CommunitySummary:
    return CommunitySummary(
        id=community.id, name=community.name, about=community.about,
        members=len(community.members),
    )  # fmt: skip


def _gathering(g: Gathering | None) -> GatheringPublic | None:
    if g is None:
        return None
    return GatheringPublic(
        title=g.title, date=g.date, host=g.host, attendees=g.attendees, source=g.source
    )


def _page(page: CommunityPage) -> CommunityPagePublic:
    return CommunityPagePublic(
        id=page.id, name=page.name, about=page.about, organisers=list(page.organisers),
        members_named=list(page.members_named), members=page.members,
        held=[g for g in map(_gathering, page.held) if g is not None],
        next_gathering=_gathering(page.next_gathering), you_are_member=page.you_are_member,
    )  # fmt: skip


@router.get("/communities", response_model=list[CommunitySummary])
def communities(services: ServicesDep, user: CurrentUser) -> list[CommunitySummary]:
    return [_summary(c) for c in services.community.communities.all(caller_of(user))]


@router.post(
    "/communities", response_model=CommunityPagePublic, status_code=status.HTTP_201_CREATED
)
def create_community(
    body: CommunityCreate, services: ServicesDep, user: CurrentUser
) -> CommunityPagePublic:
    """A new community of practice, with you as its first organiser."""
    caller = caller_of(user)
    made = services.community.communities.create(caller, body.name, body.about, body.tag)
    return _page(services.community.communities.page(caller, made.id))


@router.get("/communities/{community_id}", response_model=CommunityPagePublic)
def community_page(
    community_id: str, services: ServicesDep, user: CurrentUser
) -> CommunityPagePublic:
    """Its organisers, members (named only with their agreement), gatherings held (from the
    library's session notes) and the next one."""
    return _page(services.community.communities.page(caller_of(user), community_id))


@router.post("/communities/{community_id}/join", response_model=CommunityPagePublic)
def join(
    community_id: str, body: CommunityJoin, services: ServicesDep, user: CurrentUser
) -> CommunityPagePublic:
    caller = caller_of(user)
    visibility: Visibility = "named" if body.named else "anonymous"
    services.community.communities.join(caller, community_id, visibility)
    return _page(services.community.communities.page(caller, community_id))


@router.post("/communities/{community_id}/leave", response_model=CommunityPagePublic)
def leave(community_id: str, services: ServicesDep, user: CurrentUser) -> CommunityPagePublic:
    caller = caller_of(user)
    services.community.communities.leave(caller, community_id)
    return _page(services.community.communities.page(caller, community_id))


@router.post("/communities/{community_id}/organisers", response_model=CommunityPagePublic)
def add_organiser(
    community_id: str, body: NewOrganiser, services: ServicesDep, user: CurrentUser
) -> CommunityPagePublic:
    caller = caller_of(user)
    services.community.communities.make_organiser(caller, community_id, body.person)
    return _page(services.community.communities.page(caller, community_id))


def _standing(standing: PlanStanding) -> StandingPublic:
    data = asdict(standing)
    data["next_weeks"] = [WeekStepPublic(**step) for step in data["next_weeks"]]
    return StandingPublic(**data, markdown=standing_markdown(standing))


@router.post("/learning-plans/{plan_id}/check-ins", response_model=StandingPublic)
def check_in(
    plan_id: str, body: CheckInCreate, services: ServicesDep, user: CurrentUser
) -> StandingPublic:
    """How a week's milestone went (done, moved to a later week, dropped); where the plan
    stands now and its next weeks."""
    standing = services.community.check_ins.check_in(
        caller_of(user), plan_id, body.week, body.status, to_week=body.to_week, note=body.note
    )
    return _standing(standing)


@router.get("/learning-plans/{plan_id}/standing", response_model=StandingPublic)
def plan_standing(plan_id: str, services: ServicesDep, user: CurrentUser) -> StandingPublic:
    return _standing(services.community.check_ins.standing(caller_of(user), plan_id))


def _with_demo(
    services: Services, caller: Caller, include_demo: bool | None
) -> tuple[bool, str | None]:
    """Whether to count the demo year: when asked, else whenever one is seeded."""
    demo = services.community.demo.current(caller)
    tag = demo.tag if demo else None
    return (tag is not None if include_demo is None else include_demo and tag is not None), tag


@router.get("/analytics/autonomy", response_model=AutonomyPublic)
def autonomy(
    services: ServicesDep,
    user: CurrentUser,
    months: int = Query(default=MONTHS, ge=1, le=36),
    include_demo: bool | None = Query(
        default=None, description="Count the seeded demo year (default: when one is seeded)."
    ),
) -> AutonomyPublic:
    """Learning Ops: per month, sessions run by employees, the share run without a hand-off,
    first-time and repeat hosts, attendees who later hosted, communities active, interests
    that became sessions and how fast, hand-offs per 100 conversations, and questions the
    library could not answer."""
    caller = caller_of(user)
    counted, tag = _with_demo(services, caller, include_demo)
    rows = services.community.autonomy.by_month(caller, months=months, include_demo=counted)
    return AutonomyPublic(
        includes_demo=counted, demo_tag=tag, months=[MonthPublic(**asdict(r)) for r in rows]
    )


@router.get(
    "/analytics/autonomy.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def autonomy_csv(
    services: ServicesDep,
    user: CurrentUser,
    months: int = Query(default=MONTHS, ge=1, le=36),
    include_demo: bool | None = None,
) -> Response:
    """The numbers behind the autonomy charts, one row a month."""
    caller = caller_of(user)
    counted, _ = _with_demo(services, caller, include_demo)
    rows = services.community.autonomy.by_month(caller, months=months, include_demo=counted)
    return Response(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="autonomy.csv"'},
    )
