"""HTTP routes of information security: orders, reveals, exports, waybills, privacy numbers,
order messages and principal locks (thin: parse, call the service, render)."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from shopguard.interface.http import app_runtime, current_principal, json_response
from shopguard.platform.auth import Principal
from shopguard.platform.errors import FieldError, InvalidInput, MalformedInput
from shopguard.privacy import messages, service, shipping
from shopguard.privacy.context import PrivacyContext
from shopguard.privacy.waybill import render_pdf

router = APIRouter(prefix="/v1", tags=["privacy"])
Caller = Annotated[Principal, Depends(current_principal)]


def runtime_of(request: Request) -> PrivacyContext:
    rt: PrivacyContext = app_runtime(request)
    return rt


BATCH_MAX = 1000


class ConsigneeIn(BaseModel):
    name: str
    phone: str
    address: dict[str, str] = Field(
        description="province, city, district and detail (street, building, unit, room)"
    )


class OrderIn(BaseModel):
    merchant: str
    product: str
    amount_cents: int
    consignee: ConsigneeIn
    promised_ship_at: str = Field(description="ISO 8601 with a time zone")
    consumer: str | None = None


class RevealIn(BaseModel):
    purpose: str = Field(description="one of the policy's purposes, e.g. print_waybill")


class WaybillIn(BaseModel):
    privacy_number: bool = True


class MessageIn(BaseModel):
    text: str


class ReleaseIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


async def _json(request: Request) -> Any:
    """The body as JSON; broken JSON is a 400 that does not echo it."""
    try:
        return orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise MalformedInput("body: not valid JSON") from None


@router.post(
    "/orders",
    status_code=201,
    summary="Place an order; the consignee is stored only in the encrypted vault",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderIn"}}},
        }
    },
)
async def create_order(request: Request, principal: Caller) -> Response:
    order = service.parse_order(await _json(request))
    rt = runtime_of(request)
    (view,) = await run_in_threadpool(
        service.create_orders, rt.db, rt.keyring, [order], principal=principal, clock=rt.clock
    )
    return json_response(view, 201)


@router.post(
    "/orders/batch",
    status_code=201,
    summary=f"Place up to {BATCH_MAX} orders in one transaction (all or nothing)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "orders": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/OrderIn"},
                            }
                        },
                    }
                }
            },
        }
    },
)
async def create_orders(request: Request, principal: Caller) -> Response:
    body = await _json(request)
    raw = body.get("orders") if isinstance(body, dict) else None
    if not isinstance(raw, list) or not 0 < len(raw) <= BATCH_MAX:
        message = f"expected a list of 1 to {BATCH_MAX} orders"
        raise InvalidInput(f"orders: {message}", errors=[FieldError("orders", message)])
    orders = [service.parse_order(o, line=i + 1) for i, o in enumerate(raw)]
    rt = runtime_of(request)
    views = await run_in_threadpool(
        service.create_orders, rt.db, rt.keyring, orders, principal=principal, clock=rt.clock
    )
    return json_response({"orders": [{"id": v["id"]} for v in views]}, 201)


@router.get("/orders", summary="A page of orders, consignees masked")
def list_orders(
    request: Request,
    principal: Caller,
    merchant: str | None = None,
    after: int = 0,
    limit: int = 50,
) -> Response:
    rows = service.list_orders(
        runtime_of(request).db, principal=principal, merchant=merchant, after=after, limit=limit
    )
    return json_response({"orders": rows, "next_after": rows[-1]["id"] if rows else None})


@router.get("/orders/export", summary="Bulk export of a shop's orders as JSON lines, masked")
def export_orders(request: Request, principal: Caller, merchant: str | None = None) -> Response:
    rt = runtime_of(request)
    rows = service.export_orders(
        rt.db, principal=principal, merchant=merchant, policy=rt.privacy,
        enforcement_policy=rt.enforcement, clock=rt.clock,
    )  # fmt: skip
    lines = (orjson.dumps(r) + b"\n" for r in rows)
    return StreamingResponse(lines, media_type="application/x-ndjson")


@router.get("/orders/{order_id}", summary="One order: clear for its consumer, masked otherwise")
def get_order(order_id: int, request: Request, principal: Caller) -> Response:
    rt = runtime_of(request)
    return json_response(service.read_order(rt.db, rt.keyring, order_id, principal=principal))


@router.post(
    "/orders/{order_id}/reveal",
    summary="The consignee in clear, for a listed purpose; audited and rate-limited",
)
def reveal(order_id: int, body: RevealIn, request: Request, principal: Caller) -> Response:
    rt = runtime_of(request)
    view = service.reveal(
        rt.db, rt.keyring, order_id, purpose=body.purpose, principal=principal,
        policy=rt.privacy, enforcement_policy=rt.enforcement, clock=rt.clock,
    )  # fmt: skip
    return json_response(view)


@router.post(
    "/orders/{order_id}/waybill",
    status_code=201,
    summary="Ship on a waybill masked to GB/T 41833-2022, with a privacy number",
)
def create_waybill(
    order_id: int, request: Request, principal: Caller, body: WaybillIn | None = None
) -> Response:
    rt = runtime_of(request)
    document = shipping.create_waybill(
        rt.db, rt.keyring, order_id, principal=principal,
        privacy_number=(body or WaybillIn()).privacy_number, policy=rt.privacy, clock=rt.clock,
    )  # fmt: skip
    return json_response(document, 201)


@router.get("/waybills/{waybill_no}", summary="A waybill as printed (masked)")
def get_waybill(waybill_no: str, request: Request, principal: Caller) -> Response:
    return json_response(
        shipping.read_waybill(runtime_of(request).db, waybill_no, principal=principal)
    )


@router.get("/waybills/{waybill_no}/pdf", summary="The printable waybill (PDF)")
def waybill_pdf(waybill_no: str, request: Request, principal: Caller) -> Response:
    document = shipping.read_waybill(runtime_of(request).db, waybill_no, principal=principal)
    return Response(render_pdf(document), media_type="application/pdf")


@router.post("/waybills/{waybill_no}/delivered", summary="The courier delivered the parcel")
def delivered(waybill_no: str, request: Request, principal: Caller) -> Response:
    rt = runtime_of(request)
    (done,) = shipping.mark_delivered(
        rt.db, [waybill_no], principal=principal, policy=rt.privacy, clock=rt.clock
    )
    return json_response(done)


@router.post(
    "/privacy-numbers/{number}/resolve",
    summary="Connect a courier's call: the real phone behind a privacy number (audited)",
)
def resolve(number: str, request: Request, principal: Caller) -> Response:
    rt = runtime_of(request)
    return json_response(
        shipping.resolve_number(
            rt.db,
            rt.keyring,
            number,
            principal=principal,
            policy=rt.privacy,
            enforcement_policy=rt.enforcement,
            clock=rt.clock,
        )  # fmt: skip
    )


@router.post(
    "/orders/{order_id}/messages",
    status_code=201,
    summary="Write to the other side of an order; personal data and off-platform asks redacted",
)
def post_message(order_id: int, body: MessageIn, request: Request, principal: Caller) -> Response:
    rt = runtime_of(request)
    view = messages.post_message(
        rt.db, order_id, body.text, principal=principal, screening=rt.policy,
        enforcement_policy=rt.enforcement, clock=rt.clock,
    )  # fmt: skip
    return json_response(view, 201)


@router.get("/orders/{order_id}/messages", summary="An order's messages, as stored (redacted)")
def list_messages(order_id: int, request: Request, principal: Caller) -> Response:
    rows = messages.list_messages(runtime_of(request).db, order_id, principal=principal)
    return json_response({"messages": rows})


@router.get("/privacy/locks", summary="Principals locked out of personal data")
def locks(request: Request, principal: Caller) -> Response:
    return json_response({"locks": service.list_locks(runtime_of(request).db, principal=principal)})


@router.post("/privacy/locks/{lock_id}/release", summary="Lift a lock, with a reason")
def release(lock_id: int, body: ReleaseIn, request: Request, principal: Caller) -> Response:
    rt = runtime_of(request)
    service.release_lock(rt.db, lock_id, principal=principal, reason=body.reason, clock=rt.clock)
    return json_response({"id": lock_id, "released": True})
