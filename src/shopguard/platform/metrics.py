"""The metric registry: every figure the yearly report shows has an id, a plain-words definition
and the query that computes it from the store, so a reader can check each one. It knows no
pillar: each capability registers its own (`<capability>/metrics.py`), and the composition root
(`runtime.load_metrics`) loads them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection

Value = int | float | None | dict[str, Any] | list[Any]


@dataclass(frozen=True)
class Period:
    """A half-open time range [start, end), usually one calendar year."""

    start: datetime
    end: datetime

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class Metric:
    id: str
    pillar: int  # DESIGN.md's pillar (1 content ... 5 information security)
    title: str
    definition: str
    compute: Callable[[Connection, Period], Value]
    title_zh: str = ""
    definition_zh: str = ""
    unit: str = "count"  # count, ratio, hours, yuan, days: how the report shows the value


REGISTRY: dict[str, Metric] = {}


def metric(
    id: str,
    *,
    pillar: int,
    title: str,
    definition: str,
    title_zh: str,
    definition_zh: str,
    unit: str = "count",
) -> Callable[[Callable[[Connection, Period], Value]], Callable[[Connection, Period], Value]]:
    """Register a metric's query under its id, with its English and Chinese wording."""

    def wrap(fn: Callable[[Connection, Period], Value]) -> Callable[[Connection, Period], Value]:
        if id in REGISTRY:
            raise ValueError(f"metric {id} is defined twice")
        REGISTRY[id] = Metric(
            id, pillar, title, " ".join(definition.split()), fn, title_zh,
            "".join(definition_zh.split()), unit,
        )  # fmt: skip
        return fn

    return wrap


def compute(
    conn: Connection,
    period: Period,
    ids: list[str] | None = None,
    *,
    catalog: Mapping[str, Metric] | None = None,
) -> dict[str, Any]:
    """{id: {"title", "definition", "pillar", "value"}} for the chosen (default: all) metrics of
    `catalog` (default: every metric registered so far; the composition root registers them)."""
    out: dict[str, Any] = {}
    for mid, m in sorted((REGISTRY if catalog is None else catalog).items()):
        if ids is None or mid in ids:
            out[mid] = {
                "title": m.title, "definition": m.definition, "pillar": m.pillar,
                "title_zh": m.title_zh, "definition_zh": m.definition_zh, "unit": m.unit,
                "value": m.compute(conn, period),
            }  # fmt: skip
    return out
