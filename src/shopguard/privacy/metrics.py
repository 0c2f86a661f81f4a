"""Information security's figures for the yearly report: encryption and masked shipping
coverage, personal-data access by purpose, principals locked and messages redacted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from shopguard.platform.metrics import Period, metric
from shopguard.privacy.store import messages, orders, pii_access, principal_locks, waybills


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@metric(
    "privacy.orders",
    pillar=5,
    title="Orders with the consignee stored encrypted",
    definition="""Orders placed in the year, and the share whose consignee (name, phone,
    address) is held only as ciphertext in the vault, the order keeping a record id and masks.""",
    title_zh="收件信息全密文存储的订单",
    definition_zh="年内下单数，及收件人姓名、电话、地址仅以密文存于隐私保险库（订单只保留记录号与脱敏值）的订单占比。",
)
def orders_encrypted(conn: Connection, period: Period) -> dict[str, Any]:
    in_year = (orders.c.created_at >= period.start) & (orders.c.created_at < period.end)
    placed = int(conn.execute(select(func.count()).where(in_year)).scalar_one())
    sealed = int(
        conn.execute(
            select(func.count()).where(in_year, orders.c.consignee_record.is_not(None))
        ).scalar_one()
    )
    return {"placed": placed, "encrypted_share": _share(sealed, placed)}


@metric(
    "privacy.shipping",
    pillar=5,
    title="Encrypted shipping coverage",
    definition="""Orders shipped in the year; the share shipped on a masked waybill (name,
    phone and address masked to GB/T 41833-2022), and the share whose phone was replaced by a
    privacy number (隐私面单), the coverage figure marketplaces publish.""",
    title_zh="隐私面单覆盖",
    definition_zh="年内发货订单数；使用脱敏面单（按GB/T 41833-2022隐藏姓名、电话、地址）的占比，以及电话由隐私号替代的占比（隐私面单覆盖率）。",
)
def shipping(conn: Connection, period: Period) -> dict[str, Any]:
    in_year = (orders.c.shipped_at >= period.start) & (orders.c.shipped_at < period.end)
    shipped = int(conn.execute(select(func.count()).where(in_year)).scalar_one())
    joined = orders.join(waybills, waybills.c.order_id == orders.c.id)
    masked, numbered = conn.execute(
        select(func.count(), func.count(waybills.c.privacy_number))
        .select_from(joined)
        .where(in_year)
    ).one()
    return {"shipped": shipped, "masked_waybill_share": _share(int(masked), shipped),
            "privacy_number_share": _share(int(numbered), shipped)}  # fmt: skip


@metric(
    "privacy.access",
    pillar=5,
    title="Personal-data access events audited",
    definition="""Every reveal of a consignee in clear, privacy-number call and bulk export in
    the year, each written to the audit log: granted reveals by purpose, calls connected,
    exported (masked) rows, and attempts refused (no valid purpose, role, rate limit, lock).""",
    title_zh="个人信息访问审计",
    definition_zh="年内每一次明文查看收件信息、隐私号呼叫与批量导出均写入审计日志：按用途统计的明文查看、接通的呼叫、导出（脱敏）行数，以及被拒绝的尝试（用途无效、角色不符、超频、锁定）。",
)
def access(conn: Connection, period: Period) -> dict[str, Any]:
    a = pii_access.c
    in_year = (a.at >= period.start) & (a.at < period.end)
    rows = conn.execute(
        select(a.action, a.purpose, a.outcome, func.count(), func.sum(a.records))
        .where(in_year)
        .group_by(a.action, a.purpose, a.outcome)
    ).all()
    by_purpose: dict[str, int] = {}
    counts = {"audited": 0, "calls_connected": 0, "rows_exported": 0, "refused": 0}
    for action, purpose, outcome, n, records in rows:
        counts["audited"] += int(n)
        if outcome != "granted":
            counts["refused"] += int(n)
        elif action == "reveal":
            by_purpose[str(purpose)] = by_purpose.get(str(purpose), 0) + int(n)
        elif action == "resolve":
            counts["calls_connected"] += int(n)
        elif action == "export":
            counts["rows_exported"] += int(records or 0)
    return {"audited": counts["audited"], "reveals_by_purpose": dict(sorted(by_purpose.items())),
            "calls_connected": counts["calls_connected"], "rows_exported": counts["rows_exported"],
            "refused": counts["refused"]}  # fmt: skip


@metric(
    "privacy.locks",
    pillar=5,
    title="Principals locked for unusual personal-data access",
    definition="""Keys locked out of personal data in the year because their reveals, calls
    or exports were unusual in volume (per the policy's windows or against their own habit),
    each with an egregious violation put before reviewers when the key is a shop's.""",
    title_zh="因异常访问个人信息被锁定的账号",
    definition_zh="年内因明文查看、呼叫或导出量异常（超过策略窗口阈值或显著高于自身日常水平）被锁定的密钥数；商家密钥同时记录特别严重违规并提交人工复核。",
)
def locks(conn: Connection, period: Period) -> dict[str, Any]:
    p = principal_locks.c
    in_year = (p.locked_at >= period.start) & (p.locked_at < period.end)
    total, shops = conn.execute(
        select(func.count(), func.count(p.violation_id)).where(in_year)
    ).one()
    return {"locked": int(total), "shops_with_violation": int(shops)}


@metric(
    "privacy.messages",
    pillar=5,
    title="Buyer-seller messages screened for personal data",
    definition="""Order messages in the year, how many had personal data masked or an
    off-platform request blanked before they were stored, and how many of those were a shop's,
    recorded as violations.""",
    title_zh="买卖双方消息中的个人信息拦截",
    definition_zh="年内订单消息数，存储前遮蔽个人信息或屏蔽站外交易引导的消息数，及其中由商家发出并记为违规的数量。",
)
def message_figures(conn: Connection, period: Period) -> dict[str, Any]:
    m = messages.c
    in_year = (m.at >= period.start) & (m.at < period.end)
    total = int(conn.execute(select(func.count()).where(in_year)).scalar_one())
    recorded = int(
        conn.execute(select(func.count()).where(in_year, m.violation_id.is_not(None))).scalar_one()
    )
    redacted = int(conn.execute(select(func.count()).where(in_year, m.redacted)).scalar_one())
    return {"screened": total, "redacted": redacted, "shop_violations": recorded}
