"""Stored decisions: append-only rows carrying their evidence and the policy version."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, Integer, String, Table, func, insert, select
from sqlalchemy.engine import Connection

from shopguard.platform.meta import JSONDoc, metadata

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("category", String(32), nullable=True),
    Column("action", String(8), nullable=False),
    Column("codes", String(400), nullable=False),  # space-separated, for reporting queries
    Column("violations", JSONDoc, nullable=False),
    Column("item", JSONDoc, nullable=False),  # the screened item with personal data masked
    Column("policy_version", String(80), nullable=False),
    Column("principal", String(32), nullable=True),  # key id of the caller
    Column("subject", String(128), nullable=True),  # shop / creator the caller acts for
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_decisions_item_id", "item_id"),
    Index("ix_decisions_created_at", "created_at"),
)


def insert_decisions(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert decision rows and return their ids in order."""
    if len(rows) == 1:
        result = conn.execute(insert(decisions).values(rows[0]).returning(decisions.c.id))
        return [int(result.scalar_one())]
    result = conn.execute(
        insert(decisions).returning(decisions.c.id, sort_by_parameter_order=True), list(rows)
    )
    return [int(r) for r in result.scalars()]


def get_decision(conn: Connection, decision_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(decisions).where(decisions.c.id == decision_id)).mappings().first()
    return dict(row) if row else None


def count_decisions(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(decisions)).scalar_one())


def row_for(
    decision: dict[str, Any],
    item: dict[str, Any],
    *,
    principal: str | None,
    subject: str | None,
    at: datetime,
) -> dict[str, Any]:
    """The stored row for one decision (as_dict form) and its masked item."""
    return {
        "item_id": decision["id"],
        "kind": item["kind"],
        "category": item.get("category"),
        "action": decision["action"],
        "codes": " ".join(sorted({v["code"] for v in decision["violations"]})),
        "violations": decision["violations"],
        "item": item,
        "policy_version": decision["policy_version"],
        "principal": principal,
        "subject": subject,
        "created_at": at,
    }
