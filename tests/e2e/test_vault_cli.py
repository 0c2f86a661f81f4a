"""`shopguard vault` as an operator runs it: status, rotation (key file and environment), retiring
old keys, and clear errors with exit 2 on bad input."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from shopguard.platform.clock import SystemClock
from shopguard.platform.db import Database
from shopguard.privacy import vault
from shopguard.privacy.keyring import read_keyring_file
from tests.support.processes import cli_env, run_cli

CONSIGNEES = [
    {"name": f"王{i}号", "phone": f"1380013{i:04d}", "address": f"杭州市西湖区文三路{i}号"}
    for i in range(25)
]


@pytest.fixture
def env(db: Database, db_url: str, tmp_path: Path) -> dict[str, str]:
    """The CLI's environment on a migrated empty database, in development mode."""
    return cli_env(db_url, tmp_path / "data")


def seal_consignees(db: Database, key_file: Path) -> list[str]:
    ring = read_keyring_file(key_file)
    records = [(f"order:{i}", c, c["phone"]) for i, c in enumerate(CONSIGNEES)]
    with db.transaction() as conn:
        return vault.seal_many(conn, ring, records, now=SystemClock().now())


def test_status_rotate_and_retire(db: Database, env: dict[str, str], tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "vault.key"
    first = run_cli(["vault", "status"], env=env)
    assert first.returncode == 0, first.stderr
    assert f"created a new vault key at {key_file}" in first.stderr
    assert "back it up" in first.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    old_key = read_keyring_file(key_file).active
    assert old_key in first.stdout and "0 records" in first.stdout
    ids = seal_consignees(db, key_file)

    rotated = run_cli(["vault", "rotate", "--batch", "7"], env=env)
    assert rotated.returncode == 0, rotated.stderr
    ring = read_keyring_file(key_file)
    assert ring.active != old_key and old_key in ring.keys
    assert f"re-wrapped 25 records under key {ring.active}" in rotated.stdout
    with db.engine.connect() as conn:
        keys = set(conn.execute(select(vault.vault_records.c.key_id)).scalars())
        assert keys == {ring.active}
        assert list(vault.open_many(conn, ring, ids).values()) == CONSIGNEES

    status = run_cli(["vault", "status"], env=env)
    assert status.returncode == 0, status.stderr
    assert "created" not in status.stderr
    assert ring.active in status.stdout and old_key in status.stdout
    assert "25 records" in status.stdout

    retired = run_cli(["vault", "retire", old_key], env=env)
    assert retired.returncode == 0, retired.stderr
    assert set(read_keyring_file(key_file).keys) == {ring.active}


def test_bad_input_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli(["vault", "status"], env=env).returncode == 0
    active = read_keyring_file(tmp_path / "data" / "vault.key").active
    for args, message in [
        (["vault", "rotate", "--batch", "0"], "--batch: expected 1 or more"),
        (["vault", "retire", "knothere"], "has no key 'knothere'"),
        (["vault", "retire", active], "is the active key"),
        (["vault", "rotate", "--rewrap-only", "--new-keyring-out", str(tmp_path / "k.json")],
         "two separate steps"),
    ]:  # fmt: skip
        result = run_cli(args, env=env)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)


def test_environment_key_rotates_in_two_steps(
    db: Database, env: dict[str, str], tmp_path: Path
) -> None:
    secret = base64.b64encode(os.urandom(32)).decode()
    with_key = {**env, "SHOPGUARD_MASTER_KEY": secret, "SHOPGUARD_ENV": "production"}
    refused = run_cli(["vault", "rotate"], env=with_key)
    assert refused.returncode == 2
    assert "--new-keyring-out" in refused.stderr and "--rewrap-only" in refused.stderr
    assert secret not in refused.stderr + refused.stdout
    assert not (tmp_path / "data" / "vault.key").exists()  # the environment key is used

    out = tmp_path / "new-keyring.json"
    step1 = run_cli(["vault", "rotate", "--new-keyring-out", str(out)], env=with_key)
    assert step1.returncode == 0, step1.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    new_ring = read_keyring_file(out)
    assert new_ring.active in step1.stdout and "--rewrap-only" in step1.stdout

    installed = {**with_key, "SHOPGUARD_MASTER_KEY": out.read_text()}
    step2 = run_cli(["vault", "rotate", "--rewrap-only"], env=installed)
    assert step2.returncode == 0, step2.stderr
    assert f"under key {new_ring.active}" in step2.stdout


def test_missing_or_bad_master_key(env: dict[str, str], tmp_path: Path) -> None:
    production = run_cli(["vault", "status"], env={**env, "SHOPGUARD_ENV": "production"})
    assert production.returncode == 1
    assert "production mode needs a master key" in production.stderr
    assert not (tmp_path / "data" / "vault.key").exists()
    bad = "bm90IGEgMzItYnl0ZSBrZXk="  # base64 of a 14-byte string
    result = run_cli(["vault", "status"], env={**env, "SHOPGUARD_MASTER_KEY": bad})
    assert result.returncode == 1
    assert "SHOPGUARD_MASTER_KEY" in result.stderr and bad not in result.stderr
