"""The vault's pure core and keyring: envelope encryption round trips, tampering is detected,
blind indexes match equal values only, keys never leak, the key file is private."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopguard.platform.config import Settings
from shopguard.platform.errors import ConfigError, InvalidInput, VaultError
from shopguard.privacy.keyring import (
    Keyring,
    UnknownKeyError,
    from_master_key,
    key_id_for,
    load_keyring,
    new_keyring,
    parse_env_key,
    read_keyring_file,
    write_keyring,
)
from shopguard.privacy.vault import (
    blind_index,
    decrypt_record,
    encrypt_record,
    new_record_id,
    rewrap_key,
)

RING = new_keyring()
CONSIGNEE = {
    "name": "欧阳娜娜",
    "phone": "13812345678",
    "address": "北京市朝阳区建国路88号3单元1201",
}

field_names = st.text(min_size=1, max_size=12)
# Values long enough (>= 6 code points, so >= 6 UTF-8 bytes) that finding one in random
# ciphertext by chance is out of the question.
field_values = st.text(min_size=6, max_size=60)


def settings_for(tmp_path: Path, **kw: object) -> Settings:
    """Settings that ignore the caller's SHOPGUARD_* environment."""
    base: dict[str, object] = {"data_dir": tmp_path / "data", "master_key": None,
                               "master_key_file": None, "env": "development"}  # fmt: skip
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


def key_material(ring: Keyring) -> list[str]:
    """Every way a key might show up in text."""
    out = []
    for raw in [*ring.keys.values(), ring.index_key]:
        out += [base64.b64encode(raw).decode(), raw.hex(), repr(raw)[2:-1][:24]]
    return out


# --- envelope encryption ----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(fields=st.dictionaries(st.text(max_size=12), st.text(max_size=200), max_size=6))
def test_round_trip_of_arbitrary_unicode_fields(fields: dict[str, str]) -> None:
    row = encrypt_record(RING, new_record_id(), "order:42", fields)
    assert decrypt_record(RING, row) == fields


@settings(max_examples=60, deadline=None)
@given(fields=st.dictionaries(field_names, field_values, min_size=1, max_size=5))
def test_ciphertext_never_contains_a_clear_value(fields: dict[str, str]) -> None:
    row = encrypt_record(RING, new_record_id(), "order:1", fields)
    for value in fields.values():
        clear = value.encode()
        assert clear not in row["ciphertext"]
        assert clear not in row["wrapped_key"]


def test_row_shape_version_byte_and_key_id() -> None:
    record_id = new_record_id()
    row = encrypt_record(RING, record_id, "order:7", CONSIGNEE)
    assert set(row) == {"id", "owner", "key_id", "wrapped_key", "ciphertext"}
    assert row["id"] == record_id and len(record_id) == 32
    assert row["key_id"] == RING.active
    assert row["ciphertext"][0] == 1 and row["wrapped_key"][0] == 1
    # The same fields sealed twice give unrelated bytes (fresh data key and nonces).
    again = encrypt_record(RING, record_id, "order:7", CONSIGNEE)
    assert again["ciphertext"] != row["ciphertext"]
    assert again["wrapped_key"] != row["wrapped_key"]


@pytest.mark.parametrize("column", ["ciphertext", "wrapped_key"])
def test_tampering_any_byte_is_detected(column: str) -> None:
    row = encrypt_record(RING, new_record_id(), "order:9", CONSIGNEE)
    blob: bytes = row[column]
    for i in range(len(blob)):
        for flip in (0x01, 0x80):
            bad = bytearray(blob)
            bad[i] ^= flip
            with pytest.raises(VaultError, match="failed authentication") as caught:
                decrypt_record(RING, {**row, column: bytes(bad)})
            assert not any(v in caught.value.detail for v in CONSIGNEE.values())
    for cut in (0, 1, 13, len(blob) - 1):  # truncated blobs too
        with pytest.raises(VaultError, match="failed authentication"):
            decrypt_record(RING, {**row, column: blob[:cut]})


def test_wrong_associated_data_is_detected() -> None:
    row = encrypt_record(RING, new_record_id(), "order:1", CONSIGNEE)
    other = encrypt_record(RING, new_record_id(), "order:2", CONSIGNEE)
    message = f"record {other['id']} failed authentication: ciphertext or its binding was altered"
    with pytest.raises(VaultError) as caught:
        decrypt_record(RING, {**row, "id": other["id"]})  # another record's id
    assert caught.value.detail == message
    with pytest.raises(VaultError, match="failed authentication"):
        decrypt_record(RING, {**row, "owner": "order:2"})  # another owner
    # Ciphertext moved onto another row (with that row's valid wrapped key).
    with pytest.raises(VaultError, match="failed authentication"):
        decrypt_record(RING, {**other, "ciphertext": row["ciphertext"]})


def test_key_id_is_bound_to_the_wrapped_key() -> None:
    two = RING.with_new_key()
    row = encrypt_record(two, new_record_id(), "order:1", CONSIGNEE)
    assert row["key_id"] == two.active != RING.active
    with pytest.raises(VaultError, match="failed authentication"):
        decrypt_record(two, {**row, "key_id": RING.active})
    with pytest.raises(UnknownKeyError, match=two.active) as caught:
        decrypt_record(RING, row)  # the old keyring lacks the new key
    assert not any(m in caught.value.detail for m in key_material(two))


def test_rewrap_keeps_the_data_key_and_binds_the_new_key_id() -> None:
    two = RING.with_new_key()
    row = encrypt_record(RING, new_record_id(), "order:1", CONSIGNEE)
    moved = {**row, "key_id": two.active, "wrapped_key": rewrap_key(two, row, two.active)}
    assert decrypt_record(two, moved) == CONSIGNEE
    with pytest.raises(VaultError, match="failed authentication"):
        decrypt_record(two, {**moved, "key_id": RING.active})


def test_fields_must_be_text_and_owner_bounded() -> None:
    with pytest.raises(InvalidInput, match="'age'"):
        encrypt_record(RING, new_record_id(), "order:1", {"age": 3})  # type: ignore[dict-item]
    with pytest.raises(InvalidInput, match="owner"):
        encrypt_record(RING, new_record_id(), "", CONSIGNEE)
    with pytest.raises(InvalidInput, match="owner"):
        encrypt_record(RING, new_record_id(), "x" * 129, CONSIGNEE)


# --- blind index ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    ["13812345678", "+86 138 1234 5678", "86-138-1234-5678", "+86-13812345678", "138-1234-5678",
     " 138 1234 5678 ", "008613812345678", "１３８１２３４５６７８"],
)  # fmt: skip
def test_blind_index_equal_for_forms_of_one_phone(form: str) -> None:
    assert blind_index(RING, form) == blind_index(RING, "13812345678")


@settings(max_examples=100, deadline=None)
@given(a=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       b=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))  # fmt: skip
def test_blind_index_differs_for_different_phones(a: str, b: str) -> None:
    assert (blind_index(RING, a) == blind_index(RING, f"+86 {b}")) == (a == b)


def test_blind_index_is_keyed_and_hides_the_value() -> None:
    index = blind_index(RING, "13812345678")
    assert len(index) == 64 and "13812345678" not in index
    assert blind_index(new_keyring(), "13812345678") != index
    # ID numbers: a lower-case check letter is the same number.
    assert blind_index(RING, "11010519491231002x") == blind_index(RING, "11010519491231002X")
    assert blind_index(RING, "6222 0212 3456 7890") == blind_index(RING, "6222021234567890")


# --- keyring ----------------------------------------------------------------------------------


def test_development_creates_a_private_key_file_once(tmp_path: Path) -> None:
    cfg = settings_for(tmp_path)
    path = cfg.resolved_master_key_file()
    old = os.umask(0)  # even with a permissive umask the file is never readable by others
    try:
        ring, notice = load_keyring(cfg)
    finally:
        os.umask(old)
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert notice is not None and str(path) in notice and "back it up" in notice
    assert ring.path == path and ring.source == str(path)
    again, notice2 = load_keyring(cfg)
    assert notice2 is None
    assert again.keys == ring.keys and again.active == ring.active
    assert again.index_key == ring.index_key
    assert not list(path.parent.glob(".*.tmp"))  # no temporary file left behind


def test_production_without_a_key_refuses(tmp_path: Path) -> None:
    cfg = settings_for(tmp_path, env="production")
    with pytest.raises(ConfigError) as caught:
        load_keyring(cfg)
    assert "production mode needs a master key" in caught.value.detail
    assert "SHOPGUARD_MASTER_KEY" in caught.value.detail
    assert str(cfg.resolved_master_key_file()) in caught.value.detail
    assert not cfg.resolved_master_key_file().exists()


def test_production_reads_an_existing_key_file(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "vault.key"
    write_keyring(path, new_keyring(path))
    ring, notice = load_keyring(settings_for(tmp_path, env="production", master_key_file=path))
    assert notice is None and ring.path == path


def test_single_base64_env_key(tmp_path: Path) -> None:
    raw = os.urandom(32)
    value = base64.b64encode(raw).decode()
    ring, notice = load_keyring(settings_for(tmp_path, env="production", master_key=value))
    assert notice is None and ring.path is None and ring.source == "SHOPGUARD_MASTER_KEY"
    assert ring.keys == {key_id_for(raw): raw} and ring.active == key_id_for(raw)
    assert ring.active.startswith("k") and len(ring.active) == 9
    assert ring.index_key != raw and len(ring.index_key) == 32
    # The same key gives the same keyring (blind indexes stay valid across restarts).
    same = parse_env_key(base64.urlsafe_b64encode(raw).decode())
    assert same.index_key == ring.index_key
    row = encrypt_record(ring, new_record_id(), "order:1", CONSIGNEE)
    assert decrypt_record(from_master_key(raw), row) == CONSIGNEE
    assert not (tmp_path / "data").exists()  # nothing written


def test_env_keyring_json(tmp_path: Path) -> None:
    ring = RING.with_new_key()
    loaded, _ = load_keyring(settings_for(tmp_path, master_key=ring.to_json()))
    assert loaded.keys == ring.keys and loaded.active == ring.active
    assert loaded.index_key == ring.index_key and loaded.path is None


@pytest.mark.parametrize(
    "value",
    ["not base64 at all!!", base64.b64encode(b"sixteen bytes!!!").decode(),
     base64.b64encode(b"x" * 33).decode(), "{broken json",
     '{"version": 1, "active": "a", "keys": {"a": "c2VjcmV0LWtleS1tYXRlcmlhbA=="}, '
     '"index_key": "c2VjcmV0LWtleS1tYXRlcmlhbA=="}',
     '{"version": 2, "active": "a", "keys": {}}'],
)  # fmt: skip
def test_bad_env_key_is_named_but_never_echoed(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_keyring(settings_for(tmp_path, master_key=value))
    message = caught.value.detail
    assert "SHOPGUARD_MASTER_KEY" in message
    assert value not in message
    assert "c2VjcmV0" not in message and "sixteen" not in message
    assert caught.value.__cause__ is None  # no chained error that might carry the value


def test_key_material_never_in_repr_or_errors(tmp_path: Path) -> None:
    ring = RING.with_new_key()
    for text in (repr(ring), str(ring), f"{ring}"):
        assert ring.active in text
        assert not any(m in text for m in key_material(ring))
    with pytest.raises(UnknownKeyError) as caught:
        ring.key("knothere")
    assert "knothere" in caught.value.detail
    assert not any(m in caught.value.detail for m in key_material(ring))


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "vault.key"
    write_keyring(path, new_keyring(path))
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        read_keyring_file(path)
    path.chmod(0o640)  # a service group may read it
    assert read_keyring_file(path).path == path


def test_unwritable_key_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "vault.key").mkdir()  # not a file: replacing it fails whoever runs the test
    with pytest.raises(VaultError, match="cannot write the vault key file"):
        write_keyring(folder / "vault.key", new_keyring())


def test_key_file_is_replaced_atomically_and_stays_private(tmp_path: Path) -> None:
    path = tmp_path / "vault.key"
    first = new_keyring(path)
    write_keyring(path, first)
    second = first.with_new_key()
    write_keyring(path, second)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_keyring_file(path).active == second.active
    with pytest.raises(FileExistsError):
        write_keyring(path, first, exclusive=True)
    assert read_keyring_file(path).active == second.active


def test_reload_adds_keys_another_process_wrote(tmp_path: Path) -> None:
    path = tmp_path / "vault.key"
    ring = new_keyring(path)
    write_keyring(path, ring)
    stale = read_keyring_file(path)
    rotated = ring.with_new_key()
    write_keyring(path, rotated)
    row = encrypt_record(rotated, new_record_id(), "order:1", CONSIGNEE)
    with pytest.raises(UnknownKeyError):
        decrypt_record(stale, row)
    assert stale.reload() == [rotated.active]
    assert stale.active == ring.active  # the active key stays as loaded
    assert decrypt_record(stale, row) == CONSIGNEE
    assert stale.reload() == []


def test_keyring_validates_itself() -> None:
    with pytest.raises(VaultError, match="32 bytes"):
        Keyring({"k1": b"short"}, "k1", os.urandom(32))
    with pytest.raises(VaultError, match="active key"):
        Keyring({"k1": os.urandom(32)}, "k2", os.urandom(32))
    with pytest.raises(VaultError, match="active key"):
        RING.without_key(RING.active)
