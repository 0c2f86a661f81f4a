"""HTTP routes of enforcement (thin: parse, check access, call the service, render)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from shopguard.enforcement import appeals, publishing, review, subjects
from shopguard.enforcement.context import EnforcementContext
from shopguard.enforcement.gate import gate_decision
from shopguard.enforcement.violations import apply_violation
from shopguard.interface.http import app_runtime, current_principal, json_response
from shopguard.platform.auth import STAFF_ROLES, SUBJECT_ROLES, Principal, Role, require_role
from shopguard.platform.errors import InvalidInput, NotFound
from shopguard.screening import service as screening
from shopguard.screening.schemas import DecisionOut, parse_item_json

router = APIRouter(prefix="/v1", tags=["enforcement"])
Caller = Annotated[Principal, Depends(current_principal)]


def runtime_of(request: Request) -> EnforcementContext:
    rt: EnforcementContext = app_runtime(request)
    return rt


def acts_for(principal: Principal, subject_id: str) -> bool:
    """Staff act on every subject; a merchant's or creator's key only on itself. Other scoped
    keys (a consumer, a rights holder) have no subject here, whatever id their key carries."""
    if principal.role in STAFF_ROLES:
        return True
    return principal.role in (Role.MERCHANT, Role.CREATOR) and principal.subject == subject_id


def access_subject(principal: Principal, subject_id: str) -> None:
    """Staff see every subject; a merchant or creator only itself (others look absent)."""
    if not acts_for(principal, subject_id):
        raise NotFound(f"no subject {subject_id!r}")


# Screening and the publish gate, under screening's tag: the gate needs the owner's standing,
# so the route that screens a subject's own item lives here, above screening.
publishing_router = APIRouter(prefix="/v1", tags=["screening"])


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
    require_role(principal, Role.ADMIN)
    rt = runtime_of(request)
    subjects.register_subject(
        rt.db, body.id, type=body.type, name=body.name, followers=body.followers,
        clock=rt.clock, actor=principal.key_id,
    )  # fmt: skip
    return json_response({"id": body.id, "type": body.type}, 201)


@router.post(
    "/violations", status_code=201, summary="Record a reviewer's finding against a subject"
)
def record_violation(body: ViolationIn, request: Request, principal: Caller) -> Response:
    require_role(principal, Role.ADMIN, Role.REVIEWER)
    rt = runtime_of(request)
    applied = apply_violation(
        rt.db, body.subject, code=body.code, severity=body.severity, source=body.source,
        policy=rt.enforcement, clock=rt.clock, actor=principal.key_id, item_id=body.item_id,
        evidence=body.evidence,
    )  # fmt: skip
    return json_response(
        {
            "violation_id": applied.violation_id,
            "points": applied.points,
            "sanctions": list(applied.sanctions),
            "state": applied.state,
            "review_item": applied.review_item,
        },
        201,
    )


@router.get(
    "/subjects/{subject_id}/standing", summary="Points in the window and sanctions in force"
)
def standing(subject_id: str, request: Request, principal: Caller) -> Response:
    access_subject(principal, subject_id)
    rt = runtime_of(request)
    now = subjects.get_standing(rt.db, subject_id, policy=rt.enforcement, clock=rt.clock)
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


@router.get("/subjects/{subject_id}", summary="A merchant's or creator's registration")
def subject(subject_id: str, request: Request, principal: Caller) -> Response:
    access_subject(principal, subject_id)
    return json_response(subjects.get_subject(runtime_of(request).db, subject_id))


@router.get(
    "/subjects/{subject_id}/items", summary="Its screened listings and content, with status"
)
def items(subject_id: str, request: Request, principal: Caller, limit: int = 100) -> Response:
    access_subject(principal, subject_id)
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit: between 1 and 1000")
    rows = subjects.list_items(runtime_of(request).db, subject_id, limit=limit)
    return json_response({"items": rows})


@router.get("/subjects/{subject_id}/violations", summary="A subject's violations and their state")
def violations(subject_id: str, request: Request, principal: Caller) -> Response:
    access_subject(principal, subject_id)
    return json_response(
        {"violations": subjects.list_violations(runtime_of(request).db, subject_id)}
    )


class AppealIn(BaseModel):
    violation_id: int | None = None
    sanction_id: int | None = None
    reason: str = Field(min_length=1, max_length=2000)


class AppealDecisionIn(BaseModel):
    uphold: bool
    reason: str = Field(min_length=1, max_length=2000)


@router.post(
    "/appeals",
    status_code=201,
    summary="A merchant or creator appeals its own violation or sanction",
)
def appeal(body: AppealIn, request: Request, principal: Caller) -> Response:
    require_role(principal, Role.MERCHANT, Role.CREATOR)
    rt = runtime_of(request)
    appeal_id = appeals.file_appeal(
        rt.db, subject=principal.subject or "", reason=body.reason, clock=rt.clock,
        actor=principal.key_id, violation_id=body.violation_id, sanction_id=body.sanction_id,
    )  # fmt: skip
    return json_response({"appeal_id": appeal_id, "state": "open"}, 201)


@router.get("/appeals/{appeal_id}", summary="An appeal and its answer")
def get_appeal(appeal_id: int, request: Request, principal: Caller) -> Response:
    found = appeals.get_appeal(runtime_of(request).db, appeal_id)
    if not acts_for(principal, found["subject"]):
        raise NotFound(f"no appeal {appeal_id}")
    return json_response(found)


@router.post(
    "/appeals/{appeal_id}/decision", summary="A second reviewer upholds or rejects an appeal"
)
def decide(appeal_id: int, body: AppealDecisionIn, request: Request, principal: Caller) -> Response:
    require_role(principal, Role.ADMIN, Role.REVIEWER)
    rt = runtime_of(request)
    return json_response(
        appeals.decide_appeal(
            rt.db,
            appeal_id,
            uphold=body.uphold,
            reason=body.reason,
            policy=rt.enforcement,
            clock=rt.clock,
            actor=principal.key_id,
        )  # fmt: skip
    )


class ClaimIn(BaseModel):
    why: str | None = None


class ReviewDecisionIn(BaseModel):
    outcome: str
    reason: str = Field(min_length=1, max_length=2000)
    code: str | None = None
    severity: str | None = None


class SampleIn(BaseModel):
    day: date


@router.get("/review", summary="The review queue")
def queue(request: Request, principal: Caller, state: str | None = None) -> Response:
    require_role(principal, Role.ADMIN, Role.REVIEWER)
    return json_response({"items": review.list_items(runtime_of(request).db, state=state)})


@router.post(
    "/review/claim",
    summary="Lease the oldest queued item you may decide (204 when there is none)",
)
def claim(body: ClaimIn, request: Request, principal: Caller) -> Response:
    require_role(principal, Role.ADMIN, Role.REVIEWER)
    rt = runtime_of(request)
    item = review.claim(
        rt.db, reviewer=principal.key_id, why=body.why, policy=rt.enforcement, clock=rt.clock
    )
    return Response(status_code=204) if item is None else json_response(item)


@router.post("/review/{item_id}/release", summary="Give a claimed item back to the queue")
def release(item_id: int, request: Request, principal: Caller) -> Response:
    require_role(principal, Role.ADMIN, Role.REVIEWER)
    rt = runtime_of(request)
    review.release(rt.db, item_id, reviewer=principal.key_id, clock=rt.clock)
    return json_response({"item": item_id, "state": "released"})


@router.post(
    "/review/{item_id}/decision", summary="Confirm, overturn or change a leased item, with a reason"
)
def review_decision(
    item_id: int, body: ReviewDecisionIn, request: Request, principal: Caller
) -> Response:
    require_role(principal, Role.ADMIN, Role.REVIEWER)
    rt = runtime_of(request)
    return json_response(
        review.decide(
            rt.db,
            item_id,
            outcome=body.outcome,
            reason=body.reason,
            reviewer=principal.key_id,
            policy=rt.enforcement,
            clock=rt.clock,
            code=body.code,
            severity=body.severity,
        )  # fmt: skip
    )


@router.post("/review/sample", summary="Queue the daily QA sample of one day's automatic decisions")
def sample(body: SampleIn, request: Request, principal: Caller) -> Response:
    require_role(principal, Role.ADMIN)
    rt = runtime_of(request)
    n = review.sample_day(
        rt.db, body.day, policy=rt.enforcement, clock=rt.clock, actor=principal.key_id
    )
    return json_response({"day": body.day.isoformat(), "sampled": n})


@publishing_router.post(
    "/screen",
    summary="Screen one listing, content item or message and store the decision",
    response_model=DecisionOut,
    responses={
        400: {"description": "body is not JSON"},
        401: {"description": "missing or bad key"},
        422: {"description": "invalid item"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ItemIn"}}},
        }
    },
)
async def screen(request: Request) -> Response:
    # The hot path: the key and body are read here rather than through FastAPI's dependency
    # and body machinery (which costs more than screening itself); pydantic still validates.
    # Screening is pure and fast, so it runs on the event loop; the decision is appended by the
    # group-commit writer and the answer waits for its commit.
    principal = await current_principal(request)
    screening.access_screening(principal)
    item = parse_item_json(await request.body())
    rt = runtime_of(request)
    stored = await screening.screen_and_append(
        rt.writer, item, policy=rt.policy, principal=principal, clock=rt.clock
    )
    body = stored.as_dict()
    if principal.role in SUBJECT_ROLES and principal.subject:
        # A shop's or creator's own item: its standing may block it, and a block counts.
        body = await run_in_threadpool(
            gate_decision, rt.db, principal.subject, body, decision_id=stored.decision_id,
            severity_of=rt.policy.severity_of, policy=rt.enforcement, clock=rt.clock,
        )  # fmt: skip
    return json_response(body)


@publishing_router.get("/decisions/{decision_id}", summary="A stored decision with its evidence")
def get_decision(decision_id: int, request: Request, principal: Caller) -> Response:
    rt = runtime_of(request)
    return json_response(publishing.access_decision(rt.db, decision_id, principal=principal))
