"""Enforcement's plain data and its policy (points, caps, ladders), validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from shopguard.platform.errors import PolicyError
from shopguard.platform.policy_files import load_model
from shopguard.text.model import Severity


class SubjectType(StrEnum):
    MERCHANT = "merchant"
    CREATOR = "creator"


class Sanction(StrEnum):
    WARNING = "warning"
    LISTING_RESTRICTION = "listing_restriction"
    TRAFFIC_DOWNRANK = "traffic_downrank"
    SUSPENSION = "suspension"
    SELLING_REVOKED = "selling_revoked"
    CLEAR_OUT = "clear_out"


# Sanctions that stop an item from being published while in force.
BLOCKING = {Sanction.SUSPENSION, Sanction.SELLING_REVOKED, Sanction.CLEAR_OUT}


def track_of(severity: Severity) -> str:
    """Egregious violations count on their own track; the others share the general one."""
    return "egregious" if severity is Severity.EGREGIOUS else "general"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    at: int = Field(gt=0)
    sanction: Sanction
    days: int | None = Field(default=None, gt=0)  # None: for good (or instant, for a warning)


class Cap(_Strict):
    each: int = Field(ge=0)
    max: int = Field(ge=0)
    days: int = Field(gt=0)


class QaSample(_Strict):
    rate: float = Field(ge=0, le=1)  # share of a day's automatic decisions sampled
    min: int = Field(default=0, ge=0)  # ... but at least this many (when there are that many)
    max: int = Field(default=1000, ge=0)


class Review(_Strict):
    lease_minutes: int = Field(default=15, gt=0)
    sla_hours: int = Field(default=24, gt=0)  # a queued item should be decided within this
    second_reviewer: list[Severity] = Field(default_factory=lambda: [Severity.EGREGIOUS])
    # Violations held for a human before they count: these severities, and blocks that only
    # lower-confidence rules found.
    hold_severities: list[Severity] = Field(default_factory=lambda: [Severity.EGREGIOUS])
    low_confidence_rules: list[str] = Field(default_factory=list)
    qa_sample: QaSample = QaSample(rate=0.01, min=20, max=500)


class EnforcementPolicy(_Strict):
    window_days: int = Field(gt=0)
    points: dict[str, dict[Severity, int]]
    caps: dict[str, Cap] = Field(default_factory=dict)
    ladders: dict[SubjectType, dict[str, list[Step]]]
    review: Review = Review()

    def points_for(self, code: str, severity: Severity) -> int:
        table = self.points.get(code) or self.points.get("default") or {}
        return int(table.get(severity, 0))


def load_enforcement(folder: Path | str) -> EnforcementPolicy:
    """The pack's enforcement.yaml, validated (errors name the file and field)."""
    path = Path(folder) / "enforcement.yaml"
    policy = load_model(path, EnforcementPolicy)
    for subject, tracks in policy.ladders.items():
        for track, steps in tracks.items():
            if [s.at for s in steps] != sorted({s.at for s in steps}):
                raise PolicyError(f"{path}: ladders.{subject}.{track}: thresholds must rise")
    return policy


@dataclass(frozen=True)
class Entry:
    """One ledger entry. `kind` is points, sanction or reversal (which cancels `ref`)."""

    id: int
    subject: str
    kind: str
    at: datetime
    track: str = ""
    points: int = 0
    code: str = ""
    sanction: str = ""
    until: datetime | None = None
    ref: int | None = None  # the entry a reversal cancels
    violation: int | None = None


@dataclass(frozen=True)
class SanctionInForce:
    entry: int
    sanction: Sanction
    since: datetime
    until: datetime | None


@dataclass(frozen=True)
class Standing:
    """A subject's standing at one instant, derived from its ledger."""

    points: dict[str, int]
    sanctions: tuple[SanctionInForce, ...]

    @property
    def blocked(self) -> bool:
        return any(s.sanction in BLOCKING for s in self.sanctions)
