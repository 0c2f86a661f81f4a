"""Decisions and keys in the real database (SQLite, and PostgreSQL in `make test`)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from shopguard.enforcement import publishing
from shopguard.platform import auth
from shopguard.platform.auth_store import api_keys
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database
from shopguard.platform.errors import NotFound, Unauthenticated
from shopguard.screening import service, store
from shopguard.screening.schemas import parse_item
from shopguard.text.compiler import CompiledPolicy
from tests.support.factories import item


def test_decisions_are_stored_with_evidence_and_masked_items(
    db: Database, policy: CompiledPolicy, clock: FixedClock
) -> None:
    admin, _ = auth.create_key(db, role="admin", subject=None, clock=clock)
    items = [parse_item(item("顶级面霜 电话13812345678")), parse_item(item("普通水杯"))]
    stored = service.screen_and_store(db, items, policy=policy, principal=admin, clock=clock)
    assert [s.decision.action.value for s in stored] == ["block", "allow"]
    got = publishing.access_decision(db, stored[0].decision_id, principal=admin)
    assert got["policy_version"] == policy.version
    # A listing that carries a phone both exposes it and invites an off-platform deal.
    assert {v["code"] for v in got["violations"]} == {
        "ad.absolute_term",
        "pii.exposure",
        "diversion.off_platform",
    }
    assert "13812345678" not in str(got)
    assert got["item"]["text"] == "顶级面霜 电话138****5678"


def test_decisions_are_append_only(db: Database, policy: CompiledPolicy, clock: FixedClock) -> None:
    (stored,) = service.screen_and_store(
        db, [parse_item(item("顶级"))], policy=policy, principal=None, clock=clock
    )
    with pytest.raises(DBAPIError), db.transaction() as conn:
        conn.execute(update(store.decisions).values(action="allow"))
    with pytest.raises(DBAPIError), db.transaction() as conn:
        conn.execute(text("DELETE FROM decisions"))
    with db.engine.connect() as conn:
        assert store.get_decision(conn, stored.decision_id)["action"] == "review"  # type: ignore[index]


def test_a_failed_batch_stores_nothing(
    db: Database, policy: CompiledPolicy, clock: FixedClock
) -> None:
    items = [parse_item(item("顶级")), parse_item(item("普通水杯"))]
    with pytest.raises(RuntimeError), db.transaction() as conn:
        service.store_decisions(
            conn, [(i, service.screen_item(i, policy)) for i in items], principal=None, clock=clock
        )
        raise RuntimeError("crash after the insert, before commit")
    with db.engine.connect() as conn:
        assert store.count_decisions(conn) == 0


def test_subjects_read_only_their_own_decisions(
    db: Database, policy: CompiledPolicy, clock: FixedClock
) -> None:
    shop_a, _ = auth.create_key(db, role="merchant", subject="shop-a", clock=clock)
    shop_b, _ = auth.create_key(db, role="merchant", subject="shop-b", clock=clock)
    (mine,) = service.screen_and_store(
        db, [parse_item(item("顶级"))], policy=policy, principal=shop_a, clock=clock
    )
    assert (
        publishing.access_decision(db, mine.decision_id, principal=shop_a)["id"] == mine.decision.id
    )
    with pytest.raises(NotFound):
        publishing.access_decision(db, mine.decision_id, principal=shop_b)


def test_keys_are_stored_hashed_and_can_be_revoked(db: Database, clock: FixedClock) -> None:
    principal, key = auth.create_key(db, role="reviewer", subject=None, clock=clock)
    secret = key.split("_", 2)[2]
    with db.engine.connect() as conn:
        row = conn.execute(select(api_keys)).mappings().one()
    assert secret not in str(dict(row)) and row["secret_hash"] != secret
    authn = auth.Authenticator(db, cache_seconds=0)
    assert authn.authenticate(key) == principal
    with pytest.raises(Unauthenticated):
        authn.authenticate(key[:-1] + ("A" if key[-1] != "A" else "B"))
    auth.revoke_key(db, principal.key_id, clock=clock)
    with pytest.raises(Unauthenticated):
        authn.authenticate(key)
