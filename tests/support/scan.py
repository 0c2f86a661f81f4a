"""Reading back everything a store holds, to prove what it does not hold."""

from __future__ import annotations

from sqlalchemy import select

from shopguard.platform.db import Database
from shopguard.schema import metadata


def stored_text(db: Database) -> str:
    """Every value of every table as text (bytes decoded leniently)."""
    out = []
    with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for v in row:
                    out.append(v.decode("utf-8", "ignore") if isinstance(v, bytes) else str(v))
    return "\n".join(out)
