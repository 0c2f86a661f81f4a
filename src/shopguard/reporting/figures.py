"""Build the yearly report's data from the store: every figure through a named metric, the
year before for comparison, the charts, and the detection appendix against the simulator's
ground truth. Pillars not built yet are marked unmeasured and carry no figure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from shopguard import __version__
from shopguard.platform.metrics import REGISTRY, Metric, Period, compute
from shopguard.reporting.data import Chart, DetectionRow, Figure, Pillar, Report, Series
from shopguard.screening.store import decisions
from shopguard.text.model import Code

PILLARS = (
    (1, "content", "Content governance", "内容治理", True),
    (2, "products", "Products and merchants", "商品管控", True),
    (3, "service", "Service and guarantees", "客服保障", False),
    (4, "ip", "Intellectual property", "知识产权保护", False),
    (5, "security", "Information security", "信息安全", True),
)

# Words for the keys inside a metric's value (sanction kinds, tiers, codes ...).
LABELS: dict[str, tuple[str, str]] = {
    "merchant": ("merchants", "商家"), "merchants": ("merchants", "商家"),
    "creator": ("creators", "达人"), "creators": ("creators", "达人"),
    "creators_by_followers": ("creators by followers", "达人（按粉丝量）"),
    "<10k": ("under 10k followers", "粉丝1万以下"), "10k-100k": ("10k–100k followers", "粉丝1万–10万"),
    "100k-1M": ("100k–1M followers", "粉丝10万–100万"), "1M+": ("1M+ followers", "粉丝百万以上"),
    "warning": ("warnings", "警告"), "listing_restriction": ("listing restrictions", "限制发布"),
    "traffic_downrank": ("traffic down-rankings", "流量降权"), "suspension": ("suspensions", "暂停经营"),
    "selling_revoked": ("selling rights revoked", "收回带货权限"), "clear_out": ("clear-outs", "清退"),
    "filed": ("filed", "提交"), "upheld": ("upheld", "改判"), "rejected": ("rejected", "维持原判"),
    "open": ("open", "处理中"), "upheld_rate": ("upheld rate", "改判率"),
    "answered_within_sla": ("answered within 5 working days", "5个工作日内答复率"),
    "by_reason": ("by reason", "按原因"), "queued": ("queued", "入队"), "decided": ("decided", "已处理"),
    "within_sla": ("decided within SLA", "时限内处理率"), "median_hours": ("median hours", "中位耗时（小时）"),
    "sampled_blocks": ("sampled blocks", "抽检拦截"), "block_precision": ("block precision", "拦截准确率"),
    "code_precision": ("code precision", "类型准确率"), "sampled_allows": ("sampled allows", "抽检放行"),
    "miss_rate": ("miss rate", "漏判率"), "screened": ("screened", "识别"), "blocked": ("blocked", "拦截"),
    "placed": ("placed", "下单"), "encrypted_share": ("share stored encrypted", "全密文占比"),
    "shipped": ("shipped", "发货"), "masked_waybill_share": ("share on masked waybills", "脱敏面单占比"),
    "privacy_number_share": ("share with a privacy number", "隐私号覆盖率"),
    "audited": ("access events audited", "审计的访问事件"),
    "reveals_by_purpose": ("clear-text reveals by purpose", "按用途的明文查看"),
    "print_waybill": ("printing a waybill", "打印面单"), "after_sales_contact": ("after-sales contact", "售后联系"),
    "delivery_exception": ("delivery exceptions", "配送异常"), "consumer_request": ("consumer's own request", "消费者本人申请"),
    "court_order": ("court orders", "司法调取"), "calls_connected": ("courier calls connected", "骑手/快递员呼叫接通"),
    "rows_exported": ("rows exported (masked)", "导出行数（脱敏）"), "refused": ("attempts refused", "拒绝的尝试"),
    "locked": ("principals locked", "锁定账号"), "shops_with_violation": ("shops with a violation recorded", "记违规的商家"),
    "redacted": ("redacted", "已遮蔽"), "shop_violations": ("shop violations recorded", "商家违规记录"),
    "held": ("held for review", "转人工"), "listing": ("listings", "商品"), "content": ("creator content", "达人内容"),
    "ad.absolute_term": ("absolute terms", "极限词"), "claim.medical": ("medical claims", "医疗功效宣称"),
    "claim.efficacy_guarantee": ("guaranteed efficacy", "功效保证"),
    "marketing.sob_story": ("sob-story marketing", "卖惨营销"),
    "diversion.off_platform": ("off-platform diversion", "站外导流"),
    "pii.exposure": ("personal data exposed", "个人信息泄露"),
    "ip.counterfeit_signal": ("counterfeit signals", "假冒信号"),
    "goods.prohibited": ("prohibited goods", "违禁商品"),
    "action_review": ("held decisions", "待审内容"), "egregious": ("egregious findings", "特别严重违规"),
    "low_confidence": ("low-confidence findings", "低置信度违规"), "qa_sample": ("QA samples", "质检抽样"),
}  # fmt: skip

HEADLINES = (
    "screening.publish_attempts.screened",
    "screening.publish_attempts.blocked",
    "enforcement.subjects_penalised.creators",
    "enforcement.subjects_penalised.creators_by_followers.1M+",
    "enforcement.permanent_revocations",
    "enforcement.penalties.merchant",
    "enforcement.clear_outs",
    "enforcement.appeals.filed",
    "review.automation_precision.block_precision",
    "privacy.shipping.privacy_number_share",
    "privacy.locks.locked",
)

# Short names for the headline figures (the full name is metric title — key path).
SHORT: dict[str, tuple[str, str]] = {
    "screening.publish_attempts.screened": ("Publish attempts screened", "发布前识别"),
    "screening.publish_attempts.blocked": ("Publish attempts intercepted", "拦截违规发布"),
    "enforcement.subjects_penalised.creators": ("Creators penalised", "处罚达人"),
    "enforcement.subjects_penalised.creators_by_followers.1M+": (
        "Creators penalised with 1M+ followers", "其中粉丝百万以上的达人"),
    "enforcement.penalties.merchant": ("Merchant penalties", "商家处罚"),
    "enforcement.appeals.filed": ("Appeals filed", "受理申诉"),
    "review.automation_precision.block_precision": (
        "Precision of automatic blocks (QA sample)", "机审拦截准确率（抽检）"),
    "privacy.shipping.privacy_number_share": (
        "Orders shipped with a privacy number", "隐私面单覆盖率"),
    "privacy.locks.locked": ("Keys locked for harvesting personal data", "因倒卖个人信息被锁定账号"),
}  # fmt: skip

RATIO_KEYS = ("rate", "precision", "within_sla", "share")
SKIP_KEYS = ("daily_block_precision",)  # series, shown as charts
SKIP_METRICS = ("screening.monthly", "simulation.detection")  # a chart, the appendix


def _label(key: str) -> tuple[str, str]:
    return LABELS.get(key, (key.replace("_", " "), key))


def _flatten(
    prefix: str, value: Any, path: tuple[str, ...] = ()
) -> list[tuple[str, tuple[str, ...], Any]]:
    if isinstance(value, dict):
        out: list[tuple[str, tuple[str, ...], Any]] = []
        for k, v in value.items():
            if k not in SKIP_KEYS:
                out += _flatten(f"{prefix}.{k}", v, (*path, k))
        return out
    if value is None or isinstance(value, int | float):
        return [(prefix, path, value)]
    return []


def _unit(metric_unit: str, path: tuple[str, ...]) -> str:
    if path and any(k in path[-1] for k in RATIO_KEYS):
        return "ratio"
    if path and path[-1].endswith("hours"):
        return "hours"
    return metric_unit


def _has_activity(conn: Connection, period: Period) -> bool:
    query = (
        select(func.count())
        .select_from(decisions)
        .where(decisions.c.created_at >= period.start, decisions.c.created_at < period.end)
    )
    return int(conn.execute(query).scalar_one()) > 0


def _figures(now: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for mid, m in now.items():
        if mid in SKIP_METRICS:
            continue
        old = {fid: v for fid, _, v in _flatten(mid, before[mid]["value"])} if before else {}
        for fid, path, value in _flatten(mid, m["value"]):
            en = [m["title"]] + [_label(k)[0] for k in path]
            zh = [m["title_zh"]] + [_label(k)[1] for k in path]
            previous = old.get(fid)
            change = None
            if isinstance(value, int | float) and isinstance(previous, int | float) and previous:
                change = round((value - previous) / previous, 4)
            short = SHORT.get(fid)
            out[fid] = Figure(
                id=fid, metric=mid, pillar=m["pillar"],
                title_en=short[0] if short else " — ".join(en),
                title_zh=short[1] if short else "：".join(zh), definition_en=m["definition"],
                definition_zh=m["definition_zh"], unit=_unit(m["unit"], path),  # type: ignore[typeddict-item]
                value=value, previous=previous, change=change,
            )  # fmt: skip
    return out


def _bar(
    cid: str,
    pillar: int,
    title: tuple[str, str],
    now: dict[str, Any],
    before: dict[str, Any] | None,
    year: int,
) -> Chart:
    keys = list(now) + [k for k in (before or {}) if k not in now]
    series = [
        Series(label_en=str(year), label_zh=f"{year}年",
               points=[(_label(k)[0], float(now.get(k) or 0)) for k in keys])
    ]  # fmt: skip
    if before is not None:
        series.append(
            Series(label_en=str(year - 1), label_zh=f"{year - 1}年",
                   points=[(_label(k)[0], float(before.get(k) or 0)) for k in keys])
        )  # fmt: skip
    return Chart(id=cid, pillar=pillar, kind="bar", title_en=title[0], title_zh=title[1],
                 unit="count", series=series)  # fmt: skip


def _charts(now: dict[str, Any], before: dict[str, Any] | None, year: int) -> dict[str, Chart]:
    def value(mid: str, source: dict[str, Any] | None) -> Any:
        return source[mid]["value"] if source else None

    charts = [
        _bar("sanctions", 2, ("Sanctions by kind", "处置措施（按类型）"),
             value("enforcement.sanctions_by_kind", now), value("enforcement.sanctions_by_kind", before), year),
        _bar("blocked_by_code", 2, ("Intercepted publish attempts by violation", "拦截的发布（按违规类型）"),
             value("screening.blocked_by_code", now), value("screening.blocked_by_code", before), year),
        _bar("creators_by_tier", 1, ("Creators penalised by follower tier", "受处罚达人（按粉丝量）"),
             value("enforcement.subjects_penalised", now)["creators_by_followers"],
             (value("enforcement.subjects_penalised", before) or {}).get("creators_by_followers")
             if before else None, year),
        _bar("reveals_by_purpose", 5, ("Clear-text reveals of consignees by purpose", "收件信息明文查看（按用途）"),
             value("privacy.access", now)["reveals_by_purpose"],
             (value("privacy.access", before) or {}).get("reveals_by_purpose") if before else None,
             year),
    ]  # fmt: skip
    months = value("screening.monthly", now) or {}
    monthly = Chart(
        id="monthly", pillar=2, kind="line", title_en="Publish attempts and interceptions by month",
        title_zh="按月的发布识别与拦截", unit="count",
        series=[
            Series(label_en="screened", label_zh="识别",
                   points=[(m[5:], float(v["screened"])) for m, v in months.items()]),
            Series(label_en="blocked", label_zh="拦截",
                   points=[(m[5:], float(v["blocked"])) for m, v in months.items()]),
        ],
    )  # fmt: skip
    daily = value("review.automation_precision", now)["daily_block_precision"]
    by_month: dict[str, list[float]] = {}
    for d, p in daily.items():
        if p is not None:
            by_month.setdefault(d[5:7], []).append(p)
    precision = Chart(
        id="precision", pillar=1, kind="line", title_en="Block precision of automation (QA sample, monthly mean)",
        title_zh="机审拦截准确率（质检抽样，月均）", unit="ratio",
        series=[Series(label_en="block precision", label_zh="拦截准确率",
                       points=[(m, round(sum(v) / len(v), 4)) for m, v in sorted(by_month.items())])],
    )  # fmt: skip
    return {c["id"]: c for c in [*charts, monthly, precision]}


def detection(truth: dict[str, Any] | None) -> list[DetectionRow]:
    """Per violation code: screening's verdicts against what the simulator injected (the
    `simulation.detection` metric; no ground truth outside a simulated store)."""
    counts = (truth or {}).get("value") or {}
    none = {"tp": 0, "fp": 0, "fn": 0}
    rows: list[DetectionRow] = []
    for code in (c.value for c in Code):
        got = counts.get(code, none)
        t, f, n = got["tp"], got["fp"], got["fn"]
        p = t / (t + f) if t + f else None
        r = t / (t + n) if t + n else None
        f1 = 2 * p * r / (p + r) if p and r else None
        rows.append(DetectionRow(code=code, tp=t, fp=f, fn=n,
                                 precision=round(p, 4) if p is not None else None,
                                 recall=round(r, 4) if r is not None else None,
                                 f1=round(f1, 4) if f1 is not None else None))  # fmt: skip
    return rows


def build(
    conn: Connection,
    year: int,
    *,
    policy_version: str,
    catalog: Mapping[str, Metric] | None = None,
) -> Report:
    """The report's data for `year`, compared with the year before when the store has it."""
    period = Period.year(year)
    now = compute(conn, period, catalog=catalog)
    earlier = Period.year(year - 1)
    before = compute(conn, earlier, catalog=catalog) if _has_activity(conn, earlier) else None
    figures = _figures(now, before)
    charts = _charts(now, before, year)
    pillars: list[Pillar] = []
    for number, key, en, zh, measured in PILLARS:
        pillars.append(
            Pillar(
                number=number,
                key=key,
                title_en=en,
                title_zh=zh,
                measured=measured,
                figures=[f for f, fig in figures.items() if fig["pillar"] == number]
                if measured
                else [],
                charts=[c for c, ch in charts.items() if ch["pillar"] == number]
                if measured
                else [],
            )  # fmt: skip
        )
    return Report(
        year=year,
        previous_year=year - 1 if before is not None else None,
        generated_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        platform=f"shopguard {__version__}",
        policy_version=policy_version,
        empty=not _has_activity(conn, period),
        headlines=[h for h in HEADLINES if h in figures],
        pillars=pillars,
        figures=figures,
        charts=charts,
        detection=detection(now.get("simulation.detection")),
        detection_note_en=(
            "Screening's verdicts (block or review) against the violations the simulator injected "
            "into each item; precision and recall per code. Simulated text was written without "
            "sight of the rules; these figures are what they are, not a target that was tuned."
        ),
        detection_note_zh=(
            "机审结论（拦截或转人工）与模拟器注入的真实违规逐条比对，按违规类型给出准确率与召回率。"
            "模拟文本在未参照规则的情况下编写，数值如实呈现，未针对其调优。"
        ),
    )


def metric_ids() -> list[str]:
    return sorted(REGISTRY)
