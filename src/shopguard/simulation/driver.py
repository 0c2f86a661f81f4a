"""Drive one synthetic marketplace year through the real engine, day by day.

Each day: merchants and creators publish (some re-publish what was blocked, offenders in
disguise); every attempt is screened by the compiled policy, stored, and passed through
enforcement's gate (standing, violations, ladders, the review queue); the QA sample of the day
before is drawn; reviewers work through the queue as far as their capacity allows, deciding
from the ground truth with a small error rate; subjects appeal what they think is wrong and a
different reviewer answers. The clock walks through the year, so every timestamp is the
simulated one. The same seed and year give the same figures."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from shopguard.enforcement import gate, review
from shopguard.enforcement import store as enforcement_store
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.enforcement.store import appeals as appeals_t
from shopguard.enforcement.store import (
    item_events,
    ledger,
    review_decisions,
    review_items,
    violations,
)
from shopguard.platform import audit, bulk
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database
from shopguard.platform.errors import InvalidInput
from shopguard.privacy import store as privacy_store
from shopguard.privacy.keyring import Keyring
from shopguard.privacy.model import PrivacyPolicy
from shopguard.screening import store as screening_store
from shopguard.screening.service import masked_item
from shopguard.simulation import desk, orders, texts, world
from shopguard.simulation.store import sim_runs, sim_subjects, sim_truth
from shopguard.text.compiler import CompiledPolicy
from shopguard.text.engine import screen_item
from shopguard.text.model import Category, Item, Kind


@dataclass
class Summary:
    year: int
    scale: str
    seed: int
    attempts: int = 0
    blocked: int = 0
    held: int = 0
    republished: int = 0
    violations: int = 0
    reviews: int = 0
    appeals: int = 0
    appeals_upheld: int = 0
    orders: int = 0
    reveals: int = 0
    messages: int = 0
    locked: int = 0
    seconds: float = 0.0
    stored_events: int = 0
    truth: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "truth"}
        out["truth"] = dict(sorted(self.truth.items()))
        return out


@dataclass
class _Attempt:
    actor: world.Actor
    item: Item
    codes: tuple[str, ...]
    evasive: bool


def _attempt(
    rng: random.Random, actor: world.Actor, n: int, day: date, *, clean: bool = False
) -> _Attempt:
    """One publish attempt: maybe breaking a rule, by the actor's profile."""
    _, rate, disguise, _, _ = world.PROFILES[actor.profile]
    category = rng.choice(actor.categories)
    code: str | None = None
    if not clean and rng.random() < rate:
        mix = world.CODE_MIX[category]
        code = rng.choices([c for c, _ in mix], weights=[w for _, w in mix])[0]
        if rng.random() < 0.02:  # anyone may paste a phone number into public text
            code = "pii.exposure"
    evasive = code is not None and rng.random() < disguise
    item_id = f"{actor.id}-{day.isoformat()}-{n}"
    if actor.type == "creator":
        kind = rng.choice(("caption", "transcript"))
        text = texts.content(rng, code, kind=kind, evasive=evasive)
        item = Item(id=item_id, kind=Kind.CONTENT, text=text)
    else:
        title, text, brand, price = texts.listing(rng, category, code, evasive=evasive)
        item = Item(
            id=item_id, kind=Kind.LISTING, text=text, title=title,
            category=Category(category), price=price, brand=brand,
        )  # fmt: skip
    return _Attempt(actor, item, (code,) if code else (), evasive)


def _register(db: Database, actors: list[world.Actor], clock: FixedClock) -> int:
    """Register the marketplace's subjects once (a second year reuses them)."""
    with db.engine.connect() as conn:
        known = set(
            enforcement_store.subjects_by_id(conn, [a.id for a in actors], for_update=False)
        )
    new = [a for a in actors if a.id not in known]
    if not new:
        return 0
    with db.transaction() as conn:
        bulk.insert_many(
            conn, enforcement_store.subjects,
            [{"id": a.id, "type": a.type, "name": a.name, "followers": a.followers,
              "created_at": clock.now()} for a in new],
            ids=False,
        )  # fmt: skip
        bulk.insert_many(
            conn, sim_subjects,
            [{"subject": a.id, "profile": a.profile, "ring": a.ring,
              "categories": " ".join(a.categories), "contact_digest": a.contact_digest}
             for a in new],
            ids=False,
        )  # fmt: skip
        audit.append(
            conn, at=clock.now(), principal="simulator", action="subject.register",
            target=f"subjects:{len(new)}", reason="simulated marketplace opened",
            detail={"merchants": sum(a.type == "merchant" for a in new),
                    "creators": sum(a.type == "creator" for a in new)},
        )  # fmt: skip
    return len(new)


def _publish(
    db: Database,
    batch: list[_Attempt],
    *,
    policy: CompiledPolicy,
    enforcement: EnforcementPolicy,
    now: datetime,
    summary: Summary,
) -> list[tuple[_Attempt, dict[str, Any]]]:
    """Screen, store and gate one chunk of attempts in one transaction."""
    decisions = [screen_item(a.item, policy) for a in batch]
    rows = []
    for a, d in zip(batch, decisions, strict=True):
        rows.append(
            screening_store.row_for(
                d.as_dict(),
                masked_item(a.item),
                principal=f"sim-{a.actor.type}",
                subject=a.actor.id,
                at=now,
            )
        )
    with db.transaction() as conn:
        ids = screening_store.insert_decisions(conn, rows)
        bulk.insert_many(
            conn, sim_truth,
            [{"decision_id": i, "subject": a.actor.id, "codes": " ".join(a.codes),
              "evasive": a.evasive} for i, a in zip(ids, batch, strict=True)],
            ids=False,
        )  # fmt: skip
        gated = gate.gate(
            conn,
            [gate.Gated(a.actor.id, {**d.as_dict(), "decision_id": i}, i)
             for a, d, i in zip(batch, decisions, ids, strict=True)],
            severity_of=policy.severity_of, policy=enforcement, now=now,
        )  # fmt: skip
    out = []
    for a, g in zip(batch, gated, strict=True):
        summary.attempts += 1
        summary.blocked += g["action"] == "block"
        summary.held += g["action"] == "review"
        summary.truth.update(a.codes or ("clean",))
        out.append((a, g))
    return out


def _count_events(conn: Connection) -> int:
    tables = (screening_store.decisions, violations, ledger, audit.audit_log, review_items,
              review_decisions, item_events, appeals_t, privacy_store.orders,
              privacy_store.waybills, privacy_store.pii_access, privacy_store.messages)  # fmt: skip
    return sum(int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables)


def simulate(
    db: Database,
    *,
    year: int,
    scale: str,
    seed: int,
    policy: CompiledPolicy,
    enforcement: EnforcementPolicy,
    ring: Keyring,
    privacy: PrivacyPolicy,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Simulate one marketplace year into `db` (see the module's doc)."""
    if scale not in world.SCALES:
        raise InvalidInput(f"scale: expected tiny, small or medium, got {scale!r}")
    if not 1970 <= year <= 9999:
        raise InvalidInput(f"year: expected a calendar year, got {year}")
    with db.engine.connect() as conn:
        done = conn.execute(select(sim_runs.c.id).where(sim_runs.c.year == year)).first()
    if done is not None:
        raise InvalidInput(f"year: {year} was already simulated into this store")
    spec = world.SCALES[scale]
    # The marketplace's own QA sample floor: a small shop-floor samples fewer items a day.
    qa = enforcement.review.qa_sample.model_copy(update={"min": spec.qa_min})
    enforcement = enforcement.model_copy(
        update={"review": enforcement.review.model_copy(update={"qa_sample": qa})}
    )
    started = time.perf_counter()
    wall = datetime.now(UTC)
    rng = random.Random(f"year:{seed}:{scale}:{year}")
    judge_rng = random.Random(f"judge:{seed}:{scale}:{year}")
    actors = world.build(seed, scale)
    weights = [a.activity for a in actors]
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    clock = FixedClock(datetime(year, 1, 1, 8, tzinfo=UTC))
    summary = Summary(year, scale, seed)
    _register(db, actors, clock)
    retries: list[tuple[world.Actor, bool]] = []
    pending_appeals: list[tuple[date, int]] = []
    merchants = [a for a in actors if a.type == "merchant"]
    order_rng = random.Random(f"orders:{seed}:{scale}:{year}")
    order_state = orders.plan_year(order_rng, year)
    for offset in range(days):
        day = first + timedelta(days=offset)
        morning = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        clock.set(morning)
        # Busier around shopping festivals (6.18 and 11.11) and the spring festival.
        boost = 1.6 if (day.month, day.day) in {(6, 18), (11, 11)} else 1.0
        n = max(1, round(spec.attempts_per_day * boost * rng.uniform(0.8, 1.2)))
        chosen = rng.choices(actors, weights=weights, k=n)
        batch = [_attempt(rng, a, i, day) for i, a in enumerate(chosen)]
        for j, (actor, clean) in enumerate(retries):
            batch.append(_attempt(rng, actor, n + j, day, clean=clean))
            summary.republished += 1
        retries = []
        for start in range(0, len(batch), spec.chunk):
            # Chunks spread over 8:00-12:00: review (13:00) comes after the last of them.
            clock.set(morning + timedelta(hours=4 * start / max(1, len(batch))))
            results = _publish(
                db, batch[start : start + spec.chunk], policy=policy, enforcement=enforcement,
                now=clock.now(), summary=summary,
            )  # fmt: skip
            for attempt, gated in results:
                if gated["action"] == "block" and "standing" not in gated:
                    _, _, disguise, again, _ = world.PROFILES[attempt.actor.profile]
                    if rng.random() < again:  # fix it, or try to sneak it past
                        retries.append((attempt.actor, rng.random() >= disguise))
        counts = orders.order_day(
            db, order_rng, ring=ring, merchants=merchants, per_day=spec.orders_per_day, day=day,
            clock=clock, state=order_state, privacy=privacy, enforcement=enforcement,
            screening=policy,
        )  # fmt: skip
        summary.orders += counts["orders"]
        summary.reveals += counts["reveals"]
        summary.messages += counts["messages"]
        summary.locked += counts["locked"]
        clock.set(morning + timedelta(hours=5))  # 13:00
        if offset > 0:
            review.sample_day(
                db, day - timedelta(days=1), policy=enforcement, clock=clock, actor="scheduler"
            )
        summary.reviews += desk.review_day(
            db, judge_rng, capacity=spec.reviews_per_day, policy=enforcement, clock=clock
        )
        clock.set(morning + timedelta(hours=12))  # 20:00
        summary.appeals += desk.file_appeals(
            db, judge_rng, pending_appeals, since=morning, clock=clock, day=day
        )
        clock.set(morning + timedelta(hours=14))  # 22:00
        pending_appeals, upheld = desk.answer_appeals(
            db, judge_rng, pending_appeals, day=day, policy=enforcement, clock=clock
        )
        summary.appeals_upheld += upheld
        if progress:
            progress(offset + 1, days)
    with db.engine.connect() as conn:
        summary.violations = int(
            conn.execute(
                select(func.count())
                .select_from(enforcement_store.violations)
                .where(
                    enforcement_store.violations.c.at >= datetime(year, 1, 1, tzinfo=UTC),
                    enforcement_store.violations.c.at < datetime(year + 1, 1, 1, tzinfo=UTC),
                )
            ).scalar_one()
        )
        summary.stored_events = _count_events(conn)
    summary.seconds = round(time.perf_counter() - started, 2)
    with db.transaction() as conn:
        bulk.insert_many(
            conn, sim_runs,
            [{"year": year, "scale": scale, "seed": seed, "started_at": wall,
              "seconds": summary.seconds, "summary": summary.as_dict()}],
        )  # fmt: skip
        audit.append(
            conn, at=clock.now(), principal="simulator", action="simulation.run",
            target=f"year:{year}", reason=f"simulated a {scale} year (seed {seed})",
            detail={"attempts": summary.attempts, "blocked": summary.blocked},
        )  # fmt: skip
    return summary
