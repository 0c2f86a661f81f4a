"""Enforcement's yearly figures against values worked out by hand on a small world."""

from __future__ import annotations

from datetime import timedelta

from shopguard.enforcement import appeals, subjects, violations
from shopguard.enforcement.model import load_enforcement
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database
from shopguard.platform.metrics import Period, compute
from tests.conftest import PACK

POLICY = load_enforcement(PACK)


def test_figures_match_a_hand_count(db: Database, clock: FixedClock) -> None:
    def add(sid: str, kind: str, followers: int = 0) -> None:
        subjects.register_subject(
            db, sid, type=kind, name=sid, followers=followers, clock=clock, actor="t"
        )

    def hit(sid: str, code: str, severity: str, times: int = 1) -> list[int]:
        return [
            violations.apply_violation(
                db, sid, code=code, severity=severity, source="reviewer", policy=POLICY,
                clock=clock, actor="ann",
            ).violation_id
            for _ in range(times)
        ]  # fmt: skip

    add("m-clean", "merchant")
    add("m-bad", "merchant")
    add("m-worst", "merchant")
    add("c-star", "creator", 2_500_000)
    add("c-mid", "creator", 50_000)
    hit("m-bad", "claim.medical", "serious", 4)  # 24 points: warning, listing restriction
    hit("m-worst", "goods.prohibited", "serious", 8)  # 96: ... suspension, clear-out
    hit("c-star", "claim.medical", "serious", 12)  # 72: downrank, revoked 30 d, revoked for good
    (appealed,) = hit("c-mid", "ad.absolute_term", "serious")
    clock.advance(timedelta(days=1))
    appeal = appeals.file_appeal(
        db, violation_id=appealed, subject="c-mid", reason="quote", clock=clock, actor="c-mid"
    )
    appeals.decide_appeal(
        db, appeal, uphold=True, reason="it was a quotation", policy=POLICY, clock=clock,
        actor="bob",
    )  # fmt: skip
    with db.engine.connect() as conn:
        got = {k: v["value"] for k, v in compute(conn, Period.year(clock.now().year)).items()}
        last_year = compute(conn, Period.year(clock.now().year - 1))
    assert got["enforcement.subjects_penalised"] == {
        "merchants": 2,
        "creators": 1,  # c-mid's only violation was reversed on appeal
        "creators_by_followers": {"<10k": 0, "10k-100k": 0, "100k-1M": 0, "1M+": 1},
    }
    assert got["enforcement.penalties"] == {"merchant": 12, "creator": 12}
    assert got["enforcement.sanctions_by_kind"] == {
        "clear_out": 1,
        "listing_restriction": 2,
        "selling_revoked": 2,
        "suspension": 1,
        "traffic_downrank": 2,
    }
    assert got["enforcement.permanent_revocations"] == 1
    assert got["enforcement.clear_outs"] == 1
    assert got["enforcement.appeals"]["filed"] == 1
    assert got["enforcement.appeals"]["upheld"] == 1
    assert got["enforcement.appeals"]["answered_within_sla"] == 1.0
    assert last_year["enforcement.clear_outs"]["value"] == 0
    assert "definition" in last_year["enforcement.clear_outs"]
