"""Consignees are validated without echoing them, and masked as DESIGN.md and GB/T 41833 say."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from shopguard.platform.errors import InvalidInput
from shopguard.privacy import masks
from shopguard.privacy.masks import (
    Address,
    Consignee,
    mask_address,
    mask_detail,
    mask_name,
    mask_phone,
    parse_consignee,
    surname,
    waybill_address,
    waybill_name,
    waybill_phone,
)

# Strategies.

SURNAMES = list("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾")
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "慕容", "令狐", "司徒"]
given_chars = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
chinese_names = st.builds(
    lambda s, g: s + g,
    st.sampled_from(SURNAMES + COMPOUND),
    st.text(given_chars, min_size=1, max_size=3),
)
latin_names = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?", fullmatch=True)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
REGIONS = [
    ("浙江省", "杭州市", "西湖区"),
    ("北京市", "北京市", "朝阳区"),
    ("广东省", "深圳市", "南山区"),
    ("四川省", "成都市", "武侯区"),
    ("内蒙古自治区", "兴安盟", "乌兰浩特市"),
    ("吉林省", "延边朝鲜族自治州", "延吉市"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
]
ROADS = ["文一西路", "人民路", "中关村大街", "淮海中路", "解放大道", "南锣鼓巷", "长安街"]
PLACES = ["阳光小区", "西溪园区", "幸福家园", "望京SOHO大厦", "浙江大学紫金港校区", "翠苑", ""]


@st.composite
def private_tails(draw: st.DrawFn) -> str:
    """A building, unit, room and floor, written any of the usual ways."""
    building = draw(st.one_of(st.integers(1, 99).map(str), st.sampled_from(list("ABCDE"))))
    parts = [building + draw(st.sampled_from(["号楼", "栋", "幢", "座"]))]
    if draw(st.booleans()):
        parts.append(f"{draw(st.integers(1, 9))}单元")
    if draw(st.booleans()):
        parts.append(f"{draw(st.integers(1, 40))}层")
    parts.append(f"{draw(st.integers(101, 3299))}{draw(st.sampled_from(['室', '号', '']))}")
    return "".join(parts)


@st.composite
def addresses(draw: st.DrawFn) -> tuple[Address, str]:
    """An address and the part of its detail that is street level (and may be shown)."""
    province, city, district = draw(st.sampled_from(REGIONS))
    road = draw(st.sampled_from(ROADS))
    door = draw(st.one_of(st.just(""), st.integers(1, 2999).map(lambda n: f"{n}号")))
    street = road + door + draw(st.sampled_from(PLACES))
    detail = street + draw(private_tails())
    return Address(province, city, district, detail), street


def _region(a: Address) -> str:
    return a.province + ("" if a.city == a.province else a.city) + a.district


def _valid_raw(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "name": "张三",
        "phone": "13812345678",
        "address": {"province": "浙江省", "city": "杭州市", "district": "西湖区",
                    "detail": "文一西路969号3号楼2单元501室"},
    }  # fmt: skip
    for key, value in changes.items():
        if key in raw["address"]:
            raw["address"][key] = value
        else:
            raw[key] = value
    return raw


# parse_consignee.


@pytest.mark.parametrize(
    "changes, name, phone",
    [
        ({}, "张三", "13812345678"),
        ({"name": " 张 三 ", "phone": "+86 138-1234-5678"}, "张三", "13812345678"),
        ({"name": "买买提・艾力", "phone": "0086 139 0000 1111"}, "买买提·艾力", "13900001111"),
        (
            {"name": "Mary-Jane  O'Neil", "phone": "86-19912345678"},
            "Mary-Jane O'Neil",
            "19912345678",
        ),
        ({"phone": "１３８１２３４５６７８"}, "张三", "13812345678"),
        ({"province": "北京市", "city": "北京市", "district": "朝阳区"}, "张三", "13812345678"),
        (
            {"province": "内蒙古自治区", "city": "兴安盟", "district": "科尔沁右翼前旗"},
            "张三",
            "13812345678",
        ),
        (
            {"province": "吉林省", "city": "延边朝鲜族自治州", "district": "延吉市"},
            "张三",
            "13812345678",
        ),
        (
            {"province": "黑龙江省", "city": "大兴安岭地区", "district": "漠河市"},
            "张三",
            "13812345678",
        ),
        (
            {"province": "香港特别行政区", "city": "香港特别行政区", "district": "中西区"},
            "张三",
            "13812345678",
        ),
    ],
)
def test_valid_consignees_are_normalised(changes: dict[str, Any], name: str, phone: str) -> None:
    c = parse_consignee(_valid_raw(**changes))
    assert (c.name, c.phone) == (name, phone)
    assert isinstance(c.address, Address)


@pytest.mark.parametrize(
    "changes, loc",
    [
        ({"name": "张3"}, "consignee.name"),
        ({"name": ""}, "consignee.name"),
        ({"name": "   "}, "consignee.name"),
        ({"name": "张" * 31}, "consignee.name"),
        ({"name": "张三!"}, "consignee.name"),
        ({"name": "·张三"}, "consignee.name"),
        ({"name": "张\n三"}, "consignee.name"),
        ({"name": 42}, "consignee.name"),
        ({"phone": "0571-88888888"}, "consignee.phone"),
        ({"phone": "010 12345678"}, "consignee.phone"),
        ({"phone": "1381234567"}, "consignee.phone"),
        ({"phone": "138123456789"}, "consignee.phone"),
        ({"phone": "12812345678"}, "consignee.phone"),
        ({"phone": "138abcd5678"}, "consignee.phone"),
        ({"phone": "+1 138 1234 5678"}, "consignee.phone"),
        ({"phone": 13812345678}, "consignee.phone"),
        ({"phone": None}, "consignee.phone"),
        ({"address": "浙江省杭州市西湖区"}, "consignee.address"),
        ({"province": "浙江"}, "consignee.address.province"),
        ({"province": "杭州市"}, "consignee.address.province"),
        ({"city": "杭州"}, "consignee.address.city"),
        ({"city": "浙江省"}, "consignee.address.city"),
        ({"city": "Hangzhou市"}, "consignee.address.city"),
        (
            {"province": "上海市", "city": "杭州市", "district": "浦东新区"},
            "consignee.address.city",
        ),
        ({"district": "西湖"}, "consignee.address.district"),
        ({"district": "区"}, "consignee.address.district"),
        ({"district": "西湖区1"}, "consignee.address.district"),
        ({"detail": "12345"}, "consignee.address.detail"),
        ({"detail": "3-2-501"}, "consignee.address.detail"),
        ({"detail": ""}, "consignee.address.detail"),
        ({"detail": "路" * 121}, "consignee.address.detail"),
    ],
)
def test_invalid_fields_are_named(changes: dict[str, Any], loc: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_consignee(_valid_raw(**changes))
    assert [e.loc for e in caught.value.errors] == [loc]
    assert str(caught.value).startswith(f"{loc}: expected")


def test_every_bad_field_is_reported_and_none_is_quoted() -> None:
    raw = _valid_raw(name="李四5号", phone="0571-88886666", district="xihu", detail="99999")
    with pytest.raises(InvalidInput) as caught:
        parse_consignee(raw)
    err = caught.value
    assert [e.loc for e in err.errors] == [
        "consignee.name",
        "consignee.phone",
        "consignee.address.district",
        "consignee.address.detail",
    ]
    for secret in ("李四", "0571", "88886666", "xihu", "99999"):
        assert secret not in str(err)
        assert all(secret not in e.msg for e in err.errors)
    assert err.status == 422


@pytest.mark.parametrize("raw", [None, [], "张三 13812345678", 42])
def test_a_consignee_must_be_an_object(raw: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_consignee(raw)
    assert [e.loc for e in caught.value.errors] == ["consignee"]


junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
junk_text = st.one_of(
    st.text(max_size=40), mobiles, st.from_regex(r"\+?86[ -]?1\d{10}", fullmatch=True)
)
address_like = st.fixed_dictionaries(
    {},
    optional={
        "province": st.one_of(junk_text, st.sampled_from(sorted(masks.PROVINCES)), junk),
        "city": st.one_of(junk_text, st.sampled_from(["杭州市", "北京市", "兴安盟"]), junk),
        "district": st.one_of(junk_text, st.sampled_from(["西湖区", "朝阳区"]), junk),
        "detail": st.one_of(junk_text, junk),
    },
)
consignee_like = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(junk_text, chinese_names, junk),
        "phone": st.one_of(junk_text, junk),
        "address": st.one_of(address_like, junk),
    },
)
ALL_MESSAGES = set(masks._MESSAGES.values())
VOCABULARY = " ".join(ALL_MESSAGES)


@given(st.one_of(consignee_like, junk))
def test_junk_only_ever_raises_invalid_input_that_quotes_nothing(raw: Any) -> None:
    error: InvalidInput | None = None
    try:
        c = parse_consignee(raw)
    except InvalidInput as exc:
        error = exc
    if error is None:
        assert isinstance(c, Consignee)
        assert re.fullmatch(r"1[3-9]\d{9}", c.phone)
        return
    assert error.errors
    assert all(e.loc == "consignee" or e.loc.startswith("consignee.") for e in error.errors)
    assert all(e.msg in ALL_MESSAGES for e in error.errors)  # fixed texts: nothing echoed
    assert str(error) == "; ".join(f"{e.loc}: {e.msg}" for e in error.errors)
    if isinstance(raw, dict):
        for key in ("name", "phone"):
            value = raw.get(key)
            if isinstance(value, str) and len(value.strip()) >= 3:
                assert value.strip() not in str(error) or value.strip() in VOCABULARY


@given(
    chinese_names,
    mobiles,
    st.sampled_from(["", "+86 ", "86-", "0086 ", "+86"]),
    st.sampled_from([" ", "-", ""]),
)
def test_written_phones_normalise(name: str, mobile: str, prefix: str, sep: str) -> None:
    written = prefix + sep.join([mobile[:3], mobile[3:7], mobile[7:]])
    c = parse_consignee(_valid_raw(name=name, phone=written))
    assert (c.name, c.phone) == (name, mobile)


# Merchant masks.


@pytest.mark.parametrize(
    "name, masked",
    [("张三", "张*"), ("王小明", "王*"), ("欧阳娜娜", "欧阳*"), ("诸葛亮", "诸葛*"), ("欧阳", "欧*"),
     ("张", "*"), ("John Smith", "J*"), ("买买提·艾力", "买*")],
)  # fmt: skip
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_phone_and_address() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"
    assert mask_phone("12345") == "*" * 11  # never half a number
    a = Address("浙江省", "杭州市", "西湖区", "文一西路969号3号楼2单元501室")
    assert mask_address(a) == "浙江省杭州市西湖区****"
    assert mask_address(Address("北京市", "北京市", "朝阳区", "建国路8号")) == "北京市朝阳区****"


@given(st.one_of(chinese_names, latin_names))
def test_name_masks_keep_the_surname_and_hide_the_rest(name: str) -> None:
    kept = surname(name)
    assert name.startswith(kept) and 1 <= len(kept) < len(name)
    assert mask_name(name) == kept + "*" == mask_name(name)
    wb = waybill_name(name)
    assert wb == waybill_name(name) and len(wb) == len(name)
    assert wb.startswith(kept) and set(wb[len(kept) :]) == {"*"}  # >= 1 hidden, none shown
    if name[:2] in COMPOUND and len(name) > 2:
        assert kept == name[:2]


@given(mobiles)
def test_phone_masks_keep_exactly_the_stated_ends(mobile: str) -> None:
    assert mask_phone(mobile) == mobile[:3] + "****" + mobile[-4:]
    wb = waybill_phone(mobile)
    assert wb == mobile[:3] + "******" + mobile[-2:] == waybill_phone(mobile)
    assert wb.count("*") >= 6 and re.sub(r"\D", "", wb) == mobile[:3] + mobile[-2:]
    spaced = f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    assert (mask_phone(spaced), waybill_phone(spaced)) == (mask_phone(mobile), wb)


@given(st.text(max_size=20))
def test_phone_masks_never_show_more_than_their_ends(value: str) -> None:
    for masked, shown in ((mask_phone(value), 7), (waybill_phone(value), 5)):
        assert len(masked) == 11
        assert len(re.sub(r"\D", "", masked)) in (0, shown)


# Waybill masks.


@pytest.mark.parametrize(
    "detail, masked",
    [
        (
            "文一西路969号阿里巴巴西溪园区3号楼2单元501室",
            "文一西路969号阿里巴巴西溪园区*号楼*单元***室",
        ),
        ("淮海中路1234弄5号601室", "淮海中路1234弄*号***室"),
        ("建国路8号院3号楼", "建国路8号院*号楼"),
        ("中关村大街27号中关村大厦10层1001", "中关村大街27号中关村大厦**层****"),
        ("幸福家园三栋二单元302", "幸福家园*栋*单元***"),
        ("望京SOHO现代城A座1001室", "望京SOHO现代城*座****室"),
        ("阳光小区B12-501", "阳光小区****"),
        ("阳光小区东楼", "阳光小区*楼"),
        ("人民路8号", "人民路8号"),
        ("人民路旁边那家小卖部", "人民路****"),
        ("老王家", "****"),
        ("3号楼501室(人民路口)", "*号楼***室******"),
    ],
)
def test_waybill_detail_examples(detail: str, masked: str) -> None:
    assert mask_detail(detail) == masked
    a = Address("浙江省", "杭州市", "西湖区", detail)
    assert waybill_address(a) == "浙江省杭州市西湖区" + masked


@given(addresses())
def test_waybill_address_shows_the_street_and_hides_every_number_after_it(
    case: tuple[Address, str],
) -> None:
    address, street = case
    masked = waybill_address(address)
    assert masked == waybill_address(address)
    head = _region(address) + street
    assert masked.startswith(head)
    tail = masked[len(head) :]
    assert tail and "*" in tail
    assert not re.search(r"[0-9A-Za-z]", tail)
    assert set(tail) <= set("*号楼单元栋幢座层室户")
    assert mask_address(address) == _region(address) + "****"


DOOR = re.compile(r"(?<=[路街道巷同])\d+(?:-\d+)?(?:号|弄)")
detail_chars = st.one_of(
    st.sampled_from(list("0123456789ABab-一二三十号楼栋幢座单元层室户区门期路街道巷弄小区园苑村 ")),
    given_chars,
)


@given(st.text(detail_chars, min_size=1, max_size=40))
def test_no_digit_survives_on_a_waybill_but_a_door_number(detail: str) -> None:
    masked = mask_detail(detail)
    assert masked == mask_detail(detail)
    assert not re.search(r"\d", DOOR.sub("", masked))
    # What is shown is the detail's own beginning; the rest is stars and building words.
    shown = masked.split("*", 1)[0]
    assume(shown != masked)
    assert detail.startswith(shown.rstrip("号楼单元栋幢座层室户区门期 "))
