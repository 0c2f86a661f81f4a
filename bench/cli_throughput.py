"""CLI throughput: `shopguard screen` against a one-pass Aho-Corasick floor, process start included.

    python bench/cli_throughput.py [--runs 5] [--startup-runs 5]

Both commands read bench/out/items.jsonl and write one line per item to a file. They run
alternately (floor, shopguard, floor, shopguard ...) so drift hits both alike; the figures are
medians of the wall times. `shopguard screen` on a one-line file gives the start-up alone.
Prints figures, never asserts: the target (shopguard <= 2x the floor) is shown beside them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import corpus
import orjson
from common import HERE, ROOT, median, shopguard_bin, verdict

FLOOR = HERE / "floor.py"
RATIO_TARGET = 2.0


@dataclass
class CliResult:
    lines: int
    floor: list[float] = field(default_factory=list)
    shopguard: list[float] = field(default_factory=list)
    startup: list[float] = field(default_factory=list)
    floor_startup: list[float] = field(default_factory=list)
    actions: dict[str, int] = field(default_factory=dict)  # from shopguard's last output
    problems: list[str] = field(default_factory=list)

    @property
    def floor_median(self) -> float:
        return median(self.floor)

    @property
    def shopguard_median(self) -> float:
        return median(self.shopguard)

    @property
    def ratio(self) -> float:
        return self.shopguard_median / self.floor_median

    def lines_per_second(self, seconds: float) -> float:
        return self.lines / seconds

    def report(self) -> str:
        if not self.floor or not self.shopguard:
            return "CLI throughput: no complete run\n" + "\n".join(self.problems)
        rows = [
            f"CLI throughput over {self.lines:,} lines ({len(self.floor)} runs each, medians):",
            f"  floor (ahocorasick_rs + orjson)  {self.floor_median:7.2f} s  "
            f"{self.lines_per_second(self.floor_median):>10,.0f} lines/s   "
            f"runs: {_runs(self.floor)}",
            f"  shopguard screen                 {self.shopguard_median:7.2f} s  "
            f"{self.lines_per_second(self.shopguard_median):>10,.0f} lines/s   "
            f"runs: {_runs(self.shopguard)}",
            f"  ratio shopguard / floor          {self.ratio:7.2f} x  "
            f"(target <= {RATIO_TARGET:.0f}x: {verdict(self.ratio <= RATIO_TARGET)})",
            f"  shopguard's decisions: {self.action_mix()}",
            f"  start-up, 1-line file: shopguard {median(self.startup):.2f} s, "
            f"floor {median(self.floor_startup):.2f} s",
            "  shopguard without its start-up   "
            f"{self.lines_per_second(self.shopguard_median - median(self.startup)):>10,.0f} "
            "lines/s",
        ]
        return "\n".join(rows + [f"  problem: {p}" for p in self.problems])

    def action_mix(self) -> str:
        total = sum(self.actions.values()) or 1
        return ", ".join(f"{a} {n / total:.1%}" for a, n in sorted(self.actions.items()))


def _tally_actions(path: Path) -> dict[str, int]:
    counts: Counter[str] = Counter()
    with path.open("rb") as fh:
        for raw in fh:
            counts[orjson.loads(raw)["action"]] += 1
    return dict(counts)


def _runs(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def _timed(argv: list[str], out: Path, env: dict[str, str]) -> tuple[float, int, str]:
    """Wall time of one process from spawn to exit, its exit code and its stderr tail."""
    with out.open("wb") as stdout, tempfile.TemporaryFile() as stderr:
        t0 = time.perf_counter()
        proc = subprocess.run(argv, stdout=stdout, stderr=stderr, env=env, cwd=ROOT, check=False)
        elapsed = time.perf_counter() - t0
        stderr.seek(0)
        tail = stderr.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    return elapsed, proc.returncode, " | ".join(tail)


def _count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def run(
    items: Path,
    terms: Path,
    *,
    runs: int = 5,
    startup_runs: int = 5,
    log: Callable[[str], None] = print,
) -> CliResult:
    lines = _count_lines(items)  # also pulls the file into the page cache before timing
    result = CliResult(lines)
    sg = shopguard_bin()
    with tempfile.TemporaryDirectory(prefix="shopguard-bench-cli-") as tmp_dir:
        tmp = Path(tmp_dir)
        env = {**os.environ, "SHOPGUARD_DATA_DIR": str(tmp / "data")}
        env.pop("SHOPGUARD_DATABASE_URL", None)
        one = tmp / "one.jsonl"
        with items.open("rb") as fh:
            one.write_bytes(fh.readline())
        commands = {
            "floor": [sys.executable, str(FLOOR), str(terms), str(items)],
            "shopguard": [sg, "screen", str(items)],
        }
        for i in range(runs):
            for name, argv in commands.items():
                out = tmp / f"{name}.jsonl"
                elapsed, code, err = _timed(argv, out, env)
                if code != 0:
                    result.problems.append(f"{name} run {i + 1} exited {code}: {err}")
                    log(f"  {name} run {i + 1}: FAILED (exit {code}) {err}")
                    continue
                produced = _count_lines(out)
                if produced != lines:
                    result.problems.append(f"{name} wrote {produced} lines for {lines}")
                getattr(result, name).append(elapsed)
                if name == "shopguard" and not result.actions:
                    result.actions = _tally_actions(out)
                log(
                    f"  {name:9} run {i + 1}/{runs}: {elapsed:6.2f} s ({lines / elapsed:,.0f} lines/s)"
                )
        for _ in range(startup_runs):
            for argv, bucket in (
                ([sg, "screen", str(one)], result.startup),
                ([sys.executable, str(FLOOR), str(terms), str(one)], result.floor_startup),
            ):
                elapsed, code, err = _timed(argv, tmp / "one.out", env)
                if code == 0:
                    bucket.append(elapsed)
                else:
                    result.problems.append(f"start-up run exited {code}: {err}")
        log(f"  start-up (1 line): shopguard {_runs(result.startup)} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--startup-runs", type=int, default=5)
    args = parser.parse_args()
    data = corpus.ensure()
    result = run(data.items, data.terms, runs=args.runs, startup_runs=args.startup_runs)
    print(result.report())


if __name__ == "__main__":
    main()
