"""The report's data: what `figures.build` computes from the store and `render` draws. Plain
JSON-able dicts, so the JSON format is this structure itself."""

from __future__ import annotations

from typing import Literal, TypedDict

Unit = Literal["count", "ratio", "hours", "yuan", "days"]


class Figure(TypedDict):
    id: str  # e.g. "enforcement.sanctions_by_kind.suspension" (metric id, then the key path)
    metric: str  # the named metric it comes from, e.g. "enforcement.sanctions_by_kind"
    pillar: int  # 1..5, DESIGN.md's pillars
    title_en: str
    title_zh: str
    definition_en: str  # the metric's plain-words definition
    definition_zh: str
    unit: Unit
    value: float | int | None  # None: could not be computed (e.g. no decided samples)
    previous: float | int | None  # the same figure the year before, when that year exists
    change: float | None  # (value - previous) / previous, when both exist and previous != 0


class Series(TypedDict):
    label_en: str
    label_zh: str
    points: list[tuple[str, float]]  # (x label, y value), in order


class Chart(TypedDict):
    id: str
    pillar: int
    kind: Literal["bar", "line"]
    title_en: str
    title_zh: str
    unit: Unit
    series: list[Series]  # bar: usually one series (or two: this year and the previous)


class Pillar(TypedDict):
    number: int  # 1..5
    key: str  # content, products, service, ip, security
    title_en: str
    title_zh: str
    measured: bool  # False: not built yet, the report says "not measured" and shows no figure
    figures: list[str]  # figure ids, in display order
    charts: list[str]  # chart ids


class DetectionRow(TypedDict):
    code: str
    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None


class Report(TypedDict):
    year: int
    previous_year: int | None  # set when the store has the year before
    generated_at: str  # ISO 8601
    platform: str  # "shopguard 0.x"
    policy_version: str
    empty: bool  # nothing happened in the year: the report says so
    headlines: list[str]  # figure ids for the headline table
    pillars: list[Pillar]
    figures: dict[str, Figure]
    charts: dict[str, Chart]
    detection: list[DetectionRow]  # appendix: per violation code vs the simulator's truth
    detection_note_en: str
    detection_note_zh: str
