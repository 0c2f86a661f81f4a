"""Every statement of reasons of a year (blocked items and account sanctions), in the layout
of the DSA Transparency Database, read from the store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from shopguard.enforcement import ledger as arithmetic
from shopguard.enforcement import statements, store
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.platform.clock import aware
from shopguard.platform.db import Database
from shopguard.screening.store import decisions


def export_statements(
    db: Database, *, year: int | None, policy: EnforcementPolicy
) -> list[dict[str, Any]]:
    """Every statement of reasons (blocked items and account sanctions), oldest first."""

    def in_year(at: datetime) -> bool:
        return year is None or at.year == year

    out: list[dict[str, Any]] = []
    with db.engine.connect() as conn:
        blocked = conn.execute(
            select(decisions).where(decisions.c.action == "block").order_by(decisions.c.id)
        ).mappings()
        for row in blocked:
            if in_year(row["created_at"]):
                out.append(statements.from_decision(dict(row)))
        later = conn.execute(
            select(store.item_events, decisions)
            .join(decisions, decisions.c.id == store.item_events.c.decision_id)
            .where(store.item_events.c.status == "blocked")
            .order_by(store.item_events.c.id)
        ).all()
        for joined in later:
            event = {c: joined._mapping[store.item_events.c[c]] for c in store.item_events.c.keys()}  # noqa: SIM118
            item_row = {c: joined._mapping[decisions.c[c]] for c in decisions.c.keys()}  # noqa: SIM118
            event["at"] = aware(event["at"])
            if not in_year(event["at"]):
                continue
            code = ""
            if event["cause"] == "review":
                reviewed = store.get_review_item(conn, event["ref"])
                final = store.reviewers_of(conn, event["ref"]) if reviewed else []
                code = final[-1]["code"] if final else (reviewed or {}).get("code", "")
            out.append(statements.from_item_event(item_row, event, code))
        sanctioned = conn.execute(
            select(store.ledger.c.subject).where(store.ledger.c.kind == "sanction").distinct()
        ).scalars()
        for subject in list(sanctioned):
            entries = store.entries_of(conn, subject)
            reversed_ids = {e.ref for e in entries if e.kind == "reversal"}
            for e in entries:
                if e.kind != "sanction" or e.sanction == "warning" or e.id in reversed_ids:
                    continue
                if not in_year(e.at) or e.violation is None:
                    continue
                violation = store.get_violation(conn, e.violation)
                if violation is None:
                    continue
                violation["at"] = aware(violation["at"])
                upto = [x for x in entries if x.id <= e.id]
                points = arithmetic.points_in_window(upto, now=e.at, days=policy.window_days).get(
                    e.track, 0
                )
                entry = {"id": e.id, "subject": e.subject, "sanction": e.sanction, "track": e.track,
                         "until": e.until, "at": e.at}  # fmt: skip
                out.append(statements.from_sanction(entry, violation, points))
    return out
