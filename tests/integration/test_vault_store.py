"""The vault on SQLite and PostgreSQL: sealing, opening, lookups, rotation without an unreadable
moment, retiring keys, and no personal data in clear in any stored column."""

from __future__ import annotations

import base64
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from shopguard.platform import audit
from shopguard.platform.clock import FixedClock
from shopguard.platform.db import Database
from shopguard.platform.errors import Conflict, InvalidInput, NotFound, VaultError
from shopguard.privacy import rotation, vault
from shopguard.privacy.keyring import (
    Keyring,
    UnknownKeyError,
    new_keyring,
    read_keyring_file,
    write_keyring,
)
from shopguard.privacy.vault import vault_records

SURNAMES = ["王", "李", "张", "刘", "陈", "欧阳", "司马", "诸葛"]
GIVEN = ["秀英", "建国", "娜娜", "志强", "丽华", "子涵", "浩然", "雨桐"]
STREETS = ["建国路", "人民大道", "中山北路", "解放西路", "科技园南区"]


def consignee(i: int) -> dict[str, str]:
    """A realistic consignee whose every value is distinct per i (and long enough to scan)."""
    return {
        "name": SURNAMES[i % 8] + GIVEN[i // 8 % 8] + "之" * (1 + i % 2),
        "phone": f"1{3 + i % 7}{i:09d}",
        "address": f"上海市浦东新区{STREETS[i % 5]}{100 + i}号{i % 30 + 1}栋{i % 9 + 1}0{i % 4 + 1}室",
        "id_card": f"3101151990{i % 12 + 1:02d}{i % 28 + 1:02d}{i % 1000:03d}X",
    }


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "vault.key"
    write_keyring(path, new_keyring(path))
    return path


@pytest.fixture
def ring(key_path: Path) -> Keyring:
    return read_keyring_file(key_path)


def seal_range(db: Database, ring: Keyring, start: int, stop: int, clock: FixedClock) -> list[str]:
    records = [(f"order:{i}", consignee(i), consignee(i)["phone"]) for i in range(start, stop)]
    with db.transaction() as conn:
        return vault.seal_many(conn, ring, records, now=clock.now())


def all_rows(db: Database) -> dict[str, dict[str, Any]]:
    with db.engine.connect() as conn:
        rows = conn.execute(select(vault_records)).mappings().all()
    return {r["id"]: dict(r) for r in rows}


def test_seal_open_and_lookup(db: Database, ring: Keyring, clock: FixedClock) -> None:
    ids = seal_range(db, ring, 0, 40, clock)
    assert len(ids) == len(set(ids)) == 40
    with db.transaction() as conn:
        single = vault.seal(conn, ring, "order:99", {"name": "张三丰"}, now=clock.now())
    with db.engine.connect() as conn:
        opened = vault.open_many(conn, ring, list(reversed(ids)))
        assert list(opened) == list(reversed(ids))
        assert [opened[i] for i in ids] == [consignee(i) for i in range(40)]
        assert vault.open_record(conn, ring, single) == {"name": "张三丰"}
        assert vault.open_many(conn, ring, []) == {}
        # Lookup by phone in any written form, without decrypting anything.
        assert vault.lookup(conn, ring, "+86 " + consignee(7)["phone"]) == [ids[7]]
        assert vault.lookup(conn, ring, "13999999999") == []
        with pytest.raises(NotFound, match="no vault record"):
            vault.open_record(conn, ring, "0" * 32)
        with pytest.raises(NotFound, match=r"and 1 more"):
            vault.open_many(conn, ring, [ids[0], "a" * 32, "b" * 32])
    rows = all_rows(db)
    assert {r["owner"] for r in rows.values()} >= {"order:0", "order:39", "order:99"}
    assert rows[single]["blind_index"] is None
    assert all(r["key_id"] == ring.active and r["rewrapped_at"] is None for r in rows.values())


def test_no_clear_value_in_any_stored_column(
    db: Database, ring: Keyring, clock: FixedClock
) -> None:
    seal_range(db, ring, 0, 60, clock)
    clear = [v for i in range(60) for v in consignee(i).values()]
    for row in all_rows(db).values():
        for column, value in row.items():
            stored = value if isinstance(value, bytes) else str(value).encode()
            for text in clear:
                assert text.encode() not in stored, column
                assert text not in str(value), column


def test_tampered_rows_fail_authentication(db: Database, ring: Keyring, clock: FixedClock) -> None:
    a, b = seal_range(db, ring, 0, 2, clock)
    rows = all_rows(db)
    bad = bytearray(rows[a]["ciphertext"])
    bad[-5] ^= 0x10
    with db.transaction() as conn:
        conn.execute(
            update(vault_records).where(vault_records.c.id == a).values(ciphertext=bytes(bad))
        )
        conn.execute(update(vault_records).where(vault_records.c.id == b).values(owner="order:0"))
    with db.engine.connect() as conn:
        for record_id in (a, b):
            with pytest.raises(VaultError) as caught:
                vault.open_record(conn, ring, record_id)
            assert caught.value.detail == (
                f"record {record_id} failed authentication: ciphertext or its binding was altered"
            )


def test_rotation_keeps_every_record_readable(
    db: Database, ring: Keyring, key_path: Path, clock: FixedClock
) -> None:
    before_ids = seal_range(db, ring, 0, 230, clock)
    before = all_rows(db)
    old_key = ring.active
    stale = read_keyring_file(key_path)  # another process, loaded before the rotation
    no_reload = Keyring(dict(stale.keys), stale.active, stale.index_key)  # cannot re-read a file
    during: list[str] = []
    seen: list[tuple[int, int]] = []

    def tick(done: int, total: int) -> None:
        seen.append((done, total))
        if len(seen) == 2:  # mid-rotation: the other process keeps writing and reading
            during.extend(seal_range(db, stale, 1000, 1010, clock))
            with db.engine.connect() as conn:
                opened = vault.open_many(conn, stale, before_ids)  # some already re-wrapped
            assert [opened[i] for i in before_ids] == [consignee(i) for i in range(230)]

    clock.advance(timedelta(days=30))
    count = rotation.rotate(db, ring, batch=50, clock=clock, progress=tick)
    new_key = read_keyring_file(key_path).active
    assert new_key != old_key and set(read_keyring_file(key_path).keys) == {old_key, new_key}
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert count == 240  # the records sealed meanwhile under the old key were re-wrapped too
    assert seen[0] == (0, 230) and seen[-1][0] == 240
    assert new_key in stale.keys and stale.active == old_key  # picked up by the re-read
    after = all_rows(db)
    for record_id, row in before.items():
        moved = after[record_id]
        assert moved["key_id"] == new_key
        assert moved["ciphertext"] == row["ciphertext"]  # data never re-encrypted
        assert moved["wrapped_key"] != row["wrapped_key"]
        assert moved["blind_index"] == row["blind_index"]
        assert moved["rewrapped_at"] is not None
    assert new_key in ring.keys  # the caller's keyring reads the re-wrapped records at once
    with db.engine.connect() as conn:
        with pytest.raises(UnknownKeyError, match=new_key):
            vault.open_record(conn, no_reload, before_ids[0])
        # Still sealing under the old key after the rotation: readable by both sides.
        late = seal_range(db, no_reload, 2000, 2005, clock)
        fresh = read_keyring_file(key_path)
        every = before_ids + during + late
        expected = [consignee(i) for i in [*range(230), *range(1000, 1010), *range(2000, 2005)]]
        assert list(vault.open_many(conn, fresh, every).values()) == expected
        assert list(vault.open_many(conn, stale, every).values()) == expected
        st = rotation.status(conn, fresh)
    assert st.records == {new_key: 240, old_key: 5} and st.active == new_key
    assert st.source == str(key_path) and st.unknown == ()
    with db.engine.connect() as conn:
        entries = conn.execute(
            select(audit.audit_log).where(audit.audit_log.c.action == "vault.rotate")
        ).mappings().all()  # fmt: skip
    assert len(entries) == 1
    detail = entries[0]["detail"]
    assert detail["new_key"] == new_key and detail["previous_key"] == old_key
    assert detail["rewrapped"] == 240 and detail["rewrapped_from"] == {old_key: 240}
    dumped = repr(dict(entries[0]))
    for raw in [*fresh.keys.values(), fresh.index_key]:
        assert base64.b64encode(raw).decode() not in dumped and raw.hex() not in dumped


def test_retire_waits_until_no_record_uses_the_key(
    db: Database, ring: Keyring, key_path: Path, clock: FixedClock
) -> None:
    old_key = ring.active
    stale = read_keyring_file(key_path)
    seal_range(db, ring, 0, 20, clock)
    with pytest.raises(InvalidInput, match="active key"):
        rotation.retire(db, old_key, source=ring, clock=clock)
    rotation.rotate(db, ring, batch=7, clock=clock)
    new_key = read_keyring_file(key_path).active
    late = seal_range(db, stale, 100, 103, clock)  # a process that has not restarted yet
    with pytest.raises(Conflict, match="still protects 3 record"):
        rotation.retire(db, old_key, source=ring, clock=clock)
    assert old_key in read_keyring_file(key_path).keys
    with pytest.raises(NotFound, match="no key 'kmissing'"):
        rotation.retire(db, "kmissing", source=ring, clock=clock)
    assert rotation.rotate(db, ring, rewrap_only=True, clock=clock) == 3
    assert set(read_keyring_file(key_path).keys) == {old_key, new_key}  # no key added
    remaining = rotation.retire(db, old_key, source=ring, clock=clock)
    assert set(remaining.keys) == {new_key}
    on_disk = read_keyring_file(key_path)
    assert set(on_disk.keys) == {new_key} and on_disk.index_key == ring.index_key
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    with db.engine.connect() as conn:
        assert vault.open_many(conn, on_disk, late)[late[0]] == consignee(100)
        actions = conn.execute(select(audit.audit_log.c.action)).scalars().all()
    assert actions.count("vault.retire") == 1 and actions.count("vault.rotate") == 2


def test_env_keyring_rotates_in_two_steps(
    db: Database, ring: Keyring, tmp_path: Path, clock: FixedClock
) -> None:
    env_ring = Keyring(dict(ring.keys), ring.active, ring.index_key)  # as if from the environment
    ids = seal_range(db, env_ring, 0, 12, clock)
    with pytest.raises(VaultError, match="--new-keyring-out") as caught:
        rotation.rotate(db, env_ring, clock=clock)
    assert "SHOPGUARD_MASTER_KEY" in caught.value.detail
    out = tmp_path / "new-keyring.json"
    assert rotation.rotate(db, env_ring, clock=clock, new_keyring_out=out) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with pytest.raises(InvalidInput, match="already exists"):
        rotation.rotate(db, env_ring, clock=clock, new_keyring_out=out)
    installed = read_keyring_file(out)
    assert installed.active != env_ring.active and env_ring.active in installed.keys
    assert all(r["key_id"] == env_ring.active for r in all_rows(db).values())  # nothing moved
    restarted = Keyring(dict(installed.keys), installed.active, installed.index_key)
    assert rotation.rotate(db, restarted, rewrap_only=True, batch=5, clock=clock) == 12
    assert {r["key_id"] for r in all_rows(db).values()} == {installed.active}
    with db.engine.connect() as conn:
        assert vault.open_many(conn, restarted, ids)[ids[3]] == consignee(3)
        assert vault.lookup(conn, restarted, consignee(3)["phone"]) == [ids[3]]
    with pytest.raises(VaultError, match="--new-keyring-out"):
        rotation.retire(db, env_ring.active, source=restarted, clock=clock)
    smaller = tmp_path / "smaller.json"
    rotation.retire(db, env_ring.active, source=restarted, clock=clock, new_keyring_out=smaller)
    assert set(read_keyring_file(smaller).keys) == {installed.active}


def test_rotation_refuses_records_under_a_key_it_lacks(
    db: Database, ring: Keyring, key_path: Path, clock: FixedClock
) -> None:
    stranger = new_keyring()
    seal_range(db, stranger, 0, 2, clock)
    with pytest.raises(VaultError, match=stranger.active):
        rotation.rotate(db, ring, clock=clock)
    assert set(read_keyring_file(key_path).keys) == {ring.active}  # nothing changed
    with db.engine.connect() as conn:
        assert rotation.status(conn, ring).unknown == (stranger.active,)
    with pytest.raises(InvalidInput, match="batch"):
        rotation.rotate(db, ring, batch=0, clock=clock)
