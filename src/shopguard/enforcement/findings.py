"""Findings: a violation to record, checked (severity, source, code) before anything is
written, and what recording it did. Also why a finding must wait for a reviewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform.errors import FieldError, InvalidInput
from shopguard.text.model import Code, Severity

SOURCES = ("automatic", "reviewer", "ip_complaint", "lab")


@dataclass(frozen=True)
class Finding:
    """A violation to record: who, what, how bad, where it came from and its evidence."""

    subject: str
    code: str
    severity: str
    source: str = "reviewer"
    item_id: str | None = None
    decision_id: int | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    at: datetime | None = None  # when it happened; now when not given
    low_confidence: bool = False  # found only by lower-confidence rules: a human confirms first


@dataclass(frozen=True)
class Applied:
    violation_id: int
    points: int
    sanctions: tuple[str, ...]
    state: str = "in_force"  # or pending: held in the review queue until a reviewer confirms
    review_item: int | None = None


def known_codes(policy: EnforcementPolicy) -> set[str]:
    return {c.value for c in Code} | set(policy.points) | set(policy.caps)


def check_finding(
    f: Finding, policy: EnforcementPolicy, *, line: int | None = None, known: set[str] | None = None
) -> Severity:
    """Validate one finding; errors name the field (and the line, in a batch)."""

    def bad(fieldname: str, message: str) -> InvalidInput:
        where = f"line {line}: " if line is not None else ""
        return InvalidInput(
            f"{where}{fieldname}: {message}", errors=[FieldError(fieldname, message, line)]
        )

    try:
        sev = Severity(f.severity)
    except ValueError:
        raise bad(
            "severity", f"expected general, serious or egregious, got {f.severity!r}"
        ) from None
    if f.source not in SOURCES:
        raise bad("source", f"expected one of {', '.join(SOURCES)}, got {f.source!r}")
    if f.code not in (known or known_codes(policy)):
        raise bad("code", f"unknown violation code {f.code!r}")
    return sev


def hold_reason(f: Finding, sev: Severity, policy: EnforcementPolicy) -> str | None:
    """Why a finding waits for a reviewer before it counts (None: it counts now)."""
    if sev in policy.review.hold_severities:
        return sev.value
    if f.low_confidence:
        return "low_confidence"
    return None
