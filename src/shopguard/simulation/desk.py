"""The simulated review and appeals desks: reviewers decide the queue from the ground truth
with a small error rate, subjects appeal what they think is wrong and a different desk answers."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from shopguard.enforcement import appeals, review
from shopguard.enforcement import store as enforcement_store
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database
from shopguard.platform.errors import InvalidInput, ShopguardError
from shopguard.simulation.store import sim_truth

REVIEWERS = tuple(f"reviewer-{i}" for i in range(1, 7))
APPEALS_DESK = ("appeals-1", "appeals-2")
REVIEWER_ERROR = 0.03
REVIEW_SHIFT = timedelta(hours=5, minutes=59)  # from 13:00
APPEAL_HOURS = timedelta(hours=1, minutes=59)  # from 20:00; appeals are answered at 22:00


def _truth_of(conn: Connection, decision_id: int | None) -> set[str]:
    if decision_id is None:
        return set()
    codes = conn.execute(
        select(sim_truth.c.codes).where(sim_truth.c.decision_id == decision_id)
    ).scalar()
    return set((codes or "").split())


def _judge(rng: random.Random, item: dict[str, Any], truth: set[str]) -> tuple[str, dict[str, str]]:
    """What a careful (but not perfect) reviewer decides, knowing what the item really is."""
    code = item["code"]
    if code and code in truth:
        outcome, kw = "confirm", {}
    elif truth:
        other = sorted(truth)[0]
        outcome, kw = "change", {"code": other, "severity": item["severity"] or "general"}
    elif item["why"] == "qa_sample" and item.get("context", {}).get("action") == "allow":
        outcome, kw = "confirm", {}
    else:
        outcome, kw = "overturn", {}
    if rng.random() < REVIEWER_ERROR:  # humans err too; the QA figures carry it
        if outcome == "confirm" and code:
            outcome, kw = "overturn", {}
        elif outcome == "overturn":
            outcome, kw = "confirm", {}
    if outcome == "overturn" and item.get("context", {}).get("action") == "allow":
        outcome, kw = "confirm", {}
    if outcome == "change" and not kw.get("severity"):
        kw["severity"] = "general"
    return outcome, kw


def _pace(
    rng: random.Random, clock: FixedClock, lo: int, hi: int, *, steps: int, until: datetime
) -> None:
    """Move the clock to the next of `steps` actions, lo..hi minutes on, squeezed so that all of
    them fit before `until`: a big marketplace's team works in parallel, and each phase of the
    day must end before the next begins (ledger entries only move forward)."""
    left = max(0.0, (until - clock.now()).total_seconds() / 60)
    squeeze = min(1.0, left / max(1, steps * hi))
    step = timedelta(minutes=rng.randint(lo, hi) * squeeze)
    clock.set(min(clock.now() + step, until))


def review_day(
    db: Database,
    rng: random.Random,
    *,
    capacity: int,
    policy: EnforcementPolicy,
    clock: FixedClock,
) -> int:
    """Reviewers claim and decide queued items until the day's capacity or shift is used up;
    the number of items decided."""
    until = clock.now() + REVIEW_SHIFT
    with db.engine.connect() as conn:
        waiting = conn.execute(
            select(func.count())
            .select_from(enforcement_store.review_items)
            .where(enforcement_store.review_items.c.state.in_(("open", "second")))
        ).scalar_one()
    if not waiting:
        return 0
    done = 0
    misses = 0  # reviewers in a row who found nothing they may take
    turn = 0
    while done < min(capacity, waiting) and misses < len(REVIEWERS):
        who = REVIEWERS[turn % len(REVIEWERS)]
        turn += 1
        _pace(rng, clock, 2, 12, steps=min(capacity, waiting) + len(REVIEWERS), until=until)
        got = review.claim(db, reviewer=who, why=None, policy=policy, clock=clock)
        if got is None:
            misses += 1
            continue
        misses = 0
        with db.engine.connect() as conn:
            truth = _truth_of(conn, got["decision_id"])
        outcome, kw = _judge(rng, got, truth)
        try:
            review.decide(
                db, got["id"], outcome=outcome, reason=f"{outcome} after checking the item",
                reviewer=who, policy=policy, clock=clock, **kw,
            )  # fmt: skip
        except InvalidInput:
            review.decide(
                db, got["id"], outcome="confirm", reason="confirmed after checking the item",
                reviewer=who, policy=policy, clock=clock,
            )  # fmt: skip
        done += 1
    return done


def file_appeals(
    db: Database,
    rng: random.Random,
    pending: list[tuple[date, int]],
    *,
    since: datetime,
    clock: FixedClock,
    day: date,
) -> int:
    """Subjects appeal violations of the day: most wrongly penalised ones do, few others. Each
    appeal goes into `pending` with the day it is due; the number of appeals filed."""
    until = clock.now() + APPEAL_HOURS
    with db.engine.connect() as conn:
        rows = (
            conn.execute(
                select(enforcement_store.violations)
                .where(
                    enforcement_store.violations.c.charged_at >= since,
                    enforcement_store.violations.c.state == "in_force",
                )  # fmt: skip
                .order_by(enforcement_store.violations.c.id)
            )
            .mappings()
            .all()
        )
        truth = {r["id"]: _truth_of(conn, r["decision_id"]) for r in rows}
    filed = 0
    for r in rows:
        wrong = r["code"] not in truth[r["id"]]
        if rng.random() < (0.7 if wrong else 0.04):
            _pace(rng, clock, 1, 30, steps=len(rows), until=until)
            try:
                appeal_id = appeals.file_appeal(
                    db, subject=r["subject"], reason="该商品描述并无违规，请复核",
                    clock=clock, actor=r["subject"], violation_id=r["id"],
                )  # fmt: skip
            except ShopguardError:
                continue
            filed += 1
            pending.append((day + timedelta(days=rng.choice((1, 2, 3, 4, 6, 9))), appeal_id))
    return filed


def answer_appeals(
    db: Database,
    rng: random.Random,
    pending: list[tuple[date, int]],
    *,
    day: date,
    policy: EnforcementPolicy,
    clock: FixedClock,
) -> tuple[list[tuple[date, int]], int]:
    """The appeals desk answers the appeals due by `day`: (those still pending, the number
    upheld)."""
    left = []
    upheld = 0
    for due, appeal_id in pending:
        if due > day:
            left.append((due, appeal_id))
            continue
        with db.engine.connect() as conn:
            appeal = enforcement_store.get_appeal(conn, appeal_id)
            violation = (
                enforcement_store.get_violation(conn, appeal["violation"]) if appeal else None
            )
            truth = _truth_of(conn, violation["decision_id"]) if violation else set()
        if violation is None:
            continue
        uphold = violation["code"] not in truth
        if rng.random() < REVIEWER_ERROR:
            uphold = not uphold
        for who in APPEALS_DESK:
            try:
                result = appeals.decide_appeal(
                    db, appeal_id, uphold=uphold,
                    reason="申诉成立，撤销处罚" if uphold else "证据充分，维持原处理",
                    policy=policy, clock=clock, actor=who,
                )  # fmt: skip
            except ShopguardError:
                continue
            upheld += result["state"] == "upheld"
            break
    return left, upheld
