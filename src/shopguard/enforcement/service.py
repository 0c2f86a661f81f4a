"""Enforcement use cases, one transaction each, audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shopguard.enforcement import ledger as arithmetic
from shopguard.enforcement import store
from shopguard.enforcement.model import BLOCKING, EnforcementPolicy, Standing, SubjectType
from shopguard.platform import audit
from shopguard.platform.clock import Clock
from shopguard.platform.db import Database
from shopguard.platform.errors import Conflict, InvalidInput, NotFound
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
            item_id=item_id, decision_id=decision_id, evidence=evidence or [], at=now,
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
