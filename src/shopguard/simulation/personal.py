"""Fake personal data: valid-looking mobile, resident ID and bank card numbers, references
that cannot be read as one, and the names, handles and places of the texts."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from shopguard.simulation.catalog import words

_MOBILE_PREFIXES = words(
    "130 131 132 133 134 135 136 137 138 139 147 150 151 152 153 155 156 157 158 159 166 172 173 "
    "175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 193 195 198 199"
)
_REGIONS = words(
    "110105 110108 310115 310104 440305 440106 330106 330102 510107 420106 320102 370202 "
    "610113 500103 430104 350203 210102 120101 410105 130102 530102 450103 230103 340104"
)
_CARD_BINS = words("622202 622203 622208 621700 621790 622848 622845 622823")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _id_check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _luhn_digit(payload: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


def _luhn_ok(digits: str) -> bool:
    return digits.isdigit() and _luhn_digit(digits[:-1]) == digits[-1]


def _id_ok(value: str) -> bool:
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return _id_check(value[:17]) == value[17].upper()


def looks_personal(run: str) -> bool:
    """Whether a run of digits (and X) reads as a mobile, ID or card number."""
    if len(run) == 11 and re.fullmatch(r"1[3-9]\d{9}", run):
        return True
    return _id_ok(run) or (16 <= len(run) <= 19 and _luhn_ok(run))


def phone(rng: random.Random) -> str:
    """A valid-looking mainland mobile number."""
    return rng.choice(_MOBILE_PREFIXES) + digits(rng, 8)


def id_number(rng: random.Random) -> str:
    """A resident ID number with a real birth date and a correct GB 11643 check character."""
    born = date(1955, 1, 1) + timedelta(days=rng.randrange(18_600))
    first17 = f"{rng.choice(_REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + _id_check(first17)


def bank_card(rng: random.Random) -> str:
    """A Luhn-valid 16 or 19 digit debit card number with a mainland bank prefix."""
    payload = rng.choice(_CARD_BINS) + digits(rng, rng.choice((16, 19)) - 7)
    return payload + _luhn_digit(payload)


def reference(rng: random.Random, head: str, n: int) -> str:
    """An order or waybill number that cannot be read as a personal number."""
    while True:
        run = head + digits(rng, n)
        if not looks_personal(run):
            return run


PLACES = words(
    "北京 上海 广州 深圳 杭州 成都 武汉 西安 南京 重庆 长沙 郑州 沈阳 昆明 南宁 济南 义乌 临沂 苏州 厦门"
)
SURNAMES = words("王 李 张 刘 陈 杨 黄 赵 周 吴 徐 孙 马 朱 胡 郭 何 林 罗 高 欧阳")
GIVEN = words(
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 浩然 子涵 雨桐"
)
HANDLE_STEMS = words(
    "xiaomei ayun lili tao meimei zhang chen wang lucky coco miya yoyo kiki sunny linlin"
)
