"""Applying violations in bulk (an import, a lab's batch of results, a backfill): JSONL in,
one transaction, chunked bulk writes through the same `record` the HTTP path uses. A bad line
anywhere rolls the whole batch back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from shopguard.enforcement.findings import Finding
from shopguard.enforcement.model import EnforcementPolicy
from shopguard.enforcement.violations import LedgerCache, record
from shopguard.platform.clock import Clock
from shopguard.platform.db import Database
from shopguard.platform.errors import FieldError, InvalidInput

FIELDS = {"subject", "code", "severity", "source", "item_id", "evidence", "at"}


@dataclass
class BatchResult:
    violations: int = 0
    points: int = 0
    held: int = 0
    sanctions: Counter[str] = field(default_factory=Counter)


def parse_line(raw: bytes | str, line: int) -> Finding:
    """One JSONL line as a finding; errors name the line and the field."""

    def bad(name: str, message: str) -> InvalidInput:
        return InvalidInput(
            f"line {line}: {name}: {message}", errors=[FieldError(name, message, line)]
        )

    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise bad("(line)", "not valid JSON") from None
    if not isinstance(obj, dict):
        raise bad("(line)", "expected a JSON object")
    unknown = sorted(set(obj) - FIELDS)
    if unknown:
        raise bad(unknown[0], "unknown field")
    for name in ("subject", "code", "severity"):
        if not isinstance(obj.get(name), str) or not obj[name]:
            raise bad(name, "required, a non-empty string")
    at = None
    if obj.get("at") is not None:
        try:
            at = datetime.fromisoformat(str(obj["at"]))
        except ValueError:
            raise bad("at", "expected an ISO 8601 timestamp with a time zone") from None
        if at.tzinfo is None:
            raise bad("at", "expected an ISO 8601 timestamp with a time zone")
    evidence = obj.get("evidence", [])
    if not isinstance(evidence, list):
        raise bad("evidence", "expected a list")
    return Finding(
        subject=obj["subject"], code=obj["code"], severity=obj["severity"],
        source=str(obj.get("source", "reviewer")), item_id=obj.get("item_id"),
        evidence=evidence, at=at,
    )  # fmt: skip


def _chunks(lines: Iterable[bytes | str], size: int) -> Iterator[list[tuple[int, Finding]]]:
    chunk: list[tuple[int, Finding]] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        chunk.append((number, parse_line(raw, number)))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def apply_lines(
    db: Database,
    lines: Iterable[bytes | str],
    *,
    policy: EnforcementPolicy,
    clock: Clock,
    actor: str,
    chunk: int = 20_000,
    progress: Callable[[int], Any] | None = None,
) -> BatchResult:
    """Apply every line's violation in one transaction (all or nothing)."""
    out = BatchResult()
    now = clock.now()
    cache = LedgerCache()
    with db.transaction() as conn:
        for part in _chunks(lines, chunk):
            applied = record(
                conn, [f for _, f in part], policy=policy, now=now, actor=actor,
                lines=[n for n, _ in part], cache=cache, audit_each=False,
            )  # fmt: skip
            for a in applied:
                out.violations += 1
                out.points += a.points
                out.held += a.state == "pending"
                out.sanctions.update(a.sanctions)
            if progress:
                progress(len(part))
    return out
