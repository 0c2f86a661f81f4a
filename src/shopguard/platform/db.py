"""Database engine, schema migrations (Alembic) and transactions, for SQLite and PostgreSQL."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

MIGRATIONS = Path(__file__).with_name("migrations")


# JSON columns through orjson (the stdlib encoder is a visible cost on the insert path).
_JSON_CODEC: dict[str, Any] = {
    "json_serializer": lambda obj: orjson.dumps(obj).decode(),
    "json_deserializer": orjson.loads,
}


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created and WAL mode switched on."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, poolclass=QueuePool, pool_size=20, max_overflow=20, **_JSON_CODEC
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # Connections are recycled rather than pinged before every use (a ping per transaction
    # costs a round trip on the hot path).
    return create_engine(url, pool_size=20, max_overflow=20, pool_recycle=1800, **_JSON_CODEC)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the bundled migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest revision; cheap when it is already there."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")


class Database:
    """The engine plus the one way to run a unit of work: `with db.transaction() as conn`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite lets one writer in at a time and makes the others poll with growing sleeps,
        # which with several server processes turns into second-long stalls. Writers on a
        # SQLite file queue on an OS file lock instead (woken the moment it is free).
        self._lock_path: str | None = None
        database = engine.url.database
        if engine.dialect.name == "sqlite" and database and database != ":memory:":
            self._lock_path = database + ".writelock"

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Serialise writers across processes on SQLite; a no-op on PostgreSQL."""
        if self._lock_path is None:
            yield
            return
        with open(self._lock_path, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> Database:
        """Connect to `url` and (by default) migrate it to the latest schema."""
        engine = make_engine(url)
        if upgrade:
            migrate(engine)
        return cls(engine)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        with self.write_lock(), self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()
