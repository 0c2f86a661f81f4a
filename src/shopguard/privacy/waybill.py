"""The waybill (快递面单): the JSON a waybill API returns and its printable label.

Everything about the consignee on it is masked by GB/T 41833-2022 (`masks.waybill_*`), or the
phone replaced by a privacy number; the clear values never enter the document, so nothing
rendered from it can leak them. The label is a 100 mm x 150 mm page printed by WeasyPrint from
a Jinja2 template, in the CJK face of the yearly report, with a Code 128-B barcode drawn here
as inline SVG.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from shopguard.platform.fonts import font_stack
from shopguard.privacy.masks import (
    Consignee,
    mask_detail,
    normalise_phone,
    waybill_address,
    waybill_name,
    waybill_phone,
)
from shopguard.text.pii import mask_text

STANDARD = "GB/T 41833-2022"
PAGE_MM = (100, 150)


def waybill_document(
    *,
    waybill_no: str,
    order_id: int | str,
    merchant_name: str,
    consignee: Consignee,
    privacy_number: str | None,
    privacy_expires_at: datetime | None,
    product: str,
    created_at: datetime,
    sender: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The waybill as JSON data: the receiver masked (name, address; the phone as the privacy
    number when there is one, else masked), the sender, the product (any personal number in
    it masked) and a `masking` block saying what was hidden and by which standard."""
    digits = re.sub(r"\D", "", privacy_number or "")
    if privacy_number and consignee.phone in digits:
        raise ValueError("privacy_number: must be a virtual number, not the consignee's own")
    address = consignee.address
    masked_detail = mask_detail(address.detail)
    name = waybill_name(consignee.name)
    hidden = len(name) - len(name.rstrip("*"))
    return {
        "waybill_no": waybill_no,
        "order_id": order_id,
        "created_at": created_at.isoformat(),
        "merchant": mask_text(merchant_name),
        "sender": _sender(sender, merchant_name),
        "receiver": {
            "name": name,
            "phone": privacy_number or waybill_phone(consignee.phone),
            "phone_kind": "privacy_number" if privacy_number else "masked",
            "address": waybill_address(address),
            "region": {
                "province": address.province,
                "city": address.city,
                "district": address.district,
            },
        },
        "product": mask_text(product),
        "privacy_number": (
            {
                "number": privacy_number,
                "expires_at": privacy_expires_at.isoformat() if privacy_expires_at else None,
            }
            if privacy_number
            else None
        ),
        "masking": {
            "standard": STANDARD,
            "name": f"all but the surname ({hidden} of {len(name)} characters)",
            "phone": (
                "replaced by a privacy number"
                if privacy_number
                else "6 middle digits (first 3 and last 2 shown)"
            ),
            "address": (
                "building, unit, room and floor (province to street shown)"
                if masked_detail != address.detail
                else "nothing beyond the street was given"
            ),
        },
    }


def _sender(sender: Mapping[str, Any] | None, merchant_name: str) -> dict[str, str]:
    """The sender's name, phone and address as given (the shop's), a personal mobile number
    among them masked like the receiver's; the shop's name when nothing else is given."""
    out = {"name": merchant_name}
    for key in ("name", "phone", "address"):
        value = (sender or {}).get(key)
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    if "phone" in out and normalise_phone(out["phone"]) is not None:
        out["phone"] = waybill_phone(out["phone"])
    return out


# Code 128 (ISO/IEC 15417): bar and space widths in modules for symbol values 0 to 106.
_PATTERNS = (  # noqa: SIM905 - reads as a table
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 "
    "221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 "
    "221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 "
    "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 "
    "231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 "
    "231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 "
    "112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 "
    "111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 "
    "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 "
    "114131 311141 411131 211412 211214 211232 2331112"
).split()
START_B = 104
STOP = 106
QUIET_MODULES = 10


def code128_values(text: str) -> list[int]:
    """The Code 128-B symbols of `text`: Start B, one per character (ASCII code - 32), the
    checksum (start + sum of position x value, mod 103) and Stop. Printable ASCII only."""
    if not text or any(not 32 <= ord(ch) <= 126 for ch in text):
        raise ValueError("Code 128-B encodes 1 or more printable ASCII characters")
    data = [ord(ch) - 32 for ch in text]
    checksum = (START_B + sum(i * v for i, v in enumerate(data, start=1))) % 103
    return [START_B, *data, checksum, STOP]


def code128_widths(text: str) -> list[int]:
    """Alternating bar and space widths in modules, bar first, ending on the stop's bar."""
    return [int(w) for value in code128_values(text) for w in _PATTERNS[value]]


def code128_svg(text: str, *, width_mm: float = 86.0, height_mm: float = 15.0) -> str:
    """`text` as a Code 128-B barcode in an SVG element, quiet zones of 10 modules included,
    scaled to `width_mm` x `height_mm`."""
    widths = code128_widths(text)
    total = sum(widths) + 2 * QUIET_MODULES
    bars: list[str] = []
    x = QUIET_MODULES
    for i, w in enumerate(widths):
        if i % 2 == 0:
            bars.append(f'<rect x="{x}" y="0" width="{w}" height="60"/>')
        x += w
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="barcode" role="img" '
        f'width="{width_mm:g}mm" height="{height_mm:g}mm" viewBox="0 0 {total} 60" '
        f'preserveAspectRatio="none" shape-rendering="crispEdges">'
        f'<rect width="{total}" height="60" fill="#fff"/><g fill="#000">{"".join(bars)}</g></svg>'
    )


def render_html(document: Mapping[str, Any]) -> str:
    """The label as one self-contained HTML page (what `render_pdf` prints)."""
    privacy = document["privacy_number"]
    context = {
        "doc": document,
        "barcode": Markup(code128_svg(str(document["waybill_no"]))),  # noqa: S704 - numbers only
        "font": font_stack("zh"),
        "page_mm": PAGE_MM,
        "created": _when(document["created_at"]),
        "privacy_until": _when(privacy["expires_at"]) if privacy else None,
    }
    return _environment().get_template("waybill.html").render(context)


def render_pdf(document: Mapping[str, Any]) -> bytes:
    """The printable 100 mm x 150 mm shipping label of a `waybill_document`, as PDF."""
    # optional heavy dependency: loading Pango costs a moment the JSON answer need not pay.
    from weasyprint import HTML  # type: ignore[import-untyped]  # ships no type hints

    return bytes(HTML(string=render_html(document), base_url=None).write_pdf())


def _when(iso: str | None) -> str | None:
    """An ISO time as 2026-03-01 09:00 (its own zone), None kept."""
    return None if iso is None else f"{datetime.fromisoformat(iso):%Y-%m-%d %H:%M}"


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("shopguard.privacy", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
