"""Screening's figures for the yearly report: what was screened and intercepted, by kind, by
violation code and by month."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from shopguard.platform.metrics import Period, metric
from shopguard.screening.store import decisions


def _in(period: Period) -> Any:
    return (decisions.c.created_at >= period.start) & (decisions.c.created_at < period.end)


@metric(
    "screening.by_kind",
    pillar=1,
    title="Listings and creator content screened and intercepted",
    definition="""Publish attempts screened in the year, split into product listings and
    creators' content (video captions, live transcripts), with how many of each were blocked
    before publication.""",
    title_zh="商品与达人内容的识别与拦截",
    definition_zh="年内发布前经过识别的内容，分商品与达人内容（视频文案、直播话术），及各自被拦截的数量。",
)
def by_kind(conn: Connection, period: Period) -> dict[str, Any]:
    query = (
        select(
            decisions.c.kind,
            func.count(),
            func.sum(case((decisions.c.action == "block", 1), else_=0)),
        )
        .where(_in(period))
        .group_by(decisions.c.kind)
    )
    found = {k: (int(n), int(b or 0)) for k, n, b in conn.execute(query)}
    return {
        kind: {"screened": found.get(kind, (0, 0))[0], "blocked": found.get(kind, (0, 0))[1]}
        for kind in ("listing", "content")
    }


@metric(
    "screening.blocked_by_code",
    pillar=2,
    title="Intercepted publish attempts by violation",
    definition="""Publish attempts blocked at screening in the year, counted once under each
    violation code their evidence names.""",
    title_zh="拦截的发布（按违规类型）",
    definition_zh="年内在发布前被拦截的内容，按其证据所涉违规类型分别计数。",
)
def blocked_by_code(conn: Connection, period: Period) -> dict[str, int]:
    query = (
        select(decisions.c.codes, func.count())
        .where(_in(period), decisions.c.action == "block")
        .group_by(decisions.c.codes)
    )
    out: Counter[str] = Counter()
    for codes, n in conn.execute(query):
        for code in codes.split():
            out[code] += int(n)
    return dict(sorted(out.items()))


@metric(
    "screening.monthly",
    pillar=2,
    title="Publish attempts and interceptions by month",
    definition="Publish attempts screened and blocked in each month of the year.",
    title_zh="按月的发布识别与拦截",
    definition_zh="年内每月经过识别及被拦截的发布数。",
)
def monthly(conn: Connection, period: Period) -> dict[str, Any]:
    if conn.dialect.name == "sqlite":
        month: Any = func.strftime("%Y-%m", decisions.c.created_at)
    else:
        month = func.to_char(func.date_trunc("month", decisions.c.created_at), "YYYY-MM")
    query = (
        select(month, func.count(), func.sum(case((decisions.c.action == "block", 1), else_=0)))
        .where(_in(period))
        .group_by(month)
        .order_by(month)
    )
    return {m: {"screened": int(n), "blocked": int(b or 0)} for m, n, b in conn.execute(query)}
