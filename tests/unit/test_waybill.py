"""Waybills carry only masked consignee data, in JSON and on the printed label; Code 128 is right."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopguard.privacy.masks import Address, Consignee, parse_consignee
from shopguard.privacy.waybill import (
    _PATTERNS,
    STOP,
    code128_svg,
    code128_values,
    code128_widths,
    render_html,
    render_pdf,
    waybill_document,
)

CREATED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
EXPIRES = CREATED + timedelta(days=7)
CONSIGNEE = parse_consignee(
    {
        "name": "王小明",
        "phone": "+86 139-8765-4321",
        "address": {
            "province": "浙江省",
            "city": "杭州市",
            "district": "西湖区",
            "detail": "文一西路969号阿里巴巴西溪园区7号楼4单元1502室",
        },
    }
)
CLEAR = ["王小明", "13987654321", "7号楼", "4单元", "1502", CONSIGNEE.address.detail]


def _document(privacy_number: str | None = "17012345678-1234", **changes: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "waybill_no": "SG000000000042",
        "order_id": 42,
        "merchant_name": "小王的店",
        "consignee": CONSIGNEE,
        "privacy_number": privacy_number,
        "privacy_expires_at": EXPIRES if privacy_number else None,
        "product": "蓝牙耳机",
        "created_at": CREATED,
    }
    args.update(changes)
    return waybill_document(**args)


# Code 128.


def test_code128_table_is_the_standard_one() -> None:
    assert len(_PATTERNS) == 107 and len(set(_PATTERNS)) == 107
    assert all(len(p) == 6 and sum(map(int, p)) == 11 for p in _PATTERNS[:STOP])
    assert len(_PATTERNS[STOP]) == 7 and sum(map(int, _PATTERNS[STOP])) == 13


def test_code128_checksum_by_hand() -> None:
    # Start B 104; P J J 1 2 3 C are 48 42 42 17 18 19 35;
    # 104 + 1*48 + 2*42 + 3*42 + 4*17 + 5*18 + 6*19 + 7*35 = 879 = 8*103 + 55.
    assert code128_values("PJJ123C") == [104, 48, 42, 42, 17, 18, 19, 35, 55, 106]
    # "A": Start B (211214), A = 33 (111323), checksum (104 + 33) % 103 = 34 (131123), Stop.
    assert code128_values("A") == [104, 33, 34, 106]
    assert code128_widths("A") == [int(w) for w in "2112141113231311232331112"]


@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=30))
def test_code128_symbols_are_11_modules_and_the_stop_13(text: str) -> None:
    values = code128_values(text)
    assert values[0] == 104 and values[-1] == STOP and len(values) == len(text) + 3
    assert values[-2] == (104 + sum(i * (ord(c) - 32) for i, c in enumerate(text, 1))) % 103
    widths = code128_widths(text)
    assert len(widths) == 6 * (len(values) - 1) + 7  # bar first, ends on a bar
    assert sum(widths) == 11 * (len(text) + 2) + 13
    svg = code128_svg(text)
    assert svg.count('<rect x="') == 3 * (len(values) - 1) + 4


@pytest.mark.parametrize("text", ["", "运单", "SG\n1", "é"])
def test_code128_b_refuses_what_it_cannot_encode(text: str) -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        code128_values(text)


# The document.


def test_document_with_a_privacy_number() -> None:
    doc = _document()
    r = doc["receiver"]
    assert r["name"] == "王**"
    assert r["phone"] == "17012345678-1234" and r["phone_kind"] == "privacy_number"
    assert r["address"] == "浙江省杭州市西湖区文一西路969号阿里巴巴西溪园区*号楼*单元****室"
    assert doc["privacy_number"] == {
        "number": "17012345678-1234",
        "expires_at": "2026-03-08T09:00:00+00:00",
    }
    assert doc["masking"]["standard"] == "GB/T 41833-2022"
    assert doc["masking"]["phone"] == "replaced by a privacy number"
    assert (doc["waybill_no"], doc["order_id"], doc["product"]) == (
        "SG000000000042",
        42,
        "蓝牙耳机",
    )
    assert doc["created_at"] == "2026-03-01T09:00:00+00:00"
    assert doc["sender"] == {"name": "小王的店"}


def test_document_without_a_privacy_number_masks_the_phone() -> None:
    doc = _document(None)
    assert doc["receiver"]["phone"] == "139******21"
    assert doc["receiver"]["phone_kind"] == "masked"
    assert doc["privacy_number"] is None
    assert "6 middle digits" in doc["masking"]["phone"]


@pytest.mark.parametrize("privacy_number", ["17012345678-1234", None])
def test_document_holds_no_clear_consignee_data(privacy_number: str | None) -> None:
    text = json.dumps(_document(privacy_number), ensure_ascii=False)
    for clear in CLEAR:
        assert clear not in text


def test_personal_numbers_in_free_text_are_masked_and_a_personal_sender_phone_too() -> None:
    doc = _document(
        product="耳机 到了打13987654321",
        sender={"name": "小王", "phone": "13811112222", "address": "广东省深圳市南山区", "x": 1},
    )
    assert "13987654321" not in json.dumps(doc) and doc["product"] == "耳机 到了打139****4321"
    assert doc["sender"] == {
        "name": "小王",
        "phone": "138******22",
        "address": "广东省深圳市南山区",
    }
    shop = _document(sender={"phone": "400-820-8820"})["sender"]
    assert shop == {"name": "小王的店", "phone": "400-820-8820"}  # a shop's hotline stays


def test_the_real_phone_is_refused_as_a_privacy_number() -> None:
    with pytest.raises(ValueError, match="privacy_number"):
        _document("+86 13987654321")


names = st.builds(lambda s, g: s + g, st.sampled_from(list("张王李赵") + ["欧阳"]), st.text(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=3))  # fmt: skip


@given(
    names,
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.integers(1, 99),
    st.integers(1, 9),
    st.integers(101, 3299),
    st.booleans(),
)
def test_generated_consignees_never_reach_the_document_in_clear(
    name: str, phone: str, building: int, unit: int, room: int, with_number: bool
) -> None:
    detail = f"人民路{building}号楼{unit}单元{room}室"
    c = Consignee(name, phone, Address("四川省", "成都市", "武侯区", detail))
    doc = _document("17099999999-0001" if with_number else None, consignee=c)
    text = json.dumps(doc, ensure_ascii=False)
    assert name not in text and phone not in text and detail not in text
    assert str(room) not in doc["receiver"]["address"]
    assert (
        doc["receiver"]["address"]
        == f"四川省成都市武侯区人民路{'*' * len(str(building))}号楼*单元{'*' * len(str(room))}室"
    )


# The label.


def test_label_html_shows_the_masked_values_only() -> None:
    doc = _document()
    html = render_html(doc)
    for shown in ("王**", "17012345678-1234", doc["receiver"]["address"], "小王的店", "蓝牙耳机",
                  "SG000000000042", "2026-03-08 09:00", "2026-03-01 09:00", "GB/T 41833-2022"):  # fmt: skip
        assert shown in html
    for clear in CLEAR:
        assert clear not in html
    assert "size: 100mm 150mm" in html and "Noto Sans CJK SC" in html
    assert html.count("<svg") == 1 and "https://" not in html
    plain = render_html(_document(None))
    assert "139******21" in plain and "未使用" in plain


def test_label_html_escapes_what_it_is_given() -> None:
    html = render_html(_document(product="<script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(_document())


def _inflated(pdf: bytes) -> bytes:
    out = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        with contextlib.suppress(zlib.error):
            out.append(zlib.decompress(stream))
    return b"".join(out)


def test_label_pdf_is_one_100_by_150_mm_page(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    objects = _inflated(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", objects)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", objects)
    assert box is not None
    width, height = (float(v) * 25.4 / 72 for v in box.groups())
    assert (round(width), round(height)) == (100, 150)


def test_label_pdf_text_is_masked(pdf: bytes, tmp_path: Path) -> None:
    """Read back with pdftotext (poppler-utils, installed by `make report-deps`)."""
    path = tmp_path / "waybill.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    squeezed = re.sub(r"\s+", "", text)
    for shown in ("王**", "17012345678-1234", "SG000000000042", "*号楼*单元****室"):
        assert shown in squeezed
    for clear in CLEAR:
        assert clear not in squeezed


def test_label_pdf_uses_the_reports_cjk_font(pdf: bytes) -> None:
    assert b"Noto-Sans-CJK-SC" in _inflated(pdf)
