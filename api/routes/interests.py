"""Interests (learn about / share about), the topics people want, and each person's inbox. A key
many people share (the widget role) is nobody: the use cases refuse it (403)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response, status

from api.auth import CurrentUser
from api.community_schemas import (
    HostPublic,
    Inbox,
    InterestChange,
    InterestCreate,
    InterestPublic,
    InterestRegistered,
    Marked,
    MarkRead,
    NamedPerson,
    NoticePublic,
    TopicPublic,
)
from api.deps import ServicesDep
from coach.community.records import Interest, Notice, Visibility
from coach.community.topics import TopicView
from coach.services.access import caller_of

router = APIRouter(prefix="/v1", tags=["community"])


def interest_public(interest: Interest) -> InterestPublic:
    return InterestPublic(
        id=interest.id,
        text=interest.text,
        direction=interest.direction,
        named=interest.named,
        registered_at=interest.registered_at,
        session_id=interest.session_id,
    )


def topic_public(view: TopicView) -> TopicPublic:
    return TopicPublic(
        id=view.id,
        label=view.label,
        people=view.people,
        learners=view.learners,
        sharers=view.sharers,
        named=[NamedPerson(name=n, direction=d) for n, d in view.named],
        yours=list(view.yours),
        hosts=[HostPublic(name=h.name, reason=h.reason, source=h.source) for h in view.hosts],
        new_last_30_days=view.new_recently,
        new_30_to_60_days_ago=view.new_before,
    )


def notice_public(notice: Notice) -> NoticePublic:
    return NoticePublic(
        id=notice.id,
        kind=notice.kind,
        text=notice.text,
        created_at=notice.created_at,
        read=notice.read_at is not None,
        session_id=notice.session_id,
    )


@router.post("/interests", response_model=InterestRegistered, status_code=status.HTTP_201_CREATED)
def register_interest(
    body: InterestCreate, services: ServicesDep, user: CurrentUser
) -> InterestRegistered:
    """ "I'd like to learn about X" or "I could share about X". Anonymous (counted, never named)
    unless `named`; the same statement again is the same interest."""
    visibility: Visibility = "named" if body.named else "anonymous"
    interest, sent = services.community.interests.register(
        caller_of(user), body.text, body.direction, visibility
    )
    return InterestRegistered(**interest_public(interest).model_dump(), notices_sent=len(sent))


@router.get("/interests", response_model=list[InterestPublic])
def my_interests(services: ServicesDep, user: CurrentUser) -> list[InterestPublic]:
    return [interest_public(i) for i in services.community.interests.mine(caller_of(user))]


@router.patch("/interests/{interest_id}", response_model=InterestPublic)
def change_interest(
    interest_id: str, body: InterestChange, services: ServicesDep, user: CurrentUser
) -> InterestPublic:
    """Show your name with it, or stop showing it (notices that named you are rewritten)."""
    visibility: Visibility = "named" if body.named else "anonymous"
    changed = services.community.interests.set_visibility(caller_of(user), interest_id, visibility)
    return interest_public(changed)


@router.delete(
    "/interests/{interest_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response
)
def withdraw_interest(interest_id: str, services: ServicesDep, user: CurrentUser) -> Response:
    """Withdraw it: removed from topics, counts, invitation lists and every notice about it."""
    services.community.interests.withdraw(caller_of(user), interest_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/topics", response_model=list[TopicPublic])
def topics(services: ServicesDep, user: CurrentUser) -> list[TopicPublic]:
    """Topics people want: yours, and those three or more people want (their words shown only
    when someone chose to be named, or enough people share them; names only of those who
    chose to be named)."""
    return [topic_public(v) for v in services.community.board.for_employee(caller_of(user))]


@router.get("/topics/team", response_model=list[TopicPublic])
def topics_for_learning_ops(services: ServicesDep, user: CurrentUser) -> list[TopicPublic]:
    """Learning Ops: every topic others may see, with how it grows and suggested hosts."""
    return [topic_public(v) for v in services.community.board.for_team(caller_of(user))]


@router.get("/inbox", response_model=Inbox)
def inbox(
    services: ServicesDep,
    user: CurrentUser,
    unread_only: bool = False,
    limit: int = Query(default=50, ge=1, le=200),
) -> Inbox:
    """Your notices (and the team's, for Learning Ops), newest first."""
    caller = caller_of(user)
    notices = services.community.inbox.notices(caller, unread_only=unread_only, limit=limit)
    return Inbox(
        unread=services.community.inbox.unread_count(caller),
        notices=[notice_public(n) for n in notices],
    )


@router.post("/inbox/read", response_model=Marked)
def mark_read(body: MarkRead, services: ServicesDep, user: CurrentUser) -> Marked:
    return Marked(marked=services.community.inbox.mark_read(caller_of(user), body.ids))
