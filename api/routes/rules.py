"""The rules the coach reads in the playbooks, and Learning Ops' decisions about them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status

from api.auth import LearningOps, require_learning_ops
from api.deps import ServicesDep
from api.schemas import (
    PlaybookRulesPublic,
    RuleDecisionCreate,
    RuleList,
    RulePublic,
    SetAsideDecision,
)
from coach.records import PlaybookRules
from coach.services.rules import InvalidCorrectionError, UnknownRuleError

router = APIRouter(prefix="/v1/rules", tags=["rules"], dependencies=[Depends(require_learning_ops)])


def _public(playbook: PlaybookRules) -> PlaybookRulesPublic:
    return PlaybookRulesPublic(
        source=playbook.source,
        title=playbook.title,
        rules=[RulePublic(**vars(rule)) for rule in playbook.rules],
        set_aside=[
            SetAsideDecision(**{k: v for k, v in vars(d).items() if k != "source"})
            for d in playbook.set_aside
        ],
    )


@router.get("", response_model=RuleList)
def list_rules(
    services: ServicesDep,
    source: Annotated[str | None, Query(max_length=1024, description="One playbook.")] = None,
) -> RuleList:
    """Per playbook, each rule the coach reads with its sentence and status, and the decisions
    set aside because their sentence changed."""
    try:
        playbooks = services.rules.playbooks(source)
    except UnknownRuleError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None
    return RuleList(playbooks=[_public(p) for p in playbooks])


@router.put(
    "/decisions",
    response_model=PlaybookRulesPublic,
    responses={404: {"description": "No such playbook or sentence"}},
)
def decide(
    body: RuleDecisionCreate, services: ServicesDep, user: LearningOps
) -> PlaybookRulesPublic:
    """Confirm, correct or ignore what the coach reads in a sentence. The decision replaces any
    earlier one about that sentence, wins over what was read (in plans too), and applies while
    the sentence is unchanged. Returns the playbook's rules as they now stand."""
    try:
        playbook = services.rules.decide(
            body.source,
            body.sentence,
            body.action,
            by=user.user,
            kind=body.kind,
            value=body.value,
            unit=body.unit,
        )
    except UnknownRuleError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None
    except InvalidCorrectionError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    return _public(playbook)
