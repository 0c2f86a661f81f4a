"""The review queue in the real database: leases, two reviewers for egregious findings, held
items, QA samples and the figures they give (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shopguard.enforcement import gate, review, subjects, transparency, violations
from shopguard.enforcement.model import load_enforcement
from shopguard.enforcement.publishing import access_decision
from shopguard.platform import audit
from shopguard.platform.auth import Principal, Role
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database
from shopguard.platform.errors import Conflict, Forbidden, InvalidInput
from shopguard.platform.metrics import Period, compute
from shopguard.screening.schemas import parse_item_json
from shopguard.screening.service import screen_and_store
from shopguard.text.compiler import CompiledPolicy
from tests.conftest import PACK
from tests.support.factories import item

POLICY = load_enforcement(PACK)
STAFF = Principal("staff", Role.ADMIN)


def _shop(db: Database, clock: FixedClock, shop: str = "shop-1") -> None:
    subjects.register_subject(db, shop, type="merchant", name=shop, clock=clock, actor="admin")


def _publish(
    db: Database, policy: CompiledPolicy, clock: FixedClock, shop: str, **fields: Any
) -> dict[str, Any]:
    """A shop publishes one item: screened, stored, then gated by enforcement (as HTTP does)."""
    import orjson

    parsed = parse_item_json(orjson.dumps(item(**fields)))
    principal = Principal(f"key-{shop}", Role.MERCHANT, shop)
    (stored,) = screen_and_store(db, [parsed], policy=policy, principal=principal, clock=clock)
    return gate.gate_decision(
        db, shop, stored.as_dict(), decision_id=stored.decision_id,
        severity_of=policy.severity_of, policy=POLICY, clock=clock,
    )  # fmt: skip


def _claim(db: Database, clock: FixedClock, who: str, why: str | None = None) -> dict[str, Any]:
    got = review.claim(db, reviewer=who, why=why, policy=POLICY, clock=clock)
    assert got is not None
    return got


def _decide(
    db: Database, clock: FixedClock, item_id: int, who: str, outcome: str, **kw: Any
) -> dict[str, Any]:
    return review.decide(
        db, item_id, outcome=outcome, reason=f"{who} says {outcome}", reviewer=who,
        policy=POLICY, clock=clock, **kw,
    )  # fmt: skip


def test_leases_expire_and_only_the_holder_decides(db: Database, clock: FixedClock) -> None:
    _shop(db, clock)
    held = violations.apply_violation(
        db, "shop-1", code="goods.prohibited", severity="egregious", source="automatic",
        policy=POLICY, clock=clock, actor="screening",
    )  # fmt: skip
    assert held.state == "pending"
    assert held.points == 0
    first = _claim(db, clock, "ann")
    assert first["violation_id"] == held.violation_id
    assert review.claim(db, reviewer="bob", why=None, policy=POLICY, clock=clock) is None
    with pytest.raises(Conflict):
        _decide(db, clock, first["id"], "bob", "confirm")  # not bob's lease
    clock.advance(timedelta(minutes=POLICY.review.lease_minutes + 1))
    with pytest.raises(Conflict):
        _decide(db, clock, first["id"], "ann", "confirm")  # ann's lease ran out
    again = _claim(db, clock, "bob")
    assert again["id"] == first["id"]
    review.release(db, again["id"], reviewer="bob", clock=clock)
    assert _claim(db, clock, "ann")["id"] == first["id"]
    with pytest.raises(InvalidInput):
        _decide(db, clock, first["id"], "ann", "shrug")
    with pytest.raises(InvalidInput):
        _decide(db, clock, first["id"], "ann", "confirm", code="claim.medical")


def test_an_egregious_finding_counts_only_when_two_reviewers_agree(
    db: Database, clock: FixedClock
) -> None:
    _shop(db, clock)
    held = violations.apply_violation(
        db, "shop-1", code="claim.medical", severity="egregious", source="automatic",
        policy=POLICY, clock=clock, actor="screening",
    )  # fmt: skip
    item_id = _claim(db, clock, "ann")["id"]
    assert _decide(db, clock, item_id, "ann", "confirm")["state"] == "second"
    assert subjects.get_standing(db, "shop-1", policy=POLICY, clock=clock).points == {}
    assert review.claim(db, reviewer="ann", why=None, policy=POLICY, clock=clock) is None
    assert _claim(db, clock, "bob")["id"] == item_id
    done = _decide(db, clock, item_id, "bob", "confirm")
    assert done["state"] == "decided"
    assert done["sanctions"] == ["suspension"]
    standing = subjects.get_standing(db, "shop-1", policy=POLICY, clock=clock)
    assert standing.points == {"egregious": 12}
    assert standing.blocked
    (row,) = subjects.list_violations(db, "shop-1")
    assert (row["id"], row["state"]) == (held.violation_id, "in_force")
    with db.engine.connect() as conn:
        assert audit.verify(conn).ok


def test_a_reviewer_who_records_an_egregious_finding_is_its_first_reviewer(
    db: Database, clock: FixedClock
) -> None:
    _shop(db, clock)
    violations.apply_violation(
        db, "shop-1", code="claim.medical", severity="egregious", source="reviewer",
        policy=POLICY, clock=clock, actor="ann",
    )  # fmt: skip
    assert review.claim(db, reviewer="ann", why=None, policy=POLICY, clock=clock) is None
    item_id = _claim(db, clock, "bob")["id"]
    # The second reviewer disagrees on severity: serious needs no third opinion.
    done = _decide(db, clock, item_id, "bob", "change", severity="serious")
    assert done["state"] == "decided"
    assert subjects.get_standing(db, "shop-1", policy=POLICY, clock=clock).points == {"general": 6}


def test_overturning_a_held_block_restores_the_item(
    db: Database, policy: CompiledPolicy, clock: FixedClock
) -> None:
    _shop(db, clock)
    out = _publish(db, policy, clock, "shop-1", text="出售仿真枪，货到付款")
    assert out["action"] == "block"
    (v,) = subjects.list_violations(db, "shop-1")
    assert (v["code"], v["state"]) == ("goods.prohibited", "pending")
    item_id = _claim(db, clock, "ann")["id"]
    result = _decide(db, clock, item_id, "ann", "overturn")
    assert result["violation_state"] == "overturned"
    shown = access_decision(db, out["decision_id"], principal=STAFF)
    assert shown["status"] == "restored"
    assert subjects.get_standing(db, "shop-1", policy=POLICY, clock=clock).points == {}


def test_an_item_held_for_review_is_published_or_blocked_by_the_reviewer(
    db: Database, policy: CompiledPolicy, clock: FixedClock
) -> None:
    _shop(db, clock)
    listing = {"category": "luxury", "brand": "Gucci", "price": 199.0}
    held = _publish(db, policy, clock, "shop-1", text="专柜正品手袋", **listing)
    fine = _publish(db, policy, clock, "shop-1", text="官方正品腰带，支持验货", **listing)
    assert held["action"] == fine["action"] == "review"
    first = _claim(db, clock, "ann", why="action_review")
    assert first["decision_id"] == held["decision_id"]
    assert first["context"]["item"]["brand"] == "Gucci"
    blocked = _decide(db, clock, first["id"], "ann", "confirm")
    assert blocked["item_status"] == "blocked"
    assert blocked["points"] == 2
    second = _claim(db, clock, "ann", why="action_review")
    assert _decide(db, clock, second["id"], "ann", "overturn")["item_status"] == "published"
    assert access_decision(db, held["decision_id"], principal=STAFF)["status"] == "blocked"
    assert access_decision(db, fine["decision_id"], principal=STAFF)["status"] == "published"
    assert subjects.get_standing(db, "shop-1", policy=POLICY, clock=clock).points == {"general": 2}


def test_a_block_only_a_low_confidence_rule_found_waits_for_a_human(
    db: Database, policy: CompiledPolicy, clock: FixedClock
) -> None:
    low = POLICY.model_copy(
        update={
            "review": POLICY.review.model_copy(update={"low_confidence_rules": ["pii-public-text"]})
        }
    )
    _shop(db, clock)
    parsed = parse_item_json(b'{"id":"x","kind":"content","text":"call 13812345678"}')
    principal = Principal("k", Role.MERCHANT, "shop-1")
    (stored,) = screen_and_store(db, [parsed], policy=policy, principal=principal, clock=clock)
    assert stored.decision.action.value == "block"
    gate.gate_decision(
        db, "shop-1", stored.as_dict(), decision_id=stored.decision_id,
        severity_of=policy.severity_of, policy=low, clock=clock,
    )  # fmt: skip
    states = {v["code"]: v["state"] for v in subjects.list_violations(db, "shop-1")}
    assert states["pii.exposure"] == "pending"
    assert [r["why"] for r in review.list_items(db, state="open")] == ["low_confidence"]


def test_the_daily_qa_sample_measures_automation_precision(
    db: Database, policy: CompiledPolicy, clock: FixedClock
) -> None:
    _shop(db, clock)
    day = clock.now().date()
    for i in range(30):
        _publish(db, policy, clock, "shop-1", text=f"加我微信 abc_{i} 私聊下单")  # blocked
        _publish(db, policy, clock, "shop-1", text=f"纯棉T恤 第{i}款")  # allowed
    clock.advance(timedelta(days=1))
    n = review.sample_day(db, day, policy=POLICY, clock=clock, actor="scheduler")
    assert n == 20  # 1% of 60 is under the minimum of 20
    assert review.sample_day(db, day, policy=POLICY, clock=clock, actor="scheduler") == 0
    assert review.sample_day(db, date(2020, 1, 1), policy=POLICY, clock=clock, actor="s") == 0
    outcomes: dict[str, int] = {}
    while got := review.claim(db, reviewer="qa", why="qa_sample", policy=POLICY, clock=clock):
        blocked = got["context"]["action"] == "block"
        if blocked and outcomes.get("overturn", 0) < 2:
            outcome, kw = "overturn", {}
        elif not blocked and outcomes.get("change", 0) < 1:
            outcome, kw = "change", {"code": "ad.absolute_term", "severity": "general"}
        else:
            outcome, kw = "confirm", {}
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        _decide(db, clock, got["id"], "qa", outcome, **kw)
    sampled = [r for r in review.list_items(db, state="decided") if r["why"] == "qa_sample"]
    assert len(sampled) == 20
    blocks = sum(
        1
        for r in sampled
        if access_decision(db, r["decision_id"], principal=STAFF)["action"] == "block"
    )
    with db.engine.connect() as conn:
        figures = compute(conn, Period.year(day.year), ["review.automation_precision"])
    got = figures["review.automation_precision"]["value"]
    assert got["sampled_blocks"] == blocks
    assert got["block_precision"] == round((blocks - 2) / blocks, 4)
    assert got["miss_rate"] == round(1 / (20 - blocks), 4)
    assert got["daily_block_precision"] == {day.isoformat(): got["block_precision"]}


def test_a_second_review_must_be_someone_else(db: Database, clock: FixedClock) -> None:
    _shop(db, clock)
    violations.apply_violation(
        db, "shop-1", code="goods.prohibited", severity="egregious", source="automatic",
        policy=POLICY, clock=clock, actor="screening",
    )  # fmt: skip
    item_id = _claim(db, clock, "ann")["id"]
    _decide(db, clock, item_id, "ann", "confirm")
    # Even holding a lease (an admin forcing it), ann may not be her own second reviewer.
    from shopguard.enforcement import store

    with db.transaction() as conn:
        store.set_review_item(
            conn, item_id, lease_owner="ann", lease_until=clock.now() + timedelta(minutes=5)
        )
    with pytest.raises(Forbidden):
        _decide(db, clock, item_id, "ann", "confirm")


def test_items_blocked_after_screening_get_fileable_statements(
    db: Database, policy: CompiledPolicy, clock: FixedClock
) -> None:
    from tests.e2e.test_cli import _dsa_rules

    _shop(db, clock)
    listing = {"category": "luxury", "brand": "Gucci", "price": 199.0}
    _publish(db, policy, clock, "shop-1", text="专柜正品手袋", **listing)
    item_id = _claim(db, clock, "ann", why="action_review")["id"]
    _decide(db, clock, item_id, "ann", "confirm")
    for _ in range(8):  # 12 points each: suspension at 48, clear-out at 96
        violations.apply_violation(
            db, "shop-1", code="goods.prohibited", severity="serious", source="reviewer",
            policy=POLICY, clock=clock, actor="bob",
        )  # fmt: skip
    after = _publish(db, policy, clock, "shop-1", text="纯棉T恤")
    assert after["standing"]["blocked_by"] in ("suspension", "clear_out")
    rows = transparency.export_statements(db, year=clock.now().year, policy=POLICY)
    items = [r for r in rows if r["puid"].startswith("sg-item-")]
    assert [r["automated_decision"] for r in items] == [
        "AUTOMATED_DECISION_NOT_AUTOMATED",
        "AUTOMATED_DECISION_FULLY",
    ]
    assert items[0]["category"] == "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS"
    rules = _dsa_rules()
    for row in rows:
        assert rules.problems(row) == [], row  # type: ignore[attr-defined]
