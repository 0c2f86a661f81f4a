"""Tables and queries of information security: orders (whose consignee lives in the vault),
waybills, privacy numbers, personal-data access events, principal locks and buyer-seller
messages. Nothing here holds personal data in clear: orders keep the vault record id and the
merchant-facing masks, messages keep their redacted text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection

from shopguard.platform.clock import aware
from shopguard.platform.meta import metadata

JSONDoc = JSON().with_variant(JSONB(), "postgresql")

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("merchant", String(128), nullable=False),
    Column("consumer", String(128), nullable=True),  # the buyer's consumer id, when known
    Column("product", String(200), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("consignee_record", String(32), nullable=False),  # vault_records.id
    Column("name_mask", String(64), nullable=False),
    Column("phone_mask", String(32), nullable=False),
    Column("address_mask", String(200), nullable=False),
    Column("status", String(16), nullable=False),  # created, shipped, delivered
    Column("promised_ship_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("shipped_at", DateTime(timezone=True), nullable=True),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    Index("ix_orders_merchant_id", "merchant", "id"),
    Index("ix_orders_consumer", "consumer"),
    Index("ix_orders_created_at", "created_at"),
)

waybills = Table(
    "waybills",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("waybill_no", String(32), nullable=False, unique=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, unique=True),
    Column("merchant", String(128), nullable=False),
    Column("privacy_number", String(32), nullable=True),
    Column("document", JSONDoc, nullable=False),  # the masked waybill as printed
    Column("created_at", DateTime(timezone=True), nullable=False),
)

privacy_numbers = Table(
    "privacy_numbers",
    metadata,
    Column("number", String(32), primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False),
    Column("bound_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),  # set at delivery
)

pii_access = Table(
    "pii_access",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("principal", String(64), nullable=False),  # the API key id (or a CLI actor)
    Column("role", String(32), nullable=False),
    Column("subject", String(128), nullable=True),  # the shop the principal acts for
    Column("action", String(16), nullable=False),  # reveal, export, resolve
    Column("purpose", String(32), nullable=True),
    Column("order_id", Integer, nullable=True),
    Column("records", Integer, nullable=False),  # personal records reached (rows of an export)
    Column("outcome", String(16), nullable=False),  # granted, refused, rate_limited, locked
    Index("ix_pii_access_principal_at", "principal", "at"),
    Index("ix_pii_access_at", "at"),
)

principal_locks = Table(
    "principal_locks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("principal", String(64), nullable=False),
    Column("role", String(32), nullable=False),
    Column("subject", String(128), nullable=True),
    Column("reason", String(500), nullable=False),
    Column("evidence", JSONDoc, nullable=False),
    Column("violation_id", Integer, nullable=True),
    Column("review_item", Integer, nullable=True),
    Column("locked_at", DateTime(timezone=True), nullable=False),
    Column("released_at", DateTime(timezone=True), nullable=True),
    Column("released_by", String(64), nullable=True),
    Index("ix_principal_locks_principal", "principal"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False),
    Column("sender_role", String(32), nullable=False),
    Column("sender", String(128), nullable=False),
    Column("text", String(4000), nullable=False),  # as stored: personal data redacted
    Column("redactions", JSONDoc, nullable=False),  # [{"type", "start", "end"}] in the stored text
    Column("redacted", Boolean, nullable=False),
    Column("violation_id", Integer, nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_messages_order", "order_id"),
    Index("ix_messages_at", "at"),
)


def get_order(conn: Connection, order_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(orders).where(orders.c.id == order_id)).mappings().first()
    return dict(row) if row else None


def list_orders(
    conn: Connection, *, merchant: str | None, consumer: str | None, after: int, limit: int
) -> list[dict[str, Any]]:
    """Orders by id (keyset pagination), optionally of one merchant or one consumer."""
    query = select(orders).where(orders.c.id > after)
    if merchant is not None:
        query = query.where(orders.c.merchant == merchant)
    if consumer is not None:
        query = query.where(orders.c.consumer == consumer)
    rows = conn.execute(query.order_by(orders.c.id).limit(limit)).mappings()
    return [dict(r) for r in rows]


def waybill_of(
    conn: Connection, *, order_id: int | None = None, waybill_no: str | None = None
) -> dict[str, Any] | None:
    query = select(waybills)
    if order_id is not None:
        query = query.where(waybills.c.order_id == order_id)
    if waybill_no is not None:
        query = query.where(waybills.c.waybill_no == waybill_no)
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def access_count(
    conn: Connection, principal: str, *, since: datetime, actions: tuple[str, ...]
) -> int:
    """Personal records the principal reached through these actions (reveal and resolve: in
    clear; export: masked rows) since `since`."""
    query = select(func.coalesce(func.sum(pii_access.c.records), 0)).where(
        pii_access.c.principal == principal,
        pii_access.c.at >= since,
        pii_access.c.outcome == "granted",
        pii_access.c.action.in_(actions),
    )
    return int(conn.execute(query).scalar_one())


def active_lock(conn: Connection, principal: str) -> dict[str, Any] | None:
    query = select(principal_locks).where(
        principal_locks.c.principal == principal, principal_locks.c.released_at.is_(None)
    )
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def release_lock(conn: Connection, lock_id: int, *, at: datetime, by: str) -> int:
    result = conn.execute(
        update(principal_locks)
        .where(principal_locks.c.id == lock_id, principal_locks.c.released_at.is_(None))
        .values(released_at=at, released_by=by)
    )
    return result.rowcount


def iso(at: datetime | None) -> str | None:
    return a.isoformat() if (a := aware(at)) else None
