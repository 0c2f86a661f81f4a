"""The tamper-evident audit log: an append-only, hash-chained record of who did what and why.

Each entry's hash covers its own fields and the previous entry's hash, so editing any entry
breaks its own hash and deleting one breaks the link of the next. Entries are appended inside
the caller's transaction (the change and its audit row commit together); writers are
serialised (SQLite: the database's write lock; PostgreSQL: a transaction-scoped advisory lock)
so the chain never forks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Column, DateTime, Integer, String, Table, insert, select, text, type_coerce
from sqlalchemy.engine import Connection

from shopguard.platform.meta import JSONDoc, metadata

GENESIS = "0" * 64
_ADVISORY_KEY = 0x5347_4155  # "SGAU": one lock for the audit chain

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("principal", String(64), nullable=False),  # key id, or "cli" / "system"
    Column("action", String(64), nullable=False),  # e.g. key.create, decision.store
    Column("target", String(200), nullable=False),  # what it acted on, e.g. key:ab12
    Column("reason", String(500), nullable=False),
    Column("detail", JSONDoc, nullable=False),  # never personal data in clear
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)


def _utc(at: datetime) -> datetime:
    """Aware UTC at second precision (SQLite hands back naive datetimes, stored as UTC)."""
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.replace(microsecond=0)


def _digest(prev_hash: str, entry: dict[str, Any]) -> str:
    body = orjson.dumps(entry, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode() + b"\n" + body).hexdigest()


def _entry(
    at: datetime, principal: str, action: str, target: str, reason: str, detail: Any
) -> dict[str, Any]:
    # Timestamps are hashed as UTC ISO strings at second precision, the form both databases
    # give back unchanged.
    return {
        "at": _utc(at).isoformat(),
        "principal": principal,
        "action": action,
        "target": target,
        "reason": reason,
        "detail": detail,
    }


def append(
    conn: Connection,
    *,
    at: datetime,
    principal: str,
    action: str,
    target: str,
    reason: str,
    detail: dict[str, Any] | None = None,
) -> str:
    """Append one entry inside the caller's transaction; returns its hash."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
    last = conn.execute(select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)).scalar()
    prev = str(last) if last else GENESIS
    at = _utc(at)
    entry = _entry(at, principal, action, target, reason, detail or {})
    digest = _digest(prev, entry)
    conn.execute(
        insert(audit_log).values(
            at=at,
            principal=principal,
            action=action,
            target=target,
            reason=reason,
            detail=detail or {},
            prev_hash=prev,
            hash=digest,
        )
    )
    return digest


def append_many(conn: Connection, entries: list[dict[str, Any]]) -> None:
    """Append several entries (each with the keyword arguments of `append`) in one statement."""
    if not entries:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
    last = conn.execute(select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)).scalar()
    prev = str(last) if last else GENESIS
    rows = []
    for e in entries:
        at = _utc(e["at"])
        detail = e.get("detail") or {}
        body = _entry(at, e["principal"], e["action"], e["target"], e["reason"], detail)
        digest = _digest(prev, body)
        rows.append({**body, "at": at, "detail": detail, "prev_hash": prev, "hash": digest})
        prev = digest
    conn.execute(insert(audit_log), rows)


@dataclass(frozen=True)
class Verdict:
    """The result of checking the chain: `bad_id` is the first entry that does not hold."""

    entries: int
    bad_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_id is None


def verify(conn: Connection) -> Verdict:
    """Recompute the chain from the first entry; report the first edited or missing one."""
    prev = GENESIS
    count = 0
    last_id = 0
    columns = [c for c in audit_log.c if c.name != "detail"]
    # `detail` is read as raw text so a hand-edited, no longer valid JSON value is reported
    # as an edit rather than crashing the check.
    query = select(*columns, type_coerce(audit_log.c.detail, String).label("detail"))
    for row in conn.execute(query.order_by(audit_log.c.id)).mappings():
        count += 1
        if last_id and row["id"] != last_id + 1:
            return Verdict(count, row["id"], f"entries {last_id + 1}..{row['id'] - 1} are missing")
        if row["prev_hash"] != prev:
            return Verdict(
                count, row["id"], "its link to the previous entry is broken (an entry was removed)"
            )
        try:
            detail = (
                orjson.loads(row["detail"]) if isinstance(row["detail"], str) else row["detail"]
            )
        except orjson.JSONDecodeError:
            return Verdict(count, row["id"], "its detail is no longer valid (the entry was edited)")
        entry = _entry(
            row["at"], row["principal"], row["action"], row["target"], row["reason"], detail
        )
        if _digest(prev, entry) != row["hash"]:
            return Verdict(
                count, row["id"], "its content does not match its hash (the entry was edited)"
            )
        prev = row["hash"]
        last_id = row["id"]
    return Verdict(count)


def record_policy(conn: Connection, *, version: str, at: datetime, principal: str) -> bool:
    """Audit a policy pack version the first time it is put to work (a configuration change);
    returns whether it was new."""
    last = conn.execute(
        select(audit_log.c.target)
        .where(audit_log.c.action == "policy.activate")
        .order_by(audit_log.c.id.desc())
        .limit(1)
    ).scalar()
    if last == f"policy:{version}":
        return False
    append(
        conn, at=at, principal=principal, action="policy.activate", target=f"policy:{version}",
        reason="policy pack version put to work", detail={"previous": last},
    )  # fmt: skip
    return True
