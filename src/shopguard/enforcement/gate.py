"""The publish gate: a screening decision about a subject's own item meets the subject's
standing. A blocking sanction blocks the item; a blocked item records its violations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from shopguard.enforcement import ledger as arithmetic
from shopguard.enforcement import queue, store
from shopguard.enforcement.findings import Finding
from shopguard.enforcement.model import BLOCKING, EnforcementPolicy, Entry
from shopguard.enforcement.violations import LedgerCache, Plan, plan, write
from shopguard.platform import bulk
from shopguard.platform.clock import Clock
from shopguard.platform.db import Database

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
            queue.enqueue(
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
    bulk.bulk_insert(conn, store.item_events, events)
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
