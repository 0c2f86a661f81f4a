"""Enforcement tables: subjects, violations and the append-only ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
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

from shopguard.enforcement.ledger import Charge
from shopguard.enforcement.model import Entry
from shopguard.platform.bulk import chunks
from shopguard.platform.clock import aware
from shopguard.platform.meta import JSONDoc, metadata
from shopguard.text.model import Severity

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
    # pending (held for review), in_force, overturned (by review) or reversed (appeal upheld)
    Column("state", String(16), nullable=False, server_default="in_force"),
    Column("charged_at", DateTime(timezone=True), nullable=True),  # when its points took effect
    Index("ix_violations_subject", "subject"),
    Index("ix_violations_at", "at"),
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
    Index("ix_ledger_at", "at"),
    Index("ix_ledger_ref", "ref"),
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
    Column(
        "sanction_entry", Integer, nullable=True
    ),  # set when a sanction (not a violation) is appealed
    Index("ix_appeals_filed_at", "filed_at"),
)

review_items = Table(
    "review_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # decision or violation
    Column(
        "why", String(32), nullable=False
    ),  # action_review, egregious, low_confidence, qa_sample
    Column("subject", String(128), nullable=True),
    Column("decision_id", Integer, nullable=True),
    Column("violation_id", Integer, nullable=True),
    Column("code", String(64), nullable=False),  # what automation (or the first finder) said
    Column("severity", String(16), nullable=False),
    Column("state", String(16), nullable=False),  # open, second (awaits a second reviewer), decided
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("outcome", String(16), nullable=True),  # confirm, overturn, change
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Index("ix_review_items_state", "state", "id"),
    Index("ix_review_items_created_at", "created_at"),
)

# Every reviewer's decision on a queued item (append-only; an item may take two).
review_decisions = Table(
    "review_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item", Integer, ForeignKey("review_items.id"), nullable=False),
    Column("reviewer", String(64), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("code", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("reason", String(2000), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_review_decisions_item", "item"),
)

# What happened to a screened item after its decision (append-only; the last event is its
# status): held for review, blocked (by review or by its owner's standing), published, restored.
item_events = Table(
    "item_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("decision_id", Integer, nullable=False),
    Column("subject", String(128), nullable=True),
    Column("status", String(16), nullable=False),  # held, blocked, published, restored
    Column("cause", String(64), nullable=False),  # standing, review, appeal, violation
    Column("ref", Integer, nullable=True),  # the sanction entry, review item or appeal
    Column("reason", String(500), nullable=False),
    Column("by", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_item_events_decision", "decision_id"),
    Index("ix_item_events_ref", "cause", "ref"),
)


def entry_row(
    subject: str, new: Any, *, code: str, violation: int | None, at: datetime
) -> dict[str, Any]:
    """The ledger row of a planned entry (a NewEntry or an Entry to re-issue)."""
    return {"subject": subject, "kind": new.kind, "track": new.track, "points": new.points,
            "code": code, "sanction": new.sanction, "until": new.until, "ref": None,
            "violation": violation, "at": at}  # fmt: skip


def reversal_row(entry: Entry, *, at: datetime) -> dict[str, Any]:
    """The ledger row that cancels `entry`."""
    return {"subject": entry.subject, "kind": "reversal", "track": entry.track, "points": 0,
            "code": entry.code, "sanction": "", "until": None, "ref": entry.id,
            "violation": entry.violation, "at": at}  # fmt: skip


def _entry(r: Any) -> Entry:
    return Entry(
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


def entries_of(conn: Connection, subject: str) -> list[Entry]:
    rows = conn.execute(select(ledger).where(ledger.c.subject == subject).order_by(ledger.c.id))
    return [_entry(r) for r in rows]


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


def open_appeal_for(conn: Connection, violation_id: int, sanction_entry: int | None) -> bool:
    query = select(appeals.c.id).where(
        appeals.c.violation == violation_id,
        appeals.c.state == "open",
        appeals.c.sanction_entry.is_(None)
        if sanction_entry is None
        else appeals.c.sanction_entry == sanction_entry,
    )
    return conn.execute(query).first() is not None


def insert_appeal(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(appeals).values(**values).returning(appeals.c.id)).scalar_one())


def decide_appeal(conn: Connection, appeal_id: int, **values: Any) -> None:
    conn.execute(update(appeals).where(appeals.c.id == appeal_id).values(**values))


def charges_in_force(conn: Connection, subject: str) -> list[Charge]:
    """The subject's violations that count (their points took effect), oldest first."""
    query = (
        select(violations.c.id, violations.c.code, violations.c.severity, violations.c.charged_at)
        .where(violations.c.subject == subject, violations.c.state == "in_force")
        .order_by(violations.c.id)
    )
    return [
        Charge(r.id, r.code, Severity(r.severity), aware(r.charged_at) or r.charged_at)
        for r in conn.execute(query)
    ]


def set_violation(conn: Connection, violation_id: int, **values: Any) -> None:
    conn.execute(update(violations).where(violations.c.id == violation_id).values(**values))


def violations_of(conn: Connection, subject: str) -> list[dict[str, Any]]:
    query = select(violations).where(violations.c.subject == subject).order_by(violations.c.id)
    return [dict(r) for r in conn.execute(query).mappings()]


def violations_of_decision(conn: Connection, decision_id: int) -> list[dict[str, Any]]:
    query = select(violations).where(violations.c.decision_id == decision_id)
    return [dict(r) for r in conn.execute(query.order_by(violations.c.id)).mappings()]


def get_entry(conn: Connection, entry_id: int) -> Entry | None:
    row = conn.execute(select(ledger.c.subject).where(ledger.c.id == entry_id)).first()
    if row is None:
        return None
    return next((e for e in entries_of(conn, row.subject) if e.id == entry_id), None)


def get_review_item(
    conn: Connection, item_id: int, *, for_update: bool = False
) -> dict[str, Any] | None:
    return _one(
        conn, select(review_items).where(review_items.c.id == item_id), for_update=for_update
    )


def set_review_item(conn: Connection, item_id: int, **values: Any) -> None:
    conn.execute(update(review_items).where(review_items.c.id == item_id).values(**values))


def reviewers_of(conn: Connection, item_id: int) -> list[dict[str, Any]]:
    query = select(review_decisions).where(review_decisions.c.item == item_id)
    return [dict(r) for r in conn.execute(query.order_by(review_decisions.c.id)).mappings()]


def reviewers_of_violation(conn: Connection, violation_id: int) -> set[str]:
    """Everyone who decided a queued review of this violation."""
    query = (
        select(review_decisions.c.reviewer)
        .join(review_items, review_items.c.id == review_decisions.c.item)
        .where(review_items.c.violation_id == violation_id)
    )
    return {str(r) for r in conn.execute(query).scalars()}


def next_claimable(
    conn: Connection, *, reviewer: str, now: datetime, why: str | None
) -> int | None:
    """The oldest queued item this reviewer may take: not leased (or lease run out), and not one
    they already decided (a second review must be someone else's)."""
    already = select(review_decisions.c.id).where(
        review_decisions.c.item == review_items.c.id, review_decisions.c.reviewer == reviewer
    )
    query = (
        select(review_items.c.id)
        .where(
            review_items.c.state.in_(("open", "second")),
            (review_items.c.lease_until.is_(None)) | (review_items.c.lease_until <= now),
            ~already.exists(),
        )
        .order_by(review_items.c.id)
        .limit(1)
    )
    if why:
        query = query.where(review_items.c.why == why)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return conn.execute(query).scalar()


def item_history(conn: Connection, decision_id: int) -> list[dict[str, Any]]:
    query = select(item_events).where(item_events.c.decision_id == decision_id)
    return [dict(r) for r in conn.execute(query.order_by(item_events.c.id)).mappings()]


def items_blocked_by(conn: Connection, cause: str, refs: list[int]) -> list[int]:
    """Decisions whose item was blocked for `cause` by one of `refs` (e.g. sanction entries)."""
    if not refs:
        return []
    query = select(item_events.c.decision_id).where(
        item_events.c.cause == cause, item_events.c.ref.in_(refs), item_events.c.status == "blocked"
    )
    return sorted(set(conn.execute(query).scalars()))


def subjects_by_id(
    conn: Connection, ids: Sequence[str], *, for_update: bool
) -> dict[str, dict[str, Any]]:
    """Subjects by id; with `for_update`, locked in id order (no deadlocks between batches)."""
    out: dict[str, dict[str, Any]] = {}
    for part in chunks(sorted(ids)):
        query = select(subjects).where(subjects.c.id.in_(part)).order_by(subjects.c.id)
        if for_update and conn.dialect.name == "postgresql":
            query = query.with_for_update()
        out.update({r["id"]: dict(r) for r in conn.execute(query).mappings()})
    return out


def entries_by_subject(conn: Connection, ids: Sequence[str]) -> dict[str, list[Entry]]:
    """The ledgers of several subjects at once, each in id order."""
    out: dict[str, list[Entry]] = {s: [] for s in ids}
    for part in chunks(list(ids)):
        query = select(ledger).where(ledger.c.subject.in_(part)).order_by(ledger.c.id)
        for r in conn.execute(query):
            out[r.subject].append(_entry(r))
    return out
