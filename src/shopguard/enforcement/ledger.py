"""Ledger arithmetic (pure): standing from entries, and the entries a new violation adds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shopguard.enforcement.model import (
    EnforcementPolicy,
    Entry,
    Sanction,
    SanctionInForce,
    Standing,
    SubjectType,
    track_of,
)
from shopguard.screening.model import Severity


def _live(entries: Iterable[Entry]) -> list[Entry]:
    entries = list(entries)
    reversed_ids = {e.ref for e in entries if e.kind == "reversal"}
    return [e for e in entries if e.kind != "reversal" and e.id not in reversed_ids]


def points_in_window(entries: Iterable[Entry], *, now: datetime, days: int) -> dict[str, int]:
    """Points per track from entries in (now - days, now], reversed entries excluded."""
    since = now - timedelta(days=days)
    out: dict[str, int] = {}
    for e in _live(entries):
        if e.kind == "points" and since < e.at <= now:
            out[e.track] = out.get(e.track, 0) + e.points
    return out


def standing(entries: Iterable[Entry], *, now: datetime, policy: EnforcementPolicy) -> Standing:
    """Points in the window and sanctions in force at `now`."""
    entries = list(entries)
    in_force = tuple(
        SanctionInForce(e.id, Sanction(e.sanction), e.at, e.until)
        for e in _live(entries)
        if e.kind == "sanction" and e.at <= now and (e.until is None or e.until > now)
        and e.sanction != Sanction.WARNING
    )  # fmt: skip
    return Standing(points_in_window(entries, now=now, days=policy.window_days), in_force)


@dataclass(frozen=True)
class NewEntry:
    """An entry to append (ids are given by the store)."""

    kind: str
    track: str = ""
    points: int = 0
    code: str = ""
    sanction: str = ""
    until: datetime | None = None


def entries_for_violation(
    history: Iterable[Entry],
    *,
    subject_type: SubjectType,
    code: str,
    severity: Severity,
    now: datetime,
    policy: EnforcementPolicy,
) -> list[NewEntry]:
    """The points entry for a new violation and any ladder steps it crosses."""
    history = list(history)
    track = track_of(severity)
    points = policy.points_for(code, severity)
    cap = policy.caps.get(code)
    if cap is not None:
        recent = points_in_window(
            [e for e in history if e.code == code], now=now, days=cap.days
        ).get(track, 0)
        points = max(0, min(cap.each, cap.max - recent))
    out = [NewEntry("points", track=track, points=points, code=code)]
    before = points_in_window(history, now=now, days=policy.window_days).get(track, 0)
    after = before + points
    for step in policy.ladders.get(subject_type, {}).get(track, []):
        if before < step.at <= after:
            until = now + timedelta(days=step.days) if step.days else None
            out.append(NewEntry("sanction", track=track, sanction=step.sanction.value, until=until))
    return out
