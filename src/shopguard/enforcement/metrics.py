"""Enforcement's figures for the yearly report: who was penalised, which sanctions, appeals,
the review queue's service level and the measured precision of automation."""

from __future__ import annotations

from collections import Counter
from statistics import median
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from shopguard.enforcement.store import (
    appeals,
    ledger,
    review_decisions,
    review_items,
    subjects,
    violations,
)
from shopguard.platform.clock import aware
from shopguard.platform.metrics import Period, metric
from shopguard.screening.store import decisions

TIERS = ((1_000_000, "1M+"), (100_000, "100k-1M"), (10_000, "10k-100k"), (0, "<10k"))


def tier(followers: int) -> str:
    return next(name for floor, name in TIERS if followers >= floor)


def _on_time(decided: Any, due: Any) -> bool:
    done, by = aware(decided), aware(due)
    return done is not None and by is not None and done <= by


def _hours(start: Any, end: Any) -> float:
    a, b = aware(start), aware(end)
    return (b - a).total_seconds() / 3600 if a and b else 0.0


def _live_sanctions(period: Period) -> Any:
    """Sanction entries that took effect in the period and were not reversed since."""
    reversal = aliased(ledger)
    undone = (
        select(reversal.c.id)
        .where(reversal.c.kind == "reversal", reversal.c.ref == ledger.c.id)
        .exists()
    )
    return and_(
        ledger.c.kind == "sanction",
        ledger.c.sanction != "warning",
        ledger.c.at >= period.start,
        ledger.c.at < period.end,
        ~undone,
    )


def _counted(period: Period) -> Any:
    return and_(
        violations.c.state == "in_force",
        violations.c.charged_at >= period.start,
        violations.c.charged_at < period.end,
    )


@metric(
    "enforcement.subjects_penalised",
    pillar=1,
    title="Merchants and creators penalised",
    definition="""Distinct merchants and creators with at least one violation that counted
    (points charged, not overturned or reversed on appeal) in the year; creators by follower
    tier.""",
    title_zh="受处罚的商家与达人",
    definition_zh="年内至少有一条计入积分（未被复核推翻、未经申诉撤销）的违规的商家与达人数，达人按粉丝量分层。",
)
def subjects_penalised(conn: Connection, period: Period) -> dict[str, Any]:
    rows = conn.execute(
        select(subjects.c.type, subjects.c.followers).where(
            subjects.c.id.in_(select(violations.c.subject).where(_counted(period)))
        )
    ).all()
    creators = Counter(tier(r.followers) for r in rows if r.type == "creator")
    return {
        "merchants": sum(1 for r in rows if r.type == "merchant"),
        "creators": sum(creators.values()),
        "creators_by_followers": {name: creators.get(name, 0) for _, name in reversed(TIERS)},
    }


@metric(
    "enforcement.penalties",
    pillar=2,
    title="Penalties by subject type",
    definition="""Violations that counted in the year (each one a penalty: points, and a
    sanction when a ladder step was crossed), by merchant or creator.""",
    title_zh="处罚次数（按主体类型）",
    definition_zh="年内计入积分的违规条数（每条即一次处罚：扣分，越过阶梯时并处相应措施），按商家与达人分列。",
)
def penalties(conn: Connection, period: Period) -> dict[str, int]:
    query = (
        select(subjects.c.type, func.count())
        .select_from(violations.join(subjects, subjects.c.id == violations.c.subject))
        .where(_counted(period))
        .group_by(subjects.c.type)
    )
    found = {t: int(n) for t, n in conn.execute(query)}
    return {"merchant": found.get("merchant", 0), "creator": found.get("creator", 0)}


@metric(
    "enforcement.sanctions_by_kind",
    pillar=2,
    title="Sanctions by kind",
    definition="""Sanctions (listing restriction, down-ranking, suspension, revocation of
    selling rights, clear-out) that took effect in the year and were not reversed on appeal.
    Warnings are not counted as sanctions.""",
    title_zh="处置措施（按类型）",
    definition_zh="年内生效且未经申诉撤销的处置措施：限制发布、流量降权、暂停经营、收回带货权限、清退。警告不计入。",
)
def sanctions_by_kind(conn: Connection, period: Period) -> dict[str, int]:
    query = (
        select(ledger.c.sanction, func.count())
        .where(_live_sanctions(period))
        .group_by(ledger.c.sanction)
        .order_by(ledger.c.sanction)
    )
    return {s: int(n) for s, n in conn.execute(query)}


@metric(
    "enforcement.permanent_revocations",
    pillar=1,
    title="Creators permanently stripped of selling rights",
    definition="""Distinct creators whose selling rights were revoked for good in the year
    (and not restored on appeal).""",
    title_zh="永久收回带货权限的达人",
    definition_zh="年内被永久收回带货权限（且未经申诉恢复）的达人数。",
)
def permanent_revocations(conn: Connection, period: Period) -> int:
    query = select(func.count(func.distinct(ledger.c.subject))).where(
        _live_sanctions(period), ledger.c.sanction == "selling_revoked", ledger.c.until.is_(None)
    )
    return int(conn.execute(query).scalar_one())


@metric(
    "enforcement.clear_outs",
    pillar=2,
    title="Merchants cleared out",
    definition="Distinct merchants cleared out (terminated) in the year, not restored on appeal.",
    title_zh="清退商家",
    definition_zh="年内被清退（终止合作）且未经申诉恢复的商家数。",
)
def clear_outs(conn: Connection, period: Period) -> int:
    query = select(func.count(func.distinct(ledger.c.subject))).where(
        _live_sanctions(period), ledger.c.sanction == "clear_out"
    )
    return int(conn.execute(query).scalar_one())


@metric(
    "enforcement.appeals",
    pillar=2,
    title="Appeals filed and upheld",
    definition="""Appeals filed in the year; of those, how many were upheld (the decision
    reversed), rejected, or are still open; and the share answered within the 5-working-day
    service level.""",
    title_zh="申诉受理与改判",
    definition_zh="年内提交的申诉数；其中改判（撤销原处理）、维持、尚未处理的数量；以及在5个工作日时限内答复的比例。",
)
def appeal_figures(conn: Connection, period: Period) -> dict[str, Any]:
    query = select(appeals.c.state, appeals.c.due_at, appeals.c.decided_at).where(
        appeals.c.filed_at >= period.start, appeals.c.filed_at < period.end
    )
    rows = conn.execute(query).all()
    decided = [r for r in rows if r.decided_at is not None]
    on_time = sum(1 for r in decided if _on_time(r.decided_at, r.due_at))
    states = Counter(r.state for r in rows)
    return {
        "filed": len(rows),
        "upheld": states.get("upheld", 0),
        "rejected": states.get("rejected", 0),
        "open": states.get("open", 0),
        "upheld_rate": round(states.get("upheld", 0) / len(decided), 4) if decided else None,
        "answered_within_sla": round(on_time / len(decided), 4) if decided else None,
    }


@metric(
    "review.service_level",
    pillar=2,
    title="Review queue service level",
    definition="""Items queued for human review in the year (held decisions, held violations,
    QA samples): how many were decided, the share decided within the queue's SLA, and the
    median hours from queueing to decision.""",
    title_zh="人工审核时效",
    definition_zh="年内进入人工审核队列的条目（待审内容、待确认违规、质检抽样）：已处理数、在时限内处理的比例、从入队到处理的中位小时数。",
)
def review_service(conn: Connection, period: Period) -> dict[str, Any]:
    query = select(
        review_items.c.why, review_items.c.created_at, review_items.c.due_at,
        review_items.c.decided_at,
    ).where(review_items.c.created_at >= period.start, review_items.c.created_at < period.end)  # fmt: skip
    rows = conn.execute(query).all()
    decided = [r for r in rows if r.decided_at is not None]
    hours = [_hours(r.created_at, r.decided_at) for r in decided]
    on_time = sum(1 for r in decided if _on_time(r.decided_at, r.due_at))
    return {
        "queued": len(rows),
        "by_reason": dict(sorted(Counter(r.why for r in rows).items())),
        "decided": len(decided),
        "within_sla": round(on_time / len(decided), 4) if decided else None,
        "median_hours": round(median(hours), 2) if hours else None,
    }


def _qa_rows(conn: Connection, period: Period) -> list[Any]:
    """Final reviewer outcomes on QA samples of decisions made in the period."""
    last = (
        select(review_decisions.c.item, func.max(review_decisions.c.id).label("last"))
        .group_by(review_decisions.c.item)
        .subquery()
    )
    query = (
        select(
            decisions.c.action,
            decisions.c.codes,
            decisions.c.created_at,
            review_decisions.c.outcome,
            review_decisions.c.code,
        )  # fmt: skip
        .select_from(
            review_items.join(decisions, decisions.c.id == review_items.c.decision_id)
            .join(last, last.c.item == review_items.c.id)
            .join(review_decisions, review_decisions.c.id == last.c.last)
        )
        .where(
            review_items.c.why == "qa_sample",
            review_items.c.state == "decided",
            decisions.c.created_at >= period.start,
            decisions.c.created_at < period.end,
        )
    )
    return list(conn.execute(query))


@metric(
    "review.automation_precision",
    pillar=1,
    title="Precision of automatic decisions (daily QA sample)",
    definition="""Each day a random sample of automatic decisions is reviewed by a human.
    Block precision: the share of sampled blocks a reviewer agreed were violations (confirmed,
    or changed to another code). Code precision: the share confirmed with the same code. Miss
    rate: the share of sampled allowed items a reviewer found to violate a rule. Given for the
    year and per day.""",
    title_zh="机审准确率（每日质检抽样）",
    definition_zh="每天随机抽取机器判定交由人工复核。拦截准确率：抽中的拦截被确认为违规（含改判为其他违规类型）的比例；类型准确率：以相同违规类型确认的比例；漏判率：抽中的放行内容被认定违规的比例。给出全年与每日数值。",
)
def automation_precision(conn: Connection, period: Period) -> dict[str, Any]:
    rows = _qa_rows(conn, period)
    blocks = [r for r in rows if r.action == "block"]
    allows = [r for r in rows if r.action == "allow"]
    per_day: dict[str, list[int]] = {}
    for r in blocks:
        day = (aware(r.created_at) or r.created_at).date().isoformat()
        right = per_day.setdefault(day, [0, 0])
        right[0] += r.outcome != "overturn"
        right[1] += 1

    def share(n: int, d: int) -> float | None:
        return round(n / d, 4) if d else None

    return {
        "sampled_blocks": len(blocks),
        "block_precision": share(sum(r.outcome != "overturn" for r in blocks), len(blocks)),
        "code_precision": share(sum(r.outcome == "confirm" for r in blocks), len(blocks)),
        "sampled_allows": len(allows),
        "miss_rate": share(sum(r.outcome == "change" for r in allows), len(allows)),
        "daily_block_precision": {d: share(a, n) for d, (a, n) in sorted(per_day.items())},
    }


@metric(
    "screening.publish_attempts",
    pillar=2,
    title="Publish attempts screened and intercepted",
    definition="""Items screened before publication in the year, and how many were blocked
    (intercepted) or held for review by the automatic decision.""",
    title_zh="发布前识别与拦截",
    definition_zh="年内发布前经过识别的商品与内容数，以及被机器拦截或转人工审核的数量。",
)
def publish_attempts(conn: Connection, period: Period) -> dict[str, int]:
    query = select(
        func.count(),
        func.sum(case((decisions.c.action == "block", 1), else_=0)),
        func.sum(case((decisions.c.action == "review", 1), else_=0)),
    ).where(decisions.c.created_at >= period.start, decisions.c.created_at < period.end)
    total, blocked, held = conn.execute(query).one()
    return {"screened": int(total or 0), "blocked": int(blocked or 0), "held": int(held or 0)}
