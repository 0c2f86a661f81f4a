"""Injectable clocks: services take a Clock so tests can move time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and the simulator."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, at: datetime) -> None:
        """Move to `at` (the simulator walks through its year this way)."""
        self._now = at


def aware(at: datetime | None) -> datetime | None:
    """`at` with UTC attached when the database handed it back naive (SQLite does)."""
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at
