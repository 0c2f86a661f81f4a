"""Orders with personal data: stored through the vault, read masked by role, revealed only for a
purpose, shipped on masked waybills with privacy numbers. Each write is one transaction with its
audit entry; access checks live in `access_order` and `access_waybill`, nowhere else."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from shopguard.enforcement import store as enforcement_store
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform import audit, bulk
from shopguard.platform.auth import STAFF_ROLES, Principal, Role
from shopguard.platform.clock import Clock
from shopguard.platform.db import Database
from shopguard.platform.errors import (
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
)
from shopguard.privacy import masks, monitor, store, vault
from shopguard.privacy.keyring import Keyring
from shopguard.privacy.model import PrivacyPolicy
from shopguard.text import pii

# Who may create orders, read them and print waybills, beside the shop itself.
ORDER_WRITERS = {Role.ADMIN, Role.MERCHANT}
_ORDER_READERS = STAFF_ROLES | {Role.MERCHANT, Role.CONSUMER}


@dataclass(frozen=True)
class OrderIn:
    """A new order as a caller gives it (the consignee already parsed and validated)."""

    merchant: str
    product: str
    amount_cents: int
    consignee: masks.Consignee
    promised_ship_at: datetime
    consumer: str | None = None


def parse_order(raw: Mapping[str, Any], *, line: int | None = None) -> OrderIn:
    """An order from a JSON object; errors name the field (and the line, in a batch) and never
    quote personal data."""

    def bad(name: str, message: str) -> InvalidInput:
        where = f"line {line}: " if line is not None else ""
        return InvalidInput(f"{where}{name}: {message}", errors=[FieldError(name, message, line)])

    if not isinstance(raw, Mapping):
        raise bad("(body)", "expected a JSON object")
    merchant = raw.get("merchant")
    if not isinstance(merchant, str) or not 0 < len(merchant) <= 128:
        raise bad("merchant", "expected the shop's subject id")
    product = raw.get("product")
    if not isinstance(product, str) or not 0 < len(product.strip()) <= 200:
        raise bad("product", "expected a product name of 1 to 200 characters")
    amount = raw.get("amount_cents")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= 10**11:
        raise bad("amount_cents", "expected a positive whole number of cents")
    consumer = raw.get("consumer")
    if consumer is not None and (not isinstance(consumer, str) or not 0 < len(consumer) <= 128):
        raise bad("consumer", "expected the buyer's consumer id")
    promised = raw.get("promised_ship_at")
    try:
        at = datetime.fromisoformat(promised) if isinstance(promised, str) else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        raise bad("promised_ship_at", "expected an ISO 8601 time with a time zone")
    consignee = raw.get("consignee")
    if not isinstance(consignee, Mapping):
        raise bad("consignee", "expected an object with name, phone and address")
    try:
        parsed = masks.parse_consignee(consignee)
    except InvalidInput as exc:
        if line is None:
            raise
        first = exc.errors[0] if exc.errors else FieldError("consignee", str(exc))
        raise bad(first.loc, first.msg) from None
    # A product name is public text: personal data typed into it is masked, not stored.
    return OrderIn(merchant, pii.mask_text(product.strip()), amount, parsed, at, consumer)


def _fields(c: masks.Consignee) -> dict[str, str]:
    a = c.address
    return {"name": c.name, "phone": c.phone, "province": a.province, "city": a.city,
            "district": a.district, "detail": a.detail}  # fmt: skip


def consignee_of(fields: Mapping[str, str]) -> masks.Consignee:
    address = masks.Address(
        fields["province"], fields["city"], fields["district"], fields["detail"]
    )
    return masks.Consignee(fields["name"], fields["phone"], address)


def create_orders(
    db: Database,
    ring: Keyring,
    orders: Sequence[OrderIn],
    *,
    principal: Principal,
    clock: Clock,
) -> list[dict[str, Any]]:
    """Store orders in one transaction: each consignee sealed in the vault, the order row
    keeping only the vault record id and the masks merchants see. Returns the masked views."""
    if principal.role not in ORDER_WRITERS:
        raise Forbidden(f"role {principal.role.value} may not create orders")
    if not orders:
        raise InvalidInput("orders: expected at least one", errors=[FieldError("orders", "empty")])
    if principal.role is Role.MERCHANT:
        for i, o in enumerate(orders):
            if o.merchant != principal.subject:
                where = f"line {i + 1}: " if len(orders) > 1 else ""
                raise Forbidden(f"{where}merchant: a shop may create only its own orders")
    now = clock.now()
    with db.transaction() as conn:
        shops = enforcement_store.subjects_by_id(
            conn, sorted({o.merchant for o in orders}), for_update=False
        )
        for i, o in enumerate(orders):
            shop = shops.get(o.merchant)
            if shop is None or shop["type"] != "merchant":
                message = "no such shop is registered"
                raise InvalidInput(
                    f"merchant: {message}",
                    errors=[FieldError("merchant", message, i + 1 if len(orders) > 1 else None)],
                )
        ids = bulk.reserve_ids(conn, store.orders, len(orders))
        records = vault.seal_many(
            conn, ring,
            [(f"order:{i}", _fields(o.consignee), o.consignee.phone) for i, o in zip(ids, orders, strict=True)],
            now=now,
        )  # fmt: skip
        rows = [
            {"id": i, "merchant": o.merchant, "consumer": o.consumer, "product": o.product,
             "amount_cents": o.amount_cents, "consignee_record": r,
             "name_mask": masks.mask_name(o.consignee.name),
             "phone_mask": masks.mask_phone(o.consignee.phone),
             "address_mask": masks.mask_address(o.consignee.address), "status": "created",
             "promised_ship_at": o.promised_ship_at, "created_at": now, "shipped_at": None,
             "delivered_at": None}
            for i, o, r in zip(ids, orders, records, strict=True)
        ]  # fmt: skip
        bulk.bulk_insert(conn, store.orders, rows)
        audit.append(
            conn, at=now, principal=principal.key_id, action="order.create",
            target=f"orders:{ids[0]}..{ids[-1]}" if len(ids) > 1 else f"order:{ids[0]}",
            reason="orders placed", detail={"count": len(ids)},
        )  # fmt: skip
    return [order_view(r) for r in rows]


def order_view(row: Mapping[str, Any], clear: Mapping[str, str] | None = None) -> dict[str, Any]:
    """An order as the API answers it: masked consignee, or the clear one when given."""
    if clear is not None:
        consignee: dict[str, Any] = {
            "name": clear["name"], "phone": clear["phone"],
            "address": {k: clear[k] for k in ("province", "city", "district", "detail")},
            "masked": False,
        }  # fmt: skip
    else:
        consignee = {"name": row["name_mask"], "phone": row["phone_mask"],
                     "address": row["address_mask"], "masked": True}  # fmt: skip
    return {
        "id": row["id"], "merchant": row["merchant"], "consumer": row["consumer"],
        "product": row["product"], "amount_cents": row["amount_cents"], "consignee": consignee,
        "status": row["status"], "promised_ship_at": store.iso(row["promised_ship_at"]),
        "created_at": store.iso(row["created_at"]), "shipped_at": store.iso(row["shipped_at"]),
        "delivered_at": store.iso(row["delivered_at"]),
    }  # fmt: skip


def access_order(conn: Connection, order_id: int, principal: Principal) -> dict[str, Any]:
    """The order if the principal may see it: staff any, a shop its own, a consumer their own.
    Someone else's order looks absent (404), never forbidden, so ids reveal nothing."""
    if principal.role not in _ORDER_READERS:
        raise Forbidden(f"role {principal.role.value} may not read orders")
    row = store.get_order(conn, order_id)
    mine = row is not None and (
        principal.role in STAFF_ROLES
        or (principal.role is Role.MERCHANT and row["merchant"] == principal.subject)
        or (principal.role is Role.CONSUMER and row["consumer"] == principal.subject)
    )
    if row is None or not mine:
        raise NotFound(f"no order {order_id}")
    return row


def read_order(
    db: Database, ring: Keyring, order_id: int, *, principal: Principal
) -> dict[str, Any]:
    """One order: in clear for the consumer who placed it, masked for everyone else."""
    with db.engine.connect() as conn:
        row = access_order(conn, order_id, principal)
        clear = None
        if principal.role is Role.CONSUMER:
            clear = vault.open_record(conn, ring, row["consignee_record"])
    return order_view(row, clear)


def list_orders(
    db: Database,
    *,
    principal: Principal,
    merchant: str | None = None,
    after: int = 0,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """A page of orders, masked: a shop sees its own, a consumer their own (masked here too:
    the clear view is one order at a time), staff any shop's."""
    if principal.role not in _ORDER_READERS:
        raise Forbidden(f"role {principal.role.value} may not read orders")
    if not 1 <= limit <= 500:
        raise InvalidInput("limit: expected 1 to 500", errors=[FieldError("limit", "1 to 500")])
    consumer = None
    if principal.role is Role.MERCHANT:
        if merchant not in (None, principal.subject):
            raise NotFound("no such shop")
        merchant = principal.subject
    elif principal.role is Role.CONSUMER:
        merchant, consumer = None, principal.subject
    with db.engine.connect() as conn:
        rows = store.list_orders(
            conn, merchant=merchant, consumer=consumer, after=after, limit=limit
        )
    return [order_view(r) for r in rows]


def export_orders(
    db: Database,
    *,
    principal: Principal,
    merchant: str | None,
    policy: PrivacyPolicy,
    enforcement_policy: EnforcementPolicy,
    clock: Clock,
) -> Iterator[dict[str, Any]]:
    """Every order of a shop, masked, for a bulk export. Exports are access events: their
    volume counts toward the trafficking watch, and a locked principal gets none."""
    if principal.role not in (Role.ADMIN, Role.MERCHANT):
        raise Forbidden(f"role {principal.role.value} may not export orders")
    if principal.role is Role.MERCHANT:
        if merchant not in (None, principal.subject):
            raise NotFound("no such shop")
        merchant = principal.subject
    now = clock.now()
    with db.transaction() as conn:
        query = select(store.orders).order_by(store.orders.c.id).limit(policy.export_max_rows)
        if merchant is not None:
            query = query.where(store.orders.c.merchant == merchant)
        rows = [order_view(dict(r)) for r in conn.execute(query).mappings()]
        outcome = monitor.admit(
            conn, principal, action="export", purpose=None, order_id=None, records=len(rows),
            now=now, policy=policy, enforcement_policy=enforcement_policy,
            reason=f"masked export of {merchant or 'every shop'}",
        )  # fmt: skip
    if outcome != "granted":
        raise Forbidden("this key is locked out of personal data pending review")
    return iter(rows)


def reveal(
    db: Database,
    ring: Keyring,
    order_id: int,
    *,
    purpose: str,
    principal: Principal,
    policy: PrivacyPolicy,
    enforcement_policy: EnforcementPolicy,
    clock: Clock,
) -> dict[str, Any]:
    """The consignee in clear, for a listed purpose the principal's role may give. Every
    attempt is audited, refused ones too; reveals are rate-limited and watched for volume."""
    now = clock.now()
    refusal: Exception | None = None
    with db.transaction() as conn:
        row = access_order(conn, order_id, principal)
        allowed = policy.purposes.get(purpose)
        outcome = "refused"
        if allowed is None:
            names = ", ".join(sorted(policy.purposes))
            refusal = InvalidInput(
                f"purpose: expected one of {names}",
                errors=[FieldError("purpose", f"expected one of {names}")],
            )
        elif principal.role.value not in allowed.roles:
            refusal = Forbidden(f"role {principal.role.value} may not reveal for {purpose}")
        elif _recent_reveals(conn, principal.key_id, now, policy) >= policy.reveal_rate.max:
            outcome = "rate_limited"
            refusal = RateLimited(
                f"at most {policy.reveal_rate.max} reveals per {policy.reveal_rate.minutes} "
                "minutes per key"
            )
        if refusal is not None:
            monitor.log_access(
                conn, principal, action="reveal", purpose=purpose if allowed else None,
                order_id=order_id, records=1, outcome=outcome, now=now,
                reason=f"reveal refused: {refusal}",
            )  # fmt: skip
        else:
            outcome = monitor.admit(
                conn, principal, action="reveal", purpose=purpose, order_id=order_id, records=1,
                now=now, policy=policy, enforcement_policy=enforcement_policy,
                reason=f"reveal for {purpose}",
            )  # fmt: skip
            if outcome != "granted":
                refusal = Forbidden("this key is locked out of personal data pending review")
            else:
                clear = vault.open_record(conn, ring, row["consignee_record"])
    if refusal is not None:
        raise refusal
    return {**order_view(row, clear), "purpose": purpose}


def _recent_reveals(conn: Connection, principal: str, now: datetime, policy: PrivacyPolicy) -> int:
    since = now - timedelta(minutes=policy.reveal_rate.minutes)
    a = store.pii_access.c
    query = select(func.count()).where(
        a.principal == principal, a.action == "reveal", a.outcome == "granted", a.at >= since
    )
    return int(conn.execute(query).scalar_one())


# Locks.


def list_locks(db: Database, *, principal: Principal) -> list[dict[str, Any]]:
    if principal.role not in (Role.ADMIN, Role.REVIEWER):
        raise Forbidden(f"role {principal.role.value} may not see locks")
    with db.engine.connect() as conn:
        rows = conn.execute(select(store.principal_locks).order_by(store.principal_locks.c.id))
        out = []
        for r in rows.mappings():
            standing = monitor.active_lock(conn, r["principal"])
            out.append({
                "id": r["id"], "principal": r["principal"], "role": r["role"],
                "subject": r["subject"], "reason": r["reason"], "violation_id": r["violation_id"],
                "review_item": r["review_item"], "locked_at": store.iso(r["locked_at"]),
                "released_at": store.iso(r["released_at"]),
                "in_force": standing is not None and standing["id"] == r["id"],
            })  # fmt: skip
    return out


def release_lock(
    db: Database, lock_id: int, *, principal: Principal, reason: str, clock: Clock
) -> None:
    """An administrator lifts a lock (after the case is closed), with a reason."""
    if principal.role is not Role.ADMIN:
        raise Forbidden("only administrators may release locks")
    now = clock.now()
    with db.transaction() as conn:
        if store.release_lock(conn, lock_id, at=now, by=principal.key_id) == 0:
            raise NotFound(f"no lock {lock_id} in force")
        audit.append(
            conn, at=now, principal=principal.key_id, action="principal.unlock",
            target=f"lock:{lock_id}", reason=reason,
        )  # fmt: skip
