"""Ledger invariants (hypothesis): standing is a function of the entries; reversals restore it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shopguard.enforcement.ledger import Running, entries_for_violation, standing
from shopguard.enforcement.model import Entry, SubjectType, load_enforcement
from shopguard.text.model import Severity
from tests.conftest import PACK

POLICY = load_enforcement(PACK)
START = datetime(2026, 1, 1, tzinfo=UTC)
CODES = ["ad.absolute_term", "claim.medical", "goods.prohibited", "service.late_shipment"]

steps = st.lists(
    st.tuples(
        st.sampled_from(CODES),
        st.sampled_from(list(Severity)),
        st.integers(min_value=0, max_value=40),  # days since the previous event
        st.booleans(),  # reverse (appeal upheld) the points entry right away?
    ),
    max_size=30,
)


def replay(
    events: list[tuple[str, Severity, int, bool]], kind: SubjectType
) -> tuple[list[Entry], datetime]:
    """Apply events the way the service does, returning the ledger and the final time."""
    entries: list[Entry] = []
    now = START
    for code, severity, gap, reverse in events:
        now += timedelta(days=gap)
        added: list[Entry] = []
        for new in entries_for_violation(
            entries, subject_type=kind, code=code, severity=severity, now=now, policy=POLICY
        ):
            added.append(Entry(id=len(entries) + len(added) + 1, subject="s", kind=new.kind, at=now,
                               track=new.track, points=new.points, code=code, sanction=new.sanction,
                               until=new.until))  # fmt: skip
        entries.extend(added)
        if reverse:  # the appeal is upheld: compensating entries for exactly what was added
            for e in added:
                entries.append(
                    Entry(id=len(entries) + 1, subject="s", kind="reversal", at=now, ref=e.id)
                )
    return entries, now


@given(steps, st.sampled_from(list(SubjectType)))
def test_points_are_never_negative_and_standing_is_deterministic(events, kind) -> None:  # type: ignore[no-untyped-def]
    entries, now = replay(events, kind)
    first = standing(entries, now=now, policy=POLICY)
    assert all(p >= 0 for p in first.points.values())
    assert standing(list(entries), now=now, policy=POLICY) == first  # replay from the same log


@given(
    steps,
    st.sampled_from(CODES),
    st.sampled_from(list(Severity)),
    st.sampled_from(list(SubjectType)),
)
def test_an_upheld_appeal_restores_exactly_the_prior_standing(events, code, severity, kind) -> None:  # type: ignore[no-untyped-def]
    entries, now = replay(events, kind)
    before = standing(entries, now=now, policy=POLICY)
    appealed, _ = replay([*events, (code, severity, 0, True)], kind)
    assert standing(appealed, now=now, policy=POLICY) == before


def test_ladder_steps_fire_once_when_crossed() -> None:
    events = [("claim.medical", Severity.SERIOUS, 1, False)] * 4  # 6 points each
    entries, now = replay(events, SubjectType.MERCHANT)
    sanctions = [e.sanction for e in entries if e.kind == "sanction"]
    assert sanctions == ["warning", "listing_restriction"]  # at 12 and at 24 points
    assert standing(entries, now=now, policy=POLICY).points == {"general": 24}


def test_capped_codes_stop_adding_points() -> None:
    events = [("service.late_shipment", Severity.GENERAL, 1, False)] * 10
    entries, now = replay(events, SubjectType.MERCHANT)
    assert standing(entries, now=now, policy=POLICY).points == {"general": 6}


def test_points_leave_the_window() -> None:
    entries, now = replay([("claim.medical", Severity.SERIOUS, 0, False)], SubjectType.MERCHANT)
    assert standing(entries, now=now + timedelta(days=366), policy=POLICY).points == {}


@given(
    steps,
    st.lists(
        st.tuples(st.sampled_from(CODES), st.sampled_from(list(Severity)), st.integers(0, 40)),
        max_size=40,
    ),
    st.sampled_from(list(SubjectType)),
)
def test_the_running_window_gives_what_a_full_scan_gives(history, events, kind) -> None:  # type: ignore[no-untyped-def]
    """Batches plan with `Running` (constant time per violation); it must agree with the plain
    full-history function on every violation, whatever the history (reversals included)."""
    entries, now = replay(history, kind)
    running = Running(entries, subject_type=kind, policy=POLICY)
    for code, severity, gap in events:
        now += timedelta(days=gap)
        expected = entries_for_violation(
            entries, subject_type=kind, code=code, severity=severity, now=now, policy=POLICY
        )
        assert running.add(code, severity, now) == expected
        for new in expected:
            entries.append(Entry(id=len(entries) + 1, subject="s", kind=new.kind, at=now,
                                 track=new.track, points=new.points, code=code,
                                 sanction=new.sanction, until=new.until))  # fmt: skip


def test_the_running_window_drops_points_exactly_at_its_edge() -> None:
    start = START
    entries, _ = replay([("claim.medical", Severity.SERIOUS, 0, False)], SubjectType.MERCHANT)
    for days in (POLICY.window_days - 1, POLICY.window_days):
        running = Running(entries, subject_type=SubjectType.MERCHANT, policy=POLICY)
        at = start + timedelta(days=days)
        args = {"code": "claim.medical", "severity": Severity.SERIOUS}
        assert running.add(now=at, **args) == entries_for_violation(  # type: ignore[arg-type]
            entries,
            subject_type=SubjectType.MERCHANT,
            now=at,
            policy=POLICY,
            **args,  # type: ignore[arg-type]
        )
    late = [("service.late_shipment", Severity.GENERAL, 0, False)] * 6
    capped, _ = replay(late, SubjectType.MERCHANT)
    for days in (29, 30):
        running = Running(capped, subject_type=SubjectType.MERCHANT, policy=POLICY)
        at = start + timedelta(days=days)
        assert running.add("service.late_shipment", Severity.GENERAL, at) == entries_for_violation(
            capped, subject_type=SubjectType.MERCHANT, code="service.late_shipment",
            severity=Severity.GENERAL, now=at, policy=POLICY,
        )  # fmt: skip
