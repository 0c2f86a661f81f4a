"""The ledger in the real database, driven by hypothesis's stateful testing: whatever sequence of
violations, held findings, reviews, appeals and passing time, standing is always the function
of the ledger that replaying the violations in force from empty gives; points never go below
zero; an upheld appeal leaves exactly the standing of a world without that violation; and a
bulk import gives the same ledger as one call per violation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from shopguard.enforcement import appeals, store, subjects, violations
from shopguard.enforcement import ledger as arithmetic
from shopguard.enforcement.batch import apply_lines
from shopguard.enforcement.model import SubjectType, load_enforcement
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database
from shopguard.platform.errors import InvalidInput
from tests.conftest import PACK, PG_URL

POLICY = load_enforcement(PACK)
CODES = ["ad.absolute_term", "claim.medical", "goods.prohibited", "service.late_shipment"]
SUBJECTS = {"m1": "merchant", "c1": "creator"}


def _key(standing: arithmetic.Standing) -> list[tuple[str, str]]:
    return sorted(
        (s.sanction.value, s.until.isoformat() if s.until else "") for s in standing.sanctions
    )


class LedgerMachine(RuleBasedStateMachine):
    database: Database
    runs = count()

    @initialize()
    def start(self) -> None:
        # One database for the whole test; each example works on subjects of its own.
        self.db = self.database
        self.clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
        self.run = next(self.runs)
        self.ids = {f"{s}-{self.run}": kind for s, kind in SUBJECTS.items()}
        for sid, kind in self.ids.items():
            subjects.register_subject(
                self.db, sid, type=kind, name=sid, clock=self.clock, actor="t"
            )
        self.applied: list[tuple[str, int]] = []

    @rule(
        which=st.sampled_from(sorted(SUBJECTS)),
        code=st.sampled_from(CODES),
        severity=st.sampled_from(["general", "serious", "egregious"]),
        hours=st.integers(0, 24 * 20),
    )
    def violation(self, which: str, code: str, severity: str, hours: int) -> None:
        subject = f"{which}-{self.run}"
        self.clock.advance(timedelta(hours=hours))
        applied = violations.apply_violation(
            self.db, subject, code=code, severity=severity, source="automatic", policy=POLICY,
            clock=self.clock, actor="screening",
        )  # fmt: skip
        self.applied.append((subject, applied.violation_id))

    @precondition(lambda self: bool(self.applied))
    @rule(pick=st.integers(0, 10_000), uphold=st.booleans())
    def appeal(self, pick: int, uphold: bool) -> None:
        subject, vid = self.applied[pick % len(self.applied)]
        try:
            appeal_id = appeals.file_appeal(
                self.db, violation_id=vid, subject=subject, reason="not us", clock=self.clock,
                actor=subject,
            )  # fmt: skip
        except Exception:  # noqa: BLE001 - closed window, not in force, or already appealed
            return
        before = self._expected_without(subject, vid)
        appeals.decide_appeal(
            self.db, appeal_id, uphold=uphold, reason="checked", policy=POLICY, clock=self.clock,
            actor="second-reviewer",
        )  # fmt: skip
        if uphold:
            after = self._standing(subject)
            assert (after.points, _key(after)) == (before.points, _key(before))

    @rule()
    def review_one(self) -> None:
        from shopguard.enforcement import review

        for who in ("ann", "bob"):
            got = review.claim(self.db, reviewer=who, why=None, policy=POLICY, clock=self.clock)
            if got is not None:
                review.decide(
                    self.db, got["id"], outcome="confirm", reason="seen", reviewer=who,
                    policy=POLICY, clock=self.clock,
                )  # fmt: skip

    @rule(days=st.integers(1, 400))
    def time_passes(self, days: int) -> None:
        self.clock.advance(timedelta(days=days))

    def _standing(self, subject: str) -> arithmetic.Standing:
        return subjects.get_standing(self.db, subject, policy=POLICY, clock=self.clock)

    def _expected_without(self, subject: str, skip: int | None) -> arithmetic.Standing:
        with self.db.engine.connect() as conn:
            charges = [c for c in store.charges_in_force(conn, subject) if c.violation != skip]
        replayed = arithmetic.replay(
            charges, subject=subject, subject_type=SubjectType(self.ids[subject]), policy=POLICY
        )
        return arithmetic.standing(replayed, now=self.clock.now(), policy=POLICY)

    @invariant()
    def standing_is_what_the_violations_in_force_imply(self) -> None:
        if not hasattr(self, "db"):
            return
        for subject in self.ids:
            now = self._standing(subject)
            assert all(p >= 0 for p in now.points.values())
            expected = self._expected_without(subject, None)
            assert now.points == expected.points
            assert _key(now) == _key(expected)


@pytest.mark.parametrize("examples", [20 if PG_URL else 40])
def test_ledger_state_machine(db: Database, examples: int) -> None:
    LedgerMachine.database = db
    LedgerMachine.TestCase.settings = settings(
        max_examples=examples,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    LedgerMachine.TestCase().runTest()


def test_a_bulk_import_gives_the_ledger_of_one_call_per_violation(
    db: Database, clock: FixedClock
) -> None:
    start = clock.now()
    for sid in ("a", "b"):
        for twin in ("", "-twin"):
            subjects.register_subject(
                db, sid + twin, type="merchant", name=sid, clock=clock, actor="t"
            )
    rows = [
        {
            "subject": "ab"[i % 2],
            "code": CODES[i % 3],
            "severity": ["general", "serious"][i % 2],
            "at": (start + timedelta(days=i)).isoformat(),
        }  # fmt: skip
        for i in range(40)
    ]
    result = apply_lines(
        db, [orjson.dumps(r) for r in rows], policy=POLICY, clock=clock, actor="import", chunk=7
    )
    assert result.violations == 40
    for i, r in enumerate(rows):
        clock._now = start + timedelta(days=i)  # noqa: SLF001 - replay at the row's own time
        violations.apply_violation(
            db, r["subject"] + "-twin", code=r["code"], severity=r["severity"],
            source="reviewer", policy=POLICY, clock=clock, actor="t",
        )  # fmt: skip
    for sid in ("a", "b"):
        bulk = subjects.get_standing(db, sid, policy=POLICY, clock=clock)
        single = subjects.get_standing(db, sid + "-twin", policy=POLICY, clock=clock)
        assert bulk.points == single.points
        assert [(s.sanction, s.until) for s in bulk.sanctions] == [
            (s.sanction, s.until) for s in single.sanctions
        ]


def test_a_bad_line_anywhere_applies_nothing(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    subjects.register_subject(db, "a", type="merchant", name="a", clock=clock, actor="t")
    good = orjson.dumps({"subject": "a", "code": "claim.medical", "severity": "serious"})
    lines = [good] * 5 + [b'{"subject": "a", "code": "claim.medical", "severity": "awful"}']
    with pytest.raises(InvalidInput) as caught:
        apply_lines(db, lines, policy=POLICY, clock=clock, actor="import", chunk=2)
    assert caught.value.detail.startswith("line 6: severity:")
    with pytest.raises(InvalidInput) as caught:
        apply_lines(db, [good, b'{"subject": "ghost", "code": "claim.medical", '
                     b'"severity": "general"}'], policy=POLICY, clock=clock, actor="i")  # fmt: skip
    assert caught.value.detail.startswith("line 2: subject:")
    with pytest.raises(InvalidInput):
        apply_lines(db, [good, b"not json"], policy=POLICY, clock=clock, actor="i")
    assert subjects.list_violations(db, "a") == []
    assert subjects.get_standing(db, "a", policy=POLICY, clock=clock).points == {}
