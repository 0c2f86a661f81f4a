"""The audit chain: intact after real writes, broken by any edit or removal, never forked."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import delete, text, update

from shopguard.platform import audit, auth
from shopguard.platform.audit import audit_log
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database


def _fill(db: Database, clock: FixedClock, n: int = 6) -> None:
    for i in range(n):
        clock.advance(timedelta(minutes=1))
        with db.transaction() as conn:
            audit.append(
                conn,
                at=clock.now(),
                principal="reviewer-1",
                action="test.event",
                target=f"thing:{i}",
                reason=f"because {i}",
                detail={"n": i},
            )


def _verify(db: Database) -> audit.Verdict:
    with db.engine.connect() as conn:
        return audit.verify(conn)


def test_key_changes_are_audited_and_the_chain_verifies(db: Database, clock: FixedClock) -> None:
    principal, _ = auth.create_key(db, role="admin", subject=None, clock=clock, label="ops team")
    auth.revoke_key(db, principal.key_id, clock=clock)
    verdict = _verify(db)
    assert verdict.ok
    assert verdict.entries == 2
    with db.engine.connect() as conn:
        actions = [r.action for r in conn.execute(audit_log.select().order_by(audit_log.c.id))]
    assert actions == ["key.create", "key.revoke"]


def test_an_edited_entry_is_named(db: Database, clock: FixedClock) -> None:
    _fill(db, clock)
    with db.transaction() as conn:
        conn.execute(update(audit_log).where(audit_log.c.id == 3).values(reason="nothing to see"))
    verdict = _verify(db)
    assert verdict.bad_id == 3
    assert "edited" in verdict.problem


def test_an_edited_detail_that_is_no_longer_json_is_named(db: Database, clock: FixedClock) -> None:
    _fill(db, clock)
    with db.transaction() as conn:
        if db.engine.dialect.name == "sqlite":  # a hand edit that leaves invalid JSON behind
            conn.execute(text("UPDATE audit_log SET detail = '{broken' WHERE id = 4"))
        else:  # PostgreSQL's JSONB refuses invalid JSON; change the value instead
            conn.execute(update(audit_log).where(audit_log.c.id == 4).values(detail={"n": 99}))
    assert _verify(db).bad_id == 4


def test_a_removed_entry_is_named(db: Database, clock: FixedClock) -> None:
    _fill(db, clock)
    with db.transaction() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.id == 2))
    verdict = _verify(db)
    assert verdict.bad_id == 3
    assert not verdict.ok


def test_concurrent_writers_never_fork_the_chain(db: Database, clock: FixedClock) -> None:
    def writer(k: int) -> None:
        for i in range(10):
            with db.transaction() as conn:
                audit.append(
                    conn, at=clock.now(), principal=f"w{k}", action="test.event",
                    target=f"t{k}-{i}", reason="load",
                )  # fmt: skip

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    verdict = _verify(db)
    assert verdict.ok, verdict.problem
    assert verdict.entries == 40
