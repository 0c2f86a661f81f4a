"""Render a `Report` to HTML, Markdown, JSON or PDF, in Chinese or English.

The figures are computed elsewhere (`data.Report` is the contract); here they are only laid
out and written in the reader's language. HTML is one self-contained file (inline CSS and
SVG, nothing fetched); the PDF is WeasyPrint's print of that same HTML.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup

from shopguard.platform.fonts import Lang, font_stack, serif_stack
from shopguard.reporting.charts import render_chart
from shopguard.reporting.data import Chart, DetectionRow, Figure, Pillar, Report
from shopguard.reporting.i18n import (
    DASH,
    change_direction,
    check_lang,
    format_change,
    format_date,
    format_value,
    pillar_default,
    pillar_intro,
    text,
    unit_name,
)

FORMATS = ("html", "md", "json", "pdf")
T = TypeVar("T")
PILLAR_NUMBERS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class FigureView:
    """One figure, every number already written out for the reader."""

    id: str
    metric: str
    title: str
    definition: str
    unit: str
    value: str
    previous: str
    change: str
    direction: str  # up, down, flat, none
    computed: bool  # the value exists
    has_previous: bool


@dataclass(frozen=True)
class ChartView:
    """One chart: its SVG, and the same numbers as a table (for Markdown and screen readers)."""

    id: str
    title: str
    kind: str
    svg: Markup
    columns: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class PillarView:
    number: int
    key: str
    title: str
    intro: str
    measured: bool
    figures: list[FigureView]
    charts: list[ChartView]


@dataclass(frozen=True)
class DetectionView:
    code: str
    tp: str
    fp: str
    fn: str
    precision: str
    recall: str
    f1: str


@dataclass(frozen=True)
class DefinitionGroup:
    title: str
    figures: list[FigureView]


def render(report: Report, fmt: str, lang: str) -> bytes:
    """The report as `fmt` (html, md, json, pdf) in `lang` (zh, en); ValueError otherwise."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt: {fmt!r} is not one of {', '.join(FORMATS)}")
    language = check_lang(lang)
    if fmt == "json":
        return render_json(report, language).encode("utf-8")
    if fmt == "md":
        return _template("report.md").render(_context(report, language)).encode("utf-8")
    html = render_html(report, language)
    if fmt == "html":
        return html.encode("utf-8")
    return render_pdf(html)


def render_html(report: Report, lang: Lang) -> str:
    """The one-file HTML report."""
    return _template("report.html").render(_context(report, lang))


def render_pdf(html: str) -> bytes:
    """WeasyPrint's A4 print of the HTML report (its print stylesheet numbers the pages)."""
    # optional heavy dependency: loading Pango costs a moment the other formats need not pay.
    from weasyprint import HTML  # type: ignore[import-untyped]  # ships no type hints

    return bytes(HTML(string=html, base_url=None).write_pdf())


def render_json(report: Report, lang: Lang) -> str:
    """The Report itself, plus `lang` and each titled thing's title in that language."""
    data: dict[str, Any] = {"lang": lang, **_plain(report)}
    for figure in data["figures"].values():
        figure["title"] = figure[f"title_{lang}"]
        figure["definition"] = figure[f"definition_{lang}"]
    for chart in data["charts"].values():
        chart["title"] = chart[f"title_{lang}"]
    for pillar in data["pillars"]:
        pillar["title"] = pillar[f"title_{lang}"]
    data["detection_note"] = data[f"detection_note_{lang}"]
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _plain(value: Any) -> Any:
    """A deep copy as JSON data: tuples become lists, NaN and infinities become null."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("shopguard.reporting", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = _md_cell
    return env


def _template(name: str) -> Template:
    return _environment().get_template(name)


def _md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _figure_view(figure: Figure, lang: Lang) -> FigureView:
    unit = figure["unit"]
    value = format_value(figure["value"], unit, lang)
    previous = format_value(figure["previous"], unit, lang)
    return FigureView(
        id=figure["id"],
        metric=figure["metric"],
        title=figure["title_zh"] if lang == "zh" else figure["title_en"],
        definition=figure["definition_zh"] if lang == "zh" else figure["definition_en"],
        unit=unit_name(unit, lang),
        value=value,
        previous=previous,
        change=format_change(figure["change"]),
        direction=change_direction(figure["change"]),
        computed=value != DASH,
        has_previous=previous != DASH,
    )


def _chart_view(chart: Chart, lang: Lang) -> ChartView:
    columns = [s["label_zh"] if lang == "zh" else s["label_en"] for s in chart["series"]]
    xs: list[str] = []
    for series in chart["series"]:
        xs.extend(x for x, _ in series["points"] if x not in xs)
    lookup = [dict(series["points"]) for series in chart["series"]]
    rows = [
        (x, [format_value(p[x], chart["unit"], lang) if x in p else DASH for p in lookup])
        for x in xs
    ]
    return ChartView(
        id=chart["id"],
        title=chart["title_zh"] if lang == "zh" else chart["title_en"],
        kind=chart["kind"],
        svg=Markup(render_chart(chart, lang)),  # noqa: S704 - built from escaped parts
        columns=columns,
        rows=rows,
    )


def _lookup(kind: str, ident: str, table: Mapping[str, T]) -> T:
    """`table[ident]`, or a ValueError saying the report names something it does not define."""
    if ident not in table:
        raise ValueError(f"report lists {kind} {ident!r} but does not define it")
    return table[ident]


def _pillars(report: Report) -> list[Pillar]:
    """The report's pillars in order; any of DESIGN.md's five it leaves out is shown as not
    measured rather than silently dropped."""
    given = {p["number"]: p for p in report["pillars"]}
    out = list(report["pillars"])
    for number in PILLAR_NUMBERS:
        if number not in given:
            key, _ = pillar_default(number, "en")
            out.append(
                Pillar(
                    number=number,
                    key=key,
                    title_en=pillar_default(number, "en")[1],
                    title_zh=pillar_default(number, "zh")[1],
                    measured=False,
                    figures=[],
                    charts=[],
                )
            )
    return sorted(out, key=lambda p: p["number"])


def _context(report: Report, lang: Lang) -> dict[str, Any]:
    figures = report["figures"]
    pillars = _pillars(report)
    measured = {p["number"] for p in pillars if p["measured"]}

    def figure(ident: str) -> FigureView:
        return _figure_view(_lookup("figure", ident, figures), lang)

    views: list[PillarView] = []
    definitions: list[DefinitionGroup] = []
    shown: set[str] = set()
    for pillar in pillars:
        title = pillar["title_zh"] if lang == "zh" else pillar["title_en"]
        items = [figure(i) for i in pillar["figures"]] if pillar["measured"] else []
        charts = (
            [_chart_view(_lookup("chart", c, report["charts"]), lang) for c in pillar["charts"]]
            if pillar["measured"]
            else []
        )
        views.append(
            PillarView(
                number=pillar["number"],
                key=pillar["key"],
                title=title,
                intro=pillar_intro(pillar["key"], lang),
                measured=pillar["measured"],
                figures=items,
                charts=charts,
            )
        )
        if items:
            definitions.append(DefinitionGroup(title=title, figures=items))
            shown.update(f.id for f in items)
    headlines = [
        figure(i)
        for i in report["headlines"]
        if _lookup("figure", i, figures)["pillar"] in measured
    ]
    # Figures no pillar lists (a headline-only figure, say) still get their definition.
    others = [figure(i) for i, f in figures.items() if i not in shown and f["pillar"] in measured]
    if others:
        definitions.append(DefinitionGroup(title=text("other_figures", lang), figures=others))
    show_previous = report["previous_year"] is not None or any(
        f["previous"] is not None for f in figures.values()
    )

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    year = report["year"]
    previous = report["previous_year"]
    return {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "t": t,
        "year": year,
        "previous_year": previous,
        "this_year_label": t("this_year", year=year),
        "previous_label": t("this_year", year=previous)
        if previous is not None
        else t("previous_year_col"),
        "vs_label": t("vs_year", year=previous) if previous is not None else t("yoy"),
        "title": t("report_title", year=year),
        "platform": report["platform"],
        "platform_css": _css_string(report["platform"]),
        "generated": format_date(report["generated_at"], lang),
        "policy_version": report["policy_version"],
        "empty": report["empty"],
        "headlines": headlines,
        "pillars": views,
        "detection": [_detection_view(row) for row in report["detection"]],
        "detection_note": report["detection_note_zh"]
        if lang == "zh"
        else report["detection_note_en"],
        "definitions": definitions,
        "show_previous": show_previous,
        "font_sans": font_stack(lang),
        "font_serif": serif_stack(lang),
        "page_counter": Markup(t("page_counter_css")),  # noqa: S704 - our own constant
    }


def _css_string(value: str) -> str:
    """`value` safe inside a double-quoted CSS string in a <style> element."""
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return out.replace("<", "\\3c ").replace(">", "\\3e ")


def _detection_view(row: DetectionRow) -> DetectionView:
    return DetectionView(
        code=row["code"],
        tp=f"{row['tp']:,}",
        fp=f"{row['fp']:,}",
        fn=f"{row['fn']:,}",
        precision=format_value(row["precision"], "ratio", "en"),
        recall=format_value(row["recall"], "ratio", "en"),
        f1=format_value(row["f1"], "ratio", "en"),
    )
