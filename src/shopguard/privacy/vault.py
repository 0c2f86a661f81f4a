"""The personal-data vault: personal data (consignee name, phone, address; ID and bank numbers)
is stored only as ciphertext, with envelope encryption.

Each record gets a fresh random AES-256 data key. The fields are encrypted under it with
AES-256-GCM, the associated data binding the record id and owner (a ciphertext copied onto
another row does not open). The data key is wrapped (AES-256-GCM) by the keyring's active
master key, the associated data binding the record id and the key id, which is stored on the
row. Both blobs start with a format version byte, then the 12-byte nonce, then ciphertext and
tag. A keyed blind index (HMAC-SHA256) allows exact lookups without decrypting.

Rotating the master key adds a new active key to the key file (old keys stay, so every process
can still read everything) and then re-wraps the data keys in short batches: the ciphertexts
never change and no record is unreadable at any moment.
"""

from __future__ import annotations

import hmac
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    DateTime,
    LargeBinary,
    String,
    Table,
    select,
)
from sqlalchemy.engine import Connection, RowMapping

from shopguard.platform.bulk import bulk_insert
from shopguard.platform.errors import InvalidInput, NotFound, VaultError
from shopguard.platform.meta import metadata
from shopguard.privacy.keyring import (
    Keyring,
    UnknownKeyError,
)

FORMAT = 1  # the version byte opening `ciphertext` and `wrapped_key`
NONCE_BYTES = 12
DATA_KEY_BYTES = 32
_CHUNK = 1000  # ids per IN (...) query

vault_records = Table(
    "vault_records",
    metadata,
    Column("id", String(32), primary_key=True),  # 128 random bits, hex; made client-side
    Column("owner", String(128), nullable=False, index=True),  # what it belongs to: "order:42"
    Column("key_id", String(32), nullable=False, index=True),  # the master key wrapping it
    Column("wrapped_key", LargeBinary, nullable=False),  # version, nonce, data key + tag
    Column("ciphertext", LargeBinary, nullable=False),  # version, nonce, fields JSON + tag
    Column("blind_index", String(64), nullable=True, index=True),  # HMAC of one lookup value
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("rewrapped_at", DateTime(timezone=True), nullable=True),
)

Row = Mapping[str, Any] | RowMapping  # a dict of row values, or a row read back


# --- the pure core: no database, no clock ---------------------------------------------------


def new_record_id() -> str:
    """A random 128-bit record id, hex (made here so bulk inserts need no RETURNING)."""
    return os.urandom(16).hex()


def _frame(*parts: str) -> bytes:
    """Length-prefixed parts, so no two different (id, owner) pairs give the same bytes."""
    out = bytearray()
    for part in parts:
        raw = part.encode()
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)


def _record_aad(record_id: str, owner: str) -> bytes:
    return b"shopguard/vault/record\x01" + _frame(record_id, owner)


def _wrap_aad(record_id: str, key_id: str) -> bytes:
    return b"shopguard/vault/wrap\x01" + _frame(record_id, key_id)


def _altered(record_id: str) -> VaultError:
    return VaultError(
        f"record {record_id} failed authentication: ciphertext or its binding was altered"
    )


def _seal_blob(aead: AESGCM, plain: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    header = bytes((FORMAT,))
    return header + nonce + aead.encrypt(nonce, plain, header + aad)


def _open_blob(aead: AESGCM, blob: bytes, aad: bytes, record_id: str) -> bytes:
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[0] != FORMAT:
        raise _altered(record_id)
    try:
        return aead.decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], blob[:1] + aad)
    except (InvalidTag, ValueError):
        raise _altered(record_id) from None


def encrypt_record(
    ring: Keyring, record_id: str, owner: str, fields: Mapping[str, str]
) -> dict[str, Any]:
    """The row values (id, owner, key_id, wrapped_key, ciphertext) sealing `fields` under a
    fresh data key wrapped by the active master key."""
    if not owner or len(owner) > 128:
        raise InvalidInput("a vault record's owner must be 1-128 characters")
    for name, value in fields.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidInput(f"vault field {str(name)[:40]!r}: names and values must be text")
    try:
        plain = orjson.dumps(fields)
    except TypeError:  # e.g. a lone surrogate; the value itself is never echoed
        raise InvalidInput("vault fields must be valid Unicode text") from None
    data_key = os.urandom(DATA_KEY_BYTES)
    ciphertext = _seal_blob(AESGCM(data_key), plain, _record_aad(record_id, owner))
    wrapped = _seal_blob(ring.aead(ring.active), data_key, _wrap_aad(record_id, ring.active))
    return {
        "id": record_id,
        "owner": owner,
        "key_id": ring.active,
        "wrapped_key": wrapped,
        "ciphertext": ciphertext,
    }


def _data_key(ring: Keyring, row: Row) -> bytes:
    record_id, key_id = str(row["id"]), str(row["key_id"])
    aead = ring.aead(key_id)  # UnknownKeyError names the id only
    return _open_blob(aead, bytes(row["wrapped_key"]), _wrap_aad(record_id, key_id), record_id)


def decrypt_record(ring: Keyring, row: Row) -> dict[str, str]:
    """The fields sealed in `row`; VaultError if anything in it (ciphertext, wrapped key, id,
    owner, key id) was altered, never garbage."""
    record_id = str(row["id"])
    data_key = _data_key(ring, row)
    aad = _record_aad(record_id, str(row["owner"]))
    plain = _open_blob(AESGCM(data_key), bytes(row["ciphertext"]), aad, record_id)
    fields: dict[str, str] = orjson.loads(plain)
    return fields


def rewrap_key(ring: Keyring, row: Row, key_id: str) -> bytes:
    """`row`'s data key wrapped under master key `key_id` instead (the ciphertext is kept)."""
    data_key = _data_key(ring, row)
    return _seal_blob(ring.aead(key_id), data_key, _wrap_aad(str(row["id"]), key_id))


_SEPARATORS = re.compile(r"[\s\-()（）.·]+")
_DIGITS = re.compile(r"^[0-9]+$")
_ID_LIKE = re.compile(r"^[0-9]{17}[0-9X]$")


def normalise(value: str) -> str:
    """The form blind indexes are computed on: phones as their 11-digit mobile number (no
    +86/0086, spaces or dashes), other numbers without separators, text case-folded."""
    text = unicodedata.normalize("NFKC", value).strip()
    compact = _SEPARATORS.sub("", text)
    number = compact.removeprefix("+")
    if _DIGITS.match(number):
        for prefix in ("0086", "86"):
            rest = number.removeprefix(prefix)
            if rest != number and len(rest) == 11 and rest[0] == "1" and rest[1] in "3456789":
                return rest
        return number
    if _ID_LIKE.match(compact.upper()):
        return compact.upper()
    return " ".join(text.split()).casefold()


def blind_index(ring: Keyring, value: str) -> str:
    """HMAC-SHA256 (hex) of the normalised value under the keyring's index key: equal values
    match without decrypting, and without the key nobody can test a guess."""
    message = b"shopguard/blind\x01" + normalise(value).encode()
    return hmac.digest(ring.index_key, message, "sha256").hex()


# --- the store --------------------------------------------------------------------------------


def seal_many(
    conn: Connection,
    ring: Keyring,
    records: Sequence[tuple[str, Mapping[str, str], str | None]],
    *,
    now: datetime,
) -> list[str]:
    """Seal (owner, fields, value to blind-index or None) records in one bulk insert; returns
    their new record ids in order."""
    rows = []
    for owner, fields, index_value in records:
        row = encrypt_record(ring, new_record_id(), owner, fields)
        row["blind_index"] = None if index_value is None else blind_index(ring, index_value)
        row["created_at"] = now
        rows.append(row)
    bulk_insert(conn, vault_records, rows)
    return [row["id"] for row in rows]


def seal(
    conn: Connection,
    ring: Keyring,
    owner: str,
    fields: Mapping[str, str],
    *,
    index: str | None = None,
    now: datetime,
) -> str:
    """Seal one record; returns its id."""
    return seal_many(conn, ring, [(owner, fields, index)], now=now)[0]


READ_COLUMNS = (
    vault_records.c.id,
    vault_records.c.owner,
    vault_records.c.key_id,
    vault_records.c.wrapped_key,
    vault_records.c.ciphertext,
)


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def open_many(conn: Connection, ring: Keyring, ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """The fields of each record in `ids` (in that order). NotFound if any is missing; on a key
    id the keyring lacks, the key file is re-read once (another process rotated)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Row] = {}
    for chunk in _chunks(wanted, _CHUNK):
        query = select(*READ_COLUMNS).where(vault_records.c.id.in_(chunk))
        found.update((row["id"], row) for row in conn.execute(query).mappings())
    missing = [i for i in wanted if i not in found]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise NotFound(f"no vault record {missing[0][:40]!r}{more}")
    out: dict[str, dict[str, str]] = {}
    reloaded = False
    for record_id in wanted:
        try:
            out[record_id] = decrypt_record(ring, found[record_id])
        except UnknownKeyError:
            if reloaded:
                raise
            reloaded = True
            ring.reload()
            out[record_id] = decrypt_record(ring, found[record_id])
    return out


def open_record(conn: Connection, ring: Keyring, record_id: str) -> dict[str, str]:
    """The fields of one record (see `open_many`)."""
    return open_many(conn, ring, [record_id])[record_id]


def lookup(conn: Connection, ring: Keyring, value: str) -> list[str]:
    """Ids of the records whose blind-indexed value equals `value` (after normalising)."""
    query = (
        select(vault_records.c.id)
        .where(vault_records.c.blind_index == blind_index(ring, value))
        .order_by(vault_records.c.created_at, vault_records.c.id)
    )
    return [str(i) for i in conn.execute(query).scalars()]
