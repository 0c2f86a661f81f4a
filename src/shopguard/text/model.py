"""Screening's plain data: items, violations, decisions and their enumerations (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    LISTING = "listing"
    CONTENT = "content"
    MESSAGE = "message"


class Category(StrEnum):
    COSMETICS = "cosmetics"
    FOOD = "food"
    FRESH_PRODUCE = "fresh_produce"
    SUPPLEMENTS = "supplements"
    APPAREL = "apparel"
    FOOTWEAR = "footwear"
    LUXURY = "luxury"
    ELECTRONICS = "electronics"
    HOME = "home"
    BABY = "baby"
    DRUGS = "drugs"
    MEDICAL_DEVICES = "medical_devices"
    OTHER = "other"


class Action(StrEnum):
    """What happens to an item; ordered allow < review < block."""

    ALLOW = "allow"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _ACTION_RANK[self]


_ACTION_RANK = {Action.ALLOW: 0, Action.REVIEW: 1, Action.BLOCK: 2}


class Severity(StrEnum):
    GENERAL = "general"  # 一般
    SERIOUS = "serious"  # 严重
    EGREGIOUS = "egregious"  # 特别严重


class Code(StrEnum):
    """The eight text-screening violation codes of DESIGN.md."""

    AD_ABSOLUTE_TERM = "ad.absolute_term"
    CLAIM_MEDICAL = "claim.medical"
    CLAIM_EFFICACY_GUARANTEE = "claim.efficacy_guarantee"
    MARKETING_SOB_STORY = "marketing.sob_story"
    DIVERSION_OFF_PLATFORM = "diversion.off_platform"
    PII_EXPOSURE = "pii.exposure"
    IP_COUNTERFEIT_SIGNAL = "ip.counterfeit_signal"
    GOODS_PROHIBITED = "goods.prohibited"


# Text fields screened, in the order evidence is reported.
TEXT_FIELDS = ("title", "text")


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to screen: a listing, a piece of content (caption, transcript) or a message."""

    id: str
    kind: Kind
    text: str
    title: str | None = None
    category: Category | None = None
    price: float | None = None
    brand: str | None = None

    def fields(self) -> list[tuple[str, str]]:
        """(field name, value) for every text field that is present and non-empty."""
        return [
            (name, value) for name, value in (("title", self.title), ("text", self.text)) if value
        ]

    def as_cel(self) -> dict[str, Any]:
        """The item as CEL sees it: absent fields are absent (test them with has())."""
        out: dict[str, Any] = {"id": self.id, "kind": self.kind.value, "text": self.text}
        if self.title is not None:
            out["title"] = self.title
        if self.category is not None:
            out["category"] = self.category.value
        if self.price is not None:
            out["price"] = float(self.price)
        if self.brand is not None:
            out["brand"] = self.brand
        return out


@dataclass(frozen=True, slots=True)
class Violation:
    """Evidence for one finding: which rule matched what, where (original offsets, end exclusive)."""

    code: str
    field: str
    start: int
    end: int
    match: str
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "match": self.match,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome for one item: the strongest rule action, its evidence and the policy version."""

    id: str
    action: Action
    violations: tuple[Violation, ...] = field(default_factory=tuple)
    policy_version: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action.value,
            "violations": [v.as_dict() for v in self.violations],
            "policy_version": self.policy_version,
        }

    @property
    def codes(self) -> set[str]:
        return {v.code for v in self.violations}
