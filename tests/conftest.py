"""Shared fixtures: a database per test (SQLite file, or PostgreSQL when configured)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database, make_engine, migrate
from shopguard.runtime import load_metrics, load_policy
from shopguard.schema import metadata
from shopguard.text.compiler import CompiledPolicy

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "policies" / "cn-default"
PG_URL = os.environ.get("SHOPGUARD_TEST_DATABASE_URL")

load_metrics()  # every capability registers its metrics, as the composition root does


@pytest.fixture(scope="session")
def policy() -> CompiledPolicy:
    return load_policy(PACK)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def _pg_engine() -> Iterator[object]:
    if not PG_URL:
        yield None
        return
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db_url(tmp_path: Path, _pg_engine: object) -> str:
    """A migrated, empty database: a fresh SQLite file, or the test PostgreSQL truncated."""
    if PG_URL:
        tables = ", ".join(t.name for t in metadata.sorted_tables)
        with _pg_engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        return PG_URL
    return f"sqlite:///{tmp_path / 'sg.db'}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database.open(db_url)
    yield database
    database.close()
