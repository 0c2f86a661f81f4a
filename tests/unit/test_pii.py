"""PII is found by validators, masked as DESIGN.md says, and near misses stay clean."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopguard.text.pii import PiiType, find_pii, luhn_ok, mask, mask_text, valid_id_card
from tests.support.factories import id_number, luhn_card


def _types(text: str) -> list[tuple[str, str]]:
    return [(e.type.value, e.text) for e in find_pii(text)]


@pytest.mark.parametrize(
    "text, found",
    [
        ("电话13812345678联系", [("phone", "13812345678")]),
        ("+86 138-1234-5678", [("phone", "+86 138-1234-5678")]),
        ("打 138 1234 5678 找我", [("phone", "138 1234 5678")]),
        ("0086-13912345678", [("phone", "0086-13912345678")]),
        ("邮箱 zhang.san@qq.com 谢谢", [("email", "zhang.san@qq.com")]),
    ],
)
def test_finds_personal_numbers(text: str, found: list[tuple[str, str]]) -> None:
    assert _types(text) == found


def test_id_card_needs_a_valid_checksum_and_date() -> None:
    good = id_number()
    assert _types(f"身份证{good}") == [("id_card", good)]
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert _types(f"身份证{bad_check}") == []
    assert not valid_id_card("110105194913310021")  # month 13


def test_bank_card_needs_luhn_and_a_card_prefix() -> None:
    card = luhn_card()
    spaced = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    assert _types(f"卡号{spaced}") == [("bank_card", spaced)]
    broken = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert _types(f"卡号{broken}") == []


@pytest.mark.parametrize(
    "text",
    [
        "订单号13812345678",
        "订单号：4598123376012345678",
        "顺丰 SF1402938475612",
        "时间20231105123045",
        "客服热线400-820-8820",
        "座机010-12345678",
        "编号12345678901",
        "138123456789012",
        "已脱敏 138****5678",
        "@小明 在吗",
    ],
)
def test_references_hotlines_and_timestamps_are_not_pii(text: str) -> None:
    assert find_pii(text) == []


def test_masks_follow_design() -> None:
    assert mask(PiiType.PHONE, "+86 138-1234-5678") == "138****5678"
    assert mask(PiiType.ID_CARD, "11010519491231002X") == "110***********002X"
    assert mask(PiiType.BANK_CARD, "6222 0212 3456 7890 128") == "622202*********0128"
    assert mask(PiiType.EMAIL, "zhang@example.com") == "z***@example.com"


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_phone_is_found_and_its_mask_hides_the_middle(phone: str) -> None:
    masked = mask_text(f"联系我{phone}谢谢")
    assert phone not in masked
    assert f"{phone[:3]}****{phone[-4:]}" in masked


@given(st.from_regex(r"6[0-9]{15,18}", fullmatch=True))
def test_no_mask_leaves_a_card_readable(digits: str) -> None:
    for entity in find_pii(f"卡 {digits} 收"):
        assert len(re.sub(r"\D", "", entity.masked)) <= 10
        if entity.type is PiiType.BANK_CARD:
            assert luhn_ok(re.sub(r"\D", "", entity.text))
        else:  # 18 digits can also be a valid resident ID
            assert entity.type is PiiType.ID_CARD
            assert valid_id_card(entity.text)
