"""The main job's benchmark: how fast a marketplace year is simulated through the real engine
(publish attempts/s, stored events/s), and how long the yearly report takes on the result.

    python bench/main_job.py [--scale small|medium] [--skip-pg] [--skip-sqlite]

Each database gets a fresh store: a SQLite file, and the PostgreSQL of SHOPGUARD_BENCH_PG
(schema dropped and recreated) when it is set. The simulation runs as `shopguard simulate`;
the report is timed as `shopguard report` (figures computed from the store, then rendered) in
HTML and in JSON, three times each, median printed. Target: the report on `medium` in <= 60 s.
Never asserts."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from common import machine, median, shopguard_bin
from rich.console import Console
from rich.table import Table

console = Console(width=140, highlight=False)


def _reset_pg(url: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def _run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own CLI
        [shopguard_bin(), *args], env=env, capture_output=True, text=True, check=False
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"shopguard {' '.join(args)} failed: {done.stderr[-500:]}")
    return took, done.stdout


def _count(out: str, label: str) -> int:
    found = re.search(rf"{re.escape(label)}\s*│\s*([\d,]+)", out)
    return int(found.group(1).replace(",", "")) if found else 0


def bench(name: str, url: str, folder: Path, scale: str, year: int) -> list[tuple[str, str, str]]:
    env = {**os.environ, "SHOPGUARD_DATABASE_URL": url, "SHOPGUARD_DATA_DIR": str(folder)}
    console.print(f"[bold]{name}[/]: simulating {year} at scale {scale} ...")
    took, out = _run(["simulate", "--year", str(year), "--scale", scale, "--seed", "1"], env)
    attempts = _count(out, "publish attempts")
    events = _count(out, "events stored (all years)")
    rows = [
        (f"{name}: simulate {scale}", f"{took:.1f} s", ""),
        (f"{name}: publish attempts", f"{attempts:,} ({attempts / took:,.0f}/s)", ""),
        (f"{name}: stored events", f"{events:,} ({events / took:,.0f}/s)",
         ">= 5,000,000 on medium"),
    ]  # fmt: skip
    for fmt in ("html", "json"):
        times = []
        for _ in range(3):
            t, _ = _run(
                ["report", "--year", str(year), "--format", fmt, "--lang", "zh",
                 "--output", str(folder / f"r.{fmt}")], env,
            )  # fmt: skip
            times.append(t)
        rows.append(
            (
                f"{name}: report {fmt} (median of 3)",
                f"{median(times):.2f} s",
                "<= 60 s on medium",
            )  # fmt: skip
        )
        console.print(f"  report {fmt}: {', '.join(f'{t:.2f}' for t in times)} s")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium", choices=("tiny", "small", "medium"))
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="sg-main-job-") as tmp:
        folder = Path(tmp)
        if not args.skip_sqlite:
            rows += bench("SQLite", f"sqlite:///{folder / 'sg.db'}", folder, args.scale, args.year)
        pg = os.environ.get("SHOPGUARD_BENCH_PG")
        if pg and not args.skip_pg:
            _reset_pg(pg)
            rows += bench("PostgreSQL", pg, folder, args.scale, args.year)
    table = Table(title=f"main job benchmark ({machine()['date']})", title_justify="left")
    for column in ("figure", "value", "target"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in machine().items()))


if __name__ == "__main__":
    main()
