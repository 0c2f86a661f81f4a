"""HTTP routes of screening (thin: parse, call the service, render)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from shopguard.platform.auth import SUBJECT_ROLES, Principal
from shopguard.platform.http import current_principal, json_response, runtime_of
from shopguard.screening import service
from shopguard.screening.schemas import DecisionOut, parse_item_json

router = APIRouter(prefix="/v1", tags=["screening"])
Caller = Annotated[Principal, Depends(current_principal)]


@router.post(
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
    service.access_screening(principal)
    item = parse_item_json(await request.body())
    rt = runtime_of(request)
    stored = await service.screen_and_append(
        rt.writer, item, policy=rt.policy, principal=principal, clock=rt.clock
    )
    body = stored.as_dict()
    if principal.role in SUBJECT_ROLES and principal.subject:
        # A shop's or creator's own item: its standing may block it, and a block counts.
        from shopguard.enforcement.service import gate_decision

        body = await run_in_threadpool(
            gate_decision, rt.db, principal.subject, body, decision_id=stored.decision_id,
            severity_of=rt.policy.severity_of, policy=rt.enforcement, clock=rt.clock,
        )  # fmt: skip
    return json_response(body)


@router.get("/decisions/{decision_id}", summary="A stored decision with its evidence")
def get_decision(decision_id: int, request: Request, principal: Caller) -> Response:
    rt = runtime_of(request)
    return json_response(service.access_decision(rt.db, decision_id, principal=principal))
