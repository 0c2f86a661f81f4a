"""Factories for test items (not copy-pasted dicts)."""

from __future__ import annotations

from itertools import count
from typing import Any

from shopguard.text.pii import id_check_char

_ids = count(1)


def item(text: str, *, kind: str = "listing", **fields: Any) -> dict[str, Any]:
    """An input object as the CLI and HTTP take it."""
    out: dict[str, Any] = {"id": f"t-{next(_ids)}", "kind": kind, "text": text}
    if kind == "listing":
        out.setdefault("category", "other")
    out.update(fields)
    return out


def id_number(first17: str = "11010519491231002") -> str:
    """A resident ID number with a valid GB 11643 check character."""
    return first17 + id_check_char(first17)


def luhn_card(prefix: str = "622202123456789012") -> str:
    """`prefix` plus the Luhn check digit."""
    from shopguard.text.pii import luhn_ok

    for d in "0123456789":
        if luhn_ok(prefix + d):
            return prefix + d
    raise AssertionError("unreachable")
