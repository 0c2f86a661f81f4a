"""The yearly report renders in every format and both languages from a realistic `Report`:
self-contained HTML with SVG charts, Chinese in Chinese, numbers in each language's style,
no numbers for pillars not measured, and an empty year that says so."""

from __future__ import annotations

import contextlib
import json
import re
import zlib
from typing import Literal

import pytest
from markupsafe import escape

from shopguard.reporting.charts import bar_chart, line_chart, nice_ticks
from shopguard.reporting.data import Chart, DetectionRow, Figure, Pillar, Report, Series, Unit
from shopguard.reporting.i18n import compact_zh, format_change, format_date, format_value
from shopguard.reporting.render import render

HAN = re.compile(r"[\u4e00-\u9fff]")
MONTHS = [f"{m:02d}" for m in range(1, 13)]


def _figure(
    fid: str,
    pillar: int,
    en: str,
    zh: str,
    unit: Unit,
    value: float | None,
    previous: float | None,
) -> Figure:
    change = (value - previous) / previous if value is not None and previous else None
    return Figure(
        id=fid,
        metric=fid.rsplit(".", 1)[0] if fid.count(".") > 1 else fid,
        pillar=pillar,
        title_en=en,
        title_zh=zh,
        definition_en=f"{en}: counted over the reporting year from the operator's own records.",
        definition_zh=f"{zh}：按报告年度从平台自有记录中统计。",
        unit=unit,
        value=value,
        previous=previous,
        change=change,
    )


def _series(en: str, zh: str, points: list[tuple[str, float]]) -> Series:
    return Series(label_en=en, label_zh=zh, points=points)


def _chart(
    cid: str,
    pillar: int,
    kind: Literal["bar", "line"],
    en: str,
    zh: str,
    unit: Unit,
    series: list[Series],
) -> Chart:
    return Chart(
        id=cid, pillar=pillar, kind=kind, title_en=en, title_zh=zh, unit=unit, series=series
    )


def _pillar(number: int, key: str, en: str, zh: str, measured: bool, report: Report) -> Pillar:
    return Pillar(
        number=number,
        key=key,
        title_en=en,
        title_zh=zh,
        measured=measured,
        figures=[f for f, v in report["figures"].items() if v["pillar"] == number],
        charts=[c for c, v in report["charts"].items() if v["pillar"] == number],
    )


def make_report(*, empty: bool = False, year: int = 2021) -> Report:
    """A report shaped like the reference article's year (2021 against 2020), or an empty year
    with no previous year at all."""

    def v(value: float | None) -> float | None:
        return 0 if empty and value is not None else value

    prev = None if empty else year - 1
    figures = [
        _figure(
            "content.creators_penalised",
            1,
            "Creators penalised",
            "处罚违规创作者",
            "count",
            v(971_234),
            None if empty else 712_480,
        ),
        _figure(
            "content.creators_penalised.1m_followers",
            1,
            "of which with 1M+ followers",
            "其中百万粉丝以上",
            "count",
            v(8484),
            None if empty else 9120,
        ),
        _figure(
            "content.permanent_revocations",
            1,
            "Selling rights permanently revoked",
            "永久关闭电商权限",
            "count",
            v(11_032),
            None if empty else 7_905,
        ),
        _figure(
            "content.low_quality_videos",
            1,
            "Low-quality short videos suppressed",
            "低质短视频打压",
            "count",
            v(1_520_000),
            None if empty else 1_102_300,
        ),
        _figure(
            "content.quality_share",
            1,
            "Share of quality content",
            "优质内容占比",
            "ratio",
            v(0.183),
            None if empty else 0.152,
        ),
        _figure(
            "products.publish_intercepted",
            2,
            "Publish attempts intercepted",
            "拦截违规商品发布",
            "count",
            v(91_040_000),
            None if empty else 73_500_000,
        ),
        _figure(
            "products.banned",
            2,
            "Products banned",
            "封禁违规商品",
            "count",
            v(5_812_000),
            None if empty else 6_020_000,
        ),
        _figure(
            "products.merchants_cleared",
            2,
            "Merchants cleared out",
            "清退严重违规商家",
            "count",
            v(40_310),
            None if empty else 40_310,
        ),
        _figure(
            "products.return_rate_change",
            2,
            "Return-rate change, governed categories",
            "重点类目退货率变化",
            "ratio",
            None,
            None,
        ),
        _figure(
            "service.requests",
            3,
            "Service requests handled",
            "受理用户服务需求",
            "count",
            v(203_400_000),
            None if empty else 150_100_000,
        ),
        _figure(
            "service.resolved_72h",
            3,
            "Resolved within 72 hours",
            "72小时解决率",
            "ratio",
            v(0.912),
            None if empty else 0.608,
        ),
        _figure(
            "service.refund_hours",
            3,
            "Mean time to refund",
            "平均退款时长",
            "hours",
            v(11.4),
            None if empty else 16.8,
        ),
        _figure(
            "service.fund_paid",
            3,
            "Guarantee fund paid out",
            "保障基金支付",
            "yuan",
            v(180_250_000),
            None,
        ),
        _figure(
            "service.dispute_days",
            3,
            "Mean days to settle a dispute",
            "纠纷平均处理天数",
            "days",
            v(2.6),
            None if empty else 3.1,
        ),
        _figure(
            "security.masked_waybills",
            5,
            "Orders shipped with masked waybills",
            "加密发货订单覆盖率",
            "ratio",
            v(0.85),
            None if empty else 0.62,
        ),
        _figure(
            "security.pii_blocked",
            5,
            "Personal-data leaks blocked",
            "拦截个人信息泄露",
            "count",
            v(32_118),
            None if empty else 21_004,
        ),
    ]
    monthly = (
        [0.0] * 12
        if empty
        else [0.12, 0.13, 0.13, 0.14, 0.15, 0.16, 0.16, 0.17, 0.18, 0.19, 0.20, 0.21]
    )
    charts = [
        _chart(
            "content.quality_share_by_month",
            1,
            "line",
            "Quality content share by month",
            "优质内容占比（按月）",
            "ratio",
            []
            if empty
            else [
                _series("Short videos", "短视频", list(zip(MONTHS, monthly, strict=True))),
                _series(
                    "Live sessions",
                    "直播",
                    [(m, y * 0.9) for m, y in zip(MONTHS, monthly, strict=True)],
                ),
            ],
        ),
        _chart(
            "content.penalties_by_campaign",
            1,
            "bar",
            "Creators penalised by campaign",
            "专项治理处罚人数",
            "count",
            [
                _series(
                    str(year),
                    f"{year}年",
                    []
                    if empty
                    else [
                        ("虚假宣传 false advertising", 46_251),
                        ("卖惨营销 sob stories", 2_864),
                        ("off-platform", 18_020),
                    ],
                )
            ],
        ),
        _chart(
            "products.sanctions_by_kind",
            2,
            "bar",
            "Product sanctions by kind",
            "商品处置（按类型）",
            "count",
            []
            if empty
            else [
                _series(
                    str(year),
                    f"{year}年",
                    [("intercepted", 91_040_000), ("banned", 5_812_000), ("delisted", 3_240_000)],
                ),
                _series(
                    str(year - 1),
                    f"{year - 1}年",
                    [("intercepted", 73_500_000), ("banned", 6_020_000), ("delisted", 2_950_000)],
                ),
            ],
        ),
        _chart(
            "service.requests_by_month",
            3,
            "line",
            "Service requests by month",
            "服务需求受理量（按月）",
            "count",
            [
                _series(
                    "Requests",
                    "受理量",
                    [] if empty else [(m, 14e6 + i * 9e5) for i, m in enumerate(MONTHS)],
                )
            ],
        ),
        _chart(
            "service.fund_by_programme",
            3,
            "bar",
            "Guarantee fund paid by programme",
            "保障基金支付（按权益）",
            "yuan",
            [
                _series(
                    str(year),
                    f"{year}年",
                    []
                    if empty
                    else [
                        ("极速退款", 9.1e7),
                        ("过敏包退", 2.3e7),
                        ("晚发即赔", 4.1e7),
                        ("先行赔付", 2.5e7),
                    ],
                )
            ],
        ),
        _chart(
            "security.masked_by_quarter",
            5,
            "line",
            "Masked-waybill share by quarter",
            "面单脱敏覆盖率（按季度）",
            "ratio",
            [
                _series(
                    "Masked",
                    "脱敏",
                    [] if empty else [("Q1", 0.66), ("Q2", 0.74), ("Q3", 0.81), ("Q4", 0.85)],
                )
            ],
        ),
    ]
    detection = [
        DetectionRow(
            code="ad.absolute_term", tp=1840, fp=61, fn=122, precision=0.968, recall=0.938, f1=0.953
        ),
        DetectionRow(
            code="claim.medical", tp=702, fp=40, fn=88, precision=0.946, recall=0.889, f1=0.916
        ),
        DetectionRow(
            code="diversion.off_platform",
            tp=1103,
            fp=12,
            fn=301,
            precision=0.989,
            recall=0.786,
            f1=0.876,
        ),
        DetectionRow(
            code="ip.counterfeit_signal", tp=0, fp=0, fn=0, precision=None, recall=None, f1=None
        ),
    ]
    report = Report(
        year=year,
        previous_year=prev,
        generated_at="2022-02-28T09:30:00+08:00",
        platform="shopguard 0.1.0",
        policy_version="cn-default@2021.12",
        empty=empty,
        headlines=[
            "content.creators_penalised",
            "content.permanent_revocations",
            "products.publish_intercepted",
            "products.banned",
            "service.requests",
            "service.resolved_72h",
            "service.fund_paid",
            "security.masked_waybills",
            "products.return_rate_change",
        ],
        pillars=[],
        figures={f["id"]: f for f in figures},
        charts={c["id"]: c for c in charts},
        detection=[] if empty else detection,
        detection_note_en="Measured on the simulator's labelled items; a code with no samples shows a dash.",
        detection_note_zh="基于模拟数据的标注样本测算；无样本的类型以“—”表示。",
    )
    report["pillars"] = [
        _pillar(1, "content", "Content governance", "内容治理", True, report),
        _pillar(2, "products", "Products and merchants", "商品管控", True, report),
        _pillar(3, "service", "Service and guarantees", "客服保障", True, report),
        _pillar(4, "ip", "Intellectual property", "知识产权保护", False, report),
        _pillar(5, "security", "Information security", "信息安全", True, report),
    ]
    return report


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams hold the font names) inflated."""
    out = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        with contextlib.suppress(zlib.error):
            out.append(zlib.decompress(stream))
    return b"".join(out)


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture(scope="module")
def report() -> Report:
    return make_report()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_every_text_format_renders_in_both_languages(report: Report, fmt: str, lang: str) -> None:
    out = render(report, fmt, lang).decode("utf-8")
    assert len(out) > 2000
    assert "2021" in out and "2020" in out
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]{4}", out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_is_a_pdf_with_a_cjk_font(report: Report, lang: str) -> None:
    pdf = render(report, "pdf", lang)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    # Chinese glyphs (zh text; Chinese chart labels in the en data) found a CJK face.
    assert b"Noto-Sans-CJK-SC" in _pdf_objects(pdf)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_self_contained(report: Report, lang: str) -> None:
    html = render(report, "html", lang).decode()
    assert html.count("<svg") == len(report["charts"])
    assert "https://" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\(|@import", html)
    assert "<polyline" in html and "<rect" in html  # line and bar charts


def test_zh_html_is_chinese_with_chinese_numbers(report: Report) -> None:
    html = render(report, "html", "zh").decode()
    assert '<html lang="zh-CN">' in html
    for words in ("2021年度消费者权益保护报告", "内容治理", "商品管控", "客服保障", "信息安全"):
        assert words in html
    assert "97.1万" in html  # creators penalised
    assert "9104万" in html  # publish attempts intercepted
    assert "1.8亿元" in html  # guarantee fund
    assert "91.2%" in html  # 72h resolution
    assert "2022年2月28日" in html


def test_en_html_is_english_with_thousands_separators(report: Report) -> None:
    html = render(report, "html", "en").decode()
    assert "2021 Consumer Protection Report" in html and "28 February 2022" in html
    assert "971,234" in html and "91,040,000" in html and "¥180,250,000" in html
    assert "11.4 h" in html and "2.6 days" in html
    # Chinese appears only where the data itself is Chinese (chart labels given in Chinese).
    outside_data = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    assert not HAN.search(outside_data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headlines_show_year_on_year_change(report: Report, lang: str) -> None:
    cards = _section(render(report, "html", lang).decode(), "headlines")
    assert "▲ 36.3%" in cards  # 971,234 against 712,480
    assert "▼ 3.5%" in cards  # products banned fell
    assert "▲ 50.0%" in cards  # resolution rate 0.608 → 0.912
    assert cards.count('class="card"') == len(report["headlines"])


@pytest.mark.parametrize(
    ("lang", "notice"), [("zh", "本期未统计"), ("en", "Not measured in this release")]
)
def test_unmeasured_pillar_says_so_and_shows_no_numbers(
    report: Report, lang: str, notice: str
) -> None:
    html = render(report, "html", lang).decode()
    section = _section(html, "pillar-4")
    assert notice in section
    assert "<table" not in section and "<svg" not in section
    body = re.sub(r"<[^>]+>", " ", section.split("</div>", 1)[1])
    assert not re.search(r"\d", body)
    md = render(report, "md", lang).decode()
    part = md[md.index("## 第4部分" if lang == "zh" else "## Part 4") :].split("\n## ", 2)[0]
    assert notice in part and "|" not in part


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_none_values_render_as_a_dash(report: Report, lang: str) -> None:
    html = render(report, "html", lang).decode()

    def row(pillar: int, title: str) -> list[str]:
        table = _section(html, f"pillar-{pillar}")
        tr = table[table.index(f"<td>{title}</td>") :]
        return re.findall(r"<td[^>]*>(?:<strong>)?([^<]*)", tr[: tr.index("</tr>")])

    zh = lang == "zh"
    # Not computable: value, previous and change are all dashes.
    assert row(2, "重点类目退货率变化" if zh else "Return-rate change, governed categories")[
        1:
    ] == [
        "—",
        "—",
        "—",
    ]
    # New this year: the value, then no previous and no change.
    assert row(3, "保障基金支付" if zh else "Guarantee fund paid out")[1:] == [
        "1.8亿元" if zh else "¥180,250,000",
        "—",
        "—",
    ]
    cards = _section(html, "headlines")
    assert ("无法计算" if zh else "not computable") in cards
    assert ("上年无此项数据" if zh else "no figure for the year before") in cards


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_appendix_and_definitions(report: Report, lang: str) -> None:
    html = render(report, "html", lang).decode()
    appendix = _section(html, "appendix")
    assert "ad.absolute_term" in appendix and "96.8%" in appendix and "93.8%" in appendix
    assert ("基于模拟数据" if lang == "zh" else "labelled items") in appendix
    definitions = _section(html, "definitions")
    measured = [f for f in report["figures"].values() if f["pillar"] != 4]
    for figure in measured:
        assert escape(figure["definition_zh" if lang == "zh" else "definition_en"]) in definitions


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_json_is_the_report_in_the_chosen_language(report: Report, lang: str) -> None:
    out = render(report, "json", lang).decode()
    data = json.loads(out)
    assert data["lang"] == lang and data["year"] == 2021 and data["previous_year"] == 2020
    assert len(re.findall(r'"value":\s*-?\d', out)) >= 8
    creators = data["figures"]["content.creators_penalised"]
    assert creators["value"] == 971_234 and creators["previous"] == 712_480
    assert creators["title"] == creators[f"title_{lang}"]
    assert creators["definition"] == creators[f"definition_{lang}"]
    assert "title_zh" in creators and "title_en" in creators
    assert "内容治理" in out  # ensure_ascii off
    points = data["charts"]["security.masked_by_quarter"]["series"][0]["points"]
    assert points[0] == ["Q1", 0.66]


def test_markdown_has_headings_tables_and_chart_tables(report: Report) -> None:
    md = render(report, "md", "en").decode()
    assert md.startswith("# 2021 Consumer Protection Report\n")
    assert "## Part 1 Content governance" in md
    assert "| Creators penalised | **971,234** | 712,480 | ▲ 36.3% |" in md
    assert "### Product sanctions by kind" in md
    assert "| | 2021 | 2020 |" in md and "| intercepted | 91,040,000 | 73,500,000 |" in md
    assert "| `ad.absolute_term` | 1,840 | 61 | 122 | 96.8% | 93.8% | 95.3% |" in md
    assert "\n\n\n" not in md


@pytest.mark.parametrize(
    ("fmt", "lang", "says"),
    [
        ("html", "en", "No activity recorded for 2022"),
        ("html", "zh", "2022年度无活动记录"),
        ("md", "en", "No activity recorded for 2022"),
        ("md", "zh", "2022年度无活动记录"),
    ],
)
def test_empty_year_says_so_and_still_renders(fmt: str, lang: str, says: str) -> None:
    out = render(make_report(empty=True, year=2022), fmt, lang).decode()
    assert says in out
    assert out.index(says) < out.index("核心数据" if lang == "zh" else "Headline figures")
    if fmt == "html":
        assert ("暂无数据" if lang == "zh" else "No data") in out  # charts with no points


def test_empty_year_json() -> None:
    data = json.loads(render(make_report(empty=True, year=2022), "json", "en"))
    assert data["empty"] is True and data["previous_year"] is None and data["detection"] == []


@pytest.mark.parametrize(
    ("fmt", "lang"), [("docx", "en"), ("HTML", "en"), ("pdf", "fr"), ("md", ""), ("", "zh")]
)
def test_unknown_format_or_language_is_refused(report: Report, fmt: str, lang: str) -> None:
    with pytest.raises(ValueError, match="fmt|lang"):
        render(report, fmt, lang)


def test_a_pillar_naming_an_unknown_figure_is_refused() -> None:
    broken = make_report()
    broken["pillars"][0]["figures"].append("content.nowhere")
    with pytest.raises(ValueError, match=r"content\.nowhere"):
        render(broken, "html", "en")


def test_a_missing_pillar_is_shown_as_not_measured() -> None:
    partial = make_report()
    partial["pillars"] = [p for p in partial["pillars"] if p["number"] != 5]
    section = _section(render(partial, "html", "zh").decode(), "pillar-5")
    assert "信息安全" in section and "本期未统计" in section


def test_text_from_data_is_escaped() -> None:
    hostile = make_report()
    hostile["figures"]["products.banned"]["title_en"] = "<script>alert(1)</script>"
    hostile["charts"]["products.sanctions_by_kind"]["series"][0]["points"][0] = ("<b>x</b>", 5.0)
    hostile["platform"] = 'shop"guard</style>'
    html = render(hostile, "html", "en").decode()
    assert (
        "<script>" not in html
        and "<b>x</b>" not in html
        and "</style>" not in html.split("</style>", 1)[1]
    )


@pytest.mark.parametrize(
    ("value", "unit", "zh", "en"),
    [
        (971_234, "count", "97.1万", "971,234"),
        (8484, "count", "8484", "8,484"),
        (67_000, "count", "6.7万", "67,000"),
        (1_520_000, "count", "152万", "1,520,000"),
        (91_000_000, "count", "9100万", "91,000,000"),
        (203_400_000, "count", "2.03亿", "203,400,000"),
        (99_999_000, "count", "1亿", "99,999,000"),
        (0, "count", "0", "0"),
        (0.994, "ratio", "99.4%", "99.4%"),
        (180_000_000, "yuan", "1.8亿元", "¥180,000,000"),
        (12.5, "yuan", "12.50元", "¥12.50"),
        (31.25, "hours", "31.2 小时", "31.2 h"),
        (None, "count", "—", "—"),
        (float("nan"), "ratio", "—", "—"),
    ],
)
def test_numbers_are_written_per_language(
    value: float | None, unit: Unit, zh: str, en: str
) -> None:
    assert format_value(value, unit, "zh") == zh
    assert format_value(value, unit, "en") == en


def test_change_and_date_formatting() -> None:
    assert format_change(0.5) == "▲ 50.0%"
    assert format_change(-0.321) == "▼ 32.1%"
    assert format_change(0.0) == "0.0%"
    assert format_change(None) == "—"
    assert compact_zh(-12_000) == "-1.2万"
    assert format_date("2026-03-01T09:00:00+00:00", "zh") == "2026年3月1日"
    assert format_date("not a date", "en") == "not a date"


def test_nice_ticks_cover_the_range() -> None:
    assert nice_ticks(0, 0.21) == [0, 0.05, 0.1, 0.15, 0.2, 0.25]
    assert nice_ticks(0, 91_040_000) == [0, 2e7, 4e7, 6e7, 8e7, 1e8]
    ticks = nice_ticks(-3, 7)
    assert ticks[0] <= -3 and ticks[-1] >= 7


def test_charts_draw_every_point(report: Report) -> None:
    bars = bar_chart(report["charts"]["products.sanctions_by_kind"], "en")
    assert bars.count('rx="2" fill="#') == 6 + 2  # 3 groups x 2 series, and 2 legend swatches
    line = line_chart(report["charts"]["content.quality_share_by_month"], "zh")
    assert line.count("<polyline") == 2 and line.count("<circle") == 24
    assert "短视频" in line and "21%" in line
