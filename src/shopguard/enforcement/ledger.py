"""Ledger arithmetic (pure): standing from entries, and the entries a new violation adds."""

from __future__ import annotations

from collections import deque
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
from shopguard.text.model import Severity


def _live(entries: Iterable[Entry]) -> list[Entry]:
    entries = entries if isinstance(entries, list) else list(entries)
    reversed_ids = {e.ref for e in entries if e.kind == "reversal"}
    if not reversed_ids:
        return entries
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


@dataclass(frozen=True)
class Charge:
    """A violation as the ledger sees it: what it was, how bad, and when it took effect."""

    violation: int
    code: str
    severity: Severity
    at: datetime


def replay(
    charges: Iterable[Charge], *, subject: str, subject_type: SubjectType, policy: EnforcementPolicy
) -> list[Entry]:
    """The ledger a subject would have if exactly these violations had happened (synthetic ids).

    Used to answer "what would standing be without that violation?" and to check that the
    stored ledger is always what its violations imply.
    """
    out: list[Entry] = []
    for c in sorted(charges, key=lambda c: (c.at, c.violation)):
        for n in entries_for_violation(
            out, subject_type=subject_type, code=c.code, severity=c.severity, now=c.at,
            policy=policy,
        ):  # fmt: skip
            out.append(
                Entry(
                    id=len(out) + 1,
                    subject=subject,
                    kind=n.kind,
                    at=c.at,
                    track=n.track,
                    points=n.points,
                    code=c.code,
                    sanction=n.sanction,
                    until=n.until,
                    violation=c.violation,
                )  # fmt: skip
            )
    return out


def _key(e: Entry) -> tuple[object, ...]:
    return (e.violation, e.kind, e.track, e.points, e.code, e.sanction, e.until, e.at)


def reconcile(
    stored: Iterable[Entry], expected: Iterable[Entry]
) -> tuple[list[Entry], list[Entry]]:
    """What turns the stored ledger into the expected one: (entries to reverse, entries to add).

    Entries compare by content, not id. A sanction once reversed for a violation (an upheld
    appeal against that sanction) is never issued again for it.
    """
    stored = list(stored)
    live = _live(stored)
    reversed_ids = {e.ref for e in stored if e.kind == "reversal"}
    waived = {
        (e.violation, e.sanction) for e in stored if e.id in reversed_ids and e.kind == "sanction"
    }
    pool: dict[tuple[object, ...], list[Entry]] = {}
    for e in live:
        pool.setdefault(_key(e), []).append(e)
    to_add: list[Entry] = []
    for e in expected:
        same = pool.get(_key(e))
        if same:
            same.pop()
        elif not (e.kind == "sanction" and (e.violation, e.sanction) in waived):
            to_add.append(e)
    to_reverse = sorted((e for group in pool.values() for e in group), key=lambda e: e.id)
    return to_reverse, to_add


class Running:
    """A subject's points in sliding windows, kept up to date as violations are appended in
    time order: what `entries_for_violation` computes by scanning the whole history, in
    constant time per violation. Batches use it; the plain function stays the reference."""

    def __init__(
        self, entries: Iterable[Entry], *, subject_type: SubjectType, policy: EnforcementPolicy
    ) -> None:
        self.subject_type = subject_type
        self.policy = policy
        self.tracks: dict[str, deque[tuple[datetime, int]]] = {}
        self.sums: dict[str, int] = {}
        self.capped: dict[tuple[str, str], deque[tuple[datetime, int]]] = {}
        self.capped_sums: dict[tuple[str, str], int] = {}
        points = [e for e in _live(list(entries)) if e.kind == "points"]
        for e in sorted(points, key=lambda e: e.at):
            self._push(e.track, e.code, e.at, e.points)

    def _push(self, track: str, code: str, at: datetime, points: int) -> None:
        self.tracks.setdefault(track, deque()).append((at, points))
        self.sums[track] = self.sums.get(track, 0) + points
        if code in self.policy.caps:
            key = (code, track)
            self.capped.setdefault(key, deque()).append((at, points))
            self.capped_sums[key] = self.capped_sums.get(key, 0) + points

    @staticmethod
    def _trim(window: deque[tuple[datetime, int]], since: datetime) -> int:
        dropped = 0
        while window and window[0][0] <= since:
            dropped += window.popleft()[1]
        return dropped

    def add(self, code: str, severity: Severity, now: datetime) -> list[NewEntry]:
        """The entries of a violation at `now` (not earlier than any before it)."""
        track = track_of(severity)
        points = self.policy.points_for(code, severity)
        cap = self.policy.caps.get(code)
        if cap is not None:
            key = (code, track)
            if key in self.capped:
                self.capped_sums[key] -= self._trim(
                    self.capped[key], now - timedelta(days=cap.days)
                )
            points = max(0, min(cap.each, cap.max - self.capped_sums.get(key, 0)))
        if track in self.tracks:
            since = now - timedelta(days=self.policy.window_days)
            self.sums[track] -= self._trim(self.tracks[track], since)
        before = self.sums.get(track, 0)
        out = [NewEntry("points", track=track, points=points, code=code)]
        after = before + points
        for step in self.policy.ladders.get(self.subject_type, {}).get(track, []):
            if before < step.at <= after:
                until = now + timedelta(days=step.days) if step.days else None
                out.append(
                    NewEntry("sanction", track=track, sanction=step.sanction.value, until=until)
                )
        self._push(track, code, now, points)
        return out
