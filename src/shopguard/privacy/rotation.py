"""Rotating and retiring the vault's master keys, and the vault's status.

Rotation adds a new active key to the key file (old keys stay, so every process can still read
everything) and then re-wraps the data keys in short batches, each its own transaction: the
ciphertexts never change and no record is unreadable at any moment. A key is retired only when
no record uses it any more.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection

from shopguard.platform import audit
from shopguard.platform.errors import Conflict, InvalidInput, NotFound, VaultError
from shopguard.privacy.keyring import (
    ENV_NAME,
    Keyring,
    key_file_lock,
    load_keyring,
    read_keyring_file,
    write_keyring,
)

if TYPE_CHECKING:
    from shopguard.platform.clock import Clock
    from shopguard.platform.config import Settings
    from shopguard.platform.db import Database
from shopguard.privacy.vault import READ_COLUMNS, rewrap_key, vault_records

Progress = Callable[[int, int], None]

ENV_ROTATE_HELP = (
    f"the keyring comes from {ENV_NAME}, which shopguard cannot rewrite. Rotate in two steps: "
    "(1) `shopguard vault rotate --new-keyring-out FILE` writes the current keys plus a new "
    f"active one to FILE (mode 0600); install its contents as {ENV_NAME} for every shopguard "
    "process and restart them; (2) `shopguard vault rotate --rewrap-only` re-wraps every "
    "record under the new key. Then delete FILE."
)


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
                select(*READ_COLUMNS).where(vault_records.c.key_id.in_(old)).limit(batch)
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
