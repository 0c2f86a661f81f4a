"""API keys: stored as a public key id plus a SHA-256 hash of the secret, never the key itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, String, Table, insert, select, update
from sqlalchemy.engine import Connection

from shopguard.platform.meta import metadata

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key_id", String(32), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),
    Column("role", String(32), nullable=False),
    Column("subject", String(128), nullable=True),
    Column("label", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)


def insert_key(
    conn: Connection,
    *,
    key_id: str,
    secret_hash: str,
    role: str,
    subject: str | None,
    label: str | None,
    created_at: datetime,
) -> None:
    conn.execute(
        insert(api_keys).values(
            key_id=key_id,
            secret_hash=secret_hash,
            role=role,
            subject=subject,
            label=label,
            created_at=created_at,
        )
    )


def find_key(conn: Connection, key_id: str) -> dict[str, object] | None:
    row = conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).mappings().first()
    return dict(row) if row else None


def revoke_key(conn: Connection, key_id: str, *, at: datetime) -> int:
    result = conn.execute(
        update(api_keys)
        .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return result.rowcount
