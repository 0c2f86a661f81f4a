"""Subjects (shops and creators): registration, standing computed from the ledger, and what
they have published and been charged with."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shopguard.enforcement import ledger as arithmetic
from shopguard.enforcement import store
from shopguard.enforcement.items import item_status
from shopguard.enforcement.model import EnforcementPolicy, Standing, SubjectType
from shopguard.platform import audit
from shopguard.platform.clock import Clock, aware
from shopguard.platform.db import Database
from shopguard.platform.errors import Conflict, InvalidInput, NotFound
from shopguard.screening.store import decisions


def register_subject(
    db: Database,
    subject_id: str,
    *,
    type: str,
    name: str,
    followers: int = 0,
    clock: Clock,
    actor: str,
) -> None:
    """Register a merchant (shop) or creator (达人)."""
    try:
        kind = SubjectType(type)
    except ValueError:
        raise InvalidInput(f"type: expected merchant or creator, got {type!r}") from None
    if followers < 0:
        raise InvalidInput("followers: must be 0 or more")
    with db.transaction() as conn:
        if store.get_subject(conn, subject_id) is not None:
            raise Conflict(f"subject {subject_id!r} already exists")
        store.insert_subject(
            conn,
            id=subject_id,
            type=kind.value,
            name=name,
            followers=followers,
            created_at=clock.now(),
        )
        audit.append(
            conn, at=clock.now(), principal=actor, action="subject.register",
            target=f"subject:{subject_id}", reason="registered", detail={"type": kind.value},
        )  # fmt: skip


def get_standing(
    db: Database, subject_id: str, *, policy: EnforcementPolicy, clock: Clock
) -> Standing:
    """The subject's standing now, derived from its ledger."""
    with db.engine.connect() as conn:
        if store.get_subject(conn, subject_id) is None:
            raise NotFound(f"no subject {subject_id!r}")
        entries = store.entries_of(conn, subject_id)
    return arithmetic.standing(entries, now=clock.now(), policy=policy)


def get_subject(db: Database, subject_id: str) -> dict[str, Any]:
    """A subject's registration."""
    with db.engine.connect() as conn:
        row = store.get_subject(conn, subject_id)
    if row is None:
        raise NotFound(f"no subject {subject_id!r}")
    created = aware(row["created_at"]) or row["created_at"]
    return {"id": row["id"], "type": row["type"], "name": row["name"],
            "followers": row["followers"], "created_at": created.isoformat()}  # fmt: skip


def list_items(db: Database, subject_id: str, *, limit: int = 100) -> list[dict[str, Any]]:
    """The subject's screened listings and content, newest first, with their status now."""

    with db.engine.connect() as conn:
        if store.get_subject(conn, subject_id) is None:
            raise NotFound(f"no subject {subject_id!r}")
        rows = conn.execute(
            select(
                decisions.c.id,
                decisions.c.item_id,
                decisions.c.kind,
                decisions.c.action,
                decisions.c.codes,
                decisions.c.created_at,
            )  # fmt: skip
            .where(decisions.c.subject == subject_id)
            .order_by(decisions.c.id.desc())
            .limit(limit)
        ).all()
        return [
            {
                "decision_id": r.id,
                "item_id": r.item_id,
                "kind": r.kind,
                "action": r.action,
                "codes": r.codes.split(),
                "status": item_status(r.action, store.item_history(conn, r.id)),
                "created_at": (aware(r.created_at) or r.created_at).isoformat(),
            }  # fmt: skip
            for r in rows
        ]


def list_violations(db: Database, subject_id: str) -> list[dict[str, Any]]:
    """A subject's violations, newest last, with their state and evidence (already masked)."""
    with db.engine.connect() as conn:
        if store.get_subject(conn, subject_id) is None:
            raise NotFound(f"no subject {subject_id!r}")
        rows = store.violations_of(conn, subject_id)
    return [violation_view(r) for r in rows]


def violation_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "subject": row["subject"],
        "code": row["code"],
        "severity": row["severity"],
        "source": row["source"],
        "state": row["state"],
        "item_id": row["item_id"],
        "decision_id": row["decision_id"],
        "evidence": row["evidence"],
        "at": (aware(row["at"]) or row["at"]).isoformat(),
        "charged_at": c.isoformat() if (c := aware(row["charged_at"])) else None,
    }
