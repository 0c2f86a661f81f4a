"""Ledger invariants (hypothesis): standing is a function of the entries; reversals restore it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shopguard.enforcement.ledger import entries_for_violation, standing
from shopguard.enforcement.model import Entry, SubjectType, load_enforcement
from shopguard.screening.model import Severity
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
