"""The simulator and the report's figures on a tiny world: the same seed gives the same
figures (on SQLite and PostgreSQL alike), and every named metric equals a count made by hand
from the raw tables."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from shopguard.enforcement import store as es
from shopguard.enforcement.model import load_enforcement
from shopguard.platform import audit
from shopguard.platform.clock import aware
from shopguard.platform.db import Database
from shopguard.platform.errors import InvalidInput
from shopguard.platform.metrics import REGISTRY, Period, compute
from shopguard.privacy.keyring import new_keyring
from shopguard.privacy.model import load_privacy
from shopguard.reporting.figures import build
from shopguard.screening.store import decisions
from shopguard.simulation.driver import Summary, simulate
from shopguard.text.compiler import CompiledPolicy
from tests.conftest import PACK

ENFORCEMENT = load_enforcement(PACK)
RING = new_keyring()
YEAR = 2021


def _run(db: Database, policy: CompiledPolicy, year: int = YEAR, seed: int = 7) -> Summary:
    return simulate(
        db, year=year, scale="tiny", seed=seed, policy=policy, enforcement=ENFORCEMENT,
        ring=RING, privacy=load_privacy(PACK),
    )  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, policy: CompiledPolicy) -> Database:
    """One simulated tiny year on SQLite, shared by the read-only checks below."""
    path = tmp_path_factory.mktemp("sim") / "sg.db"
    db = Database.open(f"sqlite:///{path}")
    _run(db, policy)
    return db


def test_the_same_seed_gives_the_same_figures_on_either_database(
    db: Database, world: Database, policy: CompiledPolicy
) -> None:
    summary = _run(db, policy)  # the test database: SQLite, or PostgreSQL in the second pass
    assert summary.attempts > 1500
    assert summary.blocked > 0
    assert summary.reviews > 0
    period = Period.year(YEAR)
    with db.engine.connect() as a, world.engine.connect() as b:
        assert compute(a, period) == compute(b, period)
        assert audit.verify(a).ok


def test_a_year_is_simulated_once_and_bad_arguments_are_refused(
    world: Database, policy: CompiledPolicy
) -> None:
    with pytest.raises(InvalidInput):
        _run(world, policy)
    with pytest.raises(InvalidInput):
        simulate(world, year=YEAR + 1, scale="huge", seed=1, policy=policy,
                 enforcement=ENFORCEMENT, ring=RING, privacy=load_privacy(PACK))  # fmt: skip


def _rows(db: Database, table: Any) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


def _in_year(at: Any) -> bool:
    return aware(at) is not None and aware(at).year == YEAR  # type: ignore[union-attr]


def test_every_metric_matches_a_count_by_hand(world: Database) -> None:
    period = Period.year(YEAR)
    with world.engine.connect() as conn:
        got = {k: v["value"] for k, v in compute(conn, period).items()}
    assert set(got) == set(REGISTRY)
    ds = [d for d in _rows(world, decisions) if _in_year(d["created_at"])]
    subjects = {s["id"]: s for s in _rows(world, es.subjects)}
    vs = _rows(world, es.violations)
    led = _rows(world, es.ledger)
    undone = {e["ref"] for e in led if e["kind"] == "reversal"}
    live = [
        e for e in led
        if e["kind"] == "sanction" and e["sanction"] != "warning" and e["id"] not in undone
        and _in_year(e["at"])
    ]  # fmt: skip
    counted = [v for v in vs if v["state"] == "in_force" and _in_year(v["charged_at"])]

    assert got["screening.publish_attempts"] == {
        "screened": len(ds),
        "blocked": sum(d["action"] == "block" for d in ds),
        "held": sum(d["action"] == "review" for d in ds),
    }
    assert got["screening.by_kind"] == {
        k: {"screened": sum(d["kind"] == k for d in ds),
            "blocked": sum(d["kind"] == k and d["action"] == "block" for d in ds)}
        for k in ("listing", "content")
    }  # fmt: skip
    by_code: Counter[str] = Counter()
    for d in ds:
        if d["action"] == "block":
            by_code.update(set(d["codes"].split()))
    assert got["screening.blocked_by_code"] == dict(sorted(by_code.items()))
    months: dict[str, list[int]] = {}
    for d in ds:
        cell = months.setdefault(aware(d["created_at"]).strftime("%Y-%m"), [0, 0])  # type: ignore[union-attr]
        cell[0] += 1
        cell[1] += d["action"] == "block"
    assert got["screening.monthly"] == {
        m: {"screened": a, "blocked": b} for m, (a, b) in sorted(months.items())
    }

    penalised = {v["subject"] for v in counted}
    tiers: Counter[str] = Counter()
    for sid in penalised:
        if subjects[sid]["type"] == "creator":
            f = subjects[sid]["followers"]
            tiers[
                "1M+"
                if f >= 10**6
                else "100k-1M"
                if f >= 10**5
                else "10k-100k"
                if f >= 10**4
                else "<10k"
            ] += 1
    assert got["enforcement.subjects_penalised"] == {
        "merchants": sum(subjects[s]["type"] == "merchant" for s in penalised),
        "creators": sum(tiers.values()),
        "creators_by_followers": {t: tiers[t] for t in ("<10k", "10k-100k", "100k-1M", "1M+")},
    }
    assert got["enforcement.penalties"] == {
        t: sum(subjects[v["subject"]]["type"] == t for v in counted)
        for t in ("merchant", "creator")
    }
    assert got["enforcement.sanctions_by_kind"] == dict(
        sorted(Counter(e["sanction"] for e in live).items())
    )
    assert got["enforcement.permanent_revocations"] == len(
        {e["subject"] for e in live if e["sanction"] == "selling_revoked" and e["until"] is None}
    )
    assert got["enforcement.clear_outs"] == len(
        {e["subject"] for e in live if e["sanction"] == "clear_out"}
    )

    aps = [a for a in _rows(world, es.appeals) if _in_year(a["filed_at"])]
    answered = [a for a in aps if a["decided_at"] is not None]
    on_time = [a for a in answered if aware(a["decided_at"]) <= aware(a["due_at"])]  # type: ignore[operator]
    upheld = sum(a["state"] == "upheld" for a in aps)
    assert got["enforcement.appeals"] == {
        "filed": len(aps), "upheld": upheld, "rejected": sum(a["state"] == "rejected" for a in aps),
        "open": sum(a["state"] == "open" for a in aps),
        "upheld_rate": round(upheld / len(answered), 4) if answered else None,
        "answered_within_sla": round(len(on_time) / len(answered), 4) if answered else None,
    }  # fmt: skip

    items = [r for r in _rows(world, es.review_items) if _in_year(r["created_at"])]
    done = [r for r in items if r["decided_at"] is not None]
    hours = sorted(
        (aware(r["decided_at"]) - aware(r["created_at"])).total_seconds() / 3600  # type: ignore[operator]
        for r in done
    )
    mid = len(hours) // 2
    median = hours[mid] if len(hours) % 2 else (hours[mid - 1] + hours[mid]) / 2
    service = got["review.service_level"]
    assert service["queued"] == len(items)
    assert service["decided"] == len(done)
    assert service["by_reason"] == dict(sorted(Counter(r["why"] for r in items).items()))
    assert service["median_hours"] == round(median, 2)
    assert service["within_sla"] == round(
        sum(aware(r["decided_at"]) <= aware(r["due_at"]) for r in done) / len(done),
        4,  # type: ignore[operator]
    )

    by_id = {d["id"]: d for d in ds}
    finals: dict[int, str] = {}
    for r in sorted(_rows(world, es.review_decisions), key=lambda r: r["id"]):
        finals[r["item"]] = r["outcome"]
    qa = [
        (by_id[r["decision_id"]]["action"], finals[r["id"]])
        for r in items
        if r["why"] == "qa_sample" and r["state"] == "decided" and r["decision_id"] in by_id
    ]
    blocks = [o for a, o in qa if a == "block"]
    allows = [o for a, o in qa if a == "allow"]
    precision = got["review.automation_precision"]
    assert precision["sampled_blocks"] == len(blocks)
    assert precision["sampled_allows"] == len(allows)
    if blocks:
        assert precision["block_precision"] == round(
            sum(o != "overturn" for o in blocks) / len(blocks), 4
        )
    if allows:
        assert precision["miss_rate"] == round(sum(o == "change" for o in allows) / len(allows), 4)


def test_the_report_compares_with_the_year_before_and_scores_detection(
    world: Database, policy: CompiledPolicy
) -> None:
    with world.engine.connect() as conn:
        alone = build(conn, YEAR, policy_version=policy.version)
    assert alone["previous_year"] is None
    _run(world, policy, year=YEAR + 1)
    with world.engine.connect() as conn:
        report = build(conn, YEAR + 1, policy_version=policy.version)
        empty = build(conn, 1999, policy_version=policy.version)
    assert report["previous_year"] == YEAR
    assert not report["empty"]
    screened = report["figures"]["screening.publish_attempts.screened"]
    assert screened["previous"] == alone["figures"]["screening.publish_attempts.screened"]["value"]
    assert [p["measured"] for p in report["pillars"]] == [True, True, False, False, True]
    assert all(not p["figures"] for p in report["pillars"] if not p["measured"])
    scored = {r["code"]: r for r in report["detection"]}
    assert sum(r["tp"] + r["fn"] for r in scored.values()) > 0
    assert empty["empty"]
    assert empty["figures"]["screening.publish_attempts.screened"]["value"] == 0


def test_simulated_dates_stay_in_the_year(world: Database) -> None:
    ds = _rows(world, decisions)
    years = {aware(d["created_at"]).year for d in ds}  # type: ignore[union-attr]
    assert years <= {YEAR, YEAR + 1}
    assert min(aware(d["created_at"]) for d in ds) >= datetime(YEAR, 1, 1, tzinfo=UTC)  # type: ignore[type-var]


def test_a_busy_day_keeps_every_phase_in_order(
    tmp_path: Any, policy: CompiledPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A marketplace whose day spans several publish chunks and more reviews than fit end to end
    (as on `medium`) still writes every subject's ledger forward in time."""
    from shopguard.simulation import world as sim_world

    busy = sim_world.ScaleSpec(
        merchants=40, creators=20, attempts_per_day=40, reviews_per_day=120, chunk=9, qa_min=5
    )
    monkeypatch.setitem(sim_world.SCALES, "tiny", busy)
    db = Database.open(f"sqlite:///{tmp_path / 'sg.db'}")
    summary = _run(db, policy)
    assert summary.reviews > 0
    assert summary.appeals > 0

    def hours(conn: Any, column: Any) -> set[int]:
        return {aware(t).hour for t in conn.execute(select(column)).scalars() if t is not None}

    with db.engine.connect() as conn:  # each phase of the day within its own hours
        assert hours(conn, decisions.c.created_at) <= set(range(8, 12))
        assert hours(conn, es.review_decisions.c.at) <= set(range(13, 19))
        assert hours(conn, es.appeals.c.filed_at) <= set(range(20, 22))
        assert hours(conn, es.appeals.c.decided_at) <= {22}
