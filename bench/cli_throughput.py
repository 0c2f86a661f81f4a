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
import resource
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
from common import HERE, ROOT, machine_busy_seconds, median, shopguard_bin, verdict

FLOOR = HERE / "floor.py"
RATIO_TARGET = 2.0


@dataclass
class CliResult:
    lines: int
    floor: list[float] = field(default_factory=list)
    shopguard: list[float] = field(default_factory=list)
    startup: list[float] = field(default_factory=list)
    floor_startup: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    shopguard_cpu: list[float] = field(default_factory=list)
    others: list[float] = field(default_factory=list)  # cores busy with other work per run
    actions: dict[str, int] = field(default_factory=dict)  # from shopguard's first output
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
            f"  CPU time, medians: floor {median(self.floor_cpu):.2f} s, shopguard "
            f"{median(self.shopguard_cpu):.2f} s; other processes kept "
            f"{median(self.others):.2f} cores busy (max {max(self.others):.2f})",
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


@dataclass
class Timed:
    seconds: float  # wall time from spawn to exit
    code: int
    stderr: str  # its last lines
    cpu: float  # CPU seconds of the process and its children
    others: float  # cores other processes kept busy meanwhile


def _timed(argv: list[str], out: Path, env: dict[str, str]) -> Timed:
    with out.open("wb") as stdout, tempfile.TemporaryFile() as stderr:
        ru0, busy0 = resource.getrusage(resource.RUSAGE_CHILDREN), machine_busy_seconds()
        t0 = time.perf_counter()
        proc = subprocess.run(argv, stdout=stdout, stderr=stderr, env=env, cwd=ROOT, check=False)
        elapsed = time.perf_counter() - t0
        ru1, busy1 = resource.getrusage(resource.RUSAGE_CHILDREN), machine_busy_seconds()
        stderr.seek(0)
        tail = stderr.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    others = max(0.0, (busy1 - busy0 - cpu) / elapsed)
    return Timed(elapsed, proc.returncode, " | ".join(tail), cpu, others)


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
                t = _timed(argv, out, env)
                if t.code != 0:
                    result.problems.append(f"{name} run {i + 1} exited {t.code}: {t.stderr}")
                    log(f"  {name} run {i + 1}: FAILED (exit {t.code}) {t.stderr}")
                    continue
                produced = _count_lines(out)
                if produced != lines:
                    result.problems.append(f"{name} wrote {produced} lines for {lines}")
                getattr(result, name).append(t.seconds)
                getattr(result, f"{name}_cpu").append(t.cpu)
                result.others.append(t.others)
                if name == "shopguard" and not result.actions:
                    result.actions = _tally_actions(out)
                log(
                    f"  {name:9} run {i + 1}/{runs}: {t.seconds:6.2f} s "
                    f"({lines / t.seconds:,.0f} lines/s, CPU {t.cpu:.2f} s, "
                    f"other processes {t.others:.2f} cores)"
                )
        for _ in range(startup_runs):
            for argv, bucket in (
                ([sg, "screen", str(one)], result.startup),
                ([sys.executable, str(FLOOR), str(terms), str(one)], result.floor_startup),
            ):
                t = _timed(argv, tmp / "one.out", env)
                if t.code == 0:
                    bucket.append(t.seconds)
                else:
                    result.problems.append(f"start-up run exited {t.code}: {t.stderr}")
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
