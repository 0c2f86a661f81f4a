"""The simulator's ground truth as a metric: per violation code, how often screening's verdict
matched what the simulator really injected. The report's detection appendix reads it, so
reporting never imports the simulator."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from shopguard.platform.metrics import Period, metric
from shopguard.screening.store import decisions
from shopguard.simulation.store import sim_truth


@metric(
    "simulation.detection",
    pillar=1,
    title="Detection against the simulator's ground truth",
    definition="""Per violation code, simulated items where screening flagged (blocked or sent
    to review) a code the simulator injected (tp), flagged one it did not inject (fp), or
    missed one it injected (fn). Only simulated stores have ground truth.""",
    title_zh="对照模拟真值的识别效果",
    definition_zh="按违规类型统计：机审（拦截或转人工）命中模拟器注入的违规（tp）、误报未注入的违规（fp）、漏掉已注入的违规（fn）。仅模拟数据有真值。",
)
def detection(conn: Connection, period: Period) -> dict[str, Any]:
    query = (
        select(decisions.c.codes, decisions.c.action, sim_truth.c.codes.label("truth"))
        .join(sim_truth, sim_truth.c.decision_id == decisions.c.id)
        .where(decisions.c.created_at >= period.start, decisions.c.created_at < period.end)
    )
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for codes, action, truth in conn.execute(query):
        found = set(codes.split()) if action != "allow" else set()
        real = set(truth.split())
        for c in found & real:
            tp[c] += 1
        for c in found - real:
            fp[c] += 1
        for c in real - found:
            fn[c] += 1
    return {code: {"tp": tp[code], "fp": fp[code], "fn": fn[code]} for code in sorted(tp | fp | fn)}
