"""Bulk writes every store shares: inserts through the driver's fastest path (PostgreSQL COPY,
SQLite executemany) and id reservation, so a batch needs no RETURNING."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import JSON, Table, func, insert, select, text
from sqlalchemy.engine import Connection, Dialect


def insert_many(
    conn: Connection, table: Table, rows: list[dict[str, Any]], *, ids: bool = True
) -> list[int]:
    """Insert rows in one statement (batched by the driver) and return their ids in order."""
    if not rows:
        return []
    if not ids:
        bulk_insert(conn, table, rows)
        return []
    if len(rows) == 1:
        return [int(conn.execute(insert(table).values(rows[0]).returning(table.c.id)).scalar_one())]
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [int(r) for r in result.scalars()]


def chunks(ids: Sequence[str], size: int = 900) -> list[Sequence[str]]:
    # SQLite caps bound parameters per statement; PostgreSQL is happy either way.
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def reserve_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """`n` fresh ids for `table`, so a bulk insert needs no RETURNING (the caller holds the
    write lock on SQLite; PostgreSQL hands out sequence values)."""
    if n == 0:
        return []
    if conn.dialect.name == "postgresql":
        query = text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")
        return [int(i) for i in conn.execute(query, {"t": table.name, "n": n}).scalars()]
    top = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(int(top) + 1, int(top) + 1 + n))


@functools.lru_cache(maxsize=256)
def _sqlite_insert(
    dialect: Dialect, table: Table, names: tuple[str, ...]
) -> tuple[str, list[str], list[Any]]:
    """The INSERT for these columns, its parameter order and each column's bind processor (the
    dialect's own type, e.g. SQLite's DATETIME storage format); compiled once per shape."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(names))
    order = list(compiled.positiontup or names)  # the statement's own parameter order
    procs = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in order]
    return str(compiled), order, procs


def bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows through the driver's fastest path (PostgreSQL: COPY; SQLite:
    executemany), with the same value conversions SQLAlchemy applies."""
    if not rows:
        return
    names = list(rows[0])
    columns = [table.c[n] for n in names]
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        json_cols = {i for i, c in enumerate(columns) if isinstance(c.type, JSON)}
        statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
        with raw.cursor() as cur, cur.copy(statement) as copy:  # type: ignore[union-attr]
            for r in rows:
                values = [r[n] for n in names]
                for i in json_cols:
                    values[i] = orjson.dumps(values[i]).decode()
                copy.write_row(values)
        return
    statement, order, procs = _sqlite_insert(conn.dialect, table, tuple(names))
    params = [
        tuple(
            p(r[n]) if p and r[n] is not None else r[n] for p, n in zip(procs, order, strict=True)
        )
        for r in rows
    ]
    cur = raw.cursor()  # type: ignore[union-attr]
    cur.executemany(statement, params)
    cur.close()
