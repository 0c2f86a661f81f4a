"""Appeals: a merchant or creator contests a violation or a sanction within 7 days of notice;
a reviewer who took no part in the decision answers within 5 working days (the SLA); the
sanction stays in force meanwhile. An upheld appeal compensates the ledger so standing is
exactly what it would have been, and restores the item."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shopguard.enforcement import items, store, violations
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform import audit, bulk
from shopguard.platform.clock import Clock, aware
from shopguard.platform.db import Database
from shopguard.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from shopguard.text.pii import masked

APPEAL_WINDOW = timedelta(days=7)
ANSWER_WORKING_DAYS = 5


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` plus `days` working days (Monday to Friday)."""
    at = start
    while days:
        at += timedelta(days=1)
        if at.weekday() < 5:
            days -= 1
    return at


def file_appeal(
    db: Database,
    *,
    subject: str,
    reason: str,
    clock: Clock,
    actor: str,
    violation_id: int | None = None,
    sanction_id: int | None = None,
) -> int:
    """Appeal one of the subject's own violations, or one sanction, within 7 days of notice."""
    if (violation_id is None) == (sanction_id is None):
        raise InvalidInput("violation_id, sanction_id: give exactly one")
    if not reason.strip():
        raise InvalidInput("reason: say why the decision is wrong")
    reason = masked(reason)  # stored, audited and shown to reviewers
    now = clock.now()
    with db.transaction() as conn:
        if sanction_id is not None:
            entry = store.get_entry(conn, sanction_id)
            if entry is None or entry.subject != subject or entry.kind != "sanction":
                raise NotFound(f"no sanction {sanction_id} for {subject!r}")
            violation_id = entry.violation
            noticed = entry.at
            target = f"sanction:{sanction_id}"
        violation = store.get_violation(conn, violation_id) if violation_id else None
        if violation is None or violation["subject"] != subject:
            raise NotFound(f"no violation {violation_id} for {subject!r}")
        if sanction_id is None:
            if violation["state"] != "in_force":
                raise Conflict(
                    f"violation {violation_id} is {violation['state']}: nothing to appeal"
                )
            noticed = aware(violation["charged_at"] or violation["at"]) or now
            target = f"violation:{violation_id}"
        if now - noticed > APPEAL_WINDOW:
            raise Conflict(f"the appeal window for {target} closed 7 days after notice")
        if store.open_appeal_for(conn, violation["id"], sanction_id):
            raise Conflict(f"{target} already has an open appeal")
        appeal_id = store.insert_appeal(
            conn, violation=violation["id"], sanction_entry=sanction_id, subject=subject,
            reason=reason, state="open", filed_at=now,
            due_at=add_working_days(now, ANSWER_WORKING_DAYS),
        )  # fmt: skip
        audit.append(
            conn, at=now, principal=actor, action="appeal.file", target=target,
            reason=reason[:500], detail={"appeal": appeal_id},
        )  # fmt: skip
    return appeal_id


def decide_appeal(
    db: Database,
    appeal_id: int,
    *,
    uphold: bool,
    reason: str,
    policy: EnforcementPolicy,
    clock: Clock,
    actor: str,
) -> dict[str, Any]:
    """A reviewer who did not make the original decision answers an appeal."""
    if not reason.strip():
        raise InvalidInput("reason: explain the decision")
    reason = masked(reason)
    now = clock.now()
    with db.transaction() as conn:
        appeal = store.get_appeal(conn, appeal_id, for_update=True)
        if appeal is None:
            raise NotFound(f"no appeal {appeal_id}")
        if appeal["state"] != "open":
            raise Conflict(f"appeal {appeal_id} was already decided ({appeal['state']})")
        violation = store.get_violation(conn, appeal["violation"])
        assert violation is not None  # noqa: S101 - a foreign key guarantees it
        involved = {violation["decided_by"]} | store.reviewers_of_violation(conn, violation["id"])
        if actor in involved:
            raise Forbidden("a reviewer may not decide an appeal against their own decision")
        reversed_entries: list[int] = []
        if uphold and appeal["sanction_entry"] is not None:
            reversed_entries = _waive_sanction(conn, appeal, policy=policy, now=now, actor=actor)
        elif uphold:
            reversed_entries = violations.void_violation(
                conn, violation, state="reversed", policy=policy, now=now, actor=actor,
                reason=f"appeal {appeal_id} upheld: {reason}",
            )  # fmt: skip
        state = "upheld" if uphold else "rejected"
        store.decide_appeal(
            conn, appeal_id, state=state, decided_at=now, decided_by=actor, decision_reason=reason
        )
        audit.append(
            conn, at=now, principal=actor, action=f"appeal.{state}", target=f"appeal:{appeal_id}",
            reason=reason[:500], detail={"reversed": reversed_entries},
        )  # fmt: skip
    return {"appeal": appeal_id, "state": state, "reversed_entries": reversed_entries,
            "within_sla": now <= (aware(appeal["due_at"]) or now)}  # fmt: skip


def _waive_sanction(
    conn: Any, appeal: dict[str, Any], *, policy: EnforcementPolicy, now: datetime, actor: str
) -> list[int]:
    """An upheld appeal against one sanction: that sanction goes; the points stay."""
    entry = store.get_entry(conn, appeal["sanction_entry"])
    assert entry is not None  # noqa: S101
    entries = store.entries_of(conn, entry.subject)
    if any(e.kind == "reversal" and e.ref == entry.id for e in entries):
        return []
    bulk.bulk_insert(conn, store.ledger, [store.reversal_row(entry, at=now)])
    items.restore_items(
        conn, store.items_blocked_by(conn, "standing", [entry.id]), entry.subject, policy=policy,
        now=now, actor=actor, cause="appeal",
    )  # fmt: skip
    return [entry.id]


def get_appeal(db: Database, appeal_id: int) -> dict[str, Any]:
    with db.engine.connect() as conn:
        row = store.get_appeal(conn, appeal_id)
    if row is None:
        raise NotFound(f"no appeal {appeal_id}")
    return {
        "id": row["id"], "violation_id": row["violation"], "sanction_id": row["sanction_entry"],
        "subject": row["subject"], "state": row["state"], "reason": row["reason"],
        "filed_at": aware(row["filed_at"]).isoformat(),  # type: ignore[union-attr]
        "due_at": aware(row["due_at"]).isoformat(),  # type: ignore[union-attr]
        "decided_at": d.isoformat() if (d := aware(row["decided_at"])) else None,
        "decision_reason": row["decision_reason"],
    }  # fmt: skip
