"""Consignees: validated on the way in, masked on the way out.

A consignee (收件人) is a name, a mainland mobile number and a four-part address. Merchants see
the DESIGN.md masks (`张*`, `138****5678`, the address kept to the district); waybills follow
the stricter GB/T 41833-2022 rule (the name hides at least one character, the phone at least six
digits, the address hides building, unit and room). Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from shopguard.platform.errors import FieldError, InvalidInput
from shopguard.text.pii import PiiType, mask


@dataclass(frozen=True)
class Address:
    """A mainland address: three administrative levels and the rest (`detail`: street, house
    number, building/楼/栋/幢/座, unit/单元, room/室/号)."""

    province: str
    city: str
    district: str
    detail: str


@dataclass(frozen=True)
class Consignee:
    """The person an order ships to; `phone` is the normalised 11-digit mobile number."""

    name: str
    phone: str
    address: Address


# Validation. Messages are constants: they say what is expected and never quote the value.

_MESSAGES = {
    "consignee": "expected an object with name, phone and address",
    "name": "expected 1 to 30 Chinese or Latin letters (a middle dot, space, hyphen or "
    "apostrophe may separate them; no digits)",
    "phone": "expected a mainland mobile number: 11 digits starting 13 to 19, optionally "
    "after +86, with spaces or dashes allowed",
    "address": "expected an object with province, city, district and detail",
    "province": "expected a province-level division written in full with its suffix "
    "(省, 市, 自治区 or 特别行政区), e.g. 浙江省, 北京市, 广西壮族自治区",
    "city": "expected a city in Chinese ending in 市, 自治州, 盟 or 地区 (a municipality repeats "
    "its own name, e.g. 北京市)",
    "district": "expected a district in Chinese ending in 区, 县, 市 or 旗",
    "detail": "expected 2 to 120 characters of street, building and room, not just digits",
}

PROVINCES = frozenset(
    "河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 "  # noqa: SIM905 - reads as a table
    "湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 "
    "内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 "
    "北京市 天津市 上海市 重庆市 香港特别行政区 澳门特别行政区".split()
)
# Provinces without prefectures: the city level repeats the province's name.
_SELF_CITY = frozenset({"北京市", "天津市", "上海市", "重庆市", "香港特别行政区", "澳门特别行政区"})
_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f"
_NAME = re.compile(rf"[{_HAN}{_LATIN}]+(?:[ ·'\-][{_HAN}{_LATIN}]+)*")
_DOTS = str.maketrans({"・": "·", "•": "·", "‧": "·", "∙": "·"})
_HAN_SPACE = re.compile(rf"(?<=[{_HAN}]) +(?=[{_HAN}])")
_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
_PHONE_SEPARATORS = re.compile(r"[ \-\u00a0]")
_CITY = re.compile(rf"[{_HAN}]+(?:市|自治州|盟|地区)")
_DISTRICT = re.compile(rf"[{_HAN}]+(?:区|县|市|旗)")
_LETTER = re.compile(rf"[{_HAN}{_LATIN}]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def parse_consignee(raw: Mapping[str, Any]) -> Consignee:
    """A validated, normalised consignee from `{"name", "phone", "address": {"province",
    "city", "district", "detail"}}`; InvalidInput naming every bad field otherwise (as
    `consignee.phone`, `consignee.address.district`, ...), never quoting what was sent."""
    errors: list[FieldError] = []

    def bad(loc: str, key: str) -> None:
        errors.append(FieldError(loc, _MESSAGES[key]))

    if not isinstance(raw, Mapping):
        bad("consignee", "consignee")
        raise _invalid(errors)
    name = _clean_name(raw.get("name"))
    if name is None:
        bad("consignee.name", "name")
    phone = normalise_phone(raw.get("phone"))
    if phone is None:
        bad("consignee.phone", "phone")
    address = _parse_address(raw.get("address"), bad)
    if errors or name is None or phone is None or address is None:
        raise _invalid(errors)
    return Consignee(name, phone, address)


def _invalid(errors: list[FieldError]) -> InvalidInput:
    return InvalidInput("; ".join(f"{e.loc}: {e.msg}" for e in errors), errors=errors)


def _text(value: object, limit: int) -> str | None:
    """NFKC-folded (full-width digits and letters become ASCII), trimmed, no control
    characters, at most `limit` characters; None if it is not such a string."""
    if not isinstance(value, str) or len(value) > 4 * limit:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if not text or len(text) > limit or _CONTROL.search(text):
        return None
    return text


def _clean_name(value: object) -> str | None:
    text = _text(value, 30)
    if text is None:
        return None
    text = " ".join(text.translate(_DOTS).split())
    text = _HAN_SPACE.sub("", text)  # 张 三 is 张三
    return text if _NAME.fullmatch(text) else None


def normalise_phone(value: object) -> str | None:
    """The 11-digit mainland mobile number in `value` (+86, spaces and dashes dropped), or
    None if it is not one (landlines, wrong lengths and letters are not)."""
    text = _text(value, 24)
    if text is None:
        return None
    m = _MOBILE.fullmatch(_PHONE_SEPARATORS.sub("", text))
    return m.group(1) if m else None


def _parse_address(value: object, bad: Callable[[str, str], None]) -> Address | None:
    if not isinstance(value, Mapping):
        bad("consignee.address", "address")
        return None
    province = _text(value.get("province"), 20)
    city = _text(value.get("city"), 20)
    district = _text(value.get("district"), 30)
    detail = _text(value.get("detail"), 120)
    checks = {
        "province": province is not None and province in PROVINCES,
        "city": city is not None and _valid_city(city, province),
        "district": district is not None
        and len(district) >= 2
        and bool(_DISTRICT.fullmatch(district)),
        "detail": detail is not None and len(detail) >= 2 and bool(_LETTER.search(detail)),
    }
    for part, ok in checks.items():
        if not ok:
            bad(f"consignee.address.{part}", part)
    if not all(checks.values()) or not (province and city and district and detail):
        return None
    return Address(province, city, district, detail)


def _valid_city(city: str, province: str | None) -> bool:
    """A prefecture-level name; a municipality (and a SAR, if it likes) repeats its own."""
    if province in _MUNICIPALITIES:
        return city == province
    if province in _SELF_CITY and city == province:
        return True
    return len(city) >= 2 and _CITY.fullmatch(city) is not None


# Masks merchants see (DESIGN.md "PII entity types and masks").

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 令狐 夏侯 轩辕 钟离 宇文 司徒 司空 "  # noqa: SIM905 - reads as a table
    "端木 独孤 南宫 百里 呼延 闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 万俟 赫连 "
    "东郭 西门 南门 第五 梁丘 左丘 拓跋 完颜 鲜于 闾丘 亓官 司寇 巫马 公西 颛孙 壤驷 乐正 "
    "漆雕 谷梁 段干 羊舌 微生 公羊 公良 东门 夹谷 子车 车正 陶叔 叱干 贺兰 耶律".split()
)


def surname(name: str) -> str:
    """What a mask keeps of a name: a compound surname (欧阳) when the name is longer than
    it, else the first character (the surname of a Chinese name, the initial of a Latin one)."""
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def mask_name(name: str) -> str:
    """The merchant mask: the surname, then one `*` for the rest (张三 -> 张*, 欧阳娜娜 ->
    欧阳*, John Smith -> J*); a one-character name is all `*`."""
    if len(name) <= 1:
        return "*"
    return surname(name) + "*"


def _mobile(phone: str) -> str | None:
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))
    m = _MOBILE.fullmatch(digits)
    return m.group(1) if m else None


def mask_phone(phone: str) -> str:
    """The merchant mask, first 3 and last 4 digits (138****5678); anything that is not a
    mainland mobile number is hidden whole (11 `*`)."""
    mobile = _mobile(phone)
    return "*" * 11 if mobile is None else mask(PiiType.PHONE, mobile)


def mask_address(address: Address) -> str:
    """The merchant mask: province, city and district (a repeated municipality once), then
    `****` for the rest (浙江省杭州市西湖区****)."""
    return _region(address) + "****"


def _region(address: Address) -> str:
    city = "" if address.city == address.province else address.city
    return address.province + city + address.district


# Waybill masks (GB/T 41833-2022).


def waybill_name(name: str) -> str:
    """The waybill mask: the surname kept, every other character a `*` (张三 -> 张*,
    王小明 -> 王**, 欧阳娜娜 -> 欧阳**); a one-character name is `*`."""
    if len(name) <= 1:
        return "*"
    kept = surname(name)
    return kept + "*" * (len(name) - len(kept))


def waybill_phone(phone: str) -> str:
    """The waybill mask, first 3 and last 2 digits, six hidden (138******78); anything that
    is not a mainland mobile number is hidden whole."""
    mobile = _mobile(phone)
    return "*" * 11 if mobile is None else mobile[:3] + "*" * 6 + mobile[-2:]


# Street level: a road (with its door number) or a named place such as a compound or campus.
_ROAD = "大道|大街|胡同|路|街|道|巷"
_ROAD_END = "路街道巷同"  # the last character of each road word
_PLACE = (
    "街道|社区|小区|园区|校区|院区|景区|新区|开发区|花园|家园|新村|新城|公寓|大厦|大楼|广场|"
    "中心|商场|市场|大学|学院|学校|医院|酒店|宾馆|公司|工业园|科技园|产业园|写字楼|"
    "弄|里|村|屯|镇|乡|苑|园|庭|府|城|湾|居|坊|邸|寓|厦|场|院"
)
# A door number on a road (人民路8号, 8-1号, 淮海中路1234弄) is public, like the road.
_DOOR = re.compile(rf"(?<=[{_ROAD_END}])\d+(?:-\d+)?(?:号(?![楼栋幢座室层单户])|弄)")
_STREET_MARK = re.compile(rf"(?:{_ROAD}|{_PLACE})")
# Words that carry a building, unit, room or floor number; they stay, the numbers go.
_UNIT_MARKS = ("号楼", "单元", "栋", "幢", "座", "楼", "层", "室", "号", "户", "期", "区", "门")
_UNIT_MARK = re.compile("|".join(_UNIT_MARKS))
_NUMERALS = "零〇一二三四五六七八九十百两"
# Where private detail starts: any digit not in a door number, or a letter or Chinese numeral
# naming a building, unit, room or floor (A座, 三号楼, 12B).
_PRIVATE = re.compile(
    rf"\d|(?<![A-Za-z])[A-Za-z]{{1,2}}(?=\d|[号栋幢座单楼层室户区])"
    rf"|[{_NUMERALS}]+(?=[号栋幢座单楼层室户])"
)


def waybill_address(address: Address) -> str:
    """The waybill mask: province, city, district and the street-level part of `detail` kept,
    building, unit, room and floor hidden.

    The street-level part ends at the last road (路 街 道 巷, with its door number 969号 or
    lane 1234弄) or named place (小区 园区 大厦 村 ...) before the first private number, a
    number being any digit outside a door number, a letter like A座 or a numeral like 三号楼.
    After it, the building words (号楼 单元 栋 幢 座 楼 层 室 号 户 期 区 门) stay and every
    other character becomes `*` (3号楼2单元501室 -> *号楼*单元***室); if none of those words
    is there, the rest is `****` whatever it was. So no digit survives except door numbers.
    """
    return _region(address) + mask_detail(address.detail)


def mask_detail(detail: str) -> str:
    """`detail` masked by the waybill rule of `waybill_address`."""
    doors = [m.span() for m in _DOOR.finditer(detail)]

    def in_door(i: int) -> bool:
        return any(s <= i < e for s, e in doors)

    first_private = next(
        (m.start() for m in _PRIVATE.finditer(detail) if not in_door(m.start())), len(detail)
    )
    cut = 0
    for m in _STREET_MARK.finditer(detail):
        if m.end() <= first_private:
            cut = max(cut, m.end())
    for _, e in doors:
        if e <= first_private:
            cut = max(cut, e)
    street, rest = detail[:cut], detail[cut:]
    if not rest:
        return street
    if _UNIT_MARK.search(rest) is None:
        return street + "****"
    out: list[str] = []
    pos = 0
    for m in _UNIT_MARK.finditer(rest):
        out.append(_stars(rest[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_stars(rest[pos:]))
    return street + "".join(out)


def _stars(text: str) -> str:
    return "".join(" " if ch == " " else "*" for ch in text)
