"""Principals, roles and API keys.

A key looks like `sg_<key_id>_<secret>`. Only the key id and SHA-256 of the secret are stored;
the secret is compared in constant time. Keys are high-entropy random strings, so a plain
SHA-256 (not a slow password hash) is the right tool and keeps per-request checks cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from enum import StrEnum

from shopguard.platform import audit, auth_store
from shopguard.platform.clock import Clock
from shopguard.platform.db import Database
from shopguard.platform.errors import Forbidden, InvalidInput, NotFound, Unauthenticated


class Role(StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    CS_AGENT = "cs_agent"
    MERCHANT = "merchant"
    CREATOR = "creator"
    RIGHTS_HOLDER = "rights_holder"
    CONSUMER = "consumer"
    COURIER = "courier"


# Roles that see every shop's records; subject roles see only their own.
STAFF_ROLES = {Role.ADMIN, Role.REVIEWER, Role.CS_AGENT}

# Roles whose keys act for one subject (a shop, a creator, a rights holder, a consumer).
SUBJECT_ROLES = {Role.MERCHANT, Role.CREATOR, Role.RIGHTS_HOLDER, Role.CONSUMER}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key id, its role and (for scoped roles) the subject it acts for."""

    key_id: str
    role: Role
    subject: str | None = None


def require_role(principal: Principal, *roles: Role) -> None:
    """Refuse (Forbidden) a principal whose role is not one of `roles`."""
    if principal.role not in roles:
        raise Forbidden(f"role {principal.role.value} may not do this")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(
    db: Database,
    *,
    role: str,
    subject: str | None,
    clock: Clock,
    label: str | None = None,
    actor: str = "cli",
) -> tuple[Principal, str]:
    """Create a key and return it; the clear key exists only in this return value."""
    try:
        parsed = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidInput(f"unknown role {role!r}; expected one of: {allowed}") from None
    if parsed in SUBJECT_ROLES and not subject:
        raise InvalidInput(f"role {parsed.value} acts for one subject: give --subject")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with db.transaction() as conn:
        auth_store.insert_key(
            conn,
            key_id=key_id,
            secret_hash=_hash(secret),
            role=parsed.value,
            subject=subject,
            label=label,
            created_at=clock.now(),
        )
        audit.append(
            conn,
            at=clock.now(),
            principal=actor,
            action="key.create",
            target=f"key:{key_id}",
            reason=label or "key created",
            detail={"role": parsed.value, "subject": subject},
        )
    return Principal(key_id, parsed, subject), f"sg_{key_id}_{secret}"


def revoke_key(db: Database, key_id: str, *, clock: Clock, actor: str = "cli") -> None:
    """Revoke a key; it stops working within the authenticator's cache time."""
    with db.transaction() as conn:
        if auth_store.revoke_key(conn, key_id, at=clock.now()) == 0:
            raise NotFound(f"no active key {key_id!r}")
        audit.append(
            conn,
            at=clock.now(),
            principal=actor,
            action="key.revoke",
            target=f"key:{key_id}",
            reason="key revoked",
        )


class Authenticator:
    """Resolves bearer keys to principals, caching lookups for a few seconds."""

    def __init__(self, db: Database, *, cache_seconds: float = 5.0) -> None:
        self._db = db
        self._ttl = cache_seconds
        self._cache: dict[str, tuple[float, Principal | None]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _parse(token: str) -> tuple[str, str] | None:
        """(key id, digest of the secret) of a well-formed key, else None."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "sg" or not parts[1] or not parts[2]:
            return None
        return parts[1], _hash(parts[2])

    def _fresh(self, key_id: str, digest: str) -> tuple[bool, Principal | None]:
        """(found, principal) from the cache; a cached None means a known bad key."""
        with self._lock:
            hit = self._cache.get(f"{key_id}:{digest}")
        if hit is None or time.monotonic() - hit[0] >= self._ttl:
            return False, None
        return True, hit[1]

    def cached(self, token: str) -> Principal | None:
        """The principal for a valid key seen within the cache time, else None (no I/O)."""
        parsed = self._parse(token)
        return self._fresh(*parsed)[1] if parsed else None

    def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise Unauthenticated("missing bearer key")
        parsed = self._parse(token)
        if parsed is None:
            raise Unauthenticated("malformed key")
        found, principal = self._fresh(*parsed)
        if not found:
            principal = self._load(*parsed)
            with self._lock:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[f"{parsed[0]}:{parsed[1]}"] = (time.monotonic(), principal)
        if principal is None:
            raise Unauthenticated("unknown or revoked key")
        return principal

    def _load(self, key_id: str, digest: str) -> Principal | None:
        with self._db.engine.connect() as conn:
            row = auth_store.find_key(conn, key_id)
        if row is None or row["revoked_at"] is not None:
            return None
        if not hmac.compare_digest(str(row["secret_hash"]), digest):
            return None
        subject = row["subject"]
        return Principal(key_id, Role(str(row["role"])), str(subject) if subject else None)
