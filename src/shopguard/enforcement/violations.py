"""Violations: check and record findings, charge their points and sanctions to the ledger,
void them (a review overturned or an appeal upheld) and re-derive what followed. One
transaction each, audited; a finding a human must confirm first waits in the review queue."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.engine import Connection

from shopguard.enforcement import ledger as arithmetic
from shopguard.enforcement import queue, store
from shopguard.enforcement.findings import Applied, Finding, check_finding, hold_reason, known_codes
from shopguard.enforcement.items import restore_items
from shopguard.enforcement.model import EnforcementPolicy, Entry, SubjectType
from shopguard.platform import audit, bulk
from shopguard.platform.clock import Clock
from shopguard.platform.db import Database
from shopguard.platform.errors import FieldError, InvalidInput, NotFound
from shopguard.text.model import Severity
from shopguard.text.pii import masked


@dataclass
class LedgerCache:
    """Subjects and ledgers already read (and locked) in this transaction: a batch reads each
    subject's ledger once however many chunks touch it; `record` keeps it current."""

    subjects: dict[str, dict[str, Any]] = field(default_factory=dict)
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    running: dict[str, arithmetic.Running] = field(default_factory=dict)


@dataclass
class Plan:
    """Findings checked and planned against the in-memory ledger, not yet written."""

    findings: list[Finding] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # violation rows (no ids yet)
    entries: list[list[arithmetic.NewEntry]] = field(default_factory=list)
    holds: list[str | None] = field(default_factory=list)

    def extend(self, other: Plan) -> None:
        self.findings += other.findings
        self.rows += other.rows
        self.entries += other.entries
        self.holds += other.holds


def record(
    conn: Connection,
    findings: Sequence[Finding],
    *,
    policy: EnforcementPolicy,
    now: datetime,
    actor: str,
    lines: Sequence[int] | None = None,
    cache: LedgerCache | None = None,
    audit_each: bool = True,
) -> list[Applied]:
    """Record findings inside the caller's transaction: violations, their points and the ladder
    steps they cross, or a review item for those a human must confirm first. One pass, bulk
    writes: the same code serves one HTTP call and a million-row import."""
    planned = plan(conn, findings, policy=policy, now=now, actor=actor, lines=lines, cache=cache)
    return write(conn, planned, policy=policy, now=now, actor=actor, audit_each=audit_each)


def plan(
    conn: Connection,
    findings: Sequence[Finding],
    *,
    policy: EnforcementPolicy,
    now: datetime,
    actor: str,
    lines: Sequence[int] | None = None,
    cache: LedgerCache | None = None,
) -> Plan:
    """Check findings and work out their ledger entries against the cache's ledgers (which
    they extend, so later findings see earlier ones). Nothing is written."""
    known = known_codes(policy)
    severities = [
        check_finding(f, policy, line=lines[i] if lines else None, known=known)
        for i, f in enumerate(findings)
    ]
    wanted = sorted({f.subject for f in findings})
    if cache is None:
        cache = LedgerCache()
    missing = [s for s in wanted if s not in cache.subjects]
    cache.subjects.update(store.subjects_by_id(conn, missing, for_update=True))
    subjects = cache.subjects
    for i, f in enumerate(findings):
        if f.subject not in subjects:
            if lines:
                raise InvalidInput(
                    f"line {lines[i]}: subject: no subject {f.subject!r}",
                    errors=[FieldError("subject", "not registered", lines[i])],
                )
            raise NotFound(f"no subject {f.subject!r}")
    history = cache.entries
    history.update(store.entries_by_subject(conn, [s for s in wanted if s not in history]))
    last_at = {s: (history[s][-1].at if history[s] else None) for s in wanted}

    violation_rows: list[dict[str, Any]] = []
    plans: list[list[arithmetic.NewEntry]] = []
    holds: list[str | None] = []
    for i, (f, sev) in enumerate(zip(findings, severities, strict=True)):
        at = f.at or now
        previous = last_at.get(f.subject)
        if previous is not None and at < previous:
            where = f"line {lines[i]}: " if lines else ""
            raise InvalidInput(f"{where}at: earlier than the subject's last ledger entry")
        last_at[f.subject] = at
        hold = hold_reason(f, sev, policy)
        holds.append(hold)
        kind = SubjectType(subjects[f.subject]["type"])
        entries = history[f.subject]
        if hold:
            plan: list[arithmetic.NewEntry] = []
        else:
            running = cache.running.get(f.subject)
            if running is None:
                running = cache.running[f.subject] = arithmetic.Running(
                    entries, subject_type=kind, policy=policy
                )
            plan = running.add(f.code, sev, at)
            for n in plan:  # the in-memory history the next finding for this subject sees
                entries.append(
                    Entry(
                        id=-len(entries) - 1,
                        subject=f.subject,
                        kind=n.kind,
                        at=at,
                        track=n.track,
                        points=n.points,
                        code=f.code,
                        sanction=n.sanction,
                        until=n.until,
                    )  # fmt: skip
                )
        plans.append(plan)
        violation_rows.append(
            {
                "subject": f.subject,
                "code": f.code,
                "severity": sev.value,
                "source": f.source,
                "item_id": f.item_id,
                "decision_id": f.decision_id,
                "evidence": f.evidence,
                "decided_by": actor,
                "at": at,
                "state": "pending" if hold else "in_force",
                "charged_at": None if hold else at,
            }  # fmt: skip
        )
    return Plan(list(findings), violation_rows, plans, holds)


def write(
    conn: Connection,
    planned: Plan,
    *,
    policy: EnforcementPolicy,
    now: datetime,
    actor: str,
    audit_each: bool = True,
) -> list[Applied]:
    """Write planned findings in bulk: violations, ledger entries, audit, review items."""

    findings, violation_rows, plans, holds = (
        planned.findings, planned.rows, planned.entries, planned.holds,
    )  # fmt: skip
    ids = bulk.reserve_ids(conn, store.violations, len(violation_rows))
    for vid, row in zip(ids, violation_rows, strict=True):
        row["id"] = vid
    bulk.bulk_insert(conn, store.violations, violation_rows)

    ledger_rows: list[dict[str, Any]] = []
    audit_rows: list[dict[str, Any]] = []
    for f, row, vid, plan, hold in zip(findings, violation_rows, ids, plans, holds, strict=True):
        ledger_rows += [
            store.entry_row(f.subject, n, code=f.code, violation=vid, at=row["at"]) for n in plan
        ]
        if not audit_each:
            continue
        audit_rows.append(
            {
                "at": now,
                "principal": actor,
                "action": "violation.hold" if hold else "violation.apply",
                "target": f"subject:{f.subject}",
                "reason": f"{f.code} ({row['severity']}) from {f.source}",
                "detail": {
                    "violation": vid,
                    "points": plan[0].points if plan else 0,
                    "sanctions": [n.sanction for n in plan if n.kind == "sanction"],
                    **({"held": hold} if hold else {}),
                },
            }  # fmt: skip
        )
    bulk.bulk_insert(conn, store.ledger, ledger_rows)
    if audit_each:
        audit.append_many(conn, audit_rows)
    else:  # a batch: one entry per chunk, whose digest covers every violation in it
        digest = hashlib.sha256()
        for row in violation_rows:
            digest.update(orjson.dumps(row, default=str, option=orjson.OPT_SORT_KEYS))
        fired = Counter(n.sanction for plan in plans for n in plan if n.kind == "sanction")
        audit.append(
            conn, at=now, principal=actor, action="violation.import",
            target=f"violations:{ids[0]}-{ids[-1]}" if ids else "violations:none",
            reason=f"{len(ids)} violations applied in bulk",
            detail={"violations": len(ids), "held": sum(1 for h in holds if h),
                    "sanctions": dict(sorted(fired.items())), "sha256": digest.hexdigest()},
        )  # fmt: skip

    out: list[Applied] = []
    for f, row, vid, plan, hold in zip(findings, violation_rows, ids, plans, holds, strict=True):
        item = None
        if hold:
            item = queue.enqueue(
                conn, kind="violation", why=hold, subject=f.subject, decision_id=f.decision_id,
                violation_id=vid, code=f.code, severity=row["severity"], now=now, policy=policy,
                first_reviewer=actor if f.source == "reviewer" else None,
            )  # fmt: skip
        sanctions = tuple(n.sanction for n in plan if n.kind == "sanction")
        points = plan[0].points if plan else 0
        out.append(Applied(vid, points, sanctions, "pending" if hold else "in_force", item))
    return out


def apply_violation(
    db: Database,
    subject_id: str,
    *,
    code: str,
    severity: str,
    source: str,
    policy: EnforcementPolicy,
    clock: Clock,
    actor: str,
    item_id: str | None = None,
    decision_id: int | None = None,
    evidence: list[dict[str, Any]] | None = None,
    low_confidence: bool = False,
) -> Applied:
    """Record one violation, its points and any sanction its points cross, atomically."""
    finding = Finding(
        subject_id, code, severity, source, item_id, decision_id, masked(evidence or []),
        low_confidence=low_confidence,
    )  # fmt: skip
    check_finding(finding, policy)
    with db.transaction() as conn:
        (applied,) = record(conn, [finding], policy=policy, now=clock.now(), actor=actor)
    return applied


def charge(
    conn: Connection,
    violation: dict[str, Any],
    *,
    policy: EnforcementPolicy,
    now: datetime,
    actor: str,
) -> Applied:
    """A held violation takes effect now (a reviewer confirmed it): points and ladder steps."""
    subject = store.get_subject(conn, violation["subject"], for_update=True)
    assert subject is not None  # noqa: S101 - a foreign key guarantees it
    plan = arithmetic.entries_for_violation(
        store.entries_of(conn, violation["subject"]), subject_type=SubjectType(subject["type"]),
        code=violation["code"], severity=Severity(violation["severity"]), now=now, policy=policy,
    )  # fmt: skip
    bulk.bulk_insert(
        conn,
        store.ledger,
        [
            store.entry_row(
                violation["subject"], n, code=violation["code"], violation=violation["id"], at=now
            )  # fmt: skip
            for n in plan
        ],
    )
    store.set_violation(conn, violation["id"], state="in_force", charged_at=now)
    sanctions = tuple(n.sanction for n in plan if n.kind == "sanction")
    audit.append(
        conn, at=now, principal=actor, action="violation.apply",
        target=f"subject:{violation['subject']}",
        reason=f"{violation['code']} ({violation['severity']}) confirmed on review",
        detail={"violation": violation["id"], "points": plan[0].points,
                "sanctions": list(sanctions)},
    )  # fmt: skip
    return Applied(violation["id"], plan[0].points, sanctions)


def rederive(
    conn: Connection, subject_id: str, *, policy: EnforcementPolicy, now: datetime, actor: str
) -> tuple[list[int], list[int]]:
    """Bring a subject's ledger back to exactly what its violations in force imply, with
    compensating entries (reversals, and re-issued entries at their original time). Called
    after a violation stops counting, so later sanctions its points helped cross go too.
    Items blocked by a reversed sanction are restored once nothing blocks their owner."""
    subject = store.get_subject(conn, subject_id, for_update=True)
    assert subject is not None  # noqa: S101
    stored = store.entries_of(conn, subject_id)
    expected = arithmetic.replay(
        store.charges_in_force(conn, subject_id), subject=subject_id,
        subject_type=SubjectType(subject["type"]), policy=policy,
    )  # fmt: skip
    to_reverse, to_add = arithmetic.reconcile(stored, expected)
    rows = [store.reversal_row(e, at=now) for e in to_reverse] + [
        store.entry_row(subject_id, e, code=e.code, violation=e.violation, at=e.at) for e in to_add
    ]
    new_ids = bulk.insert_many(conn, store.ledger, rows)
    reversed_sanctions = [e.id for e in to_reverse if e.kind == "sanction"]
    if reversed_sanctions:
        restore_items(
            conn, store.items_blocked_by(conn, "standing", reversed_sanctions), subject_id,
            policy=policy, now=now, actor=actor, cause="standing_lifted",
        )  # fmt: skip
    return [e.id for e in to_reverse], new_ids[len(to_reverse) :]


def void_violation(
    conn: Connection,
    violation: dict[str, Any],
    *,
    state: str,
    policy: EnforcementPolicy,
    now: datetime,
    actor: str,
    reason: str,
) -> list[int]:
    """A violation stops counting (overturned on review, or an appeal upheld): its entries and
    every later consequence are compensated, and the item it blocked is restored."""
    was = violation["state"]
    store.set_violation(conn, violation["id"], state=state)
    reversed_ids: list[int] = []
    if was == "in_force":
        reversed_ids, _ = rederive(conn, violation["subject"], policy=policy, now=now, actor=actor)
    if violation["decision_id"] is not None:
        others = [
            v for v in store.violations_of_decision(conn, violation["decision_id"])
            if v["id"] != violation["id"] and v["state"] in ("in_force", "pending")
        ]  # fmt: skip
        if not others:
            restore_items(
                conn, [violation["decision_id"]], violation["subject"], policy=policy, now=now,
                actor=actor, cause=state,
            )  # fmt: skip
    audit.append(
        conn, at=now, principal=actor, action=f"violation.{state}",
        target=f"violation:{violation['id']}", reason=reason[:500],
        detail={"reversed": reversed_ids},
    )  # fmt: skip
    return reversed_ids
