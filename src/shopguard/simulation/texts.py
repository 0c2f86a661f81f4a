"""Synthetic listings, captions and live-stream transcripts of a Chinese-style marketplace.

The texts are written from how real listings and streams read, independently of the policy
pack: they are the ground truth the detection engine is measured against. Every function is
deterministic in the `random.Random` it is given.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shopguard.simulation.catalog import (
    AUDIENCE,
    CATEGORIES,
    CATS,
    CODES,
    GROUP_OF,
    OWN_BRANDS,
    STANDARDS,
    TAGS,
    Cat,
    Item,
    words,
)
from shopguard.simulation.evasion import evade
from shopguard.simulation.personal import (
    GIVEN,
    HANDLE_STEMS,
    PLACES,
    SURNAMES,
    bank_card,
    digits,
    id_number,
    phone,
    reference,
)
from shopguard.simulation.phrasebook import (
    CAPTION_CLEAN,
    CAPTION_NEAR,
    CAPTION_PREFIX,
    CLEAN,
    CLEAN_GROUP,
    HASHTAGS,
    NEAR,
    NEUTRAL,
    OPENER_WORDS,
    OPENERS,
    SPOKEN_CLEAN,
    SPOKEN_NEAR,
    TITLES,
)
from shopguard.simulation.violation_templates import KEYS, VIOLATIONS

Slot = Sequence[str] | Callable[[], str]

_COMMON: dict[str, tuple[str, ...]] = {
    "place": PLACES,
    "gift": words("小样 试用装 收纳袋 同款小样 定制礼盒 湿巾一包 钥匙扣 运费险"),
    "days": words("3天 7天 一周 半个月 一个月 21天 两周 三个月"),
    "season": words("春季 夏季 秋冬 冬季 春秋"),
    "year": words("2024 2025"),
    "sex": ("女", "男", "男女同款", ""),
    "nutrient": words("花青素 膳食纤维 皂苷 多糖 黄酮 硒元素 负离子 远红外"),
    "perk": words(
        "有内部优惠价 返现更多 享受出厂价 发你隐藏款 领无门槛大额券 拿代理价 看更多实拍图"
    ),
    "ship": words("隐蔽发货 外包装无任何字样 顺丰包邮 当天发货 同城可送 快递单不写品名"),
    "time": words("今晚 明早 24小时内 当天"),
    "h": words("7 8 9 10"),
    "disaster": words("暴雨 冰雹 干旱 台风 霜冻 洪水"),
    "who": words("老父亲 老母亲 女儿 儿子 爷爷 奶奶"),
    "need": words("医药费 手术费 学费 住院费"),
    "produce": words("苹果 橙子 猕猴桃 红薯 土豆 芒果 柚子 砂糖橘 大蒜 洋葱 丑橘 梨 西瓜 山药"),
    "texture": words("清爽 水润 绵密 轻薄 丝滑"),
    "skin": words("干性肌肤 油性肌肤 混合性肌肤 各种肤质"),
    "fabric": words("纯棉 聚酯纤维 羊毛混纺 真丝 牛仔布 莫代尔"),
    "height": words("160 165 168 172 178 182"),
    "warranty": words("一年质保 两年质保 三年质保"),
    "expiry": words("2026年12月 2027年06月 2027年10月 2028年03月"),
    "minus": words("颜色少 有点重 价格不算便宜 味道偏淡 发货慢了点"),
}


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _price(rng: random.Random, lo: float, hi: float) -> float:
    """A shop-style price (9.9, 49, 199, 2980 ...) between about `lo` and `hi` yuan."""
    v = math.exp(rng.uniform(math.log(lo), math.log(max(hi, lo))))
    if v < 30:
        return math.floor(v) + 0.9
    if v < 300:
        return float(int(v / 10) * 10 + rng.choice((9, 9.9, 8)))
    if v < 3000:
        return float(int(v / 100) * 100 + rng.choice((99, 80, 59)))
    return float(int(v / 1000) * 1000 + rng.choice((999, 800, 0, 500)))


@dataclass
class _Ctx:
    category: str
    group: str
    item: Item
    brand: str | None
    price: float
    slots: dict[str, Slot]


def _pick_item(rng: random.Random, cat: Cat, code: str | None) -> Item:
    pools = {
        "claim.medical": cat.medical,
        "claim.efficacy_guarantee": cat.efficacy,
        "ip.counterfeit_signal": cat.fakes,
        "goods.prohibited": cat.banned,
    }
    return rng.choice(pools.get(code or "", cat.items))


def _context(rng: random.Random, category: str, code: str | None) -> _Ctx:
    cat = CATS[category]
    group = cat.group
    item = _pick_item(rng, cat, code)
    price = _price(rng, item.lo, item.hi)
    genuine = price
    brand: str | None
    if code == "ip.counterfeit_signal":
        brand = rng.choice(item.extra)
        share = (0.02, 0.08) if category == "luxury" else (0.08, 0.3)
        price = _price(rng, genuine * share[0], genuine * share[1])
    elif code == "goods.prohibited":
        brand = None
    elif item.brand and code is None:
        brand = item.brand
    elif category == "luxury":
        brand = rng.choice(cat.brands) if item in cat.items else None
    elif code is None and cat.brands and rng.random() < 0.55:
        brand = rng.choice(cat.brands)
    else:
        brand = rng.choice(OWN_BRANDS[group]) if rng.random() < 0.7 else None
    if brand == "-":
        brand = None

    def num(lo: int, hi: int) -> Callable[[], str]:
        return lambda: str(rng.randint(lo, hi))

    def indication() -> str:
        return "、".join(rng.sample(item.extra, min(len(item.extra), rng.randint(1, 3))))

    slots: dict[str, Slot] = dict(_COMMON)
    slots.update(
        brand=(brand or "",),
        noun=(item.noun,),
        spec=item.specs,
        point=cat.points or words("现货"),
        aud=AUDIENCE[group],
        tag=TAGS.get(group, TAGS[""]),
        std=STANDARDS[group],
        price=(_fmt(price),),
        price2=(_fmt(_price(rng, price * 1.3, price * 2)),),
        gp=(_fmt(genuine),),
        n=num(2, 9),
        nn=num(12, 98),
        cut=num(5, 50),
        ind=indication,
        ind1=item.extra or ("",),
        eff=item.extra or ("",),
        feat=item.extra or ("",),
        name=lambda: rng.choice(SURNAMES) + rng.choice(GIVEN),
        masked_name=lambda: rng.choice(SURNAMES) + "*",
        masked_phone=lambda: (lambda p: p[:3] + "****" + p[-4:])(phone(rng)),
        H=lambda: (
            rng.choice(HANDLE_STEMS) + rng.choice(("", "_", "-")) + str(rng.randint(10, 9999))
        ),
        qq=lambda: str(rng.randint(20_000_000, 3_999_999_999)),
        order=lambda: reference(rng, rng.choice("2456"), 18),
        waybill=lambda: rng.choice(
            (
                lambda: "SF" + reference(rng, "1", 12),
                lambda: reference(rng, "78", 12),
                lambda: "YT" + reference(rng, "8", 12),
                lambda: "JDX0" + reference(rng, "", 11),
            )
        )(),
        hotline=lambda: f"400-{digits(rng, 3)}-{digits(rng, 4)}",
        sc=lambda: "SC" + reference(rng, "1", 13),
        appr=lambda: (
            rng.choice("ZH") + rng.choice(("2005", "2002", "4402", "5102")) + digits(rng, 4)
        ),
        reg=lambda: (
            rng.choice(words("苏械注准 浙械注准 粤械注准 国械注准")) + reference(rng, "20", 9)
        ),
        KM=lambda: phone(rng),
        KI=lambda: id_number(rng),
        KD=lambda: (
            bank_card(rng) if rng.random() < 0.6 else " ".join(re.findall(".{1,4}", bank_card(rng)))
        ),
        K=lambda: item.noun,
        KF=(brand or "",),
    )
    slots.update(KEYS.get(code or "", {}))
    if code == "claim.medical":
        verbs = KEYS["claim.medical"]["verbs"]
        slots["K"] = lambda: rng.choice(verbs) + rng.choice(item.extra)
    elif code == "marketing.sob_story":
        farm = KEYS[code]["farm"] if category in ("food", "fresh_produce") else ()
        slots["K"] = KEYS[code]["K"] + farm
    elif code == "ip.counterfeit_signal":
        slots["K"] = KEYS[code]["K"]
    return _Ctx(category, group, item, brand, price, slots)


_SLOT_RE = re.compile(r"\{(\w+)\}")


def _render(rng: random.Random, template: str, ctx: _Ctx, evasive: bool) -> str:
    chosen: dict[str, str] = {}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in chosen:
            return chosen[name]
        base = name if name in ctx.slots else name.rstrip("0123456789")
        source = ctx.slots[base]
        value = ""
        for _ in range(6):
            value = source() if callable(source) else rng.choice(source)
            if value not in chosen.values():
                break
        chosen[name] = value
        if evasive and name.startswith("K") and value:
            chosen[name] = evade(rng, value)
        return chosen[name]

    return _SLOT_RE.sub(fill, template)


def _tidy(title: str) -> str:
    return re.sub(r" {2,}", " ", title).strip()


def _clean_pool(ctx: _Ctx) -> tuple[str, ...]:
    common = NEUTRAL if ctx.group == "health" else CLEAN
    return common + CLEAN_GROUP[ctx.group] + CATS[ctx.category].clean


def _near_pool(ctx: _Ctx) -> tuple[str, ...]:
    return tuple(t for where, t in NEAR if {"all", ctx.group, ctx.category} & set(where.split()))


def _sentences(rng: random.Random, ctx: _Ctx, pool: Sequence[str], k: int) -> list[str]:
    picked = rng.sample(list(pool), k)
    return [_render(rng, t, ctx, False) for t in picked]


def _check(category: str | None, code: str | None) -> None:
    if category is not None and category not in CATS:
        raise ValueError(f"unknown category {category!r}")
    if code is not None and code not in CODES:
        raise ValueError(f"unknown violation code {code!r}")


def _violation_text(rng: random.Random, ctx: _Ctx, code: str, part: str, evasive: bool) -> str:
    templates = VIOLATIONS[code][part]
    if code == "marketing.sob_story" and part == "text" and ctx.category == "fresh_produce":
        templates = templates + VIOLATIONS[code]["farm"] * 2
    return _render(rng, rng.choice(templates), ctx, evasive)


_TITLE_SHARE = {
    "ad.absolute_term": 0.35,
    "claim.medical": 0.3,
    "claim.efficacy_guarantee": 0.25,
    "marketing.sob_story": 0.15,
    "diversion.off_platform": 0.15,
    "pii.exposure": 0.0,
    "ip.counterfeit_signal": 0.45,
    "goods.prohibited": 1.0,
}


def listing(
    rng: random.Random, category: str, code: str | None, *, evasive: bool = False
) -> tuple[str, str, str | None, float]:
    """(title, text, brand or None, price in yuan) of a listing in `category`.

    With `code` the title or the text commits exactly that violation, disguised when
    `evasive`; without it the listing is clean, and about one in four is a near miss.
    For drugs and medical devices a `claim.medical` listing is a non-drug sold in that category.
    """
    _check(category, code)
    ctx = _context(rng, category, code)
    clean_title = _render(rng, rng.choice(TITLES[ctx.group]), ctx, False)
    ctx.slots["title"] = (clean_title,)
    if code is None:
        near = rng.random() < 0.25
        body = _sentences(rng, ctx, _clean_pool(ctx), rng.randint(1, 2 if near else 3))
        if near:
            sentence = _render(rng, rng.choice(_near_pool(ctx)), ctx, False)
            body.insert(rng.randrange(len(body) + 1), sentence)
        return _tidy(clean_title), "".join(body), ctx.brand, ctx.price
    filler: tuple[str, ...] = CLEAN
    if code == "goods.prohibited":
        filler = NEUTRAL
    elif ctx.group == "health":
        filler = NEUTRAL + CLEAN_GROUP["health"]
    body = _sentences(rng, ctx, filler, rng.randint(0 if code == "goods.prohibited" else 1, 2))
    if rng.random() < _TITLE_SHARE[code]:
        title = _violation_text(rng, ctx, code, "title", evasive)
        if code == "goods.prohibited" and rng.random() < 0.6:
            body.insert(0, _violation_text(rng, ctx, code, "text", evasive))
        if not body:
            body = _sentences(rng, ctx, NEUTRAL, 1)
    else:
        title = clean_title
        body.insert(rng.randrange(len(body) + 1), _violation_text(rng, ctx, code, "text", evasive))
    return _tidy(title), "".join(body), ctx.brand, ctx.price


_CONTENT_CATEGORIES = {
    "claim.medical": (
        "cosmetics",
        "food",
        "fresh_produce",
        "supplements",
        "home",
        "apparel",
        "other",
    ),
    "ip.counterfeit_signal": ("luxury", "footwear", "apparel", "cosmetics", "electronics"),
    "goods.prohibited": ("electronics", "home", "luxury", "food", "other", "drugs", "apparel"),
}
_EVERYDAY = tuple(c for c in CATEGORIES if GROUP_OF[c] != "health")


def content(
    rng: random.Random, code: str | None, *, kind: str = "caption", evasive: bool = False
) -> str:
    """A creator's short-video caption (`caption`) or a live-stream transcript snippet
    (`transcript`); with `code` it commits exactly that violation, else it is clean."""
    _check(None, code)
    if kind not in ("caption", "transcript"):
        raise ValueError(f"unknown content kind {kind!r}")
    category = rng.choice(_CONTENT_CATEGORIES.get(code or "", _EVERYDAY))
    ctx = _context(rng, category, code)
    near = code is None and rng.random() < 0.25
    if kind == "transcript":
        parts: list[str] = []
        if code is None:
            parts += _sentences(rng, ctx, SPOKEN_CLEAN, rng.randint(1, 2))
            if near:
                sentence = _render(rng, rng.choice(SPOKEN_NEAR), ctx, False)
                parts.insert(rng.randrange(len(parts) + 1), sentence)
        else:
            parts.append(_violation_text(rng, ctx, code, "spoken", evasive))
            if code != "goods.prohibited" and rng.random() < 0.5:
                parts += _sentences(rng, ctx, SPOKEN_CLEAN, 1)
        spoken = "".join(parts)
        if rng.random() < 0.35 and not spoken.startswith(OPENER_WORDS):
            spoken = rng.choice(OPENERS) + spoken
        return spoken
    if code is None:
        pool = CAPTION_NEAR if near else CAPTION_CLEAN
        text = _render(rng, rng.choice(pool), ctx, False)
    else:
        text = _violation_text(rng, ctx, code, "text", evasive)
        if code != "goods.prohibited" and rng.random() < 0.3:
            text += _render(rng, rng.choice(CAPTION_CLEAN), ctx, False)
    text = rng.choice(CAPTION_PREFIX) + text
    if rng.random() < 0.5:
        hashtags = HASHTAGS[category]
        tags = rng.sample(list(hashtags), min(len(hashtags), rng.randint(1, 3)))
        text += " " + " ".join(tags)
    return text
