"""Violations, ledger and standing in the real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shopguard.enforcement import appeals, findings, subjects, violations
from shopguard.enforcement.model import Sanction, load_enforcement
from shopguard.platform import audit
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database
from shopguard.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.conftest import PACK

POLICY = load_enforcement(PACK)


def _apply(
    db: Database,
    clock: FixedClock,
    subject: str,
    code: str = "claim.medical",
    severity: str = "serious",
) -> findings.Applied:
    return violations.apply_violation(
        db, subject, code=code, severity=severity, source="automatic", policy=POLICY,
        clock=clock, actor="test",
    )  # fmt: skip


def test_a_merchant_accumulates_points_until_suspended(db: Database, clock: FixedClock) -> None:
    subjects.register_subject(
        db, "shop-1", type="merchant", name="老王的店", clock=clock, actor="test"
    )
    fired: list[str] = []
    for _ in range(8):  # 6 points each: 48 points reaches the suspension step
        clock.advance(timedelta(days=1))
        fired += _apply(db, clock, "shop-1").sanctions
    assert fired == ["warning", "listing_restriction", "traffic_downrank", "suspension"]
    now = subjects.get_standing(db, "shop-1", policy=POLICY, clock=clock)
    assert now.points == {"general": 48}
    assert now.blocked
    assert {s.sanction for s in now.sanctions} == {
        Sanction.LISTING_RESTRICTION,
        Sanction.TRAFFIC_DOWNRANK,
        Sanction.SUSPENSION,
    }
    clock.advance(timedelta(days=31))  # every timed sanction has run out
    assert not subjects.get_standing(db, "shop-1", policy=POLICY, clock=clock).blocked
    with db.engine.connect() as conn:
        assert audit.verify(conn).ok


def test_concurrent_violations_never_lose_a_point(db: Database, clock: FixedClock) -> None:
    subjects.register_subject(db, "shop-2", type="merchant", name="x", clock=clock, actor="test")

    def worker() -> None:
        for _ in range(5):
            _apply(db, clock, "shop-2", code="ad.absolute_term", severity="general")  # 1 point

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert subjects.get_standing(db, "shop-2", policy=POLICY, clock=clock).points == {"general": 20}


def test_the_ledger_cannot_be_edited(db: Database, clock: FixedClock) -> None:
    subjects.register_subject(db, "shop-3", type="merchant", name="x", clock=clock, actor="test")
    _apply(db, clock, "shop-3")
    with pytest.raises(DBAPIError), db.transaction() as conn:
        conn.execute(text("UPDATE ledger SET points = 0"))
    with pytest.raises(DBAPIError), db.transaction() as conn:
        conn.execute(text("DELETE FROM ledger"))


def test_bad_input_changes_nothing(db: Database, clock: FixedClock) -> None:
    with pytest.raises(NotFound):
        _apply(db, clock, "nobody")
    subjects.register_subject(
        db, "c-1", type="creator", name="达人", followers=1_200_000, clock=clock, actor="test"
    )
    with pytest.raises(Conflict):
        subjects.register_subject(
            db, "c-1", type="creator", name="again", clock=clock, actor="test"
        )
    with pytest.raises(InvalidInput):
        subjects.register_subject(db, "x", type="alien", name="x", clock=clock, actor="test")
    with pytest.raises(InvalidInput):
        _apply(db, clock, "c-1", severity="catastrophic")
    with pytest.raises(InvalidInput):
        _apply(db, clock, "c-1", code="made.up")
    assert subjects.get_standing(db, "c-1", policy=POLICY, clock=clock).points == {}


def test_appeals_window_sla_and_restoration(db: Database, clock: FixedClock) -> None:
    subjects.register_subject(db, "shop-7", type="merchant", name="x", clock=clock, actor="test")
    _apply(db, clock, "shop-7")  # 6 points
    before = subjects.get_standing(db, "shop-7", policy=POLICY, clock=clock)
    applied = violations.apply_violation(
        db, "shop-7", code="goods.prohibited", severity="serious", source="reviewer",
        policy=POLICY, clock=clock, actor="reviewer-a",
    )  # fmt: skip
    assert applied.sanctions == ("warning",)  # 18 points
    clock.advance(timedelta(days=2))
    appeal_id = appeals.file_appeal(
        db, violation_id=applied.violation_id, subject="shop-7", reason="wrong shop",
        clock=clock, actor="m",
    )  # fmt: skip
    assert subjects.get_standing(db, "shop-7", policy=POLICY, clock=clock).points == {"general": 18}
    with pytest.raises(Forbidden):
        appeals.decide_appeal(
            db, appeal_id, uphold=True, reason="x", policy=POLICY, clock=clock, actor="reviewer-a"
        )
    result = appeals.decide_appeal(
        db, appeal_id, uphold=True, reason="confirmed", policy=POLICY, clock=clock,
        actor="reviewer-b",
    )  # fmt: skip
    assert result["within_sla"]
    assert subjects.get_standing(db, "shop-7", policy=POLICY, clock=clock) == before
    with pytest.raises(Conflict):
        appeals.decide_appeal(
            db, appeal_id, uphold=False, reason="again", policy=POLICY, clock=clock,
            actor="reviewer-b",
        )  # fmt: skip
    late = violations.apply_violation(
        db, "shop-7", code="ad.absolute_term", severity="general", source="reviewer",
        policy=POLICY, clock=clock, actor="reviewer-a",
    )  # fmt: skip
    clock.advance(timedelta(days=8))
    with pytest.raises(Conflict):
        appeals.file_appeal(
            db, violation_id=late.violation_id, subject="shop-7", reason="late", clock=clock,
            actor="m",
        )  # fmt: skip
    with pytest.raises(NotFound):
        appeals.file_appeal(
            db, violation_id=late.violation_id, subject="other-shop", reason="not mine",
            clock=clock, actor="m",
        )  # fmt: skip
    with pytest.raises(InvalidInput):
        appeals.file_appeal(db, subject="shop-7", reason="which?", clock=clock, actor="m")


def _sanctions(db: Database, subject: str, clock: FixedClock) -> list[tuple[str, str]]:
    now = subjects.get_standing(db, subject, policy=POLICY, clock=clock)
    return sorted((s.sanction.value, s.until.isoformat() if s.until else "") for s in now.sanctions)


def test_an_upheld_appeal_takes_back_the_later_sanctions_it_caused(
    db: Database, clock: FixedClock
) -> None:
    """Four 6-point violations: warning at 12 (the 2nd), restriction at 24 (the 4th). Upholding
    an appeal against the 1st must leave exactly the standing of a shop that never had it."""
    for shop in ("shop-a", "twin"):
        subjects.register_subject(db, shop, type="merchant", name=shop, clock=clock, actor="t")
    first = _apply(db, clock, "shop-a")
    for _ in range(3):
        clock.advance(timedelta(days=1))
        _apply(db, clock, "shop-a")
        _apply(db, clock, "twin")
    assert "listing_restriction" in [s for s, _ in _sanctions(db, "shop-a", clock)]
    appeal_id = appeals.file_appeal(
        db, violation_id=first.violation_id, subject="shop-a", reason="not ours", clock=clock,
        actor="m",
    )  # fmt: skip
    appeals.decide_appeal(
        db, appeal_id, uphold=True, reason="ok", policy=POLICY, clock=clock, actor="r2"
    )
    ours = subjects.get_standing(db, "shop-a", policy=POLICY, clock=clock)
    twin = subjects.get_standing(db, "twin", policy=POLICY, clock=clock)
    assert ours.points == twin.points == {"general": 18}
    assert _sanctions(db, "shop-a", clock) == _sanctions(db, "twin", clock) == []
    with db.engine.connect() as conn:
        assert audit.verify(conn).ok


def test_an_upheld_appeal_against_one_sanction_lifts_it_and_keeps_the_points(
    db: Database, clock: FixedClock
) -> None:
    subjects.register_subject(db, "shop-s", type="merchant", name="s", clock=clock, actor="t")
    for _ in range(4):
        result = _apply(db, clock, "shop-s", code="goods.prohibited", severity="serious")
    assert result.sanctions == ("suspension",)  # 48 points
    with db.engine.connect() as conn:
        from shopguard.enforcement import store

        suspension = next(e for e in store.entries_of(conn, "shop-s") if e.sanction == "suspension")
    appeal_id = appeals.file_appeal(
        db, sanction_id=suspension.id, subject="shop-s", reason="disproportionate", clock=clock,
        actor="m",
    )  # fmt: skip
    appeals.decide_appeal(
        db, appeal_id, uphold=True, reason="first suspension: downgrade", policy=POLICY,
        clock=clock, actor="r2",
    )  # fmt: skip
    now = subjects.get_standing(db, "shop-s", policy=POLICY, clock=clock)
    assert now.points == {"general": 48}
    assert not now.blocked
    # A later violation re-derives nothing back: the waived sanction stays waived.
    clock.advance(timedelta(days=1))
    _apply(db, clock, "shop-s", code="ad.absolute_term", severity="general")
    assert not subjects.get_standing(db, "shop-s", policy=POLICY, clock=clock).blocked


def test_working_days_skip_weekends() -> None:
    from datetime import UTC, datetime

    friday = datetime(2026, 11, 27, 10, tzinfo=UTC)
    assert appeals.add_working_days(friday, 5) == datetime(2026, 12, 4, 10, tzinfo=UTC)


def test_bulk_written_times_compare_like_any_other(db: Database, clock: FixedClock) -> None:
    """Rows written through the bulk path store times in the database's own format, so a query
    bound at exactly that instant finds them (SQLite compares stored text)."""
    from sqlalchemy import func, select

    from shopguard.enforcement import store

    subjects.register_subject(db, "shop-t", type="merchant", name="t", clock=clock, actor="t")
    _apply(db, clock, "shop-t")
    with db.engine.connect() as conn:
        for column in (store.violations.c.charged_at, store.ledger.c.at):
            query = select(func.count()).where(column >= clock.now(), column <= clock.now())
            assert conn.execute(query).scalar_one() >= 1
