"""Watching personal-data access for trafficking (倒卖个人信息).

Every reveal, privacy-number call and export is an access event: who, what for, how many
personal records. Counted per principal in sliding windows and against the principal's own daily
habit, unusual volume locks the principal, records an egregious violation against its shop (held
in the review queue until two reviewers agree, as every egregious finding is) and is audited.
A lock holds while its violation stands: a reviewer who overturns the finding lifts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from shopguard.enforcement import findings, violations
from shopguard.enforcement import store as enforcement_store
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform import audit, bulk
from shopguard.platform.auth import Principal, Role
from shopguard.platform.clock import aware
from shopguard.privacy import store
from shopguard.privacy.model import Monitor, PrivacyPolicy

# A lock stands while its violation does (pending review or in force).
_STANDING = ("pending", "in_force")


@dataclass(frozen=True)
class Volume:
    """What one principal reached: per sliding window, today, and its daily habit before."""

    windows: tuple[tuple[int, int, int], ...]  # (minutes, records, max)
    today: int
    habit: float | None  # mean records a day over the baseline period, None without history


def assess(volume: Volume, monitor: Monitor) -> str | None:
    """Why the volume is unusual, in plain words, or None. Pure."""
    for minutes, count, most in volume.windows:
        if count > most:
            return f"{count} personal records in {minutes} minutes (limit {most})"
    b = monitor.baseline
    habit = volume.habit
    if habit is not None and volume.today >= b.floor and volume.today > b.factor * max(habit, 1):
        return (
            f"{volume.today} personal records in a day, over {b.factor:g} times its usual "
            f"{habit:.1f} a day"
        )
    return None


CLEAR = ("reveal", "resolve")  # actions that put a consignee in clear before someone
EXPORT = ("export",)


def measure(
    conn: Connection,
    principal: str,
    *,
    now: datetime,
    monitor: Monitor,
    action: str,
    adding: int = 0,
) -> Volume:
    """The principal's access volume as of `now` (granted accesses of the same kind as
    `action`: clear, or masked exports), plus `adding` records it asks for now. Exports have
    windows but no habit."""
    actions = EXPORT if action in EXPORT else CLEAR
    limits = monitor.export_windows if actions == EXPORT else monitor.windows

    def count(since: datetime) -> int:
        return store.access_count(conn, principal, since=since, actions=actions)

    windows = tuple(
        (w.minutes, adding + count(now - timedelta(minutes=w.minutes)), w.max) for w in limits
    )
    day = timedelta(days=1)
    today = count(now - day)
    b = monitor.baseline
    habit: float | None = None
    first = conn.execute(
        select(func.min(store.pii_access.c.at)).where(
            store.pii_access.c.principal == principal, store.pii_access.c.action.in_(actions)
        )
    ).scalar()
    if first is not None and actions == CLEAR:
        age = (now - (aware(first) or now)).days
        if age >= b.min_days:
            days = min(age, b.days)
            habit = (count(now - day * (days + 1)) - today) / days
    return Volume(windows, today + adding, habit)


def admit(
    conn: Connection,
    principal: Principal,
    *,
    action: str,
    purpose: str | None,
    order_id: int | None,
    records: int,
    now: datetime,
    policy: PrivacyPolicy,
    enforcement_policy: EnforcementPolicy,
    reason: str,
) -> str:
    """Decide whether the principal may reach `records` personal records now, and write the
    access event and its audit entry either way. A locked principal is refused; so is the
    access that would make its volume unusual, and the principal is locked then.
    Returns the outcome: granted or locked."""
    outcome = "granted"
    if active_lock(conn, principal.key_id) is not None:
        outcome = "locked"
    else:
        volume = measure(
            conn, principal.key_id, now=now, monitor=policy.monitor, action=action,
            adding=records,
        )  # fmt: skip
        why = assess(volume, policy.monitor)
        if why is not None:
            outcome = "locked"
            lock(conn, principal, why=why, now=now, policy=policy,
                 enforcement_policy=enforcement_policy)  # fmt: skip
    log_access(
        conn, principal, action=action, purpose=purpose, order_id=order_id, records=records,
        outcome=outcome, now=now, reason=reason,
    )  # fmt: skip
    return outcome


def log_access(
    conn: Connection,
    principal: Principal,
    *,
    action: str,
    purpose: str | None,
    order_id: int | None,
    records: int,
    outcome: str,
    now: datetime,
    reason: str,
) -> None:
    """One access event (granted or refused) and its audit entry."""
    conn.execute(
        insert(store.pii_access).values(
            at=now, principal=principal.key_id, role=principal.role.value,
            subject=principal.subject, action=action, purpose=purpose, order_id=order_id,
            records=records, outcome=outcome,
        )
    )  # fmt: skip
    audit.append(
        conn, at=now, principal=principal.key_id, action=f"pii.{action}",
        target=f"order:{order_id}" if order_id is not None else f"records:{records}",
        reason=reason, detail={"purpose": purpose, "outcome": outcome, "records": records},
    )  # fmt: skip


def lock(
    conn: Connection,
    principal: Principal,
    *,
    why: str,
    now: datetime,
    policy: PrivacyPolicy,
    enforcement_policy: EnforcementPolicy,
) -> dict[str, Any]:
    """Lock the principal out of personal data and, for a shop's key, record the egregious
    violation that puts the case before reviewers."""
    violation_id = review_item = None
    shop = principal.subject if principal.role is Role.MERCHANT else None
    if shop is not None and enforcement_store.get_subject(conn, shop) is not None:
        finding = findings.Finding(
            shop, policy.monitor.code, policy.monitor.severity, "automatic",
            evidence=[{"kind": "pii_access", "principal": principal.key_id, "detail": why}],
        )  # fmt: skip
        (applied,) = violations.record(
            conn, [finding], policy=enforcement_policy, now=now, actor="privacy-monitor"
        )
        violation_id, review_item = applied.violation_id, applied.review_item
    evidence = {"why": why, "role": principal.role.value}
    (lock_id,) = bulk.insert_many(
        conn, store.principal_locks,
        [{"principal": principal.key_id, "role": principal.role.value,
          "subject": principal.subject, "reason": why, "evidence": evidence,
          "violation_id": violation_id, "review_item": review_item, "locked_at": now,
          "released_at": None, "released_by": None}],
    )  # fmt: skip
    audit.append(
        conn, at=now, principal="privacy-monitor", action="principal.lock",
        target=f"key:{principal.key_id}", reason=why,
        detail={"lock": lock_id, "violation": violation_id, "review_item": review_item},
    )  # fmt: skip
    row = store.active_lock(conn, principal.key_id)
    assert row is not None  # noqa: S101 - inserted just above
    return row


def active_lock(conn: Connection, principal: str) -> dict[str, Any] | None:
    """The principal's lock in force: not released, and its violation (if any) still stands."""
    row = store.active_lock(conn, principal)
    if row is None or row["violation_id"] is None:
        return row
    violation = enforcement_store.get_violation(conn, row["violation_id"])
    return row if violation is not None and violation["state"] in _STANDING else None
