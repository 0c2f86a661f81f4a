"""What became of a screened item after its decision: held, blocked, published, restored.
Each change is an item event; an item blocked by its owner's standing comes back when the
sanction is lifted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from shopguard.enforcement import ledger as arithmetic
from shopguard.enforcement import store
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform import bulk
from shopguard.screening.store import get_decision

INITIAL_STATUS = {"allow": "published", "review": "held", "block": "blocked"}


def item_status(action: str, history: Iterable[dict[str, Any]]) -> str:
    """The item's status now: its last event, or what its decision said."""
    status = INITIAL_STATUS[action]
    for event in history:
        status = event["status"]
    return status


def add_item_event(
    conn: Connection,
    decision_id: int,
    *,
    subject: str | None,
    status: str,
    cause: str,
    ref: int | None,
    reason: str,
    now: datetime,
    actor: str,
) -> None:
    bulk.insert_many(
        conn,
        store.item_events,
        [
            {
                "decision_id": decision_id,
                "subject": subject,
                "status": status,
                "cause": cause,
                "ref": ref,
                "reason": reason[:500],
                "by": actor,
                "at": now,
            }
        ],  # fmt: skip
    )


def restore_items(
    conn: Connection,
    decision_ids: Iterable[int],
    subject_id: str,
    *,
    policy: EnforcementPolicy,
    now: datetime,
    actor: str,
    cause: str,
) -> list[int]:
    """Put blocked items back up, unless their owner is still under a blocking sanction."""

    ids = list(decision_ids)
    if not ids:
        return []
    if arithmetic.standing(store.entries_of(conn, subject_id), now=now, policy=policy).blocked:
        return []
    restored = []
    for decision_id in ids:
        row = get_decision(conn, decision_id)
        if row is None:
            continue
        if item_status(row["action"], store.item_history(conn, decision_id)) != "blocked":
            continue
        own = [
            v for v in store.violations_of_decision(conn, decision_id)
            if v["state"] in ("in_force", "pending")
        ]  # fmt: skip
        if own:
            continue  # its own text still breaks a rule
        add_item_event(
            conn, decision_id, subject=subject_id, status="restored", cause=cause, ref=None,
            reason="the reason for blocking it no longer stands", now=now, actor=actor,
        )  # fmt: skip
        restored.append(decision_id)
    return restored
