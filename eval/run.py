"""Evaluate the screening engine and the PII detector on the labelled corpora in eval/.

    python eval/run.py [--split dev|holdout|all] [--errors]

Screening: per-code precision, recall and F1 at item level (a code is predicted when the decision
carries a violation of it). PII: entity-level, an entity counts when type, start and end match.
The holdout files are written in a different style from the dev files; they measure how far the
rules generalise and are not tuned against.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from shopguard.runtime import load_policy
from shopguard.screening.schemas import parse_item
from shopguard.text.engine import screen_item
from shopguard.text.model import Code
from shopguard.text.pii import find_pii

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
console = Console()


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def eval_screening(split: str, show_errors: bool) -> float:
    policy = load_policy(ROOT / "policies" / "cn-default")
    files = sorted((HERE / "screening").glob("*.jsonl"))
    rows = [r for f in files if split in ("all", f.stem) for r in _read(f)]
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    clean_ok = clean = 0
    for row in rows:
        decision = screen_item(parse_item(row), policy)
        got, want = decision.codes, set(row["labels"])
        for code in got & want:
            tp[code] += 1
        for code in got - want:
            fp[code] += 1
        for code in want - got:
            fn[code] += 1
        if not want:
            clean += 1
            clean_ok += not got
        if show_errors and got != want:
            extra = [(v.code, v.match) for v in decision.violations if v.code not in want]
            console.print(
                f"[bold]{row['id']}[/] want={sorted(want)} missing={sorted(want - got)} extra={extra}\n"
                f"   {row.get('category')} | {row.get('title', '')} | {row['text']}",
                highlight=False,
            )
    table = Table(title=f"screening ({split}: {len(rows)} items, {clean} clean)")
    for col in ("code", "support", "precision", "recall", "F1"):
        table.add_column(col, justify="right" if col != "code" else "left")
    worst = 1.0
    for code in Code:
        p, r, f = _f1(tp[code], fp[code], fn[code])
        worst = min(worst, f)
        table.add_row(code.value, str(tp[code] + fn[code]), f"{p:.3f}", f"{r:.3f}", f"{f:.3f}")
    p, r, f = _f1(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    table.add_row(
        "[bold]micro[/]",
        str(sum(tp.values()) + sum(fn.values())),
        f"{p:.3f}",
        f"{r:.3f}",
        f"{f:.3f}",
    )
    console.print(table)
    console.print(f"clean items left clean: {clean_ok}/{clean}  |  lowest per-code F1: {worst:.3f}")
    return worst


def eval_pii(split: str, show_errors: bool) -> float:
    files = sorted((HERE / "pii").glob("*.jsonl"))
    rows = [r for f in files if split in ("all", f.stem) for r in _read(f)]
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    unmasked = 0
    for row in rows:
        found = find_pii(row["text"])
        got = {(e.type.value, e.start, e.end) for e in found}
        want = {(e["type"], e["start"], e["end"]) for e in row["entities"]}
        for t, *_ in got & want:
            tp[t] += 1
        for t, *_ in got - want:
            fp[t] += 1
        for t, *_ in want - got:
            fn[t] += 1
        unmasked += sum(1 for e in found if sum(ch.isdigit() for ch in e.masked) > 10)
        if show_errors and got != want:
            console.print(
                f"[bold]{row['id']}[/] missing={sorted(want - got)} extra={sorted(got - want)}\n   {row['text']}",
                highlight=False,
            )
    table = Table(title=f"PII entities ({split}: {len(rows)} texts)")
    for col in ("type", "support", "precision", "recall", "F1"):
        table.add_column(col, justify="right" if col != "type" else "left")
    worst = 1.0
    for t in ("phone", "id_card", "bank_card", "email"):
        p, r, f = _f1(tp[t], fp[t], fn[t])
        worst = min(worst, f)
        table.add_row(t, str(tp[t] + fn[t]), f"{p:.3f}", f"{r:.3f}", f"{f:.3f}")
    console.print(table)
    console.print(
        f"lowest per-type F1: {worst:.3f}  |  masks leaving a readable number: {unmasked}"
    )
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="all", help="dev, holdout or all")
    parser.add_argument("--errors", action="store_true", help="print every misclassified item")
    parser.add_argument("--only", choices=["screening", "pii"], default=None)
    args = parser.parse_args()
    if args.only in (None, "screening") and (HERE / "screening").is_dir():
        eval_screening(args.split, args.errors)
    if args.only in (None, "pii") and (HERE / "pii").is_dir():
        eval_pii(args.split, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
