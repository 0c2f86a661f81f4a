"""HTTP routes of enforcement (thin: parse, check access, call the service, render)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from shopguard.enforcement import service
from shopguard.platform.auth import STAFF_ROLES, Principal, Role
from shopguard.platform.errors import Forbidden, NotFound
from shopguard.platform.http import current_principal, json_response, runtime_of

router = APIRouter(prefix="/v1", tags=["enforcement"])
Caller = Annotated[Principal, Depends(current_principal)]


def access_subject(principal: Principal, subject_id: str) -> None:
    """Staff see every subject; a merchant or creator only itself (others look absent)."""
    if principal.role not in STAFF_ROLES and principal.subject != subject_id:
        raise NotFound(f"no subject {subject_id!r}")


def require(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        raise Forbidden(f"role {principal.role.value} may not do this")


class SubjectIn(BaseModel):
    id: str = Field(min_length=1, max_length=128)
    type: str
    name: str = Field(min_length=1, max_length=200)
    followers: int = Field(default=0, ge=0)


class ViolationIn(BaseModel):
    subject: str = Field(min_length=1, max_length=128)
    code: str
    severity: str
    source: str = "reviewer"
    item_id: str | None = None
    evidence: list[dict[str, Any]] = Field(default_factory=list)


@router.post("/subjects", status_code=201, summary="Register a merchant (shop) or creator")
def register(body: SubjectIn, request: Request, principal: Caller) -> Response:
    require(principal, Role.ADMIN)
    rt = runtime_of(request)
    service.register_subject(
        rt.db, body.id, type=body.type, name=body.name, followers=body.followers,
        clock=rt.clock, actor=principal.key_id,
    )  # fmt: skip
    return json_response({"id": body.id, "type": body.type}, 201)


@router.post(
    "/violations", status_code=201, summary="Record a reviewer's finding against a subject"
)
def record_violation(body: ViolationIn, request: Request, principal: Caller) -> Response:
    require(principal, Role.ADMIN, Role.REVIEWER)
    rt = runtime_of(request)
    applied = service.apply_violation(
        rt.db, body.subject, code=body.code, severity=body.severity, source=body.source,
        policy=rt.enforcement, clock=rt.clock, actor=principal.key_id, item_id=body.item_id,
        evidence=body.evidence,
    )  # fmt: skip
    return json_response(
        {
            "violation_id": applied.violation_id,
            "points": applied.points,
            "sanctions": list(applied.sanctions),
        },
        201,
    )


@router.get(
    "/subjects/{subject_id}/standing", summary="Points in the window and sanctions in force"
)
def standing(subject_id: str, request: Request, principal: Caller) -> Response:
    access_subject(principal, subject_id)
    rt = runtime_of(request)
    now = service.get_standing(rt.db, subject_id, policy=rt.enforcement, clock=rt.clock)
    return json_response(
        {
            "subject": subject_id,
            "points": now.points,
            "blocked": now.blocked,
            "sanctions": [
                {
                    "sanction": s.sanction.value,
                    "since": s.since.isoformat(),
                    "until": s.until.isoformat() if s.until else None,
                }
                for s in now.sanctions
            ],
        }
    )


class AppealIn(BaseModel):
    violation_id: int
    reason: str = Field(min_length=1, max_length=2000)


class AppealDecisionIn(BaseModel):
    uphold: bool
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/appeals", status_code=201, summary="A merchant or creator appeals its own violation")
def appeal(body: AppealIn, request: Request, principal: Caller) -> Response:
    require(principal, Role.MERCHANT, Role.CREATOR)
    rt = runtime_of(request)
    appeal_id = service.file_appeal(
        rt.db, body.violation_id, subject=principal.subject or "", reason=body.reason,
        clock=rt.clock, actor=principal.key_id,
    )  # fmt: skip
    return json_response({"appeal_id": appeal_id, "state": "open"}, 201)


@router.post(
    "/appeals/{appeal_id}/decision", summary="A second reviewer upholds or rejects an appeal"
)
def decide(appeal_id: int, body: AppealDecisionIn, request: Request, principal: Caller) -> Response:
    require(principal, Role.ADMIN, Role.REVIEWER)
    rt = runtime_of(request)
    return json_response(
        service.decide_appeal(
            rt.db,
            appeal_id,
            uphold=body.uphold,
            reason=body.reason,
            clock=rt.clock,
            actor=principal.key_id,
        )  # fmt: skip
    )
