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

import contextlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    DateTime,
    LargeBinary,
    String,
    Table,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection, RowMapping

from shopguard.enforcement.store import bulk_insert
from shopguard.platform import audit
from shopguard.platform.errors import Conflict, InvalidInput, NotFound, VaultError
from shopguard.platform.meta import metadata
from shopguard.privacy.keyring import (
    ENV_NAME,
    Keyring,
    UnknownKeyError,
    key_file_lock,
    load_keyring,
    read_keyring_file,
    write_keyring,
)

if TYPE_CHECKING:
    from shopguard.platform.clock import Clock
    from shopguard.platform.config import Settings
    from shopguard.platform.db import Database

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

Progress = Callable[[int, int], None]
Row = Mapping[str, Any] | RowMapping  # a dict of row values, or a row read back

ENV_ROTATE_HELP = (
    f"the keyring comes from {ENV_NAME}, which shopguard cannot rewrite. Rotate in two steps: "
    "(1) `shopguard vault rotate --new-keyring-out FILE` writes the current keys plus a new "
    f"active one to FILE (mode 0600); install its contents as {ENV_NAME} for every shopguard "
    "process and restart them; (2) `shopguard vault rotate --rewrap-only` re-wraps every "
    "record under the new key. Then delete FILE."
)


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


_READ = (
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
        query = select(*_READ).where(vault_records.c.id.in_(chunk))
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


@dataclass(frozen=True)
class VaultStatus:
    """Records per master key, the active key and where the keyring comes from."""

    active: str
    source: str
    key_ids: tuple[str, ...]  # the keys the keyring holds
    records: dict[str, int]  # key id -> records wrapped under it
    unknown: tuple[str, ...]  # key ids in the store that the keyring lacks (unreadable!)

    @property
    def total(self) -> int:
        return sum(self.records.values())


def _records_per_key(conn: Connection) -> dict[str, int]:
    query = select(vault_records.c.key_id, func.count()).group_by(vault_records.c.key_id)
    return {str(k): int(n) for k, n in conn.execute(query).all()}


def status(conn: Connection, ring: Keyring) -> VaultStatus:
    """How many records each key protects, which key is active, where the keyring lives."""
    records = _records_per_key(conn)
    unknown = tuple(sorted(k for k in records if k not in ring.keys))
    return VaultStatus(ring.active, ring.source, tuple(sorted(ring.keys)), records, unknown)


# --- key management ---------------------------------------------------------------------------


def _current(source: Settings | Keyring) -> Keyring:
    """The keyring as it is now: the key file re-read (another process may have changed it)."""
    if isinstance(source, Keyring):
        return source if source.path is None else read_keyring_file(source.path)
    return load_keyring(source)[0]


def _write_out(path: Path, ring: Keyring) -> None:
    try:
        write_keyring(path, ring, exclusive=True)
    except FileExistsError:
        raise InvalidInput(f"{path} already exists; name a new file for the keyring") from None
    except VaultError as exc:
        raise InvalidInput(exc.detail) from None


def _check_known(db: Database, ring: Keyring) -> None:
    with db.engine.connect() as conn:
        unknown = sorted(k for k in _records_per_key(conn) if k not in ring.keys)
    if unknown:
        raise VaultError(
            f"records are wrapped under key(s) {', '.join(unknown)} that the keyring "
            f"({ring.source}) does not hold; restore them to the keyring before rotating"
        )


def _rewrap_all(
    db: Database, ring: Keyring, *, batch: int, clock: Clock, progress: Progress | None
) -> dict[str, int]:
    """Re-wrap every record not under the active key, `batch` rows per short transaction."""
    target = ring.active
    old = [k for k in ring.keys if k != target]
    moved: dict[str, int] = {}
    if not old:
        return moved
    with db.engine.connect() as conn:
        total = int(
            conn.execute(select(func.count()).where(vault_records.c.key_id.in_(old))).scalar_one()
        )
    statement = (
        update(vault_records)
        .where(vault_records.c.id == bindparam("b_id"))
        .where(vault_records.c.key_id == bindparam("b_old"))  # unless someone beat us to it
        .values(key_id=target, wrapped_key=bindparam("b_wrapped"), rewrapped_at=bindparam("b_at"))
    )
    done = 0
    if progress:
        progress(0, total)
    while True:
        with db.transaction() as conn:
            rows = conn.execute(
                select(*_READ).where(vault_records.c.key_id.in_(old)).limit(batch)
            ).mappings().all()  # fmt: skip
            if not rows:
                break
            now = clock.now()
            params = [
                {"b_id": row["id"], "b_old": row["key_id"], "b_at": now,
                 "b_wrapped": rewrap_key(ring, row, target)}
                for row in rows
            ]  # fmt: skip
            conn.execute(statement, params)
        for row in rows:
            moved[row["key_id"]] = moved.get(row["key_id"], 0) + 1
        done += len(rows)
        if progress:
            progress(done, max(total, done))
    return moved


def rotate(
    db: Database,
    source: Settings | Keyring,
    *,
    batch: int = 500,
    clock: Clock,
    progress: Progress | None = None,
    rewrap_only: bool = False,
    new_keyring_out: Path | None = None,
    principal: str = "system",
) -> int:
    """Rotate the master key: add a new active key to the key file (old keys stay), then
    re-wrap every data key still under an older key in short batches; returns how many.

    `rewrap_only`: add no key, just re-wrap to the current active key (finishes an interrupted
    rotation, or step 2 for a keyring in SHOPGUARD_MASTER_KEY). `new_keyring_out`: write the
    keyring with a new active key to that file (0600) for the operator to install, re-wrap
    nothing (step 1 for a keyring in SHOPGUARD_MASTER_KEY, which cannot be rewritten)."""
    if batch < 1:
        raise InvalidInput(f"batch must be at least 1, got {batch}")
    ring = _current(source)
    previous = ring.active
    if new_keyring_out is not None:
        target = ring.with_new_key()
        _write_out(new_keyring_out, target)
        with db.transaction() as conn:
            audit.append(
                conn, at=clock.now(), principal=principal, action="vault.rotate",
                target=f"vault-key:{target.active}",
                reason="new master key written for the operator to install",
                detail={"new_key": target.active, "previous_key": previous, "rewrapped": 0,
                        "keyring_written_to": str(new_keyring_out)},
            )  # fmt: skip
        return 0
    if rewrap_only:
        target = ring
        _check_known(db, target)
    elif ring.path is None:
        raise VaultError(ENV_ROTATE_HELP)
    else:
        path = ring.path
        with key_file_lock(path):
            current = read_keyring_file(path)
            _check_known(db, current)
            target = current.with_new_key()
            write_keyring(path, target)
        previous = current.active
    moved = _rewrap_all(db, target, batch=batch, clock=clock, progress=progress)
    count = sum(moved.values())
    with db.transaction() as conn:
        audit.append(
            conn, at=clock.now(), principal=principal, action="vault.rotate",
            target=f"vault-key:{target.active}",
            reason="re-wrap only" if rewrap_only else "master key rotated",
            detail={"new_key": target.active, "previous_key": previous, "rewrapped": count,
                    "rewrapped_from": moved, "batch": batch},
        )  # fmt: skip
    if isinstance(source, Keyring):
        source.reload()  # the caller's keyring can read the re-wrapped records straight away
    return count


def retire(
    db: Database,
    key_id: str,
    *,
    source: Settings | Keyring,
    clock: Clock,
    new_keyring_out: Path | None = None,
    principal: str = "system",
) -> Keyring:
    """Remove an old master key from the key file once no record is wrapped under it; returns
    the keyring without it. The active key cannot be retired. Retire only after every process
    runs on the new active key (one still sealing under the old key would lose those records).
    With a keyring in SHOPGUARD_MASTER_KEY, the result goes to `new_keyring_out`."""
    ring = _current(source)
    if key_id not in ring.keys:
        raise NotFound(
            f"the vault keyring has no key {key_id[:40]!r}; it holds {', '.join(sorted(ring.keys))}"
        )
    if key_id == ring.active:
        raise InvalidInput(
            f"key {key_id} is the active key; rotate to a new key before retiring it"
        )
    if ring.path is None and new_keyring_out is None:
        raise VaultError(
            f"the keyring comes from {ENV_NAME}, which shopguard cannot rewrite: run "
            "`shopguard vault retire KEY_ID --new-keyring-out FILE` and install FILE's contents "
            f"as {ENV_NAME}"
        )
    lock = key_file_lock(ring.path) if ring.path is not None else contextlib.nullcontext()
    with lock, db.transaction() as conn:
        if ring.path is not None:
            ring = read_keyring_file(ring.path)  # as it is now, under the lock
            ring.key(key_id)
        left = int(
            conn.execute(select(func.count()).where(vault_records.c.key_id == key_id)).scalar_one()
        )
        if left:
            raise Conflict(
                f"key {key_id} still protects {left} record(s); run "
                "`shopguard vault rotate --rewrap-only` first"
            )
        remaining = ring.without_key(key_id)
        audit.append(
            conn, at=clock.now(), principal=principal, action="vault.retire",
            target=f"vault-key:{key_id}", reason="old master key removed from the keyring",
            detail={"retired_key": key_id, "active_key": remaining.active,
                    "keys_left": sorted(remaining.keys)},
        )  # fmt: skip
        if new_keyring_out is not None:
            _write_out(new_keyring_out, remaining)
        elif remaining.path is not None:  # always so here: checked above
            write_keyring(remaining.path, remaining)
    return remaining
