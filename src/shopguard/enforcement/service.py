"""Enforcement use cases, one transaction each, audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shopguard.enforcement import ledger as arithmetic
from shopguard.enforcement import store
from shopguard.enforcement.model import BLOCKING, EnforcementPolicy, Standing, SubjectType
from shopguard.platform import audit
from shopguard.platform.clock import Clock
from shopguard.platform.db import Database
from shopguard.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from shopguard.screening.model import Code, Severity

SOURCES = ("automatic", "reviewer", "ip_complaint", "lab")


@dataclass(frozen=True)
class Applied:
    violation_id: int
    points: int
    sanctions: tuple[str, ...]


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
) -> Applied:
    """Record a violation, its points and any sanction its points cross, atomically."""
    try:
        sev = Severity(severity)
    except ValueError:
        raise InvalidInput(
            f"severity: expected general, serious or egregious, got {severity!r}"
        ) from None
    if source not in SOURCES:
        raise InvalidInput(f"source: expected one of {', '.join(SOURCES)}, got {source!r}")
    if (
        code not in {c.value for c in Code}
        and code not in policy.points
        and code not in policy.caps
    ):
        raise InvalidInput(f"code: unknown violation code {code!r}")
    now = clock.now()
    with db.transaction() as conn:
        subject = store.get_subject(conn, subject_id, for_update=True)
        if subject is None:
            raise NotFound(f"no subject {subject_id!r}")
        history = store.entries_of(conn, subject_id)
        new = arithmetic.entries_for_violation(
            history, subject_type=SubjectType(subject["type"]), code=code, severity=sev,
            now=now, policy=policy,
        )  # fmt: skip
        violation_id = store.insert_violation(
            conn, subject=subject_id, code=code, severity=sev.value, source=source,
            item_id=item_id, decision_id=decision_id, evidence=evidence or [],
            decided_by=actor, at=now,
        )  # fmt: skip
        for e in new:
            store.insert_entry(
                conn, subject=subject_id, kind=e.kind, track=e.track, points=e.points,
                code=code, sanction=e.sanction, until=e.until, ref=None,
                violation=violation_id, at=now,
            )  # fmt: skip
        sanctions = tuple(e.sanction for e in new if e.kind == "sanction")
        audit.append(
            conn, at=now, principal=actor, action="violation.apply",
            target=f"subject:{subject_id}", reason=f"{code} ({sev.value}) from {source}",
            detail={"violation": violation_id, "points": new[0].points, "sanctions": list(sanctions)},
        )  # fmt: skip
    return Applied(violation_id, new[0].points, sanctions)


def get_standing(
    db: Database, subject_id: str, *, policy: EnforcementPolicy, clock: Clock
) -> Standing:
    """The subject's standing now, derived from its ledger."""
    with db.engine.connect() as conn:
        if store.get_subject(conn, subject_id) is None:
            raise NotFound(f"no subject {subject_id!r}")
        entries = store.entries_of(conn, subject_id)
    return arithmetic.standing(entries, now=clock.now(), policy=policy)


_SEVERITY_RANK = {"general": 0, "serious": 1, "egregious": 2}


def gate_decision(
    db: Database,
    subject_id: str,
    decision: dict[str, Any],
    *,
    decision_id: int | None,
    severity_of: Callable[[str], str],
    policy: EnforcementPolicy,
    clock: Clock,
) -> dict[str, Any]:
    """Screening meets enforcement for a merchant's or creator's own item.

    A blocking sanction in force blocks the item whatever its text says, with the sanction as
    the reason; a blocked item records one automatic violation per code (at the strongest
    severity its rules gave). Returns the decision, extended with `standing` when blocked.
    """
    with db.engine.connect() as conn:
        if store.get_subject(conn, subject_id) is None:
            return decision  # keys may act for shops not registered for enforcement
        entries = store.entries_of(conn, subject_id)
    now = arithmetic.standing(entries, now=clock.now(), policy=policy)
    out = dict(decision)
    blocking = [s for s in now.sanctions if s.sanction in BLOCKING]
    if blocking:
        s = blocking[0]
        out["action"] = "block"
        out["standing"] = {
            "blocked_by": s.sanction.value,
            "until": s.until.isoformat() if s.until else None,
            "reason": f"{subject_id} is under {s.sanction.value}",
        }
        return out
    if decision["action"] == "block":
        worst: dict[str, str] = {}
        for v in decision["violations"]:
            sev = severity_of(v["rule"])
            if _SEVERITY_RANK[sev] > _SEVERITY_RANK.get(worst.get(v["code"], ""), -1):
                worst[v["code"]] = sev
        for code, sev in sorted(worst.items()):
            apply_violation(
                db, subject_id, code=code, severity=sev, source="automatic", policy=policy,
                clock=clock, actor="screening", item_id=str(decision["id"]),
                decision_id=decision_id,
                evidence=[v for v in decision["violations"] if v["code"] == code],
            )  # fmt: skip
    return out


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
    db: Database, violation_id: int, *, subject: str, reason: str, clock: Clock, actor: str
) -> int:
    """A subject appeals one of its violations within 7 days of notice; sanctions stay meanwhile."""
    if not reason.strip():
        raise InvalidInput("reason: say why the decision is wrong")
    now = clock.now()
    with db.transaction() as conn:
        violation = store.get_violation(conn, violation_id)
        if violation is None or violation["subject"] != subject:
            raise NotFound(f"no violation {violation_id} for {subject!r}")
        noticed = store.aware(violation["at"]) or now
        if now - noticed > APPEAL_WINDOW:
            raise Conflict(
                f"the appeal window for violation {violation_id} closed 7 days after notice"
            )
        if store.open_appeal_for(conn, violation_id):
            raise Conflict(f"violation {violation_id} already has an open appeal")
        appeal_id = store.insert_appeal(
            conn, violation=violation_id, subject=subject, reason=reason, state="open",
            filed_at=now, due_at=add_working_days(now, ANSWER_WORKING_DAYS),
        )  # fmt: skip
        audit.append(
            conn, at=now, principal=actor, action="appeal.file", target=f"violation:{violation_id}",
            reason=reason[:500], detail={"appeal": appeal_id},
        )  # fmt: skip
    return appeal_id


def decide_appeal(
    db: Database, appeal_id: int, *, uphold: bool, reason: str, clock: Clock, actor: str
) -> dict[str, Any]:
    """A reviewer who did not make the original decision answers an appeal. Upholding it writes
    compensating ledger entries, so standing returns exactly to what it would have been."""
    if not reason.strip():
        raise InvalidInput("reason: explain the decision")
    now = clock.now()
    with db.transaction() as conn:
        appeal = store.get_appeal(conn, appeal_id, for_update=True)
        if appeal is None:
            raise NotFound(f"no appeal {appeal_id}")
        if appeal["state"] != "open":
            raise Conflict(f"appeal {appeal_id} was already decided ({appeal['state']})")
        violation = store.get_violation(conn, appeal["violation"])
        assert violation is not None  # noqa: S101 - a foreign key guarantees it
        if violation["decided_by"] == actor:
            raise Forbidden("a reviewer may not decide an appeal against their own decision")
        reversed_entries: list[int] = []
        if uphold:
            entries = store.entries_of(conn, violation["subject"])
            done = {e.ref for e in entries if e.kind == "reversal"}
            for e in entries:
                if e.violation == violation["id"] and e.kind != "reversal" and e.id not in done:
                    store.insert_entry(
                        conn, subject=e.subject, kind="reversal", track=e.track, points=0,
                        code=e.code, sanction="", until=None, ref=e.id, violation=e.violation, at=now,
                    )  # fmt: skip
                    reversed_entries.append(e.id)
        state = "upheld" if uphold else "rejected"
        store.decide_appeal(
            conn, appeal_id, state=state, decided_at=now, decided_by=actor, decision_reason=reason
        )
        audit.append(
            conn, at=now, principal=actor, action=f"appeal.{state}", target=f"appeal:{appeal_id}",
            reason=reason[:500], detail={"reversed": reversed_entries},
        )  # fmt: skip
    return {"appeal": appeal_id, "state": state, "reversed_entries": reversed_entries,
            "within_sla": now <= (store.aware(appeal["due_at"]) or now)}  # fmt: skip


def export_statements(
    db: Database, *, year: int | None, policy: EnforcementPolicy
) -> list[dict[str, Any]]:
    """Every statement of reasons (blocked items and account sanctions), oldest first."""
    from sqlalchemy import select

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
