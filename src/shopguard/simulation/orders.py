"""The simulated marketplace's orders, through information security's real code paths.

Each day (12:00-12:59, after publishing and before review, so ledger entries stay in time order):
consumers place orders with shops (consignees sealed in the vault); shops ship yesterday's orders
on masked waybills, most with privacy numbers (some couriers in the simulated world do not
support them); couriers deliver and now and then call a consignee through the privacy number;
shops and service agents reveal consignees for the listed purposes; buyers and shops message,
and careless or rogue shops paste phone numbers or ask to move off the platform. Once or twice a
year a ring shop starts harvesting its consignees' data (倒卖个人信息): a burst of reveals that the
access monitor is there to stop."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform.auth import Principal, Role
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database
from shopguard.platform.errors import ShopguardError
from shopguard.privacy import messages, service, shipping, store
from shopguard.privacy.keyring import Keyring
from shopguard.privacy.masks import Address, Consignee
from shopguard.privacy.model import PrivacyPolicy
from shopguard.privacy.monitor import active_lock
from shopguard.simulation import world
from shopguard.text.compiler import CompiledPolicy

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕建国文辉力宇浩然欣怡子涵梓轩雨桐佳琪思远一鸣晓东春梅海燕志强"
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "慕容")
PLACES = (
    ("浙江省", "杭州市", ("西湖区", "余杭区", "拱墅区", "滨江区")),
    ("广东省", "广州市", ("天河区", "越秀区", "海珠区", "白云区")),
    ("广东省", "深圳市", ("南山区", "福田区", "宝安区", "龙岗区")),
    ("北京市", "北京市", ("朝阳区", "海淀区", "东城区", "丰台区")),
    ("上海市", "上海市", ("浦东新区", "徐汇区", "静安区", "闵行区")),
    ("四川省", "成都市", ("武侯区", "锦江区", "高新区", "双流区")),
    ("湖北省", "武汉市", ("洪山区", "江汉区", "武昌区")),
    ("江苏省", "南京市", ("鼓楼区", "玄武区", "江宁区")),
    ("山东省", "青岛市", ("市南区", "崂山区", "黄岛区")),
    ("河南省", "郑州市", ("金水区", "二七区", "中原区")),
    ("云南省", "大理白族自治州", ("大理市", "宾川县")),
    ("新疆维吾尔自治区", "乌鲁木齐市", ("天山区", "沙依巴克区")),
)
STREETS = ("文一西路", "中山路", "人民路", "解放大道", "建设路", "长江路", "科技园南路", "幸福里",
           "和平街", "滨河路", "学院路", "青年路")  # fmt: skip
ESTATES = ("阳光花园", "金色家园", "翠苑", "锦绣华庭", "滨江花城", "万科城", "绿城桂花园", "")
PRODUCTS = ("保湿面霜 50ml", "有机大米 5kg", "运动跑鞋", "纯棉T恤", "蓝牙耳机", "儿童绘本套装",
            "不锈钢保温杯", "维生素C片", "新鲜脐橙 10斤", "羊毛围巾", "电动牙刷", "四件套床品")  # fmt: skip
# Buyer-seller messages: ordinary ones, and shops overstepping (a phone, an off-platform ask).
ORDINARY = ("请问什么时候发货？", "已经发货了，请注意查收。", "亲，尺码偏小建议拍大一码。",
            "收到了，质量不错。", "能开发票吗？", "快递到哪里了？", "好的，已为您备注。",
            "第一次购买，希望包装好一点。", "订单号 2025061812345678901 麻烦查一下物流")  # fmt: skip
SHOP_LEAKS = ("有问题直接打我电话{phone}，我帮您处理。", "您好，这边售后电话 {phone}，随时联系。",
              "加我微信 {wechat} 下次直接找我买，便宜二十块。", "以后私下转账给我就行，不用走平台。",
              "您的收件电话是{consumer}吧？我让快递联系您。")  # fmt: skip
CONSUMER_LEAKS = ("我的电话是{consumer}，到了打给我。", "换个号码吧 {consumer}，之前那个停机了。")


@dataclass
class OrderState:
    """Orders waiting to ship or to be delivered, and who buys."""

    to_ship: list[int] = field(default_factory=list)
    to_deliver: list[tuple[str, str | None]] = field(default_factory=list)  # (waybill, number)
    traffickers: set[str] = field(default_factory=set)
    harvest_days: set[date] = field(default_factory=set)  # when a ring shop turns harvester


def plan_year(rng: random.Random, year: int) -> OrderState:
    """The year's order book, with one or two days on which a ring shop starts harvesting."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    picked = rng.sample(range(20, days), k=rng.choice((1, 2)))
    return OrderState(harvest_days={first + timedelta(days=d) for d in picked})


def _phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "17", "18", "19")) + "".join(
        str(rng.randrange(10)) for _ in range(9)
    )


def consignee(rng: random.Random) -> Consignee:
    """A plausible consignee: a Chinese name, a mainland mobile and a full address."""
    surname = rng.choice(COMPOUND) if rng.random() < 0.02 else rng.choice(SURNAMES)
    name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    province, city, districts = rng.choice(PLACES)
    detail = (
        f"{rng.choice(STREETS)}{rng.randint(1, 999)}号{rng.choice(ESTATES)}"
        f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(1, 33)}{rng.randint(1, 4):02d}室"
    )
    return Consignee(name, _phone(rng), Address(province, city, rng.choice(districts), detail))


def _shop(merchant: world.Actor) -> Principal:
    return Principal(f"sim-{merchant.id}", Role.MERCHANT, merchant.id)


CS_AGENT = Principal("sim-cs-1", Role.CS_AGENT)
COURIER = Principal("sim-courier-1", Role.COURIER)


def order_day(
    db: Database,
    rng: random.Random,
    *,
    ring: Keyring,
    merchants: list[world.Actor],
    per_day: int,
    day: date,
    clock: FixedClock,
    state: OrderState,
    privacy: PrivacyPolicy,
    enforcement: EnforcementPolicy,
    screening: CompiledPolicy,
) -> dict[str, int]:
    """One day of orders from 12:00; returns counts for the run's summary."""
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=clock.now().tzinfo)
    counts = {"orders": 0, "shipped": 0, "reveals": 0, "messages": 0, "locked": 0}
    if per_day == 0:
        return counts
    # Orders placed today (stored at noon in one batch per shop group).
    clock.set(noon)
    weights = [m.activity for m in merchants]
    buyers = rng.choices(merchants, weights=weights, k=per_day)
    placed = [
        service.OrderIn(
            merchant=m.id,
            product=rng.choice(PRODUCTS),
            amount_cents=rng.randint(990, 89_900),
            consignee=consignee(rng),
            promised_ship_at=noon + timedelta(hours=48),
            consumer=f"consumer-{rng.randrange(per_day * 40):07d}",
        )  # fmt: skip
        for m in buyers
    ]
    admin = Principal("sim-platform", Role.ADMIN)
    views = service.create_orders(db, ring, placed, principal=admin, clock=clock)
    counts["orders"] = len(views)
    # Yesterday's orders ship: most on privacy-number waybills.
    clock.set(noon + timedelta(minutes=5))
    if state.to_ship:
        with_number = [o for o in state.to_ship if rng.random() < 0.86]
        without = [o for o in state.to_ship if o not in set(with_number)]
        for ids, numbered in ((with_number, True), (without, False)):
            if ids:
                docs = shipping.create_waybills(
                    db, ring, ids, principal=admin, privacy_number=numbered, policy=privacy,
                    clock=clock,
                )  # fmt: skip
                state.to_deliver += [
                    (d["waybill_no"], (d["privacy_number"] or {}).get("number")) for d in docs
                ]
                counts["shipped"] += len(docs)
    state.to_ship = [v["id"] for v in views]
    # Couriers deliver what shipped before, calling some consignees first.
    clock.set(noon + timedelta(minutes=10))
    for _, number in state.to_deliver:
        if number and rng.random() < 0.05:
            clock.advance(timedelta(seconds=rng.randint(5, 40)))
            _try(shipping.resolve_number, db, ring, number, principal=COURIER, policy=privacy,
                 enforcement_policy=enforcement, clock=clock)  # fmt: skip
    if state.to_deliver:
        shipping.mark_delivered(
            db, [w for w, _ in state.to_deliver], principal=COURIER, policy=privacy, clock=clock
        )
    state.to_deliver = []
    # Messages between buyers and shops.
    clock.set(noon + timedelta(minutes=15))
    by_id = {m.id: m for m in merchants}
    for v in rng.sample(views, k=max(1, len(views) // 8)) if views else []:
        shop = by_id[v["merchant"]]
        _, rate, _, _, _ = world.PROFILES[shop.profile]
        clock.advance(timedelta(seconds=rng.randint(1, 8)))
        if rng.random() < rate * 0.5:
            text = rng.choice(SHOP_LEAKS).format(
                phone=_phone(rng), wechat=f"wx{rng.randint(10000, 99999)}", consumer=_phone(rng)
            )
            who = _shop(shop)
        elif rng.random() < 0.05:
            text, who = rng.choice(CONSUMER_LEAKS).format(consumer=_phone(rng)), _consumer(v)
        else:
            text = rng.choice(ORDINARY)
            who = _shop(shop) if rng.random() < 0.5 else _consumer(v)
        _try(messages.post_message, db, v["id"], text, principal=who, screening=screening,
             enforcement_policy=enforcement, clock=clock)  # fmt: skip
        counts["messages"] += 1
    # Reveals for the listed purposes: shops printing outside, after-sales, service agents.
    clock.set(noon + timedelta(minutes=30))
    for v in views:
        roll = rng.random()
        if roll < 0.02:
            who, purpose = _shop(by_id[v["merchant"]]), "print_waybill"
        elif roll < 0.035:
            who, purpose = _shop(by_id[v["merchant"]]), "after_sales_contact"
        elif roll < 0.045:
            who, purpose = CS_AGENT, rng.choice(("delivery_exception", "consumer_request"))
        else:
            continue
        clock.advance(timedelta(seconds=rng.randint(1, 6)))
        counts["reveals"] += _try(
            service.reveal, db, ring, v["id"], purpose=purpose, principal=who, policy=privacy,
            enforcement_policy=enforcement, clock=clock,
        )  # fmt: skip
    # A few shops export their order book (masked) for their own bookkeeping.
    for shop in {v["merchant"] for v in views if rng.random() < 0.01}:
        _try(service.export_orders, db, principal=_shop(by_id[shop]), merchant=None,
             policy=privacy, enforcement_policy=enforcement, clock=clock)  # fmt: skip
    # Now and then a ring shop harvests its consignees (a burst of reveals and exports).
    rings = [m for m in merchants if m.profile == "ring" and m.id not in state.traffickers]
    if rings and day in state.harvest_days:
        rogue = rng.choice(rings)
        state.traffickers.add(rogue.id)
        counts["locked"] += _harvest(db, ring, rng, rogue, clock, privacy, enforcement)
    return counts


def _consumer(view: dict[str, Any]) -> Principal:
    return Principal(f"sim-{view['consumer']}", Role.CONSUMER, view["consumer"])


def _try(fn: Any, *args: Any, **kwargs: Any) -> int:
    """Call a service as a user would: refusals (rate limits, locks) are part of the story."""
    try:
        fn(*args, **kwargs)
    except ShopguardError:
        return 0
    return 1


def _harvest(
    db: Database,
    ring: Keyring,
    rng: random.Random,
    rogue: world.Actor,
    clock: FixedClock,
    privacy: PrivacyPolicy,
    enforcement: EnforcementPolicy,
) -> int:
    """Reveal every order the shop has, as fast as the rate limit lets it, until locked."""
    who = _shop(rogue)
    with db.engine.connect() as conn:
        ids = list(
            conn.execute(
                select(store.orders.c.id).where(store.orders.c.merchant == rogue.id).limit(2000)
            ).scalars()
        )
    ids = ids * (1 + 400 // max(1, len(ids)))  # a small shop reveals the same ones again
    clock.set(clock.now().replace(minute=31))
    for order_id in ids[:1200]:
        clock.advance(timedelta(seconds=rng.uniform(2.5, 3.5)))
        if clock.now().minute >= 59:
            break
        try:
            service.reveal(
                db, ring, order_id, purpose="print_waybill", principal=who, policy=privacy,
                enforcement_policy=enforcement, clock=clock,
            )  # fmt: skip
        except ShopguardError:
            with db.engine.connect() as conn:
                if active_lock(conn, who.key_id) is not None:
                    return 1
    return 0
