"""Enforcement use cases: subjects, violations, standing, and screening's gate. One transaction
each, audited. The review queue lives in `review`, appeals in `appeals`."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from shopguard.enforcement import ledger as arithmetic
from shopguard.enforcement import store
from shopguard.enforcement.model import BLOCKING, EnforcementPolicy, Entry, Standing, SubjectType
from shopguard.platform import audit
from shopguard.platform.clock import Clock
from shopguard.platform.db import Database
from shopguard.platform.errors import Conflict, FieldError, InvalidInput, NotFound
from shopguard.privacy.pii import mask_text
from shopguard.screening.model import Code, Severity

SOURCES = ("automatic", "reviewer", "ip_complaint", "lab")


@dataclass(frozen=True)
class Finding:
    """A violation to record: who, what, how bad, where it came from and its evidence."""

    subject: str
    code: str
    severity: str
    source: str = "reviewer"
    item_id: str | None = None
    decision_id: int | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    at: datetime | None = None  # when it happened; now when not given
    low_confidence: bool = False  # found only by lower-confidence rules: a human confirms first


@dataclass(frozen=True)
class Applied:
    violation_id: int
    points: int
    sanctions: tuple[str, ...]
    state: str = "in_force"  # or pending: held in the review queue until a reviewer confirms
    review_item: int | None = None


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


def known_codes(policy: EnforcementPolicy) -> set[str]:
    return {c.value for c in Code} | set(policy.points) | set(policy.caps)


def check_finding(
    f: Finding, policy: EnforcementPolicy, *, line: int | None = None, known: set[str] | None = None
) -> Severity:
    """Validate one finding; errors name the field (and the line, in a batch)."""

    def bad(fieldname: str, message: str) -> InvalidInput:
        where = f"line {line}: " if line is not None else ""
        return InvalidInput(
            f"{where}{fieldname}: {message}", errors=[FieldError(fieldname, message, line)]
        )

    try:
        sev = Severity(f.severity)
    except ValueError:
        raise bad(
            "severity", f"expected general, serious or egregious, got {f.severity!r}"
        ) from None
    if f.source not in SOURCES:
        raise bad("source", f"expected one of {', '.join(SOURCES)}, got {f.source!r}")
    if f.code not in (known or known_codes(policy)):
        raise bad("code", f"unknown violation code {f.code!r}")
    return sev


def _held(f: Finding, sev: Severity, policy: EnforcementPolicy) -> str | None:
    """Why a finding waits for a reviewer before it counts (None: it counts now)."""
    if sev in policy.review.hold_severities:
        return sev.value
    if f.low_confidence:
        return "low_confidence"
    return None


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
        hold = _held(f, sev, policy)
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
    from shopguard.enforcement import review

    findings, violation_rows, plans, holds = (
        planned.findings, planned.rows, planned.entries, planned.holds,
    )  # fmt: skip
    ids = store.reserve_ids(conn, store.violations, len(violation_rows))
    for vid, row in zip(ids, violation_rows, strict=True):
        row["id"] = vid
    store.bulk_insert(conn, store.violations, violation_rows)

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
    store.bulk_insert(conn, store.ledger, ledger_rows)
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
            item = review.enqueue(
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


def masked(value: Any) -> Any:
    """`value` (text, or JSON built of it) with the personal data in its text masked: what a
    person writes about a case (evidence, reasons) is stored and shown without it."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    return value


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
    store.bulk_insert(
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
    new_ids = store.insert_many(conn, store.ledger, rows)
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


# --- items: what happened to a screened item after its decision --------------------------

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
    store.insert_many(
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
    from shopguard.screening.store import get_decision

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
    created = store.aware(row["created_at"]) or row["created_at"]
    return {"id": row["id"], "type": row["type"], "name": row["name"],
            "followers": row["followers"], "created_at": created.isoformat()}  # fmt: skip


def list_items(db: Database, subject_id: str, *, limit: int = 100) -> list[dict[str, Any]]:
    """The subject's screened listings and content, newest first, with their status now."""
    from shopguard.screening.store import decisions

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
                "created_at": (store.aware(r.created_at) or r.created_at).isoformat(),
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
        "at": (store.aware(row["at"]) or row["at"]).isoformat(),
        "charged_at": c.isoformat() if (c := store.aware(row["charged_at"])) else None,
    }


_SEVERITY_RANK = {"general": 0, "serious": 1, "egregious": 2}


@dataclass(frozen=True)
class Gated:
    """One stored decision of a subject's own item, to pass through enforcement's gate."""

    subject: str
    decision: dict[str, Any]
    decision_id: int


def gate_decision(
    db: Database,
    subject_id: str,
    decision: dict[str, Any],
    *,
    decision_id: int,
    severity_of: Callable[[str], str],
    policy: EnforcementPolicy,
    clock: Clock,
) -> dict[str, Any]:
    """Screening meets enforcement for one merchant's or creator's own item (see `gate`). An
    allowed item of a subject in good standing needs no write, so it takes no write lock."""
    now = clock.now()
    with db.engine.connect() as conn:
        if store.get_subject(conn, subject_id) is None:
            return decision  # keys may act for shops not registered for enforcement
        if decision["action"] == "allow":
            current = arithmetic.standing(
                store.entries_of(conn, subject_id), now=now, policy=policy
            )
            if not current.blocked:
                return decision
    with db.transaction() as conn:
        (out,) = gate(
            conn, [Gated(subject_id, decision, decision_id)], severity_of=severity_of,
            policy=policy, now=now,
        )  # fmt: skip
    return out


def gate(
    conn: Connection,
    items: Sequence[Gated],
    *,
    severity_of: Callable[[str], str],
    policy: EnforcementPolicy,
    now: datetime,
    cache: LedgerCache | None = None,
) -> list[dict[str, Any]]:
    """Screening meets enforcement, inside the caller's transaction, item by item in order.

    A blocking sanction in force blocks the item whatever its text says, with the sanction as
    the reason. A blocked item records one violation per code (at the strongest severity its
    rules gave); those a human must confirm first wait in the review queue. An item held for
    review is queued. Returns each decision, extended with `standing` when its owner is blocked.
    """
    from shopguard.enforcement import review

    cache = cache or LedgerCache()
    wanted = sorted({g.subject for g in items} - set(cache.subjects))
    cache.subjects.update(store.subjects_by_id(conn, wanted, for_update=True))
    fresh = [s for s in wanted if s in cache.subjects and s not in cache.entries]
    cache.entries.update(store.entries_by_subject(conn, fresh))
    low = set(policy.review.low_confidence_rules)
    outs: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    pending = Plan()  # violations of the whole batch, written together at the end
    for g in items:
        decision = g.decision
        if g.subject not in cache.subjects:
            outs.append(decision)  # keys may act for shops not registered for enforcement
            continue
        current = arithmetic.standing(cache.entries[g.subject], now=now, policy=policy)
        out = dict(decision)
        outs.append(out)
        blocking = [s for s in current.sanctions if s.sanction in BLOCKING]
        if blocking:
            s = blocking[0]
            out["action"] = "block"
            out["standing"] = {
                "blocked_by": s.sanction.value,
                "until": s.until.isoformat() if s.until else None,
                "reason": f"{g.subject} is under {s.sanction.value}",
            }
            events.append(
                {
                    "decision_id": g.decision_id,
                    "subject": g.subject,
                    "status": "blocked",
                    "cause": "standing",
                    "ref": s.entry,
                    "reason": out["standing"]["reason"],
                    "by": "screening",
                    "at": now,
                }  # fmt: skip
            )
            continue
        worst: dict[str, str] = {}
        rules: dict[str, set[str]] = {}
        for v in decision["violations"]:
            sev = severity_of(v["rule"])
            rules.setdefault(v["code"], set()).add(v["rule"])
            if _SEVERITY_RANK[sev] > _SEVERITY_RANK.get(worst.get(v["code"], ""), -1):
                worst[v["code"]] = sev
        if decision["action"] == "block":
            findings = [
                Finding(
                    g.subject,
                    code,
                    sev,
                    "automatic",
                    str(decision["id"]),
                    g.decision_id,
                    [v for v in decision["violations"] if v["code"] == code],
                    low_confidence=rules[code] <= low,
                )  # fmt: skip
                for code, sev in sorted(worst.items())
            ]
            pending.extend(
                plan(conn, findings, policy=policy, now=now, actor="screening", cache=cache)
            )
        elif decision["action"] == "review" and worst:
            code, sev = max(worst.items(), key=lambda kv: (_SEVERITY_RANK[kv[1]], kv[0]))
            review.enqueue(
                conn, kind="decision", why="action_review", subject=g.subject,
                decision_id=g.decision_id, violation_id=None, code=code, severity=sev, now=now,
                policy=policy,
            )  # fmt: skip
    write(conn, pending, policy=policy, now=now, actor="screening")
    # A sanction this batch created is known by an in-memory id until it is written.
    stored: dict[tuple[str, int], int | None] = {}
    for e in events:
        if e["ref"] < 0:
            key = (e["subject"], e["ref"])
            if key not in stored:
                stored[key] = _entry_id(conn, e["subject"], cache.entries[e["subject"]], e["ref"])
            e["ref"] = stored[key]
    store.bulk_insert(conn, store.item_events, events)
    return outs


def _entry_id(conn: Connection, subject: str, cached: list[Entry], ref: int) -> int | None:
    """The stored id of a sanction known only by its in-memory id in a batch's ledger."""
    mine = next((e for e in cached if e.id == ref), None)
    if mine is None:
        return None
    for e in reversed(store.entries_of(conn, subject)):
        if (e.kind, e.sanction, e.at, e.violation is not None) == (
            mine.kind,
            mine.sanction,
            mine.at,
            True,
        ):
            return e.id
    return None


def export_statements(
    db: Database, *, year: int | None, policy: EnforcementPolicy
) -> list[dict[str, Any]]:
    """Every statement of reasons (blocked items and account sanctions), oldest first."""

    from shopguard.enforcement import statements
    from shopguard.screening.store import decisions

    def in_year(at: datetime) -> bool:
        return year is None or at.year == year

    out: list[dict[str, Any]] = []
    with db.engine.connect() as conn:
        blocked = conn.execute(
            select(decisions).where(decisions.c.action == "block").order_by(decisions.c.id)
        ).mappings()
        for row in blocked:
            if in_year(row["created_at"]):
                out.append(statements.from_decision(dict(row)))
        later = conn.execute(
            select(store.item_events, decisions)
            .join(decisions, decisions.c.id == store.item_events.c.decision_id)
            .where(store.item_events.c.status == "blocked")
            .order_by(store.item_events.c.id)
        ).all()
        for joined in later:
            event = {c: joined._mapping[store.item_events.c[c]] for c in store.item_events.c.keys()}  # noqa: SIM118
            item_row = {c: joined._mapping[decisions.c[c]] for c in decisions.c.keys()}  # noqa: SIM118
            event["at"] = store.aware(event["at"])
            if not in_year(event["at"]):
                continue
            code = ""
            if event["cause"] == "review":
                reviewed = store.get_review_item(conn, event["ref"])
                final = store.reviewers_of(conn, event["ref"]) if reviewed else []
                code = final[-1]["code"] if final else (reviewed or {}).get("code", "")
            out.append(statements.from_item_event(item_row, event, code))
        sanctioned = conn.execute(
            select(store.ledger.c.subject).where(store.ledger.c.kind == "sanction").distinct()
        ).scalars()
        for subject in list(sanctioned):
            entries = store.entries_of(conn, subject)
            reversed_ids = {e.ref for e in entries if e.kind == "reversal"}
            for e in entries:
                if e.kind != "sanction" or e.sanction == "warning" or e.id in reversed_ids:
                    continue
                if not in_year(e.at) or e.violation is None:
                    continue
                violation = store.get_violation(conn, e.violation)
                if violation is None:
                    continue
                violation["at"] = store.aware(violation["at"])
                upto = [x for x in entries if x.id <= e.id]
                points = arithmetic.points_in_window(upto, now=e.at, days=policy.window_days).get(
                    e.track, 0
                )
                entry = {"id": e.id, "subject": e.subject, "sanction": e.sanction, "track": e.track,
                         "until": e.until, "at": e.at}  # fmt: skip
                out.append(statements.from_sanction(entry, violation, points))
    return out
