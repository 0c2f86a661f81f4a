"""The review queue's intake: an item put before a human (a held decision, a finding to
confirm, a QA sample). Deciding it lives in `review`."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Connection

from shopguard.enforcement import store
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform import bulk


def enqueue(
    conn: Connection,
    *,
    kind: str,
    why: str,
    subject: str | None,
    decision_id: int | None,
    violation_id: int | None,
    code: str,
    severity: str,
    now: datetime,
    policy: EnforcementPolicy,
    first_reviewer: str | None = None,
) -> int:
    """Queue an item for a human. A reviewer who recorded an egregious finding themselves is its
    first reviewer; the queue then waits for a second one."""
    state = "second" if first_reviewer else "open"
    (item_id,) = bulk.insert_many(
        conn,
        store.review_items,
        [{"kind": kind, "why": why, "subject": subject, "decision_id": decision_id,
          "violation_id": violation_id, "code": code, "severity": severity, "state": state,
          "lease_owner": None, "lease_until": None, "outcome": None, "created_at": now,
          "due_at": now + timedelta(hours=policy.review.sla_hours), "decided_at": None}],
    )  # fmt: skip
    if first_reviewer:
        bulk.insert_many(
            conn,
            store.review_decisions,
            [{"item": item_id, "reviewer": first_reviewer, "outcome": "confirm", "code": code,
              "severity": severity, "reason": "recorded the finding", "at": now}],
        )  # fmt: skip
    return item_id
