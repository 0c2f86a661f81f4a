"""Personal-data detection by validators, not bare digit patterns.

A phone is a mainland mobile number (1[3-9] + 9 digits, optional +86/0086/86 and separators);
an ID is 18 characters with a valid birth date and GB 11643 check character; a bank card is
16-19 digits with a card-like prefix that passes Luhn. Digit runs glued to longer runs or to
Latin letters (waybill SF1402938475612, order numbers, timestamps) and numbers introduced as
order / waybill / transaction numbers are not personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class PiiType(StrEnum):
    PHONE = "phone"
    ID_CARD = "id_card"
    BANK_CARD = "bank_card"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class Entity:
    """One personal-data value found in a text: [start, end) in code points, end exclusive."""

    type: PiiType
    start: int
    end: int
    text: str

    @property
    def masked(self) -> str:
        return mask(self.type, self.text)


_SEP = r"[ \-\u00a0]"
# No digit, Latin letter or '*' (an existing mask) may touch a number on either side.
_LEFT = r"(?<![0-9A-Za-z*])"
_RIGHT = r"(?![0-9A-Za-z*])"
_PHONE = re.compile(
    _LEFT
    # 11 digits; evaders and people group them any way (138 1234 5678, 151 046 88880)
    + rf"(?:(?:\+|00)?86{_SEP}?)?1[3-9]\d(?:{_SEP}?\d){{8}}"
    + r"(?![0-9A-Za-z*]|[ \-]\d)"
)
_ID = re.compile(_LEFT + r"\d{6}[ ]?\d{8}[ ]?\d{3}[\dXx]" + _RIGHT)
_CARD = re.compile(
    _LEFT + rf"[3-6]\d{{3}}(?:{_SEP}?\d{{4}}){{2}}{_SEP}?\d{{4,7}}(?:{_SEP}\d{{1,3}})?" + _RIGHT
)
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9])?@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])",
    re.ASCII,
)
# A number introduced as one of these is a reference, not personal data.
_REFERENCE = re.compile(
    r"(?:订单|单号|运单|快递|物流|编号|流水|交易号|交易单|批次|条码|货号|型号|序列号|sku|order\s*no|order|tracking\s*no|tracking)"
    r"[^\u4e00-\u9fff0-9A-Za-z]{0,3}(?:号|编号|码)?[:：#\s]{0,3}$",
    re.IGNORECASE,
)
_NUMBER_RUN = re.compile(r"\d(?:[ \-\u00a0]?\d){10}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def valid_id_card(value: str) -> bool:
    """18 characters, a real birth date and a matching check character."""
    s = value.replace(" ", "")
    if len(s) != 18 or not s[:17].isdigit() or s[0] == "0":
        return False
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2099:
        return False
    return id_check_char(s[:17]) == s[17].upper()


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used by payment cards."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def valid_bank_card(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return 16 <= len(digits) <= 19 and digits[0] in "3456" and luhn_ok(digits)


def _is_reference(text: str, start: int) -> bool:
    return _REFERENCE.search(text[max(0, start - 12) : start]) is not None


# Full-width digits and signs are folded to ASCII (same length, so offsets stay exact).
_WIDE = str.maketrans("０１２３４５６７８９＋－　Ｘｘ", "0123456789+- Xx")
_HAS_WIDE = re.compile("[０-９＋－　Ｘｘ]")
# Numbers read out in a live stream (幺三八，一二三四…): digit words become digits and the
# pauses between groups spaces, character for character, when a text has enough of them.
_SPOKEN = str.maketrans("零〇幺一二两三四五六七八九，、", "0011223456789  ")
_SPOKEN_DIGITS = re.compile("[零〇幺一二两三四五六七八九]")


def _spoken_as_digits(text: str) -> str:
    """Runs of at least 11 digit words (with pauses) rewritten as ASCII digits; same length."""

    def rewrite(m: re.Match[str]) -> str:
        run = m.group()
        return run.translate(_SPOKEN) if len(_SPOKEN_DIGITS.findall(run)) >= 11 else run

    return _SPOKEN_RUN.sub(rewrite, text)


_SPOKEN_RUN = re.compile("[零〇幺一二两三四五六七八九](?:[，、 ]?[零〇幺一二两三四五六七八九])+")


def find_pii(text: str) -> list[Entity]:
    """Every phone, ID, bank card and e-mail in `text`, sorted by position, never overlapping."""
    original = text
    if _HAS_WIDE.search(text) is not None:
        text = text.translate(_WIDE)
    if len(_SPOKEN_DIGITS.findall(text)) >= 11:
        text = _spoken_as_digits(text)
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(kind: PiiType, s: int, e: int) -> None:
        found.append(Entity(kind, s, e, original[s:e]))
        taken.append((s, e))

    if "@" in text:
        for m in _EMAIL.finditer(text):
            add(PiiType.EMAIL, m.start(), m.end())
    # Cheap guard: every number type holds a run of at least 11 digits (separators allowed).
    if _NUMBER_RUN.search(text) is None:
        return sorted(found, key=lambda e: e.start)
    for m in _ID.finditer(text):
        if valid_id_card(m.group()) and free(*m.span()) and not _is_reference(text, m.start()):
            add(PiiType.ID_CARD, m.start(), m.end())
    for m in _CARD.finditer(text):
        if valid_bank_card(m.group()) and free(*m.span()) and not _is_reference(text, m.start()):
            add(PiiType.BANK_CARD, m.start(), m.end())
    for m in _PHONE.finditer(text):
        if free(*m.span()) and not _is_reference(text, m.start()):
            add(PiiType.PHONE, m.start(), m.end())
    return sorted(found, key=lambda e: e.start)


def _keep_ends(digits: str, head: int, tail: int) -> str:
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[-tail:]


def mask(kind: PiiType | str, value: str) -> str:
    """The DESIGN.md mask for one value: separators and country prefixes are dropped."""
    kind = PiiType(kind)
    if kind is PiiType.EMAIL:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    chars = re.sub(r"[^0-9Xx]", "", _spoken_as_digits(value.translate(_WIDE)))
    if kind is PiiType.PHONE:
        national = chars[-11:]
        return _keep_ends(national, 3, 4)
    if kind is PiiType.ID_CARD:
        return _keep_ends(chars.upper(), 3, 4)
    return _keep_ends(chars, 6, 4)


def mask_text(text: str, entities: list[Entity] | None = None) -> str:
    """`text` with every personal-data value replaced by its mask."""
    ents = find_pii(text) if entities is None else entities
    if not ents:
        return text
    out: list[str] = []
    pos = 0
    for e in ents:
        out.append(text[pos : e.start])
        out.append(e.masked)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def masked(value: Any) -> Any:
    """`value` (text, or JSON built of it) with the personal data in its text masked: what a
    person writes about a case (evidence, reasons) is stored and shown without it."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    return value
