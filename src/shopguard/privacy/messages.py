"""Buyer-seller messages on an order. Every message passes the personal-data detector and the
screening engine before it is stored: personal data is stored masked whoever wrote it, and a
shop that writes a consumer's phone or ID number into a message, or asks to move the deal off
the platform (私下交易), has that text redacted and a violation recorded against it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from shopguard.enforcement import findings, violations
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform import audit, bulk
from shopguard.platform.auth import STAFF_ROLES, Principal, Role
from shopguard.platform.clock import Clock
from shopguard.platform.db import Database
from shopguard.platform.errors import FieldError, Forbidden, InvalidInput
from shopguard.privacy import store
from shopguard.privacy.service import access_order
from shopguard.text import pii
from shopguard.text.compiler import CompiledPolicy
from shopguard.text.engine import screen_item
from shopguard.text.model import Code, Item, Kind

OFF_PLATFORM = "[已屏蔽]"  # what stands where an off-platform request was


@dataclass(frozen=True)
class Redacted:
    """A message as stored: the text with personal data masked and off-platform requests
    replaced, what was found (types and offsets into the stored text), and the codes a shop's
    message breaks."""

    text: str
    spans: tuple[dict[str, Any], ...]
    codes: tuple[str, ...]


def redact(text: str, policy: CompiledPolicy) -> Redacted:
    """Mask personal data and blank out off-platform requests. Pure given the policy."""
    cuts: list[tuple[int, int, str, str]] = [
        (e.start, e.end, e.masked, e.type.value) for e in pii.find_pii(text)
    ]
    decision = screen_item(Item(id="message", kind=Kind.MESSAGE, text=text), policy)
    codes = {c for c in decision.codes if c in (Code.PII_EXPOSURE, Code.DIVERSION_OFF_PLATFORM)}
    if cuts:
        codes.add(Code.PII_EXPOSURE.value)
    for v in decision.violations:
        if v.code == Code.DIVERSION_OFF_PLATFORM and v.field == "text":
            cuts.append((v.start, v.end, OFF_PLATFORM, "off_platform"))
    # Keep the earliest of overlapping cuts; build the stored text and its spans in one pass.
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    for start, end, replacement, kind in sorted(cuts):
        if start < pos:
            continue
        out.append(text[pos:start])
        at = sum(len(p) for p in out)
        out.append(replacement)
        spans.append({"type": kind, "start": at, "end": at + len(replacement)})
        pos = end
    out.append(text[pos:])
    return Redacted("".join(out), tuple(spans), tuple(sorted(str(c) for c in codes)))


def post_message(
    db: Database,
    order_id: int,
    text: str,
    *,
    principal: Principal,
    screening: CompiledPolicy,
    enforcement_policy: EnforcementPolicy,
    clock: Clock,
) -> dict[str, Any]:
    """Store a message from the order's shop or its consumer, redacted; a shop's leak or
    off-platform request is recorded as a violation (one per code)."""
    if principal.role not in (Role.MERCHANT, Role.CONSUMER):
        raise Forbidden(f"role {principal.role.value} may not write order messages")
    if not text.strip() or len(text) > 2000:
        message = "expected 1 to 2000 characters"
        raise InvalidInput(f"text: {message}", errors=[FieldError("text", message)])
    now = clock.now()
    result = redact(text, screening)
    with db.transaction() as conn:
        order = access_order(conn, order_id, principal)
        violation_id = None
        shop = order["merchant"]
        if principal.role is Role.MERCHANT and result.codes:
            evidence = [{"field": "text", "type": s["type"], "start": s["start"],
                         "end": s["end"], "match": result.text[s["start"]:s["end"]]}
                        for s in result.spans]  # fmt: skip
            found = [
                findings.Finding(shop, code, "general", "automatic", evidence=evidence)
                for code in result.codes
            ]
            applied = violations.record(
                conn, found, policy=enforcement_policy, now=now, actor="message-screen"
            )
            violation_id = applied[0].violation_id
        (message_id,) = bulk.insert_many(
            conn, store.messages,
            [{"order_id": order_id, "sender_role": principal.role.value,
              "sender": principal.subject or principal.key_id, "text": result.text,
              "redactions": list(result.spans), "redacted": bool(result.spans),
              "violation_id": violation_id, "at": now}],
        )  # fmt: skip
        if result.spans:
            audit.append(
                conn, at=now, principal="message-screen", action="message.redact",
                target=f"message:{message_id}", reason="personal data or off-platform request",
                detail={"order": order_id, "types": sorted({s["type"] for s in result.spans}),
                        "violation": violation_id},
            )  # fmt: skip
    return {"id": message_id, "order_id": order_id, "sender_role": principal.role.value,
            "text": result.text, "redactions": list(result.spans), "violation_id": violation_id,
            "at": now.isoformat()}  # fmt: skip


def list_messages(db: Database, order_id: int, *, principal: Principal) -> list[dict[str, Any]]:
    """The order's messages as stored (redacted), for its shop, its consumer and staff."""
    if principal.role not in STAFF_ROLES | {Role.MERCHANT, Role.CONSUMER}:
        raise Forbidden(f"role {principal.role.value} may not read order messages")
    with db.engine.connect() as conn:
        access_order(conn, order_id, principal)
        rows = conn.execute(
            select(store.messages)
            .where(store.messages.c.order_id == order_id)
            .order_by(store.messages.c.id)
        ).mappings()
        return [
            {"id": r["id"], "order_id": r["order_id"], "sender_role": r["sender_role"],
             "text": r["text"], "redactions": r["redactions"], "violation_id": r["violation_id"],
             "at": store.iso(r["at"])}
            for r in rows
        ]  # fmt: skip
