"""Screening use cases: screen items against the loaded policy and store the decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from shopguard.platform.auth import STAFF_ROLES, Principal, Role
from shopguard.platform.clock import Clock
from shopguard.platform.db import Database
from shopguard.platform.errors import Forbidden
from shopguard.screening import store
from shopguard.screening.writer import DecisionWriter
from shopguard.text.compiler import CompiledPolicy
from shopguard.text.engine import screen_item
from shopguard.text.model import Decision, Item
from shopguard.text.pii import mask_text

# Who screens through the API: staff, and shops and creators for what they publish. A consumer,
# courier or rights holder publishes nothing; their keys must not fill the store with decisions.
SCREENERS = frozenset(STAFF_ROLES | {Role.MERCHANT, Role.CREATOR})


def access_screening(principal: Principal) -> None:
    """Refuse roles that publish nothing (Forbidden), before the body is read."""
    if principal.role not in SCREENERS:
        raise Forbidden(f"role {principal.role.value} may not screen items")


@dataclass(frozen=True)
class StoredDecision:
    decision_id: int
    decision: Decision

    def as_dict(self) -> dict[str, Any]:
        return {**self.decision.as_dict(), "decision_id": self.decision_id}


def masked_item(item: Item) -> dict[str, Any]:
    """The item as stored: every text field with personal data masked."""
    out: dict[str, Any] = {"id": item.id, "kind": item.kind.value, "text": mask_text(item.text)}
    if item.title is not None:
        out["title"] = mask_text(item.title)
    if item.category is not None:
        out["category"] = item.category.value
    if item.price is not None:
        out["price"] = item.price
    if item.brand is not None:
        out["brand"] = item.brand
    return out


def decision_rows(
    pairs: Sequence[tuple[Item, Decision]], *, principal: Principal | None, clock: Clock
) -> list[dict[str, Any]]:
    """The rows that store decisions (with their masked items), stamped with the clock."""
    at = clock.now()
    return [
        store.row_for(
            decision.as_dict(),
            masked_item(item),
            principal=principal.key_id if principal else None,
            subject=principal.subject if principal else None,
            at=at,
        )
        for item, decision in pairs
    ]


def store_decisions(
    conn: Connection,
    pairs: Sequence[tuple[Item, Decision]],
    *,
    principal: Principal | None,
    clock: Clock,
) -> list[int]:
    """Append decisions (with their masked items) inside the caller's transaction."""
    rows = decision_rows(pairs, principal=principal, clock=clock)
    return store.insert_decisions(conn, rows) if rows else []


async def screen_and_append(
    writer: DecisionWriter,
    item: Item,
    *,
    policy: CompiledPolicy,
    principal: Principal | None,
    clock: Clock,
) -> StoredDecision:
    """Screen one item and append its decision through the group-commit writer (HTTP path)."""
    decision = screen_item(item, policy)
    (row,) = decision_rows([(item, decision)], principal=principal, clock=clock)
    return StoredDecision(await writer.append(row), decision)


def screen_and_store(
    db: Database,
    items: Sequence[Item],
    *,
    policy: CompiledPolicy,
    principal: Principal | None,
    clock: Clock,
) -> list[StoredDecision]:
    """Screen `items` and store every decision in one transaction."""
    decisions = [screen_item(item, policy) for item in items]
    with db.transaction() as conn:
        ids = store_decisions(
            conn, list(zip(items, decisions, strict=True)), principal=principal, clock=clock
        )
    return [StoredDecision(i, d) for i, d in zip(ids, decisions, strict=True)]
