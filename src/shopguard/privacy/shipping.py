"""Shipping personal data safely: waybills masked to GB/T 41833-2022 and privacy numbers (virtual
numbers bound to the consignee's real phone until some days after delivery, resolvable only by
couriers through an audited, watched call). Access checks live in `access_waybill`."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from shopguard.enforcement import store as enforcement_store
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform import audit, bulk
from shopguard.platform.auth import Principal, Role
from shopguard.platform.clock import Clock, aware
from shopguard.platform.db import Database
from shopguard.platform.errors import Conflict, Forbidden, Gone, NotFound
from shopguard.privacy import monitor, store, vault
from shopguard.privacy.keyring import Keyring
from shopguard.privacy.model import PrivacyPolicy
from shopguard.privacy.service import ORDER_WRITERS, access_order, consignee_of
from shopguard.privacy.waybill import waybill_document


def create_waybill(
    db: Database,
    ring: Keyring,
    order_id: int,
    *,
    principal: Principal,
    privacy_number: bool,
    policy: PrivacyPolicy,
    clock: Clock,
) -> dict[str, Any]:
    """Ship one order on a masked waybill (see `create_waybills`)."""
    (document,) = create_waybills(
        db, ring, [order_id], principal=principal, privacy_number=privacy_number,
        policy=policy, clock=clock,
    )  # fmt: skip
    return document


def create_waybills(
    db: Database,
    ring: Keyring,
    order_ids: Sequence[int],
    *,
    principal: Principal,
    privacy_number: bool,
    policy: PrivacyPolicy,
    clock: Clock,
) -> list[dict[str, Any]]:
    """Ship orders on waybills masked to GB/T 41833-2022 (批量打单: one transaction). With
    `privacy_number` each phone is replaced by a virtual number bound to the real one until
    some days after delivery; without it the phone is masked on the label."""
    if principal.role not in ORDER_WRITERS:
        raise Forbidden(f"role {principal.role.value} may not print waybills")
    now = clock.now()
    documents: list[dict[str, Any]] = []
    with db.transaction() as conn:
        rows = [access_order(conn, i, principal) for i in order_ids]
        done = (
            conn.execute(
                select(store.waybills.c.order_id).where(store.waybills.c.order_id.in_(order_ids))
            )
            .scalars()
            .first()
        )
        if done is not None:
            raise Conflict(f"order {done} already has a waybill")
        clear = vault.open_many(conn, ring, [r["consignee_record"] for r in rows])
        names = {
            s["id"]: str(s["name"])
            for s in enforcement_store.subjects_by_id(
                conn, sorted({r["merchant"] for r in rows}), for_update=False
            ).values()
        }
        numbers = (
            _bind_numbers(conn, [r["id"] for r in rows], policy, now) if privacy_number else {}
        )
        waybill_rows = []
        for r in rows:
            waybill_no = f"SG{r['id']:012d}"
            number = numbers.get(r["id"])
            document = waybill_document(
                waybill_no=waybill_no, order_id=r["id"],
                merchant_name=names.get(r["merchant"], r["merchant"]),
                consignee=consignee_of(clear[r["consignee_record"]]), privacy_number=number,
                privacy_expires_at=None, product=r["product"], created_at=now,
            )  # fmt: skip
            documents.append(document)
            waybill_rows.append(
                {"waybill_no": waybill_no, "order_id": r["id"], "merchant": r["merchant"],
                 "privacy_number": number, "document": document, "created_at": now}
            )  # fmt: skip
        bulk.insert_many(conn, store.waybills, waybill_rows, ids=False)
        conn.execute(
            update(store.orders)
            .where(store.orders.c.id.in_(list(order_ids)))
            .values(status="shipped", shipped_at=now)
        )
        audit.append(
            conn, at=now, principal=principal.key_id, action="waybill.create",
            target=f"order:{order_ids[0]}" if len(order_ids) == 1 else f"orders:{len(order_ids)}",
            reason="shipped on masked waybills",
            detail={"orders": list(order_ids)[:1000], "privacy_number": privacy_number},
        )  # fmt: skip
    return documents


def _bind_numbers(
    conn: Connection, order_ids: Sequence[int], policy: PrivacyPolicy, now: datetime
) -> dict[int, str]:
    """A free virtual number for each order (prefix, a 6-digit line, a 4-digit extension)."""
    wanted: dict[int, str] = {}
    for _ in range(20):
        for order_id in order_ids:
            if order_id not in wanted:
                line, ext = secrets.randbelow(10**6), secrets.randbelow(10**4)
                wanted[order_id] = f"{policy.privacy_number_prefix}{line:06d}-{ext:04d}"
        taken = set(
            conn.execute(
                select(store.privacy_numbers.c.number).where(
                    store.privacy_numbers.c.number.in_(list(wanted.values()))
                )
            ).scalars()
        )
        seen: set[str] = set()
        for order_id, number in list(wanted.items()):
            if number in taken or number in seen:
                del wanted[order_id]
            seen.add(number)
        if len(wanted) == len(order_ids):
            bulk.bulk_insert(
                conn, store.privacy_numbers,
                [{"number": n, "order_id": o, "bound_at": now, "expires_at": None}
                 for o, n in wanted.items()],
            )  # fmt: skip
            return wanted
    raise Conflict("no free privacy numbers; widen the pool")


def access_waybill(conn: Connection, waybill_no: str, principal: Principal) -> dict[str, Any]:
    """A waybill for couriers and staff, and for the shop that shipped it; absent otherwise."""
    if principal.role not in (Role.COURIER, Role.ADMIN, Role.CS_AGENT, Role.MERCHANT):
        raise Forbidden(f"role {principal.role.value} may not read waybills")
    row = store.waybill_of(conn, waybill_no=waybill_no)
    if row is None or (principal.role is Role.MERCHANT and row["merchant"] != principal.subject):
        raise NotFound("no such waybill")
    return row


def read_waybill(db: Database, waybill_no: str, *, principal: Principal) -> dict[str, Any]:
    with db.engine.connect() as conn:
        row = access_waybill(conn, waybill_no, principal)
        number = _number_row(conn, row["privacy_number"])
    document = dict(row["document"])
    if number is not None:  # the expiry is known once the parcel is delivered
        document["privacy_number"] = {"number": number["number"],
                                      "expires_at": store.iso(number["expires_at"])}  # fmt: skip
    return document


def _number_row(conn: Connection, number: str | None) -> dict[str, Any] | None:
    if number is None:
        return None
    query = select(store.privacy_numbers).where(store.privacy_numbers.c.number == number)
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def mark_delivered(
    db: Database,
    waybill_nos: Sequence[str],
    *,
    principal: Principal,
    policy: PrivacyPolicy,
    clock: Clock,
) -> list[dict[str, Any]]:
    """The courier delivered these parcels: the orders are done and their privacy numbers
    start to run out (`privacy_number_days` from now). One transaction."""
    if principal.role not in (Role.COURIER, Role.ADMIN):
        raise Forbidden(f"role {principal.role.value} may not confirm deliveries")
    now = clock.now()
    expires = now + timedelta(days=policy.privacy_number_days)
    out = []
    with db.transaction() as conn:
        rows = [access_waybill(conn, no, principal) for no in waybill_nos]
        ids = [r["order_id"] for r in rows]
        delivered = (
            conn.execute(
                select(store.orders.c.id).where(
                    store.orders.c.id.in_(ids), store.orders.c.status == "delivered"
                )
            )
            .scalars()
            .first()
        )
        if delivered is not None:
            raise Conflict(f"order {delivered} is already delivered")
        conn.execute(
            update(store.orders)
            .where(store.orders.c.id.in_(ids))
            .values(status="delivered", delivered_at=now)
        )
        numbers = [r["privacy_number"] for r in rows if r["privacy_number"]]
        if numbers:
            conn.execute(
                update(store.privacy_numbers)
                .where(store.privacy_numbers.c.number.in_(numbers))
                .values(expires_at=expires)
            )
        audit.append(
            conn, at=now, principal=principal.key_id, action="waybill.delivered",
            target=f"order:{ids[0]}" if len(ids) == 1 else f"orders:{len(ids)}",
            reason="delivered", detail={"waybills": list(waybill_nos)[:1000]},
        )  # fmt: skip
        for r in rows:
            out.append({"waybill_no": r["waybill_no"], "status": "delivered",
                        "delivered_at": now.isoformat(),
                        "privacy_number_expires_at":
                            expires.isoformat() if r["privacy_number"] else None})  # fmt: skip
    return out


def resolve_number(
    db: Database,
    ring: Keyring,
    number: str,
    *,
    principal: Principal,
    policy: PrivacyPolicy,
    enforcement_policy: EnforcementPolicy,
    clock: Clock,
) -> dict[str, Any]:
    """Connect a courier's call: the real phone behind a privacy number, for couriers only,
    audited and watched like a reveal. An expired number is gone (410)."""
    if principal.role is not Role.COURIER:
        raise Forbidden("only couriers may resolve privacy numbers")
    now = clock.now()
    with db.transaction() as conn:
        row = _number_row(conn, number)
        if row is None:
            raise NotFound("no such privacy number")
        expires = aware(row["expires_at"])
        if expires is not None and expires <= now:
            refusal: Exception | None = Gone(f"privacy number expired at {expires.isoformat()}")
            monitor.log_access(
                conn, principal, action="resolve", purpose="delivery_call",
                order_id=row["order_id"], records=1, outcome="refused", now=now,
                reason="privacy number expired",
            )  # fmt: skip
        else:
            outcome = monitor.admit(
                conn, principal, action="resolve", purpose="delivery_call",
                order_id=row["order_id"], records=1, now=now, policy=policy,
                enforcement_policy=enforcement_policy, reason="courier call connected",
            )  # fmt: skip
            refusal = None
            if outcome != "granted":
                refusal = Forbidden("this key is locked out of personal data pending review")
            else:
                order = store.get_order(conn, row["order_id"])
                assert order is not None  # noqa: S101
                clear = vault.open_record(conn, ring, order["consignee_record"])
    if refusal is not None:
        raise refusal
    return {"number": number, "phone": clear["phone"],
            "expires_at": expires.isoformat() if expires else None}  # fmt: skip
