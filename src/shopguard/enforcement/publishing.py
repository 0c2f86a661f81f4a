"""Publishing: what becomes of a screened item once its owner's standing is known. The publish
gate runs after screening (POST /v1/screen), and a stored decision is shown with its status,
history and statement of reasons (GET /v1/decisions/{id}). Enforcement uses screening here;
screening knows nothing of enforcement."""

from __future__ import annotations

from typing import Any

from shopguard.enforcement.items import item_status
from shopguard.enforcement.statements import from_decision
from shopguard.enforcement.store import item_history
from shopguard.platform.auth import STAFF_ROLES, Principal, Role
from shopguard.platform.db import Database
from shopguard.platform.errors import NotFound
from shopguard.screening.store import get_decision

# The subjects decisions are made about: a decision is theirs when they screened it.
_DECIDED = (Role.MERCHANT, Role.CREATOR)


def access_decision(db: Database, decision_id: int, *, principal: Principal) -> dict[str, Any]:
    """A stored decision, if the principal may see it (staff: all; subjects: their own)."""
    with db.engine.connect() as conn:
        row = get_decision(conn, decision_id)
        history = item_history(conn, decision_id) if row is not None else []
    mine = (
        principal.role in _DECIDED
        and principal.subject is not None
        and row is not None
        and row["subject"] == principal.subject
    )
    if row is None or not (principal.role in STAFF_ROLES or mine):
        # The same answer for "absent" and "not yours": no probing other shops' ids.
        raise NotFound(f"no decision {decision_id}")
    out = {
        "decision_id": row["id"],
        "id": row["item_id"],
        "action": row["action"],
        "violations": row["violations"],
        "policy_version": row["policy_version"],
        "created_at": row["created_at"].isoformat(),
        "item": row["item"],
        # What became of the item since: held, blocked (on review, or by its owner's
        # standing), published, restored.
        "status": item_status(row["action"], history),
        "history": [
            {
                "status": e["status"],
                "cause": e["cause"],
                "reason": e["reason"],
                "at": e["at"].isoformat(),
            }  # fmt: skip
            for e in history
        ],
    }
    if (
        row["action"] == "block" or out["status"] == "blocked"
    ):  # the statement of reasons the affected party can read
        out["statement"] = from_decision(row)
    return out
