"""Enforcement tables: subjects, violations and the append-only ledger."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from shopguard.enforcement.model import Entry
from shopguard.platform.meta import JSONDoc, metadata

subjects = Table(
    "subjects",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("followers", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

violations = Table(
    "violations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(128), ForeignKey("subjects.id"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("source", String(16), nullable=False),  # automatic, reviewer, ip_complaint, lab
    Column("item_id", String(200), nullable=True),
    Column("decision_id", Integer, nullable=True),
    Column("evidence", JSONDoc, nullable=False),
    Column("decided_by", String(64), nullable=False),  # who recorded it: "screening" or a key
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_violations_subject", "subject"),
)

ledger = Table(
    "ledger",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(128), ForeignKey("subjects.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # points, sanction, reversal
    Column("track", String(16), nullable=False),
    Column("points", Integer, nullable=False),
    Column("code", String(64), nullable=False),
    Column("sanction", String(32), nullable=False),
    Column("until", DateTime(timezone=True), nullable=True),
    Column("ref", Integer, nullable=True),
    Column("violation", Integer, nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_ledger_subject", "subject"),
)


appeals = Table(
    "appeals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("violation", Integer, ForeignKey("violations.id"), nullable=False),
    Column("subject", String(128), nullable=False),
    Column("reason", String(2000), nullable=False),
    Column("state", String(16), nullable=False),  # open, upheld, rejected
    Column("filed_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decided_by", String(64), nullable=True),
    Column("decision_reason", String(2000), nullable=True),
)


def aware(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def entries_of(conn: Connection, subject: str) -> list[Entry]:
    rows = conn.execute(select(ledger).where(ledger.c.subject == subject).order_by(ledger.c.id))
    return [
        Entry(
            id=r.id,
            subject=r.subject,
            kind=r.kind,
            at=aware(r.at) or r.at,
            track=r.track,
            points=r.points,
            code=r.code,
            sanction=r.sanction,
            until=aware(r.until),
            ref=r.ref,
            violation=r.violation,
        )
        for r in rows
    ]


def _one(conn: Connection, query: Select[Any], *, for_update: bool) -> dict[str, Any] | None:
    """The first row as a dict; locked until commit on PostgreSQL when asked (SQLite's writers
    are already serialised by the database's write lock)."""
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def get_subject(
    conn: Connection, subject: str, *, for_update: bool = False
) -> dict[str, Any] | None:
    """A subject; `for_update` makes the caller the one writer of its ledger until commit."""
    return _one(conn, select(subjects).where(subjects.c.id == subject), for_update=for_update)


def insert_subject(conn: Connection, **values: Any) -> None:
    conn.execute(insert(subjects).values(**values))


def insert_violation(conn: Connection, **values: Any) -> int:
    return int(
        conn.execute(insert(violations).values(**values).returning(violations.c.id)).scalar_one()
    )


def insert_entry(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(ledger).values(**values).returning(ledger.c.id)).scalar_one())


def get_violation(conn: Connection, violation_id: int) -> dict[str, Any] | None:
    return _one(conn, select(violations).where(violations.c.id == violation_id), for_update=False)


def get_appeal(
    conn: Connection, appeal_id: int, *, for_update: bool = False
) -> dict[str, Any] | None:
    return _one(conn, select(appeals).where(appeals.c.id == appeal_id), for_update=for_update)


def open_appeal_for(conn: Connection, violation_id: int) -> bool:
    query = select(appeals.c.id).where(
        appeals.c.violation == violation_id, appeals.c.state == "open"
    )
    return conn.execute(query).first() is not None


def insert_appeal(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(appeals).values(**values).returning(appeals.c.id)).scalar_one())


def decide_appeal(conn: Connection, appeal_id: int, **values: Any) -> None:
    conn.execute(update(appeals).where(appeals.c.id == appeal_id).values(**values))
