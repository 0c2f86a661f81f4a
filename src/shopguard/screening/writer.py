"""Group commit for decisions stored from HTTP requests.

Each request hands its row to one writer thread and awaits the id. The thread takes whatever
has queued up (up to `max_batch` rows), inserts it in one transaction and answers every waiting
request. Under load that turns hundreds of small commits into a few large ones, on SQLite and
PostgreSQL alike; with one request at a time it is a plain insert. A request is answered only
after its transaction has committed, and a failed transaction fails every request in it.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from typing import Any

from shopguard.platform.db import Database
from shopguard.screening import store

log = logging.getLogger("shopguard.writer")
_STOP = object()


class DecisionWriter:
    """One background thread appending decision rows in batches."""

    def __init__(self, db: Database, *, max_batch: int = 64) -> None:
        self._db = db
        self._max = max_batch
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _ensure_started(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="decision-writer", daemon=True
                    )
                    self._thread.start()

    async def append(self, row: dict[str, Any]) -> int:
        """Store one row; returns its id once the transaction holding it has committed."""
        self._ensure_started()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        self._queue.put((row, loop, future))
        return await future

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            stop = False
            while len(batch) < self._max:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is _STOP:
                    stop = True
                    break
                batch.append(nxt)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list[Any]) -> None:
        try:
            with self._db.transaction() as conn:
                ids = store.insert_decisions(conn, [row for row, _, _ in batch])
        except Exception as exc:  # every waiting request gets the failure, none is lost
            log.error("decision batch of %d failed: %s", len(batch), type(exc).__name__)
            for _, loop, future in batch:
                loop.call_soon_threadsafe(_fail, future, exc)
            return
        for (_, loop, future), decision_id in zip(batch, ids, strict=True):
            loop.call_soon_threadsafe(_resolve, future, decision_id)


def _resolve(future: asyncio.Future[int], value: int) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: asyncio.Future[int], exc: Exception) -> None:
    if not future.done():
        future.set_exception(exc)
