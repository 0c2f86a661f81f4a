"""Orders with personal data in the real database (SQLite and PostgreSQL): the consignee only in
the vault, reads masked by role, reveals for a purpose (audited, rate-limited, watched for
volume), masked waybills with privacy numbers, redacted messages, and the report's figures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from shopguard.enforcement import review, subjects
from shopguard.enforcement import store as es
from shopguard.enforcement.model import load_enforcement
from shopguard.platform import audit
from shopguard.platform.auth import Principal, Role
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database
from shopguard.platform.errors import Forbidden, Gone, InvalidInput, NotFound, RateLimited
from shopguard.platform.metrics import Period, compute
from shopguard.privacy import messages, service, shipping, store
from shopguard.privacy.keyring import Keyring, new_keyring
from shopguard.privacy.masks import Address, Consignee
from shopguard.privacy.model import load_privacy
from shopguard.privacy.monitor import active_lock
from shopguard.text.compiler import CompiledPolicy
from tests.conftest import PACK
from tests.support.scan import stored_text

ENFORCEMENT = load_enforcement(PACK)
PRIVACY = load_privacy(PACK)
ADMIN = Principal("k-admin", Role.ADMIN)
SHOP = Principal("k-shop-1", Role.MERCHANT, "shop-1")
OTHER_SHOP = Principal("k-shop-2", Role.MERCHANT, "shop-2")
BUYER = Principal("k-buyer", Role.CONSUMER, "consumer-1")
COURIER = Principal("k-courier", Role.COURIER)
CS = Principal("k-cs", Role.CS_AGENT)
ALICE = Consignee(
    "欧阳娜娜",
    "13912345678",
    Address("浙江省", "杭州市", "西湖区", "文三路90号东部软件园3号楼2单元501室"),
)


@pytest.fixture
def ring() -> Keyring:
    return new_keyring()


def _world(db: Database, clock: FixedClock, ring: Keyring, n: int = 3) -> list[dict[str, Any]]:
    for shop in ("shop-1", "shop-2"):
        subjects.register_subject(db, shop, type="merchant", name=shop, clock=clock, actor="t")
    orders = [
        service.OrderIn(
            "shop-1", "保湿面霜", 8900, ALICE, clock.now() + timedelta(days=2), "consumer-1"
        )  # fmt: skip
    ] * n
    return service.create_orders(db, ring, orders, principal=SHOP, clock=clock)


def test_the_consignee_is_stored_only_encrypted_and_read_masked_by_role(
    db: Database, clock: FixedClock, ring: Keyring
) -> None:
    views = _world(db, clock, ring)
    assert views[0]["consignee"] == {
        "name": "欧阳*", "phone": "139****5678", "address": "浙江省杭州市西湖区****", "masked": True
    }  # fmt: skip
    stored = stored_text(db)
    for clear in (ALICE.name, ALICE.phone, "东部软件园", "501室"):
        assert clear not in stored
    oid = views[0]["id"]
    assert service.read_order(db, ring, oid, principal=SHOP)["consignee"]["masked"] is True
    mine = service.read_order(db, ring, oid, principal=BUYER)["consignee"]
    assert (mine["name"], mine["phone"], mine["masked"]) == (ALICE.name, ALICE.phone, False)
    with pytest.raises(NotFound):
        service.read_order(db, ring, oid, principal=OTHER_SHOP)
    with pytest.raises(NotFound):
        service.read_order(db, ring, oid, principal=Principal("k-b2", Role.CONSUMER, "consumer-2"))
    with pytest.raises(Forbidden):
        service.read_order(db, ring, oid, principal=COURIER)
    assert service.list_orders(db, principal=OTHER_SHOP) == []
    assert [o["id"] for o in service.list_orders(db, principal=SHOP)] == [v["id"] for v in views]
    assert all(o["consignee"]["masked"] for o in service.list_orders(db, principal=ADMIN))


def test_a_shop_may_not_place_orders_for_another_or_an_unknown_shop(
    db: Database, clock: FixedClock, ring: Keyring
) -> None:
    _world(db, clock, ring, n=1)
    order = service.OrderIn("shop-2", "x", 100, ALICE, clock.now())
    with pytest.raises(Forbidden):
        service.create_orders(db, ring, [order], principal=SHOP, clock=clock)
    with pytest.raises(InvalidInput, match="merchant"):
        service.create_orders(
            db, ring, [service.OrderIn("nobody", "x", 100, ALICE, clock.now())], principal=ADMIN,
            clock=clock,
        )  # fmt: skip
    with db.engine.connect() as conn:
        assert len(store.list_orders(conn, merchant=None, consumer=None, after=0, limit=50)) == 1


def test_a_reveal_needs_a_purpose_the_role_may_give_and_every_attempt_is_audited(
    db: Database, clock: FixedClock, ring: Keyring
) -> None:
    oid = _world(db, clock, ring, n=1)[0]["id"]

    def reveal(who: Principal, purpose: str) -> dict[str, Any]:
        return service.reveal(
            db, ring, oid, purpose=purpose, principal=who, policy=PRIVACY,
            enforcement_policy=ENFORCEMENT, clock=clock,
        )  # fmt: skip

    with pytest.raises(InvalidInput, match="purpose"):
        reveal(SHOP, "curiosity")
    with pytest.raises(Forbidden):
        reveal(SHOP, "court_order")
    with pytest.raises(NotFound):
        reveal(OTHER_SHOP, "print_waybill")
    clear = reveal(SHOP, "print_waybill")
    assert clear["consignee"]["phone"] == ALICE.phone and clear["purpose"] == "print_waybill"
    with db.engine.connect() as conn:
        rows = (
            conn.execute(select(store.pii_access).order_by(store.pii_access.c.id)).mappings().all()
        )
        log = conn.execute(select(audit.audit_log.c.action, audit.audit_log.c.detail)).all()
    assert [(r["purpose"], r["outcome"]) for r in rows] == [
        (None, "refused"), ("court_order", "refused"), ("print_waybill", "granted")
    ]  # fmt: skip
    reveals = [d for a, d in log if a == "pii.reveal"]
    assert [d["outcome"] for d in reveals] == ["refused", "refused", "granted"]
    assert ALICE.phone not in str(log)


def test_reveals_are_rate_limited_per_key(db: Database, clock: FixedClock, ring: Keyring) -> None:
    oid = _world(db, clock, ring, n=1)[0]["id"]
    for _ in range(PRIVACY.reveal_rate.max):
        clock.advance(timedelta(seconds=1))
        service.reveal(db, ring, oid, purpose="after_sales_contact", principal=SHOP,
                       policy=PRIVACY, enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip
    with pytest.raises(RateLimited):
        service.reveal(db, ring, oid, purpose="after_sales_contact", principal=SHOP,
                       policy=PRIVACY, enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip
    clock.advance(timedelta(minutes=PRIVACY.reveal_rate.minutes))
    service.reveal(db, ring, oid, purpose="after_sales_contact", principal=SHOP,
                   policy=PRIVACY, enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip


def _harvest(db: Database, ring: Keyring, clock: FixedClock, oid: int, n: int, step: float) -> int:
    """Reveal `n` times `step` seconds apart; returns how many were granted."""
    granted = 0
    for _ in range(n):
        clock.advance(timedelta(seconds=step))
        try:
            service.reveal(db, ring, oid, purpose="print_waybill", principal=SHOP,
                           policy=PRIVACY, enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip
            granted += 1
        except Forbidden:
            break
    return granted


def test_harvesting_consignees_locks_the_key_and_puts_an_egregious_case_to_reviewers(
    db: Database, clock: FixedClock, ring: Keyring
) -> None:
    oid = _world(db, clock, ring, n=1)[0]["id"]
    hourly = PRIVACY.monitor.windows[0].max
    granted = _harvest(db, ring, clock, oid, hourly + 50, step=3.1)
    assert granted == hourly  # the access that would cross the window is refused
    with db.engine.connect() as conn:
        lock = active_lock(conn, SHOP.key_id)
        assert lock is not None and lock["violation_id"] is not None
        violation = es.get_violation(conn, lock["violation_id"])
        assert violation is not None
        assert (violation["code"], violation["severity"], violation["state"]) == (
            "privacy.data_trafficking", "egregious", "pending"
        )  # fmt: skip
        item = (
            conn.execute(select(es.review_items).where(es.review_items.c.id == lock["review_item"]))
            .mappings()
            .one()
        )
        assert item["violation_id"] == violation["id"]
    with pytest.raises(Forbidden):
        service.export_orders(db, principal=SHOP, merchant=None, policy=PRIVACY,
                              enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip
    # Reviewers find it was a printing run gone wrong: overturned, the lock lifts with it.
    got = review.claim(db, reviewer="reviewer-1", why=None, policy=ENFORCEMENT, clock=clock)
    assert got is not None and got["id"] == lock["review_item"]
    review.decide(db, got["id"], outcome="overturn", reason="bulk printing, not harvesting",
                  reviewer="reviewer-1", policy=ENFORCEMENT, clock=clock)  # fmt: skip
    with db.engine.connect() as conn:
        assert active_lock(conn, SHOP.key_id) is None


def test_a_day_far_above_the_keys_own_habit_locks_it(
    db: Database, clock: FixedClock, ring: Keyring
) -> None:
    oid = _world(db, clock, ring, n=1)[0]["id"]
    for _ in range(5):  # a habit of a few reveals a day
        _harvest(db, ring, clock, oid, 4, step=60)
        clock.advance(timedelta(days=1))
    floor = PRIVACY.monitor.baseline.floor
    granted = _harvest(db, ring, clock, oid, floor + 20, step=4)  # slow enough for every window
    assert granted == floor - 1
    with db.engine.connect() as conn:
        lock = active_lock(conn, SHOP.key_id)
    assert lock is not None and "usual" in lock["reason"]


def test_waybills_are_masked_and_privacy_numbers_reach_couriers_until_they_expire(
    db: Database, clock: FixedClock, ring: Keyring
) -> None:
    ids = [v["id"] for v in _world(db, clock, ring, n=2)]
    with pytest.raises(Forbidden):
        shipping.create_waybills(db, ring, ids, principal=COURIER, privacy_number=True,
                                policy=PRIVACY, clock=clock)  # fmt: skip
    with pytest.raises(NotFound):
        shipping.create_waybills(db, ring, ids, principal=OTHER_SHOP, privacy_number=True,
                                policy=PRIVACY, clock=clock)  # fmt: skip
    numbered, plain = (
        shipping.create_waybill(db, ring, ids[0], principal=SHOP, privacy_number=True,
                               policy=PRIVACY, clock=clock),
        shipping.create_waybill(db, ring, ids[1], principal=SHOP, privacy_number=False,
                               policy=PRIVACY, clock=clock),
    )  # fmt: skip
    for doc in (numbered, plain):
        text = str(doc)
        assert ALICE.phone not in text and ALICE.name not in text and "501" not in text
    assert "******" in str(plain)
    number = numbered["privacy_number"]["number"]
    assert numbered["receiver"]["phone"] == number and number.startswith(
        PRIVACY.privacy_number_prefix
    )
    waybill = numbered["waybill_no"]
    assert shipping.read_waybill(db, waybill, principal=COURIER)["waybill_no"] == waybill
    with pytest.raises(NotFound):
        shipping.read_waybill(db, waybill, principal=OTHER_SHOP)
    with pytest.raises(Forbidden):
        shipping.read_waybill(db, waybill, principal=BUYER)

    def resolve(who: Principal) -> dict[str, Any]:
        return shipping.resolve_number(db, ring, number, principal=who, policy=PRIVACY,
                                      enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip

    with pytest.raises(Forbidden):
        resolve(SHOP)
    assert resolve(COURIER)["phone"] == ALICE.phone
    (done,) = shipping.mark_delivered(db, [waybill], principal=COURIER, policy=PRIVACY, clock=clock)
    clock.advance(timedelta(days=PRIVACY.privacy_number_days) - timedelta(minutes=1))
    assert resolve(COURIER)["expires_at"] == done["privacy_number_expires_at"]
    clock.advance(timedelta(minutes=2))
    with pytest.raises(Gone):
        resolve(COURIER)
    with db.engine.connect() as conn:
        outcomes = conn.execute(
            select(store.pii_access.c.action, store.pii_access.c.outcome).order_by(
                store.pii_access.c.id
            )
        ).all()
    assert [tuple(o) for o in outcomes] == [
        ("resolve", "granted"), ("resolve", "granted"), ("resolve", "refused")
    ]  # fmt: skip


def test_messages_are_redacted_and_a_shops_leak_is_recorded(
    db: Database, clock: FixedClock, ring: Keyring, policy: CompiledPolicy
) -> None:
    oid = _world(db, clock, ring, n=1)[0]["id"]

    def post(who: Principal, text: str) -> dict[str, Any]:
        return messages.post_message(db, oid, text, principal=who, screening=policy,
                                     enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip

    leak = post(SHOP, f"您的收件电话是{ALICE.phone}吧？我让快递联系您。")
    assert ALICE.phone not in leak["text"] and "139****5678" in leak["text"]
    assert leak["violation_id"] is not None
    off = post(SHOP, "加我微信 shop888 下次直接找我买，私下转账便宜")
    assert off["violation_id"] is not None and messages.OFF_PLATFORM in off["text"]
    own = post(BUYER, f"我的电话是{ALICE.phone}，到了打给我。")
    assert ALICE.phone not in own["text"] and own["violation_id"] is None
    plain = post(BUYER, "请问什么时候发货？订单号 2025061812345678901")
    assert plain["redactions"] == [] and plain["text"].endswith("2025061812345678901")
    with pytest.raises(NotFound):
        post(OTHER_SHOP, "hello")
    with db.engine.connect() as conn:
        codes = sorted(
            conn.execute(
                select(es.violations.c.code).where(es.violations.c.subject == "shop-1")
            ).scalars()
        )
    assert codes == ["diversion.off_platform", "pii.exposure"]
    listed = messages.list_messages(db, oid, principal=CS)
    assert [m["id"] for m in listed] == [leak["id"], off["id"], own["id"], plain["id"]]
    assert ALICE.phone not in stored_text(db)


def test_the_reports_security_figures_match_a_hand_count(
    db: Database, clock: FixedClock, ring: Keyring, policy: CompiledPolicy
) -> None:
    ids = [v["id"] for v in _world(db, clock, ring, n=4)]
    shipping.create_waybills(db, ring, ids[:3], principal=SHOP, privacy_number=True,
                            policy=PRIVACY, clock=clock)  # fmt: skip
    shipping.create_waybill(db, ring, ids[3], principal=SHOP, privacy_number=False,
                           policy=PRIVACY, clock=clock)  # fmt: skip
    service.reveal(db, ring, ids[0], purpose="print_waybill", principal=SHOP, policy=PRIVACY,
                   enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip
    service.reveal(db, ring, ids[1], purpose="consumer_request", principal=CS, policy=PRIVACY,
                   enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip
    with pytest.raises(InvalidInput):
        service.reveal(db, ring, ids[1], purpose="nosy", principal=CS, policy=PRIVACY,
                       enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip
    messages.post_message(db, ids[0], "电话 13812345678", principal=SHOP, screening=policy,
                          enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip
    messages.post_message(db, ids[0], "好的", principal=BUYER, screening=policy,
                          enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip
    with db.engine.connect() as conn:
        got = compute(conn, Period.year(clock.now().year),
                      ["privacy.orders", "privacy.shipping", "privacy.access", "privacy.locks",
                       "privacy.messages"])  # fmt: skip
    assert got["privacy.orders"]["value"] == {"placed": 4, "encrypted_share": 1.0}
    assert got["privacy.shipping"]["value"] == {
        "shipped": 4, "masked_waybill_share": 1.0, "privacy_number_share": 0.75
    }  # fmt: skip
    assert got["privacy.access"]["value"] == {
        "audited": 3, "reveals_by_purpose": {"consumer_request": 1, "print_waybill": 1},
        "calls_connected": 0, "rows_exported": 0, "refused": 1,
    }  # fmt: skip
    assert got["privacy.locks"]["value"] == {"locked": 0, "shops_with_violation": 0}
    assert got["privacy.messages"]["value"] == {"screened": 2, "redacted": 1, "shop_violations": 1}


def test_masked_exports_have_their_own_limit_and_do_not_count_as_clear_reveals(
    db: Database, clock: FixedClock, ring: Keyring
) -> None:
    """A shop exporting its own (masked) order book is ordinary, even well above the floor of
    the clear-reveal habit; a key pulling more than the export limit is locked."""
    from shopguard.privacy.model import Window

    oid = _world(db, clock, ring, n=150)[0]["id"]
    for _ in range(4):  # a habit of a few clear reveals a day
        _harvest(db, ring, clock, oid, 2, step=60)
        clock.advance(timedelta(days=1))
    limit = PRIVACY.monitor.model_copy(update={"export_windows": (Window(minutes=1440, max=400),)})
    policy = PRIVACY.model_copy(update={"monitor": limit})

    def export() -> int:
        rows = service.export_orders(db, principal=SHOP, merchant=None, policy=policy,
                                     enforcement_policy=ENFORCEMENT, clock=clock)  # fmt: skip
        return len(list(rows))

    assert export() == 150 and export() == 150  # 300 masked rows today: within the limit
    with db.engine.connect() as conn:
        assert active_lock(conn, SHOP.key_id) is None
    with pytest.raises(Forbidden):
        export()  # 450 > 400
    with db.engine.connect() as conn:
        lock = active_lock(conn, SHOP.key_id)
    assert lock is not None and "1440 minutes" in lock["reason"]
