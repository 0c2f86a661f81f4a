"""The review queue: held decisions and violations, leases, reviewers' decisions, the second
reviewer for egregious findings, and the daily QA sample that measures automation's precision."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from shopguard.enforcement import findings, items, queue, store, violations
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform import audit, bulk
from shopguard.platform.clock import Clock, aware
from shopguard.platform.db import Database
from shopguard.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from shopguard.screening.store import decisions, get_decision
from shopguard.text.model import Code, Severity
from shopguard.text.pii import masked

OUTCOMES = ("confirm", "overturn", "change")
WHY = ("action_review", "egregious", "serious", "general", "low_confidence", "qa_sample")


def item_view(row: dict[str, Any]) -> dict[str, Any]:
    def iso(at: datetime | None) -> str | None:
        return a.isoformat() if (a := aware(at)) else None

    return {
        "id": row["id"], "kind": row["kind"], "why": row["why"], "subject": row["subject"],
        "decision_id": row["decision_id"], "violation_id": row["violation_id"],
        "code": row["code"], "severity": row["severity"], "state": row["state"],
        "lease_owner": row["lease_owner"], "lease_until": iso(row["lease_until"]),
        "outcome": row["outcome"], "created_at": iso(row["created_at"]),
        "due_at": iso(row["due_at"]), "decided_at": iso(row["decided_at"]),
    }  # fmt: skip


def claim(
    db: Database, *, reviewer: str, why: str | None, policy: EnforcementPolicy, clock: Clock
) -> dict[str, Any] | None:
    """Lease the oldest item this reviewer may decide; None when the queue has nothing for them."""
    if why is not None and why not in WHY:
        raise InvalidInput(f"why: expected one of {', '.join(WHY)}, got {why!r}")
    now = clock.now()
    with db.transaction() as conn:
        item_id = store.next_claimable(conn, reviewer=reviewer, now=now, why=why)
        if item_id is None:
            return None
        until = now + timedelta(minutes=policy.review.lease_minutes)
        store.set_review_item(conn, item_id, lease_owner=reviewer, lease_until=until)
        row = store.get_review_item(conn, item_id)
    assert row is not None  # noqa: S101
    out = item_view(row)
    out["context"] = _context(db, row)
    return out


def _context(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    """What the reviewer needs to decide: the screened item (masked) and its evidence."""
    with db.engine.connect() as conn:
        out: dict[str, Any] = {}
        if row["decision_id"] is not None and (d := get_decision(conn, row["decision_id"])):
            out["item"] = d["item"]
            out["action"] = d["action"]
            out["violations"] = d["violations"]
        if row["violation_id"] is not None and (
            v := store.get_violation(conn, row["violation_id"])
        ):
            out["evidence"] = v["evidence"]
        out["earlier_reviews"] = [
            {"outcome": r["outcome"], "code": r["code"], "severity": r["severity"]}
            for r in store.reviewers_of(conn, row["id"])
        ]
    return out


def release(db: Database, item_id: int, *, reviewer: str, clock: Clock) -> None:
    """Give a claimed item back to the queue before its lease runs out."""
    with db.transaction() as conn:
        row = _leased(conn, item_id, reviewer=reviewer, now=clock.now())
        store.set_review_item(conn, row["id"], lease_owner=None, lease_until=None)


def _leased(conn: Connection, item_id: int, *, reviewer: str, now: datetime) -> dict[str, Any]:
    row = store.get_review_item(conn, item_id, for_update=True)
    if row is None:
        raise NotFound(f"no review item {item_id}")
    if row["state"] == "decided":
        raise Conflict(f"review item {item_id} was already decided ({row['outcome']})")
    until = aware(row["lease_until"])
    if row["lease_owner"] != reviewer or until is None or until <= now:
        raise Conflict(f"review item {item_id} is not leased to you: claim it first")
    return row


def decide(
    db: Database,
    item_id: int,
    *,
    outcome: str,
    reason: str,
    reviewer: str,
    policy: EnforcementPolicy,
    clock: Clock,
    code: str | None = None,
    severity: str | None = None,
) -> dict[str, Any]:
    """A reviewer decides a leased item: confirm, overturn, or change its code or severity.

    An egregious outcome takes effect only when a second, different reviewer agrees. The
    outcome is carried out at once: a confirmed violation counts, an overturned one is
    compensated and its item restored, a held item is published or blocked."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"outcome: expected confirm, overturn or change, got {outcome!r}")
    if not reason.strip():
        raise InvalidInput("reason: explain the decision")
    reason = masked(reason)  # stored, audited and quoted in statements
    now = clock.now()
    with db.transaction() as conn:
        row = _leased(conn, item_id, reviewer=reviewer, now=now)
        final_code, final_sev = row["code"], row["severity"]
        if outcome == "change":
            final_code, final_sev = code or row["code"], severity or row["severity"]
            if final_code not in {c.value for c in Code} | set(policy.points):
                raise InvalidInput(f"code: unknown violation code {final_code!r}")
            if final_sev not in {s.value for s in Severity}:
                raise InvalidInput(
                    f"severity: expected general, serious or egregious, got {final_sev!r}"
                )
            if (final_code, final_sev) == (row["code"], row["severity"]) and not _allowed(
                conn, row
            ):
                raise InvalidInput("change: give a different code or severity (or confirm)")
        elif code or severity:
            raise InvalidInput("code, severity: only a change names a new code or severity")
        if outcome == "overturn" and _allowed(conn, row):
            raise InvalidInput(
                "outcome: this item was allowed; confirm it, or change it naming the code it breaks"
            )
        earlier = store.reviewers_of(conn, item_id)
        if any(r["reviewer"] == reviewer for r in earlier):
            raise Forbidden("a second review must come from a different reviewer")
        bulk.insert_many(
            conn,
            store.review_decisions,
            [{"item": item_id, "reviewer": reviewer, "outcome": outcome, "code": final_code,
              "severity": final_sev, "reason": reason[:2000], "at": now}],
        )  # fmt: skip
        needs_two = outcome != "overturn" and final_sev in policy.review.second_reviewer
        agreed = any(
            r["outcome"] != "overturn" and (r["code"], r["severity"]) == (final_code, final_sev)
            for r in earlier
        )
        if needs_two and not agreed:
            store.set_review_item(conn, item_id, state="second", lease_owner=None, lease_until=None)
            audit.append(
                conn, at=now, principal=reviewer, action="review.first",
                target=f"review:{item_id}", reason=reason[:500],
                detail={"outcome": outcome, "code": final_code, "severity": final_sev},
            )  # fmt: skip
            return {"item": item_id, "state": "second", "outcome": outcome,
                    "detail": "an egregious finding takes effect when a second reviewer agrees"}  # fmt: skip
        effect = _carry_out(
            conn, row, outcome=outcome, code=final_code, severity=final_sev, reviewer=reviewer,
            reason=reason, policy=policy, now=now,
        )  # fmt: skip
        store.set_review_item(
            conn, item_id, state="decided", outcome=outcome, decided_at=now, lease_owner=None,
            lease_until=None,
        )  # fmt: skip
        audit.append(
            conn, at=now, principal=reviewer, action=f"review.{outcome}",
            target=f"review:{item_id}", reason=reason[:500],
            detail={"code": final_code, "severity": final_sev, **effect},
        )  # fmt: skip
    return {"item": item_id, "state": "decided", "outcome": outcome, **effect}


def _allowed(conn: Connection, row: dict[str, Any]) -> bool:
    """Is this a QA sample of an item that automation allowed?"""
    if row["kind"] != "decision" or row["decision_id"] is None:
        return False
    decision = get_decision(conn, row["decision_id"])
    return decision is not None and decision["action"] == "allow"


def _carry_out(
    conn: Connection,
    row: dict[str, Any],
    *,
    outcome: str,
    code: str,
    severity: str,
    reviewer: str,
    reason: str,
    policy: EnforcementPolicy,
    now: datetime,
) -> dict[str, Any]:
    """Make the final outcome true in the ledger and on the item."""
    subject = row["subject"]
    registered = subject is not None and store.get_subject(conn, subject) is not None
    if row["kind"] == "violation":
        violation = store.get_violation(conn, row["violation_id"])
        assert violation is not None  # noqa: S101
        if outcome == "overturn":
            violations.void_violation(
                conn, violation, state="overturned", policy=policy, now=now, actor=reviewer,
                reason=reason,
            )  # fmt: skip
            return {"violation": violation["id"], "violation_state": "overturned"}
        store.set_violation(conn, violation["id"], code=code, severity=severity)
        violation.update(code=code, severity=severity)
        applied = violations.charge(conn, violation, policy=policy, now=now, actor=reviewer)
        return {"violation": violation["id"], "violation_state": "in_force",
                "points": applied.points, "sanctions": list(applied.sanctions)}  # fmt: skip
    # A screened item: held for review, or a QA sample of an automatic decision.
    decision_id = row["decision_id"]
    own = [
        v for v in store.violations_of_decision(conn, decision_id)
        if v["state"] in ("in_force", "pending")
    ]  # fmt: skip
    if outcome == "overturn":
        for v in own:
            violations.void_violation(
                conn, v, state="overturned", policy=policy, now=now, actor=reviewer, reason=reason
            )
        items.add_item_event(
            conn, decision_id, subject=subject, status="published", cause="review",
            ref=row["id"], reason=reason, now=now, actor=reviewer,
        )  # fmt: skip
        return {"item_status": "published", "voided": [v["id"] for v in own]}
    if outcome == "confirm" and row["why"] == "qa_sample":
        return {"item_status": "unchanged"}
    # confirm (a held item) or change: the item is blocked under the final code.
    voided = []
    for v in own:
        if (v["code"], v["severity"]) != (code, severity):
            violations.void_violation(
                conn, v, state="overturned", policy=policy, now=now, actor=reviewer, reason=reason
            )
            voided.append(v["id"])
    items.add_item_event(
        conn, decision_id, subject=subject, status="blocked", cause="review", ref=row["id"],
        reason=f"{code} ({severity}) on review", now=now, actor=reviewer,
    )  # fmt: skip
    effect: dict[str, Any] = {"item_status": "blocked", "voided": voided}
    if registered and not any((v["code"], v["severity"]) == (code, severity) for v in own):
        assert subject is not None  # noqa: S101
        finding = findings.Finding(subject, code, severity, "reviewer", None, decision_id, [])
        # A reviewer's confirmation is the human check: the finding counts at once.
        (applied,) = violations.record(
            conn, [finding], policy=policy.model_copy(update={"review": _no_hold(policy)}),
            now=now, actor=reviewer,
        )  # fmt: skip
        store.set_review_item(conn, row["id"], violation_id=applied.violation_id)
        effect.update(violation=applied.violation_id, points=applied.points,
                      sanctions=list(applied.sanctions))  # fmt: skip
    return effect


def _no_hold(policy: EnforcementPolicy) -> Any:
    return policy.review.model_copy(update={"hold_severities": []})


def sample_day(
    db: Database, day: date, *, policy: EnforcementPolicy, clock: Clock, actor: str
) -> int:
    """Queue a random sample of one day's automatic decisions (allowed and blocked) for QA.

    The sample is a deterministic function of the day and the decision ids, so it can be
    re-drawn and checked; a day is sampled once."""
    start = datetime.combine(day, time(), tzinfo=UTC)
    end = start + timedelta(days=1)
    cfg = policy.review.qa_sample
    now = clock.now()
    with db.transaction() as conn:
        ids = list(
            conn.execute(
                select(decisions.c.id, decisions.c.action, decisions.c.codes, decisions.c.subject)
                .where(
                    decisions.c.created_at >= start,
                    decisions.c.created_at < end,
                    decisions.c.action.in_(("allow", "block")),
                )  # fmt: skip
                .order_by(decisions.c.id)
            )
        )
        if not ids:
            return 0
        already = conn.execute(
            select(func.count())
            .select_from(audit.audit_log)
            .where(
                audit.audit_log.c.action == "review.sample",
                audit.audit_log.c.target == f"day:{day.isoformat()}",
            )
        ).scalar_one()
        if already:
            return 0
        k = min(len(ids), max(cfg.min, round(cfg.rate * len(ids))), cfg.max)

        def draw(decision_id: int) -> bytes:
            return hashlib.sha256(f"{day.isoformat()}:{decision_id}".encode()).digest()

        chosen = sorted(ids, key=lambda r: draw(r.id))[:k]
        for r in sorted(chosen, key=lambda r: r.id):
            first = r.codes.split()[0] if r.codes else ""
            queue.enqueue(
                conn, kind="decision", why="qa_sample", subject=r.subject, decision_id=r.id,
                violation_id=None, code=first, severity="", now=now, policy=policy,
            )  # fmt: skip
        audit.append(
            conn, at=now, principal=actor, action="review.sample", target=f"day:{day.isoformat()}",
            reason="daily QA sample of automatic decisions",
            detail={"decisions": len(ids), "sampled": k},
        )  # fmt: skip
    return k


def list_items(db: Database, *, state: str | None, limit: int = 100) -> list[dict[str, Any]]:
    query = select(store.review_items).order_by(store.review_items.c.id).limit(limit)
    if state:
        query = query.where(store.review_items.c.state == state)
    with db.engine.connect() as conn:
        return [item_view(dict(r)) for r in conn.execute(query).mappings()]
