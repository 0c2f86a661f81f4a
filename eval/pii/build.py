#!/usr/bin/env python3
"""Deterministic generator + validator for the shopguard PII evaluation corpus.

    python eval/pii/build.py            # (re)generate dev.jsonl + holdout.jsonl, then validate
    python eval/pii/build.py --check    # only validate the existing files

Output lines: {"id", "text", "entities": [{"type", "start", "end"}]} where start/end are
Python str (code point) offsets, end exclusive, covering the entity exactly as written
(prefix "+86"/"86"/"0086" and internal separators included).

Entity rules (what a correct detector must find) -- see DESIGN.md "PII entity types and masks":
  phone     mainland mobile 1[3-9]x (11 digits), optional +86/86/0086 prefix with optional
            space or dash, optional 3-4-4 grouping with spaces or dashes
  id_card   18 chars: area code (valid province prefix), birth date YYYYMMDD 1930-2010,
            3-digit sequence, GB 11643-1999 check character (X/x allowed)
  bank_card 16-19 digits, Luhn-valid, realistic IIN (62 UnionPay, 4 Visa, 51-55 Mastercard,
            34/35/37 Amex/JCB), optionally grouped in 4s with spaces or dashes
  email     ordinary address (latin local part, ordinary domain)

Everything else -- order numbers (some Luhn-valid, but never with a card IIN), waybills,
timestamps, hotlines, landlines, 18-digit numbers with a bad checksum or impossible birth
date, 11-digit numbers not starting 1[3-9], long digit runs containing a phone-like
substring, prices, model codes, versions, QQ numbers, @mentions, "x at qq dot com",
already-masked values -- must NOT be labelled.

The dev split and the holdout split use disjoint template sets and different styles:
dev = listing descriptions, live-stream transcripts, buyer-seller chats, CS notes,
complaints; holdout = multi-line tickets/forms, waybill OCR, SMS/push, social reviews with
emoji, English-mixed cross-border messages, log/JSON exports, formal complaint letters,
courier group chats. Holdout also shifts the surface formats (0086 / "+86-" prefixes,
dash-grouped cards, lowercase x, other carriers / timestamp formats / model codes).

Only the standard library is used. No randomness outside random.Random(SEED + split).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20240302
CST = _dt.timezone(_dt.timedelta(hours=8))
SPLITS = {
    # split: (n_positive, n_pure_negative, n_clean, seed offset)
    "dev": (195, 140, 15, 0),
    "holdout": (84, 58, 8, 1),
}

# ----------------------------------------------------------------------------------------
# validators (the rules of the corpus)
# ----------------------------------------------------------------------------------------
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PROVINCES = {
    11,
    12,
    13,
    14,
    15,
    21,
    22,
    23,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    41,
    42,
    43,
    44,
    45,
    46,
    50,
    51,
    52,
    53,
    54,
    61,
    62,
    63,
    64,
    65,
}


def id_check_char(body17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=True)) % 11]


def valid_birth(yyyymmdd: str) -> bool:
    try:
        d = _dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1930 <= d.year <= 2010


def is_id_card(s: str) -> bool:
    if not re.fullmatch(r"[0-9]{17}[0-9Xx]", s):
        return False
    return (
        int(s[:2]) in PROVINCES and valid_birth(s[6:14]) and id_check_char(s[:17]) == s[17].upper()
    )


def luhn_ok(d: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(d)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def luhn_digit(body: str) -> str:
    for c in "0123456789":
        if luhn_ok(body + c):
            return c
    raise AssertionError


def strict_iin(d: str) -> bool:
    return (
        d.startswith("62")
        or d[0] == "4"
        or d[:2] in {"51", "52", "53", "54", "55", "34", "35", "37"}
    )


def loose_iin(d: str) -> bool:
    """What a permissive detector might accept as a card prefix (negatives must avoid it)."""
    return d[0] in "3456" or 2221 <= int(d[:4]) <= 2720


BANK_SHAPE = re.compile(
    r"[0-9]{16,19}|[0-9]{4}(?P<s>[ -])[0-9]{4}(?P=s)[0-9]{4}(?P=s)[0-9]{4}(?:(?P=s)[0-9]{1,3})?"
)


def is_bank_card(s: str, loose: bool = False) -> bool:
    if not BANK_SHAPE.fullmatch(s):
        return False
    d = re.sub(r"[ -]", "", s)
    return 16 <= len(d) <= 19 and luhn_ok(d) and (loose_iin(d) if loose else strict_iin(d))


PHONE_SHAPE = re.compile(r"(?:(?:\+86|0086|86)[ -]?)?1[3-9][0-9](?P<s>[ -]?)[0-9]{4}(?P=s)[0-9]{4}")


def is_phone(s: str) -> bool:
    return bool(PHONE_SHAPE.fullmatch(s))


EMAIL_SHAPE = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9._+-]*[A-Za-z0-9])?@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
)


def is_email(s: str) -> bool:
    return bool(EMAIL_SHAPE.fullmatch(s)) and ".." not in s


VALIDATORS = {
    "phone": is_phone,
    "id_card": is_id_card,
    "bank_card": is_bank_card,
    "email": is_email,
}

# ----------------------------------------------------------------------------------------
# reference scanner: used only to prove that the gold labels are exactly what the rules
# imply (no unlabelled rule-matching string, no ambiguity between types).
# ----------------------------------------------------------------------------------------
SCAN_PHONE = re.compile(
    r"(?<![0-9])(?:(?:\+86|0086|86)[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])"
)
SCAN_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
SCAN_BANK = re.compile(
    r"(?<![0-9])(?:[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -][0-9]{1,3})?|[0-9]{16,19})(?![0-9])"
)
SCAN_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
ASCII_ALNUM = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def scan(text: str, letter_boundary: bool, loose_bank: bool) -> set[tuple[str, int, int]]:
    found = set()

    def ok_bounds(m):
        if not letter_boundary:
            return True
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        return before not in ASCII_ALNUM and after not in ASCII_ALNUM

    for m in SCAN_PHONE.finditer(text):
        if ok_bounds(m):
            found.add(("phone", m.start(), m.end()))
    for m in SCAN_ID.finditer(text):
        if ok_bounds(m) and is_id_card(m.group()):
            found.add(("id_card", m.start(), m.end()))
    for m in SCAN_BANK.finditer(text):
        if ok_bounds(m) and is_bank_card(m.group(), loose=loose_bank):
            found.add(("bank_card", m.start(), m.end()))
    for m in SCAN_EMAIL.finditer(text):
        found.add(("email", m.start(), m.end()))
    return found


def paranoid_digit_runs(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Digit runs outside gold entities must not look like any entity on their own."""
    problems = []

    def covered(a, b):
        return any(s <= a and b <= e for s, e in spans)

    for m in re.finditer(r"(?<![0-9])[0-9]+(?:[ -][0-9]+)*(?![0-9])", text):
        # check every contiguous piece and every separator-joined window
        pieces = list(re.finditer(r"[0-9]+", m.group()))
        for i in range(len(pieces)):
            for j in range(i, len(pieces)):
                a = m.start() + pieces[i].start()
                b = m.start() + pieces[j].end()
                if covered(a, b) or any(s < b and a < e for s, e in spans):
                    continue
                d = re.sub(r"[ -]", "", text[a:b])
                if len(d) == 11 and re.fullmatch(r"1[3-9][0-9]{9}", d):
                    problems.append(f"unlabelled phone-like {text[a:b]!r}")
                if 16 <= len(d) <= 19 and luhn_ok(d) and loose_iin(d):
                    problems.append(f"unlabelled card-like {text[a:b]!r}")
                if len(d) == 18 and is_id_card(d):
                    problems.append(f"unlabelled id-like {text[a:b]!r}")
    for m in re.finditer(r"(?<![0-9])[0-9]{17}[Xx]", text):
        if not covered(m.start(), m.end()) and is_id_card(m.group()):
            problems.append(f"unlabelled id-like {m.group()!r}")
    return problems


# ----------------------------------------------------------------------------------------
# value pools
# ----------------------------------------------------------------------------------------
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "145",
    "147",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "170",
    "171",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "193",
    "195",
    "196",
    "198",
    "199",
]
AREA_CODES = [
    "110101",
    "110105",
    "110108",
    "120101",
    "130102",
    "130602",
    "140105",
    "150102",
    "210102",
    "210203",
    "220102",
    "230102",
    "310101",
    "310104",
    "310115",
    "320102",
    "320106",
    "320506",
    "330106",
    "330108",
    "330212",
    "340104",
    "350203",
    "360102",
    "370202",
    "370102",
    "410105",
    "420106",
    "420111",
    "430104",
    "440106",
    "440305",
    "440304",
    "441900",
    "450103",
    "460105",
    "500103",
    "510107",
    "510104",
    "520102",
    "530102",
    "540102",
    "610113",
    "620102",
    "630102",
    "640104",
    "650102",
]
# (IIN, issuer, length)
ISSUERS = [
    ("622202", "中国工商银行", 19),
    ("621226", "中国工商银行", 19),
    ("622848", "中国农业银行", 19),
    ("621700", "中国建设银行", 19),
    ("622700", "中国建设银行", 19),
    ("621661", "中国银行", 19),
    ("621483", "招商银行", 16),
    ("622588", "招商银行", 16),
    ("622262", "交通银行", 19),
    ("621799", "中国邮政储蓄银行", 19),
    ("622908", "兴业银行", 18),
    ("622630", "华夏银行", 16),
    ("622155", "中国工商银行", 16),
    ("621485", "招商银行", 16),
    ("623668", "中国建设银行", 19),
    ("622609", "上海银行", 17),
    ("438088", "中国建设银行Visa信用卡", 16),
    ("427020", "中国工商银行Visa信用卡", 16),
    ("518710", "招商银行万事达信用卡", 16),
    ("524047", "中信银行万事达信用卡", 16),
    ("356889", "中国银行JCB信用卡", 16),
    ("356833", "中国工商银行JCB信用卡", 16),
]
FOREIGN_ISSUERS = [i for i in ISSUERS if not i[0].startswith("62")]
PRODUCTS = [
    "戴森吹风机",
    "iPad",
    "小棕瓶精华",
    "飞天茅台",
    "婴儿奶粉",
    "羽绒服",
    "空气炸锅",
    "蓝牙耳机",
    "电动牙刷",
    "猫粮",
    "洗地机",
    "扫地机器人",
    "补水面膜",
    "运动鞋",
    "电饭煲",
    "投影仪",
    "机械键盘",
    "真丝睡衣",
    "儿童安全座椅",
    "茶叶礼盒",
    "登山包",
    "智能手表",
    "口红套装",
    "车载冰箱",
]
NAMES = [
    "王女士",
    "李先生",
    "张伟",
    "刘芳",
    "陈先生",
    "赵女士",
    "杨洋",
    "黄磊",
    "周敏",
    "吴先生",
    "孙丽",
    "马先生",
    "欧阳女士",
    "胡静",
    "郭先生",
    "林晓",
    "何女士",
    "高峰",
    "罗先生",
    "梁雪",
]
SURNAMES = ["王", "李", "张", "刘", "陈", "赵", "杨", "黄", "周", "吴", "欧阳", "司马"]
CITIES = [
    "杭州",
    "上海",
    "广州",
    "深圳",
    "北京",
    "成都",
    "武汉",
    "西安",
    "南京",
    "郑州",
    "长沙",
    "厦门",
]
DISTRICTS = {
    "杭州": ["西湖区", "拱墅区"],
    "上海": ["浦东新区", "徐汇区"],
    "广州": ["天河区", "越秀区"],
    "深圳": ["南山区", "福田区"],
    "北京": ["朝阳区", "海淀区"],
    "成都": ["武侯区", "锦江区"],
    "武汉": ["江汉区", "洪山区"],
    "西安": ["雁塔区", "碑林区"],
    "南京": ["鼓楼区", "玄武区"],
    "郑州": ["金水区", "二七区"],
    "长沙": ["岳麓区", "芙蓉区"],
    "厦门": ["思明区", "湖里区"],
}
ROADS = ["文化路", "人民路", "建设路", "解放路", "中山路", "和平路", "新华路", "长江路", "滨江大道"]
ISSUES = [
    "商品破损要求退货",
    "物流超时未送达",
    "少发配件",
    "发票未开具",
    "商品质量问题",
    "虚假宣传",
    "退款迟迟未到账",
    "收到假货",
    "商家拒绝七天无理由退货",
]
SHOPS = [
    "优品生活旗舰店",
    "小美美妆",
    "鲜果时光",
    "东方数码专营店",
    "安心母婴",
    "山里人家特产",
    "潮流男装馆",
    "极速数码",
    "好物研究所",
]
MENTIONS_DEV = [
    "@小明",
    "@客服小美",
    "@主播甜甜",
    "@运营-阿杰",
    "@顺丰小哥",
    "@店长阿珍",
    "@助理小鹿",
]
MENTIONS_HO = ["@站长老王", "@lily_2023", "@小红薯63A1", "@客服-七七", "@骑手阿强", "@kefu_dora"]
PINYIN = [
    "zhangwei",
    "li.na",
    "wangfang88",
    "liu_yang",
    "chenjie2019",
    "yang.min",
    "huanglei",
    "zhao_li",
    "wuhao1990",
    "zhoujing",
    "sunli.sh",
    "maqiang",
    "hu.jing",
    "linxiao_07",
    "gaofeng",
    "luoyun",
    "he.xue",
    "tangtang",
    "xiaoyu2000",
    "jackchen",
]
EMAIL_DOMAINS_DEV = [
    "163.com",
    "126.com",
    "qq.com",
    "sina.com",
    "foxmail.com",
    "gmail.com",
    "outlook.com",
    "yeah.net",
]
COMPANY_DOMAINS_DEV = [
    "meijia-shop.cn",
    "hongda.com.cn",
    "xingyun.cn",
    "haoyun-trade.com",
    "youpin.cn",
    "dfsm.com.cn",
]
EMAIL_DOMAINS_HO = [
    "vip.163.com",
    "hotmail.com",
    "aliyun.com",
    "139.com",
    "icloud.com",
    "sohu.com",
    "qq.com",
    "gmail.com",
]
COMPANY_DOMAINS_HO = [
    "mail.anxin-muying.com",
    "shanliren.net.cn",
    "jisu-digital.com.cn",
    "chaoliu.cn",
    "hw-supply.com",
    "service.haowu-lab.cn",
]
LOCALS_COMPANY = ["service", "kefu", "hr", "sales", "contact", "bd", "aftersale", "finance"]
CARRIERS_DEV = ["顺丰", "圆通", "京东物流", "中通"]
CARRIERS_HO = ["韵达", "申通", "极兔", "EMS", "德邦", "中通"]
ISSUE_HOTLINES = [
    "400-820-8820",
    "400-810-5888",
    "4008-123-123",
    "400 880 9888",
    "4001888816",
    "800-830-8888",
    "800 820 6666",
    "95588",
    "95533",
    "10086",
    "12315",
    "12345",
    "95338",
    "95311",
    "950616",
]
CITY_AREA = {
    "杭州": "0571",
    "上海": "021",
    "广州": "020",
    "深圳": "0755",
    "北京": "010",
    "成都": "028",
    "武汉": "027",
    "西安": "029",
    "南京": "025",
    "郑州": "0371",
    "长沙": "0731",
    "厦门": "0592",
}
LANDLINE_AREAS = [
    "010",
    "021",
    "022",
    "023",
    "020",
    "0755",
    "0571",
    "025",
    "027",
    "028",
    "029",
    "0512",
    "0371",
    "0531",
    "0591",
]


class Gen:
    def __init__(self, split: str, rng: random.Random):
        self.split = split
        self.ho = split == "holdout"
        self.rng = rng
        self.reset()

    def reset(self):
        self.issuer = None
        self.carrier = None
        self.city = None

    # -- helpers -------------------------------------------------------------------------
    def digits(self, n: int, first: str = "0123456789") -> str:
        r = self.rng
        return r.choice(first) + "".join(r.choice("0123456789") for _ in range(n - 1))

    def wchoice(self, pairs):
        items = [p[0] for p in pairs]
        weights = [p[1] for p in pairs]
        return self.rng.choices(items, weights=weights, k=1)[0]

    def dt(self) -> _dt.datetime:
        base = _dt.datetime(2023, 1, 1, tzinfo=CST)
        return base + _dt.timedelta(seconds=self.rng.randrange(0, 2 * 365 * 86400))

    # -- entities ------------------------------------------------------------------------
    def phone(self) -> str:
        d = self.rng.choice(MOBILE_PREFIXES) + self.digits(8)
        a, b, c = d[:3], d[3:7], d[7:]
        if not self.ho:
            style = self.wchoice(
                [
                    ("plain", 50),
                    ("sp344", 12),
                    ("da344", 10),
                    ("+86sp", 8),
                    ("+86", 6),
                    ("86da", 4),
                    ("+86sp_da344", 6),
                    ("86sp_sp344", 4),
                ]
            )
        else:
            style = self.wchoice(
                [
                    ("plain", 30),
                    ("da344", 12),
                    ("sp344", 8),
                    ("+86da_da344", 12),
                    ("0086sp", 8),
                    ("0086da_da344", 6),
                    ("+86sp", 8),
                    ("86sp", 6),
                    ("+86sp_sp344", 6),
                    ("86da_da344", 4),
                ]
            )
        return {
            "plain": d,
            "sp344": f"{a} {b} {c}",
            "da344": f"{a}-{b}-{c}",
            "+86sp": f"+86 {d}",
            "+86": f"+86{d}",
            "86da": f"86-{d}",
            "+86sp_da344": f"+86 {a}-{b}-{c}",
            "86sp_sp344": f"86 {a} {b} {c}",
            "+86da_da344": f"+86-{a}-{b}-{c}",
            "0086sp": f"0086 {d}",
            "0086da_da344": f"0086-{a}-{b}-{c}",
            "86sp": f"86 {d}",
            "+86sp_sp344": f"+86 {a} {b} {c}",
            "86da_da344": f"86-{a}-{b}-{c}",
        }[style]

    def _id_body(self) -> str:
        r = self.rng
        area = r.choice(AREA_CODES)
        birth = _dt.date(1945, 1, 1) + _dt.timedelta(days=r.randrange(0, 365 * 62))
        return area + birth.strftime("%Y%m%d") + self.digits(3)

    def id_card(self) -> str:
        want_x = self.rng.random() < (0.35 if self.ho else 0.2)
        for _ in range(1000):
            body = self._id_body()
            chk = id_check_char(body)
            if want_x != (chk == "X"):
                continue
            s = body + chk
            if chk != "X" and luhn_ok(s) and loose_iin(s):
                continue  # would also read as a card number
            if chk == "X" and self.ho and self.rng.random() < 0.5:
                s = body + "x"
            return s
        raise AssertionError("id generation failed")

    def _issuer(self):
        if self.issuer is None:
            pool = ISSUERS
            if self.ho and self.rng.random() < 0.35:
                pool = FOREIGN_ISSUERS
            self.issuer = self.rng.choice(pool)
        return self.issuer

    def bank_card(self) -> str:
        iin, _name, length = self._issuer()
        for _ in range(1000):
            body = iin + self.digits(length - len(iin) - 1)
            d = body + luhn_digit(body)
            if len(d) == 18 and is_id_card(d):
                continue
            break
        if not self.ho:
            style = self.wchoice([("plain", 52), ("sp", 40), ("da", 8)])
        else:
            style = self.wchoice([("plain", 30), ("sp", 35), ("da", 35)])
        if style == "plain":
            return d
        sep = " " if style == "sp" else "-"
        return sep.join(d[i : i + 4] for i in range(0, len(d), 4))

    def bankname(self) -> str:
        return self._issuer()[1]

    def email(self) -> str:
        r = self.rng
        if not self.ho:
            kind = self.wchoice([("qq", 30), ("pinyin", 40), ("intl", 15), ("company", 15)])
        else:
            kind = self.wchoice(
                [("qq", 10), ("pinyin", 35), ("intl", 15), ("company", 30), ("caps", 10)]
            )
        if kind == "qq":
            return self.digits(r.randint(6, 10), "123456789") + "@qq.com"
        if kind == "company":
            return (
                r.choice(LOCALS_COMPANY)
                + "@"
                + r.choice(COMPANY_DOMAINS_HO if self.ho else COMPANY_DOMAINS_DEV)
            )
        local = r.choice(PINYIN)
        if r.random() < 0.3:
            local += str(r.randint(1, 999))
        if kind == "intl":
            dom = r.choice(["gmail.com", "outlook.com", "hotmail.com", "icloud.com"])
        elif kind == "caps":
            local = ".".join(
                p.capitalize() for p in re.split(r"[._]", re.sub(r"\d+", "", local)) if p
            )
            dom = r.choice(["Outlook.com", "Gmail.com", "163.com", "Hotmail.com"])
        else:
            dom = r.choice(EMAIL_DOMAINS_HO if self.ho else EMAIL_DOMAINS_DEV)
        return local + "@" + dom

    # -- hard negatives ------------------------------------------------------------------
    def order(self) -> str:
        r = self.rng
        n = r.choice([16, 17, 18, 19])
        if r.random() < 0.5:
            t = self.dt()
            head = t.strftime("%Y%m%d") + (t.strftime("%H%M") if r.random() < 0.5 else "")
            body = head + self.digits(n - 1 - len(head))
        else:
            body = self.digits(n - 1, "1234567899" if self.ho else "1123456789")
        if r.random() < 0.45 and not loose_iin(body):
            return body + luhn_digit(body)  # Luhn-valid order number, non-card prefix
        for c in r.sample("0123456789", 10):
            if not luhn_ok(body + c):
                return body + c
        raise AssertionError

    def _carrier(self):
        if self.carrier is None:
            self.carrier = self.rng.choice(CARRIERS_HO if self.ho else CARRIERS_DEV)
        return self.carrier

    def carrier_name(self) -> str:
        return self._carrier()

    def waybill(self) -> str:
        c = self._carrier()
        r = self.rng
        if c == "顺丰":
            return "SF" + self.digits(r.choice([12, 13]), "1")
        if c == "圆通":
            return "YT" + self.digits(13, "2345689")
        if c == "京东物流":
            return r.choice(["JDVA", "JDX0"]) + self.digits(11, "02")
        if c == "中通":
            return r.choice(["75", "73", "78"]) + self.digits(12)
        if c == "韵达":
            return r.choice(["43", "46", "31"]) + self.digits(13)
        if c == "申通":
            return "77" + self.digits(13)
        if c == "极兔":
            return "JT" + self.digits(13, "0123")
        if c == "EMS":
            if r.random() < 0.6:
                return "1" + self.digits(12)  # domestic EMS: 13 digits
            return "E" + r.choice("ABMS") + self.digits(9) + "CN"  # UPU S10 format
        if c == "德邦":
            return "DPK" + self.digits(12, "2345")
        raise AssertionError(c)

    def timestamp(self) -> str:
        t = self.dt()
        fmt = self.rng.choice(
            [
                "%Y%m%d%H%M%S",
                "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%d %H:%M",
                "%Y年%m月%d日 %H:%M",
                "%Y.%m.%d",
                "%m月%d日%H点",
            ]
        )
        return t.strftime(fmt)

    def timestamp2(self) -> str:
        t = self.dt()
        kind = self.rng.choice(["slash", "iso", "ms", "s", "compact", "short"])
        if kind == "ms":
            return str(int(t.timestamp()) * 1000 + self.rng.randrange(1000))
        if kind == "s":
            return str(int(t.timestamp()))
        return t.strftime(
            {
                "slash": "%Y/%m/%d %H:%M",
                "iso": "%Y-%m-%dT%H:%M:%S+08:00",
                "compact": "%Y%m%d%H%M%S",
                "short": "%m-%d %H:%M:%S",
            }[kind]
        )

    def date(self) -> str:
        t = self.dt()
        return f"{t.year}年{t.month}月{t.day}日"

    def hotline(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return r.choice(ISSUE_HOTLINES)
        pre = r.choice(["400", "800"])
        a, b = self.digits(3, "123456789"), self.digits(4)
        return r.choice([f"{pre}-{a}-{b}", f"{pre}{a}{b}", f"{pre} {a} {b}"])

    def landline(self) -> str:
        r = self.rng
        area = CITY_AREA[self.city] if self.city else r.choice(LANDLINE_AREAS)
        num = self.digits(8 if len(area) == 3 else r.choice([7, 8]), "2345678")
        form = r.choice(
            ["dash", "dash", "paren", "space", "bare"]
            if self.ho
            else ["dash", "dash", "dash", "paren", "bare"]
        )
        s = {
            "dash": f"{area}-{num}",
            "paren": f"（{area}）{num}",
            "space": f"{area} {num}",
            "bare": f"{area}{num}",
        }[form]
        if r.random() < 0.15:
            s += "转" + self.digits(r.choice([3, 4]), "123456789")
        return s

    def badid(self) -> str:
        body = self._id_body()
        good = id_check_char(body)
        for c in self.rng.sample("0123456789X", 11):
            if c != good:
                s = body + c
                if c != "X" and luhn_ok(s) and loose_iin(s):
                    continue
                return s
        raise AssertionError

    def baddate_id(self) -> str:
        r = self.rng
        for _ in range(1000):
            area = r.choice(AREA_CODES)
            birth = r.choice(
                [
                    f"{r.randint(1960, 2000)}13{r.randint(10, 28)}",
                    f"{r.randint(1960, 2000)}0230",
                    f"{r.randint(1960, 2000)}1132",
                    f"19{r.randint(0, 29):02d}0{r.randint(1, 9)}1{r.randint(0, 9)}",
                    f"20{r.randint(11, 23)}0{r.randint(1, 9)}1{r.randint(0, 9)}",
                    f"{r.randint(1960, 2000)}0005",
                ]
            )
            body = area + birth + self.digits(3)
            s = body + id_check_char(body)
            if s[-1] != "X" and luhn_ok(s) and loose_iin(s):
                continue
            assert not is_id_card(s)
            return s
        raise AssertionError

    def num11(self) -> str:
        return self.rng.choice(
            ["10", "11", "12", "00", "20", "50", "80", "90", "12"]
        ) + self.digits(9)

    def longrun(self) -> str:
        r = self.rng
        phone = r.choice(MOBILE_PREFIXES) + self.digits(8)
        pre = self.digits(r.randint(1, 5), "123456789")
        post = self.digits(r.randint(0, 4)) if r.random() < 0.6 else ""
        return pre + phone + post

    def barcode(self) -> str:
        body = "69" + self.digits(10)
        odd = sum(int(c) for c in body[0::2])
        even = sum(int(c) for c in body[1::2])
        return body + str((10 - (odd + 3 * even) % 10) % 10)

    def price(self) -> str:
        r = self.rng
        v = r.choice(
            [9.9, 19.9, 39, 59, 99, 128, 138, 199, 299, 399, 599, 1299, 1380, 1899, 2599, 13800]
        )
        return r.choice([f"¥{v}", f"{v}元", f"￥{v}", f"{v}块", f"¥{v:,.2f}"]).replace(".0元", "元")

    def price2(self) -> str:
        r = self.rng
        v = r.choice([19.99, 49, 88, 168, 328, 1288, 1380, 2380, 4999, 13999])
        return r.choice([f"RMB {v:,}", f"CNY{v}", f"{v:,}元", f"¥{v}", f"${v}"])

    def model(self) -> str:
        r = self.rng
        return r.choice(
            [
                "iPhone15 Pro Max",
                "iPhone 14",
                "Mate60 Pro",
                "小米14 Ultra",
                "RTX4090",
                "Redmi K70",
                "OPPO Reno11",
                "P40",
                "SKU-" + self.dt().strftime("%Y%m%d"),
                "SKU-" + self.digits(8, "123456789"),
                "货号A" + self.digits(5),
                "型号XR-" + self.digits(5, "1"),
                "款号2023A-" + self.digits(4),
            ]
        )

    def model2(self) -> str:
        r = self.rng
        return r.choice(
            [
                "SM-S9180",
                "Galaxy S24",
                "HUAWEI Pura 70",
                "MacBook Air M3",
                "GTX1660",
                "款号HW2024-" + self.digits(4),
                "SPU-" + self.digits(7, "123456789"),
                "ART.NO " + self.digits(6, "1"),
                "vivo X100",
                "Nintendo Switch OLED",
                "AirPods Pro 2",
            ]
        )

    def version(self) -> str:
        r = self.rng
        return r.choice(
            [
                f"v{r.randint(1, 19)}.{r.randint(0, 9)}.{r.randint(0, 9)}",
                f"V{r.randint(1, 5)}.{r.randint(0, 20)}.{r.randint(0, 99)}",
                f"{r.randint(10, 24)}.{r.randint(0, 12)}.{r.randint(0, 9)}",
                f"iOS {r.randint(15, 17)}.{r.randint(0, 6)}.{r.randint(0, 3)}",
                f"build {self.dt().strftime('%Y%m%d')}.{r.randint(1, 9)}",
            ]
        )

    def version2(self) -> str:
        r = self.rng
        return r.choice(
            [
                f"3.18.{self.digits(5, '1')}",
                f"Android {r.randint(10, 14)}",
                f"HarmonyOS 4.0.0.{r.randint(100, 200)}",
                f"6.0.{r.randint(1, 30)}-beta",
                self.dt().strftime("v%Y.%m.%d"),
            ]
        )

    def qq(self) -> str:
        r = self.rng
        if r.random() < 0.4:
            return r.choice(MOBILE_PREFIXES)[:2] + self.digits(8)  # 10 digits, phone-like start
        return self.digits(r.randint(6, 10), "123456789")

    def mention(self) -> str:
        return self.rng.choice(MENTIONS_HO if self.ho else MENTIONS_DEV)

    def obfemail(self) -> str:
        r = self.rng
        local = r.choice(PINYIN)
        dom, tld = r.choice(
            [("qq", "com"), ("163", "com"), ("gmail", "com"), ("126", "com"), ("meijia", "cn")]
        )
        if self.ho:
            return r.choice(
                [
                    f"{local} AT {dom} DOT {tld}",
                    f"{local}艾特{dom}点{tld}",
                    f"{local}#{dom}.{tld}",
                    f"{local} (at) {dom} (dot) {tld}",
                ]
            )
        return r.choice(
            [
                f"{local} at {dom} dot {tld}",
                f"{local}(at){dom}(dot){tld}",
                f"{local}[at]{dom}[dot]{tld}",
                f"{local} at {dom}.{tld}",
            ]
        )

    def masked(self) -> str:
        r = self.rng
        p = r.choice(MOBILE_PREFIXES)
        return r.choice(
            [
                f"{p}****{self.digits(4)}",
                f"{p}******{self.digits(2)}",
                f"+86 {p}****{self.digits(4)}",
                f"{p[:3]}-****-{self.digits(4)}",
            ]
        )

    def masked_id(self) -> str:
        a = self.rng.choice(AREA_CODES)
        return self.rng.choice(
            [
                f"{a[:3]}***********{self.digits(3)}{self.rng.choice('0123456789X')}",
                f"{a[:4]}**********{self.digits(4)}",
            ]
        )

    def masked_bank(self) -> str:
        iin = self.rng.choice(ISSUERS)[0]
        return self.rng.choice(
            [
                f"{iin[:4]} **** **** {self.digits(4)}",
                f"{iin}******{self.digits(4)}",
                f"{iin[:4]}-****-****-{self.digits(4)}",
            ]
        )

    def cardfail(self) -> str:
        iin, _n, length = self.rng.choice(ISSUERS)
        body = iin + self.digits(length - len(iin) - 1)
        good = luhn_digit(body)
        bad = self.rng.choice([c for c in "0123456789" if c != good])
        d = body + bad
        if self.rng.random() < 0.3:
            return " ".join(d[i : i + 4] for i in range(0, len(d), 4))
        return d

    # -- fillers -------------------------------------------------------------------------
    def pick_city(self) -> str:
        if self.city is None:
            self.city = self.rng.choice(CITIES)
        return self.city

    def n(self) -> str:
        return str(self.rng.randint(2, 15))

    def n4(self) -> str:
        return self.digits(4)

    def code6(self) -> str:
        return self.digits(6)

    def addr(self) -> str:
        r = self.rng
        return (
            f"{r.choice(DISTRICTS[self.city or self.pick_city()])}{r.choice(ROADS)}{r.randint(1, 999)}号"
            f"{r.randint(1, 30)}幢{r.randint(1, 6)}单元{r.randint(1, 33)}0{r.randint(1, 9)}室"
        )

    def masked_name(self) -> str:
        s = self.rng.choice(SURNAMES)
        return s + "*" * self.rng.choice([1, 2])

    def ticket(self) -> str:
        return self.rng.choice(
            [
                "GD" + self.dt().strftime("%Y%m%d") + self.digits(4),
                "#TK-" + self.dt().strftime("%Y") + "-" + self.digits(6),
                "#A" + self.digits(7, "123456789"),
            ]
        )

    def uid(self) -> str:
        return self.digits(self.rng.choice([8, 9, 10]), "123456789")

    def shopid(self) -> str:
        return "SH" + self.digits(5, "123456789")


ENTITY_SLOTS = {"phone": "phone", "id": "id_card", "bank": "bank_card", "email": "email"}
NEGATIVE_SLOTS = {
    "order": "order_number",
    "waybill": "waybill",
    "waybill2": "waybill",
    "ts": "timestamp",
    "ts2": "timestamp",
    "date": "timestamp",
    "hotline": "hotline_400_800",
    "landline": "landline",
    "badid": "id18_bad_checksum",
    "baddate_id": "id18_bad_birthdate",
    "num11": "num11_not_mobile",
    "longrun": "long_run_with_phone_substring",
    "barcode": "ean13_barcode",
    "price": "price",
    "price2": "price",
    "model": "model_code",
    "model2": "model_code",
    "version": "version",
    "version2": "version",
    "qq": "qq_number",
    "mention": "at_mention",
    "obfemail": "obfuscated_email",
    "masked": "masked_value",
    "masked_id": "masked_value",
    "masked_bank": "masked_value",
    "cardfail": "card_like_luhn_fail",
    "uid": "user_id",
    "ticket": "ticket_id",
}
FILLER_SLOTS = {
    "product": lambda g: g.rng.choice(PRODUCTS),
    "name": lambda g: g.rng.choice(NAMES),
    "city": Gen.pick_city,
    "issue": lambda g: g.rng.choice(ISSUES),
    "shop": lambda g: g.rng.choice(SHOPS),
    "bankname": Gen.bankname,
    "carrier": Gen.carrier_name,
    "n": Gen.n,
    "n4": Gen.n4,
    "code6": Gen.code6,
    "addr": Gen.addr,
    "masked_name": Gen.masked_name,
    "shopid": Gen.shopid,
}
GEN_METHOD = {
    "phone": Gen.phone,
    "id": Gen.id_card,
    "bank": Gen.bank_card,
    "email": Gen.email,
    "order": Gen.order,
    "waybill": Gen.waybill,
    "waybill2": Gen.waybill,
    "ts": Gen.timestamp,
    "ts2": Gen.timestamp2,
    "date": Gen.date,
    "hotline": Gen.hotline,
    "landline": Gen.landline,
    "badid": Gen.badid,
    "baddate_id": Gen.baddate_id,
    "num11": Gen.num11,
    "longrun": Gen.longrun,
    "barcode": Gen.barcode,
    "price": Gen.price,
    "price2": Gen.price2,
    "model": Gen.model,
    "model2": Gen.model2,
    "version": Gen.version,
    "version2": Gen.version2,
    "qq": Gen.qq,
    "mention": Gen.mention,
    "obfemail": Gen.obfemail,
    "masked": Gen.masked,
    "masked_id": Gen.masked_id,
    "masked_bank": Gen.masked_bank,
    "cardfail": Gen.cardfail,
    "uid": Gen.uid,
    "ticket": Gen.ticket,
}

# ----------------------------------------------------------------------------------------
# templates: [[slot]] placeholders. pos = 1-3 entity slots (often with distractors too),
# neg = no entity slot but >=1 hard negative, clean = no digits at all.
# ----------------------------------------------------------------------------------------
DEV_POS = [
    # listing descriptions
    "全新未拆封[[product]]，同城可自提，有意者请致电[[phone]]，非诚勿扰。",
    "【转让】[[product]]九成新，原价[[price]]，微信同号[[phone]]。",
    "[[phone]]（同微信）专业代购[[product]]，支持专柜验货，下单前请先联系。",
    "店铺上新：[[model]]同款[[product]]，批发请发邮件至[[email]]洽谈。",
    "本店[[product]]支持定制刻字，客服电话[[phone]]，邮箱[[email]]，工作时间9:00-18:00。",
    "闲置[[product]]出，原价[[price]]现价[[price]]，联系人[[name]]，电话：[[phone]]",
    "工厂直供[[product]]，量大从优，采购联系[[email]]或拨打[[phone]]，官方售后热线[[hotline]]。",
    "二手[[product]]，发票齐全，[[city]]面交，手机[[phone]]。",
    "高价回收[[product]]，上门估价，电话[[phone]]、[[phone]]（备用）",
    "代理招募中！有意向的朋友发简历到[[email]]，注明“代理+城市”。",
    "宝贝描述：[[product]]，正品保证，买贵退差。咨询电话[[phone]]，门店座机[[landline]]。",
    "[[product]]清仓，[[price]]一件，拿货加V：[[phone]]",
    "商品详情：[[model]]同款[[product]]，如需对公转账请打款至[[bank]]（[[bankname]]），备注订单号。",
    "招聘兼职客服，在家可做，简历投递[[email]]，咨询[[phone]]",
    "本店支持货到付款，下单后请保持电话[[phone]]畅通。",
    # live-stream transcripts
    "家人们，今天这个[[product]]真的很划算，想要团购的打这个电话[[phone]]，我们一对一给大家对接。",
    "来，这个号码[[phone]]是我们售后，有问题直接打，把订单号发给他就行。",
    "好，我念一下中奖的宝宝，手机号是[[phone]]，请在二十四小时内联系助理领奖哈。",
    "直播间的朋友记一下，商务合作邮箱[[email]]，品牌方有意向可以发资料。",
    "刚才有位姐妹把身份证号[[id]]打在公屏上了，赶紧撤回，大家一定保护好隐私啊！",
    "主播口播：想便宜的直接转账到[[bank]]，户名[[name]]，拍下后截图给客服。",
    "下单的宝宝备注手机号，像[[phone]]这样写，别写错了哈，快递单号[[waybill]]明天就能查到。",
    "三二一上链接！[[product]]，[[price]]到手，没抢到的发邮件[[email]]登记补货。",
    "助理念弹幕：“我的号[[phone]]，主播看看我”，好的这位宝宝稍后客服联系你。",
    "宝宝们这个[[model]]今天只要[[price]]，售后找我们小助理，电话[[phone]]，QQ[[qq]]也行。",
    "老铁们注意，有人冒充我们直播间，骗子号码是[[phone]]，我们官方只有[[hotline]]！",
    "主播：中奖名单第一位，[[email]]这个邮箱的宝宝，请查收兑奖邮件。",
    "直播间公屏：[[phone]]求带，主播看我！",
    "好我们看一下后台，订单[[order]]的这位宝宝，你留的电话[[phone]]是空号，麻烦改一下。",
    "主播：身份证号[[id]]的这位宝宝，你的跨境订单清关资料齐了，放心。",
    # buyer-seller chats
    "买家：你好，我的收货电话换成[[phone]]了，麻烦改一下。\n卖家：好的亲，已经备注。",
    "卖家：亲，退款请提供银行卡号哦。\n买家：[[bank]]，[[name]]，[[bankname]]。",
    "买家：发票抬头写公司，电子发票发我邮箱[[email]]，谢谢。",
    "买家：身份证[[id]]，跨境清关要用，麻烦尽快处理。\n卖家：收到亲。",
    "亲，到了给我打电话[[phone]]或者发邮件[[email]]都可以哦～",
    "买家：快递[[waybill]]显示签收了但我没收到，我电话[[phone]]，你们联系下快递员。",
    "卖家：亲，您的订单[[order]]已发货，有问题随时联系[[phone]]。",
    "买家：卡号是[[bank]]，开户行[[bankname]]，姓名[[name]]。",
    "[[email]]这个是我邮箱，电子发票发这里就行。",
    "买家：我手机[[phone]]，备用[[phone]]，哪个打得通打哪个。",
    "卖家：亲，加一下我私人号[[phone]]，以后直接找我拿货，比平台便宜。",
    "买家：实名信息：[[name]]，[[id]]，手机[[phone]]。",
    "买家：在吗？\n卖家：在的亲。\n买家：换货寄回地址的联系电话是多少？\n卖家：[[phone]]，收件人写[[name]]。",
    "卖家：亲，您的型号是[[model]]吗？保修登记需要邮箱，麻烦发一下。\n买家：[[email]]",
    "买家：我之前的号[[masked]]不用了，新号[[phone]]。",
    "买家：付款截图发你邮箱[[email]]了，订单[[order]]，麻烦查收。",
    "卖家：亲，运费差价[[price]]麻烦转到[[bank]]，转完告诉我。",
    # customer service notes
    "客服备注：用户[[name]]来电，回拨号码[[phone]]，诉求：[[issue]]。",
    "工单记录：用户身份证[[id]]，实名信息与账户不一致，已转风控核实。",
    "客服小记：用户提供退款银行卡[[bank]]，已提交财务，预计3个工作日到账。",
    "CS备注：用户邮箱[[email]]，要求补开发票，关联订单[[order]]。",
    "回访记录：[[ts]]已致电[[phone]]，用户表示满意。",
    "用户反映商家索要身份证号，用户已提供[[id]]，已提醒用户注意个人信息安全。",
    "来电号码：[[phone]]；联系邮箱：[[email]]；处理结果：已退款。",
    "核实用户身份：身份证号[[id]]，手机[[phone]]，银行卡[[bank]]，三要素一致。",
    "身份证号[[badid]]系统校验未通过，用户重新提供[[id]]，已通过。",
    "用户会员号[[num11]]，绑定手机[[phone]]，已解绑旧设备。",
    "交易流水号[[longrun]]，用户要求退至银行卡[[bank]]，已登记。",
    "坐席备注：用户座机[[landline]]无人接听，改拨手机[[phone]]后联系上。",
    "升级处理：用户称在版本[[version]]的App里看到别人的手机号[[phone]]，已截图反馈技术。",
    "质检记录：坐席在会话中完整复述了用户银行卡号[[bank]]，违反脱敏规范，扣分。",
    "用户要求更换绑定邮箱，旧邮箱[[email]]，新邮箱[[email]]。",
    "客服备注：用户称[[ts]]收到冒充客服来电，对方号码[[phone]]，已加入黑名单。",
    # complaints
    "投诉：商家在商品详情页公开了我的手机号[[phone]]，导致我一直被骚扰，要求删除！",
    "我要投诉这家店，客服把我的身份证号[[id]]发到了买家群里，太过分了。",
    "商家让我转账到[[bank]]说可以便宜[[price]]，结果钱转了人没了，订单号[[order]]，请平台处理。",
    "卖家用邮箱[[email]]给我发钓鱼链接，说是退款，差点被骗。",
    "快递员把我的电话[[phone]]写在外包装上，这不符合隐私规定吧？运单号[[waybill]]。",
    "投诉对象电话[[phone]]，对方自称平台客服，让我提供银行卡号和验证码。",
    "举报：[[mention]]这个主播在直播间念出了粉丝的手机号[[phone]]。",
    "[[id]]是我的身份证号，被人冒用注册了店铺，请平台核查！",
    "[[bank]]这张卡不是我的，为什么退款退到这里？",
    "有问题请拨打[[phone]]",
    "联系邮箱：[[email]]",
    "“[[phone]]”这个号码是骗子，冒充[[shop]]客服，大家小心！",
    "请把退款退到这张卡（[[bank]]），谢谢。",
    "【联系方式】[[phone]]【邮箱】[[email]]",
    "姓名：[[name]]，身份证：[[id]]，电话：[[phone]]。",
    "商家私下联系我，号码是[[phone]]，要我给好评返现[[price]]，投诉！",
    "我在[[ts]]下单，商家至今未发货，我的联系方式[[phone]]、[[email]]，请尽快处理",
    "被投诉商家收款账户：[[bank]]，投诉人手机：[[phone]]",
    "平台你好，我的邮箱[[email]]一直收到这家店的垃圾广告，退订也没用。",
    "投诉：商家客服[[landline]]打不通，私下给的手机[[phone]]也不接，订单[[order]]拖了半个月。",
    # more id_card / bank_card and multi-entity texts
    "买家：收款人[[name]]，卡号[[bank]]，身份证[[id]]，麻烦尽快打款。",
    "客服备注：用户申请先行赔付，收款卡[[bank]]，户名[[name]]，预留手机[[phone]]。",
    "卖家：亲，跨境购需要实名，麻烦提供身份证号。\n买家：[[id]]\n卖家：收到，订单[[order]]已提交海关。",
    "工单记录：用户[[name]]（身份证[[id]]）申请注销账号，绑定邮箱[[email]]，已受理。",
    "主播：刚才连麦的大哥把卡号[[bank]]念出来了，大家别记啊，保护隐私！",
    "投诉：商家要求我提供身份证[[id]]和银行卡[[bank]]才给退款，这合理吗？",
    "商品详情：定制款需预付定金，转账至[[bank]]，户名[[name]]，转账后联系[[phone]]确认。",
    "买家：我朋友的身份证[[id]]，手机[[phone]]，用他的名字下单可以吗？",
    "客服小记：晚发即赔打款失败，用户更换收款卡为[[bank]]，原卡[[masked_bank]]已注销。",
    "风控备注：同一身份证[[id]]关联了[[n]]个店铺，联系邮箱均为[[email]]。",
    "[[bank]]，[[name]]，[[bankname]]，退款麻烦打这里。",
    "卖家：亲，身份证号[[badid]]好像不对，您再核对下？\n买家：不好意思，是[[id]]。",
    "直播间公屏：主播我卡号[[bank]]，中奖了打这里！",
    "投诉：被骗[[price]]，骗子收款卡[[bank]]，手机[[phone]]，邮箱[[email]]。",
    "用户留言：我的身份证是[[id]]，银行卡是[[bank]]，手机号是[[phone]]，帮我查下为什么提现失败。",
    "买家：快递员电话[[phone]]一直打不通，运单[[waybill]]，我的邮箱[[email]]，有消息通知我。",
    "CS备注：用户提供身份证[[id]]办理实名解冻，订单[[order]]恢复正常。",
    "宝贝描述：需要开专票的联系财务邮箱[[email]]，对公账户[[bank]]（[[bankname]]）。",
    "卖家：亲，退款[[price]]已经转到您尾号[[n4]]的卡了。\n买家：不对，我给你的是[[bank]]啊。",
    "[[id]]，[[name]]，麻烦帮我开电子发票。",
    "买家：收件人[[name]]，电话[[phone]]，地址[[city]][[addr]]。",
    "主播：抽奖登记请私信身份证[[id]]和邮箱[[email]]，不要发在公屏！",
]

DEV_NEG = [
    "亲，您的订单号[[order]]已发货，快递单号[[waybill]]，请注意查收。",
    "订单[[order]]，下单时间[[ts]]，实付[[price]]。",
    "官方客服热线[[hotline]]，工作时间9:00-21:00，请勿相信其他号码。",
    "本店座机[[landline]]，欢迎来电咨询[[product]]。",
    "型号[[model]]，[[product]]，固件版本[[version]]，保修一年。",
    "[[mention]] 宝子们，[[product]]今晚八点开抢，只要[[price]]！",
    "联系我请发邮件：[[obfemail]]（把at换成@）",
    "买家：身份证号是[[badid]]。\n客服：系统提示号码有误，请您核对一下。",
    "会员编号[[num11]]，积分[[n]]00，可兑换[[product]]。",
    "交易流水号[[longrun]]，如有疑问请拨打[[hotline]]。",
    "QQ群[[qq]]，进群领[[price]]无门槛券。",
    "用户手机号已脱敏显示为[[masked]]，如需查看明文请走审批。",
    "[[carrier]]单号[[waybill]]，[[ts]]已揽收。",
    "[[ts]] 订单[[order]]退款成功，退款金额[[price]]，原路返回。",
    "直播回放：[[model]]现价[[price]]，限时[[n]]分钟，库存[[n]]件。",
    "卖家：亲，商品编码[[longrun]]，对应型号[[model]]，请确认。",
    "物流信息：您的包裹[[waybill]]已到达[[city]]转运中心（[[ts]]）。",
    "投诉：订单[[order]]商家迟迟不发货，客服电话[[hotline]]一直打不通。",
    "请在[[ts]]前完成支付，订单[[order]]超时将自动取消。",
    "购物卡号[[cardfail]]，余额[[price]]，请在有效期内使用。",
    "身份证后四位[[n4]]，已完成实名认证，订单[[order]]可正常发货。",
    "我的邮箱是[[obfemail]]，不直接写出来是怕被爬虫抓。",
    "[[mention]] 麻烦看一下订单[[order]]，买家说一直没收到货。",
    "客服工号[[num11]]为您服务，本次会话编号[[longrun]]。",
    "总机[[landline]]，传真[[landline]]。",
    "退款已原路退回尾号[[n4]]的银行卡，预计[[n]]个工作日到账，交易号[[order]]。",
    "证件号码[[baddate_id]]无效，请重新上传。",
    "商品条码[[barcode]]，生产日期[[ts]]，保质期[[n]]个月。",
    "主播：[[model]]和[[model]]怎么选？一个[[price]]一个[[price]]，看预算。",
    "App更新到[[version]]后下单页面闪退，订单[[order]]付款失败。",
    "买家：我QQ是[[qq]]，你加我一下发图。",
    "客服：亲，请提供订单号，不要发送手机号、身份证号等隐私信息哦。\n买家：[[order]]",
    "运单[[waybill]]派送失败，收件人电话[[masked]]无人接听。",
    "学号[[num11]]，校园认证已通过，享学生价[[price]]。",
    "批次号[[longrun]]的[[product]]已全部召回，咨询[[hotline]]。",
    "核验失败：身份证号[[badid]]与姓名不匹配。",
    "[[ts]] 系统自动确认收货，订单[[order]]，快递[[waybill]]。",
    "举报[[mention]]冒充官方，让买家加QQ[[qq]]私下交易。",
    "银行卡号（已脱敏）：[[masked_bank]]，证件号（已脱敏）：[[masked_id]]",
    "物流单号[[waybill]]，寄件网点电话[[landline]]。",
    "邮件请发到 [[obfemail]] ，标题写订单号[[order]]。",
    "卖家：亲这款[[model]]是[[ts]]批次的，价格[[price]]已经是最低了。",
    "礼品卡[[cardfail]]无法激活，请核实卡号。",
    "售后政策：7天无理由退换，全国服务热线[[hotline]]，[[city]]服务中心电话[[landline]]。",
    "交易号[[order]]，支付时间[[ts]]，支付方式：微信支付。",
    "[[order]]这个单子帮我催一下，[[ts]]拍的。",
    "主播：[[product]]原价[[price]]，今天直播间[[price]]，链接在[[model]]旁边。",
    "卖家：亲，账号[[num11]]是我们的店铺会员号，不是手机号哦。",
    "这个卡号[[cardfail]]转账提示无效，是不是写错了？",
    "订单[[order]]的物流[[waybill]]卡在[[city]]三天了，客服[[hotline]]说再等等。",
]

DEV_CLEAN = [
    "这款面膜用了一周，补水效果一般，包装倒是挺精致的。",
    "主播今天状态很好，讲解很细致，下次还来。",
    "买家：发货了吗？\n卖家：今天下午就发，亲耐心等一下。",
    "客服态度很好，问题很快就解决了，给五星好评。",
    "衣服尺码偏小，建议买大一码。",
    "宝宝们，这款羽绒服是九十白鸭绒，保暖性非常好。",
    "投诉商家虚假宣传，实物与图片严重不符，要求退货退款。",
    "亲，七天无理由退换，运费险已经帮您买好了。",
    "物流太慢了，等了好久才到，不过东西还不错。",
    "主播说的赠品没有收到，希望商家补发。",
    "客服备注：用户咨询发货时间，已告知预计明天发出。",
    "卖家：亲，联系方式请在平台内沟通哦，不要私下交易。",
    "这家店的茶叶味道很正，回购好几次了。",
    "投诉：主播夸大宣传产品功效，与实际不符。",
    "买家：能便宜点吗？\n卖家：亲，已经是活动价了呢。",
]

HO_POS = [
    # tickets / forms
    "【工单 [[ticket]]】\n来电人：[[name]]\n联系电话：[[phone]]\n证件号码：[[id]]\n问题描述：[[issue]]\n处理状态：待回访",
    "售后申请单\n订单编号：[[order]]\n退款账户：[[bank]]\n开户行：[[bankname]]\n预留手机：[[phone]]",
    "入驻审核意见：法人身份证[[id]]与营业执照信息一致；对公账户[[bank]]；联系邮箱[[email]]。结论：通过。",
    "商家资质复核｜负责人：[[name]]｜手机：[[phone]]｜邮箱：[[email]]",
    "工单 [[ticket]] 回访结果\n- 回访号码：[[phone]]\n- 回访时间：[[ts2]]\n- 结论：用户已收到补发件",
    "保证金退还申请\n收款卡号：[[bank]]\n户名：[[shop]]\n联系人邮箱：[[email]]",
    # waybill OCR
    "收件人:[[masked_name]] [[phone]]\n[[city]][[addr]]\n运单号:[[waybill2]]\n寄件人:[[name]] [[landline]]",
    "面单识别结果：寄件人电话[[phone]]；收件人电话[[masked]]；快递单号[[waybill2]]",
    "OCR> 收 [[masked_name]] 电话[[phone]] 寄 [[shop]] 客服[[hotline]] 单号[[waybill2]]",
    # SMS / push
    "【[[shop]]】尊敬的用户，您的订单已签收，如有疑问请发邮件至[[email]]。回T退订",
    "【[[shop]]】您的退款[[price2]]已退回至银行卡[[bank]]，如非本人操作请致电[[hotline]]。",
    "【[[shop]]】验证码[[code6]]，您正在将账号绑定到手机[[phone]]，5分钟内有效，请勿泄露。",
    "【[[shop]]】店长[[name]]提醒您：新品到店，到店自提请联系[[phone]]",
    # social reviews
    "避雷‼️这家店客服居然让我加私人号[[phone]]😅还说走平台要加价，姐妹们别上当 #避雷 #网购",
    "🌟好物分享🌟 [[product]]真的绝了！！店主人超好，有问题直接找她[[email]]💌",
    "谁懂啊😭下单填的身份证[[id]]，清关卡住三天了，求有经验的宝子支招🙏",
    "晒单📦[[product]][[price2]]入手，物流[[waybill2]]三天就到，客服[[mention]]态度很好，售后电话[[phone]]也秒接👍",
    "⭐⭐ 差评！商家把我手机号[[phone]]和邮箱[[email]]卖给了推销的，天天骚扰📞",
    "💢黑心卖家收款卡[[bank]]，大家看到这个卡号千万别转账！！",
    # English-mixed cross-border
    "Hi seller, pls contact me via WhatsApp [[phone]] or email [[email]]. Thx!",
    "Customer said: my card [[bank]] was charged twice for order [[order]], please refund ASAP.",
    "Buyer note - ship to Shenzhen, tel [[phone]], ID no. [[id]], thanks.",
    "Dear customer, your refund to card ending [[n4]] is done. Questions? Mail [[email]] or call [[phone]].",
    "Supplier contact: [[name]] / Mob: [[phone]] / Mail: [[email]]",
    # logs / exports
    "2024-03-02 10:11:12 WARN pii_leak field=listing.desc value=[[phone]] shop=[[shopid]]",
    "[risk] uid=[[uid]] contact=[[email]] card=[[bank]] ts=[[ts2]]",
    "导出记录 | 买家手机 [[phone]] | 下单时间 [[ts2]] | 订单 [[order]]",
    '{"buyer_tel": "[[phone]]", "order_id": "[[order]]", "app_ver": "[[version2]]"}',
    "audit: reveal id_card=[[id]] by=cs_agent reason=实名复核",
    # formal letters
    "投诉函\n致平台：本人[[name]]，身份证号码[[id]]，于[[date]]在贵平台购买[[product]]，现就商家泄露本人手机号码[[phone]]一事提出正式投诉。",
    "律师函摘要：委托人联系邮箱[[email]]；被投诉商家收款账户[[bank]]，请平台依法协助冻结。",
    "情况说明：本人手机号[[phone]]于[[date]]遭商家短信骚扰，附截图三张。",
    # courier group chats
    "站长：[[mention]] [[waybill2]]这件地址不详，收件人电话[[phone]]打不通，你跑一趟。",
    "骑手群：谁的单？尾号[[n4]]的顾客改电话了，新号[[phone]]",
    "[[phone]]\n↑这个是收件人新号码，麻烦改派",
    "快递员：您好，我是[[carrier]]的，包裹[[waybill2]]放驿站了，有事打我[[phone]]",
    # bracket / end-of-text styles
    "申请人证件号码：「[[id]]」",
    "退款卡号→[[bank]]",
    "邮箱：[[email]]",
    "手机号码（已核实）：[[phone]]",
    "紧急联系人电话：[[phone]]；紧急联系人邮箱：[[email]]",
    "[[bank]]\n以上为收款账户，请核对户名[[name]]",
    "KYC｜证件[[id]]｜结算卡[[bank]]｜状态 已通过",
    "[[email]] 是店铺对接邮箱，样品寄送前请先邮件确认🙏",
    "实名核验请求\n姓名：[[name]]\n证件：[[id]]\n银行卡：[[bank]]\n手机：[[phone]]",
    "Refund form | Name: [[name]] | Card: [[bank]] | Email: [[email]]",
    "🆘求助！骗子用我的身份证[[id]]开了店，还绑了卡[[bank]]，平台怎么申诉？",
    "【[[shop]]】您申请的发票已开具并发送至[[email]]，请查收。如有疑问请致电[[phone]]",
    "audit: export contact=[[phone]],[[email]] ts=[[ts2]] status=blocked",
    "先行赔付确认函\n收款人：[[name]]\n身份证号：[[id]]\n收款卡号：[[bank]]",
    "骑手群：[[mention]] 顾客要改地址，证件[[id]]已核验，电话[[phone]]",
    '{"id_no": "[[id]]", "card_no": "[[bank]]", "ts": "[[ts2]]"}',
    "Merchant KYC failed: ID [[badid]] invalid; resubmitted ID [[id]] OK.",
    "收件人:[[masked_name]]\n[[city]][[addr]]\n[[phone]]\n寄件人证件[[id]]（海关申报）",
]

HO_NEG = [
    "【[[shop]]】您的包裹[[waybill2]]已由[[carrier]]揽收，详询[[hotline]]。",
    "工单 [[ticket]]\n订单编号：[[order]]\n下单时间：[[ts2]]\n状态：已关闭",
    "2024-03-02 10:11:12 INFO order=[[order]] amount=[[price2]] app_version=[[version2]]",
    "面单：收件人 [[masked_name]] [[masked]]\n运单号 [[waybill2]]\n[[city]][[addr]]",
    "⚠️提醒：请勿在评论区留联系方式，像[[obfemail]]这种写法也会被识别哦",
    "退款申请单\n退款至：尾号[[n4]]的储蓄卡\n订单编号：[[order]]\n金额：[[price2]]",
    "Tracking No. [[waybill2]], order [[order]], shipped [[ts2]].",
    "入驻审核：身份证号[[badid]]校验未通过，请法人重新上传。",
    "#开箱# [[model2]]真香！[[price2]]拿下 [[mention]]",
    "客服工号[[num11]]｜会话[[longrun]]｜满意度5星",
    "门店电话[[landline]]，总部热线[[hotline]]。",
    "[sync] batch=[[longrun]] items=120 ver=[[version2]]",
    "Member ID [[num11]], points 2,380, QQ [[qq]]",
    "礼品卡[[cardfail]]已激活，面值[[price2]]。",
    "身份证号码（脱敏）：[[masked_id]]；银行卡（脱敏）：[[masked_bank]]",
    "[risk] uid=[[uid]] device=[[model2]] ts=[[ts2]] result=pass",
    '{"order_id": "[[order]]", "waybill": "[[waybill2]]", "ts": "[[ts2]]"}',
    "谁懂啊😭 [[model2]]等了半个月，单号[[waybill2]]一直不更新，客服[[hotline]]也打不通",
    "投诉函\n被投诉订单：[[order]]\n下单时间：[[ts2]]\n诉求：退还货款[[price2]]",
    "骑手群：[[mention]] [[waybill2]]和[[waybill2]]两件放前台了",
    "【[[shop]]】验证码[[code6]]，用于登录，5分钟内有效。订单[[order]]待支付。",
    "Dear customer, order [[order]] (tracking [[waybill2]]) has shipped. Support: [[hotline]]",
    "OCR> 寄 [[shop]] [[landline]] 单号[[waybill2]] 重量1.2kg",
    "商品条码[[barcode]]｜款号[[model2]]｜吊牌价[[price2]]",
    "资料补正通知：证件号[[baddate_id]]出生日期无效，请重新提交。",
    "联系方式写成[[obfemail]]就不会被系统拦截了吗？不会的。",
    "uid=[[uid]] 积分流水[[longrun]] +[[n]]",
    "手机号已隐藏：[[masked]]｜身份证已隐藏：[[masked_id]]",
    "支付单号[[order]]｜支付时间[[ts2]]｜卡号尾号[[n4]]",
    "学员账号[[num11]]，课程有效期至[[ts2]]",
    "KYC｜证件[[badid]]｜校验：失败｜[[ts2]]",
    "📦[[carrier]] [[waybill2]] 已签收，[[ts2]]，放门口了",
    "Please do not share phone numbers here. Our hotline is [[hotline]], ticket [[ticket]].",
    "储值卡[[cardfail]]余额不足，请充值。",
]

HO_CLEAN = [
    "✨这家店包装超用心，还送了小卡片💕",
    "工单已关闭，用户无进一步诉求。",
    "Customer is satisfied, no further action needed.",
    "站长：今天件多，大家辛苦了💪",
    "投诉函\n商家存在虚假宣传行为，请平台依法处理。",
    "【系统通知】您的店铺资质已审核通过。",
    "避雷‼️ 图片和实物完全不一样 #避雷",
    "OCR> 识别失败，请重新拍照",
]

TEMPLATES = {"dev": (DEV_POS, DEV_NEG, DEV_CLEAN), "holdout": (HO_POS, HO_NEG, HO_CLEAN)}
SLOT_RE = re.compile(r"\[\[(\w+)\]\]")


def render(tpl: str, g: Gen):
    g.reset()
    out, ents, negs, pos = [], [], [], 0
    last = 0
    for m in SLOT_RE.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        pos += len(lit)
        slot = m.group(1)
        if slot in ENTITY_SLOTS or slot in NEGATIVE_SLOTS:
            val = GEN_METHOD[slot](g)
        elif slot in FILLER_SLOTS:
            val = FILLER_SLOTS[slot](g)
        else:
            raise KeyError(f"unknown slot {slot} in {tpl!r}")
        if slot in ENTITY_SLOTS:
            ents.append({"type": ENTITY_SLOTS[slot], "start": pos, "end": pos + len(val)})
        elif slot in NEGATIVE_SLOTS:
            kind = NEGATIVE_SLOTS[slot]
            if kind == "order_number" and luhn_ok(val):
                kind = "order_number_luhn_valid"
            negs.append(kind)
        out.append(val)
        pos += len(val)
        last = m.end()
    out.append(tpl[last:])
    return "".join(out), ents, negs


def check_record(rec) -> list[str]:
    """All problems with one record (empty list = fine)."""
    text, ents = rec["text"], rec["entities"]
    problems = []
    spans = []
    prev_end = -1
    for e in ents:
        s, t = e["start"], e["end"]
        if not (isinstance(s, int) and isinstance(t, int) and 0 <= s < t <= len(text)):
            problems.append(f"bad offsets {e}")
            continue
        if s < prev_end:
            problems.append(f"overlap/unsorted {e}")
        prev_end = t
        frag = text[s:t]
        if frag != frag.strip() or not VALIDATORS[e["type"]](frag):
            problems.append(f"{e['type']} fails its rule: {frag!r}")
        spans.append((s, t))
    gold = {(e["type"], e["start"], e["end"]) for e in ents}
    for lb in (False, True):
        for loose in (False, True):
            found = scan(text, letter_boundary=lb, loose_bank=loose)
            if found != gold:
                problems.append(
                    f"scanner(letter_boundary={lb}, loose_iin={loose}) disagrees: "
                    f"extra={sorted(found - gold)} missing={sorted(gold - found)}"
                )
    problems += paranoid_digit_runs(text, spans)
    # every non-email "@" must not be an address
    for m in re.finditer("@", text):
        inside = any(s <= m.start() < t for s, t in spans)
        if not inside and m.start() > 0 and text[m.start() - 1] in ASCII_ALNUM:
            problems.append(f"unlabelled local@ at {m.start()}")
    return problems


def build_split(split: str):
    n_pos, n_neg, n_clean, off = SPLITS[split]
    rng = random.Random(SEED + off)
    g = Gen(split, rng)
    pos_t, neg_t, clean_t = TEMPLATES[split]
    for t in clean_t:
        assert not re.search(r"[0-9]", t), t
        assert "[[" not in t, t
    for t in neg_t:
        slots = SLOT_RE.findall(t)
        assert not set(slots) & set(ENTITY_SLOTS), t
        assert set(slots) & set(NEGATIVE_SLOTS), t
    for t in pos_t:
        k = sum(s in ENTITY_SLOTS for s in SLOT_RE.findall(t))
        assert 1 <= k <= 3, t

    def cycle(templates, n):
        out = []
        while len(out) < n:
            batch = list(templates)
            rng.shuffle(batch)
            out.extend(batch)
        return out[:n]

    plan = (
        [("pos", t) for t in cycle(pos_t, n_pos)]
        + [("neg", t) for t in cycle(neg_t, n_neg)]
        + [("clean", t) for t in cycle(clean_t, n_clean)]
    )
    rng.shuffle(plan)
    records, meta = [], []
    seen_texts = set()
    for i, (cat, tpl) in enumerate(plan, 1):
        for _attempt in range(500):
            text, ents, negs = render(tpl, g)
            rec = {"id": f"pii-{split}-{i:04d}", "text": text, "entities": ents}
            if (cat == "clean" or text not in seen_texts) and not check_record(rec):
                break
        else:
            raise RuntimeError(f"could not render a valid text from {tpl!r}: {check_record(rec)}")
        seen_texts.add(text)
        records.append(rec)
        meta.append({"category": cat, "negatives": negs})
    return records, meta


def write_jsonl(path: Path, records):
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def validate_file(path: Path, meta=None) -> bool:
    records = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    ok = True
    ids = [r["id"] for r in records]
    if len(ids) != len(set(ids)):
        print(f"  DUPLICATE ids in {path.name}")
        ok = False
    types = Counter()
    ent_per_text = Counter()
    for r in records:
        if set(r) != {"id", "text", "entities"}:
            print(f"  {r.get('id')}: unexpected keys {sorted(r)}")
            ok = False
        for e in r["entities"]:
            if set(e) != {"type", "start", "end"} or e["type"] not in VALIDATORS:
                print(f"  {r['id']}: bad entity object {e}")
                ok = False
            types[e["type"]] += 1
        ent_per_text[len(r["entities"])] += 1
        probs = check_record(r)
        if probs:
            ok = False
            print(f"  {r['id']}: {probs}")
    zero = ent_per_text[0]
    print(
        f"{path.name}: {len(records)} texts, {sum(types.values())} entities, ids unique={len(ids) == len(set(ids))}"
    )
    print("  entities per type: " + ", ".join(f"{t}={types[t]}" for t in VALIDATORS))
    print(
        "  texts by entity count: "
        + ", ".join(f"{k}={ent_per_text[k]}" for k in sorted(ent_per_text))
    )
    print(f"  texts with no entity: {zero} ({zero / len(records):.1%})")
    if meta is not None:
        hard = sum(1 for m in meta if m["negatives"])
        hard_zero = sum(
            1 for m, r in zip(meta, records, strict=True) if m["negatives"] and not r["entities"]
        )
        mixed = sum(
            1 for m, r in zip(meta, records, strict=True) if m["negatives"] and r["entities"]
        )
        print(
            f"  texts containing >=1 hard negative: {hard} ({hard / len(records):.1%}); "
            f"of which entity-free: {hard_zero} ({hard_zero / len(records):.1%}), "
            f"mixed with entities: {mixed}"
        )
        kinds = Counter(k for m in meta for k in m["negatives"])
        print(
            "  hard-negative instances by kind: "
            + ", ".join(f"{k}={v}" for k, v in sorted(kinds.items()))
        )
    fmt = Counter()
    for r in records:
        for e in r["entities"]:
            frag = r["text"][e["start"] : e["end"]]
            if e["type"] == "phone":
                pre = re.match(r"(\+86|0086|86)?", frag).group() or "none"
                grp = "grouped" if re.search(r"1[3-9][0-9][ -][0-9]{4}", frag) else "ungrouped"
                fmt[f"phone prefix={pre} {grp}"] += 1
            elif e["type"] == "bank_card":
                d = re.sub("[ -]", "", frag)
                sep = "space" if " " in frag else "dash" if "-" in frag else "plain"
                fmt[f"bank len={len(d)} {sep}"] += 1
            elif e["type"] == "id_card":
                fmt[
                    f"id_card check={'X' if frag[-1] == 'X' else 'x' if frag[-1] == 'x' else 'digit'}"
                ] += 1
            at = [e["start"] == 0, e["end"] == len(r["text"])]
            if any(at):
                fmt["entity at text start" if at[0] else "entity at text end"] += 1
    print("  formats: " + ", ".join(f"{k}={v}" for k, v in sorted(fmt.items())))
    return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="only validate the existing files")
    args = ap.parse_args(argv)
    ok = True
    for split in SPLITS:
        path = HERE / f"{split}.jsonl"
        meta = None
        if not args.check:
            records, meta = build_split(split)
            write_jsonl(path, records)
        ok &= validate_file(path, meta)
        print(f"  sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}")
    # dev and holdout must not share texts
    texts = [
        {json.loads(line)["text"] for line in (HERE / f"{s}.jsonl").open(encoding="utf-8")}
        for s in SPLITS
    ]
    shared = texts[0] & texts[1]
    if shared:
        print(f"dev/holdout share {len(shared)} texts")
        ok = False
    print("VALID" if ok else "INVALID")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
