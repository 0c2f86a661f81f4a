"""Fixtures for end-to-end tests: the real server on the test database, and API keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shopguard.platform import auth
from shopguard.platform.clock import SystemClock
from shopguard.platform.db import Database
from tests.support.processes import Server, cli_env, serving


@pytest.fixture
def server(db: Database, db_url: str, tmp_path: Path) -> Iterator[Server]:
    """`shopguard serve` on a loopback port, on the test's database."""
    with serving(cli_env(db_url, tmp_path / "data"), tmp_path / "server.log") as srv:
        yield srv


def key(db: Database, role: str, subject: str | None = None) -> str:
    """A fresh API key for `role` (acting for `subject` when the role needs one)."""
    return auth.create_key(db, role=role, subject=subject, clock=SystemClock())[1]
