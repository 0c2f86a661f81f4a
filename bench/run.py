"""shopguard benchmarks, run by hand (`make bench`): CLI throughput and HTTP load.

    python bench/run.py [--runs 5] [--duration 20] [--skip-cli] [--skip-http] ...

1. bench/corpus.py makes (or reuses) 100,000 realistic items and a 1,500-term list.
2. bench/cli_throughput.py times `shopguard screen` against a one-pass Aho-Corasick floor.
3. bench/http_load.py drives POST /v1/screen on SQLite and, when SHOPGUARD_BENCH_PG is set,
   PostgreSQL, with one and two workers, from a second process (wrk or bench/loadgen.py).

Prints medians, ratios and one summary table with the machine and the date. It never asserts:
targets are printed beside the figures. About 5 minutes on a 2-core machine with the defaults.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import cli_throughput
import corpus
import http_load
from cli_throughput import CliResult
from common import background_load, machine, median
from http_load import LoadRun
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console(width=150, highlight=False)


def log(message: str) -> None:
    console.print(message, markup=False)


def _mark(ok: bool) -> str:
    return "[green]yes[/]" if ok else "[red]NO[/]"


def summary_table(
    info: dict[str, str],
    data: corpus.Corpus,
    cli: CliResult | None,
    http: list[LoadRun],
    elapsed: float,
) -> Table:
    table = Table(
        title="shopguard benchmark summary",
        box=box.SIMPLE_HEAD,
        show_lines=False,
        title_justify="left",
    )
    table.add_column("section", style="bold", no_wrap=True)
    table.add_column("figure", no_wrap=True)
    table.add_column("value")
    table.add_column("target", no_wrap=True)
    table.add_column("met", no_wrap=True)
    for i, (name, value) in enumerate(info.items()):
        table.add_row("machine" if i == 0 else "", name, value, "", "")
    table.add_row("", "benchmark wall time", f"{elapsed / 60:.1f} min", "", "", end_section=True)

    table.add_row(
        "corpus",
        "items / terms",
        f"{data.count:,} items ({data.items.stat().st_size / 1e6:.1f} MB), "
        f"{len(data.terms.read_text('utf-8').splitlines()):,} terms",
        "",
        "",
        end_section=True,
    )

    if cli is not None and cli.floor and cli.shopguard:
        floor, sg = cli.floor_median, cli.shopguard_median
        runs = len(cli.shopguard)
        table.add_row(
            "CLI",
            f"floor, median of {len(cli.floor)}",
            f"{floor:.2f} s  ({cli.lines_per_second(floor):,.0f} lines/s)",
            "",
            "",
        )
        table.add_row(
            "",
            f"shopguard screen, median of {runs}",
            f"{sg:.2f} s  ({cli.lines_per_second(sg):,.0f} lines/s)",
            "",
            "",
        )
        ok = cli.ratio <= cli_throughput.RATIO_TARGET
        table.add_row("", "ratio shopguard / floor", f"{cli.ratio:.2f} x", "<= 2 x", _mark(ok))
        cpu_ratio = median(cli.shopguard_cpu) / median(cli.floor_cpu)
        table.add_row(
            "",
            "CPU-time ratio shopguard / floor",
            f"{cpu_ratio:.2f} x  (other processes: median {median(cli.others):.2f} cores busy"
            f"{', NOISY' if median(cli.others) > http_load.NOISE_CORES else ''})",
            "",
            "",
        )
        table.add_row(
            "",
            "shopguard start-up (1-line file)",
            f"{median(cli.startup):.2f} s  (floor {median(cli.floor_startup):.2f} s)",
            "",
            "",
        )
        table.add_row("", "shopguard decisions", cli.action_mix(), "", "", end_section=True)
    elif cli is not None:
        problems = escape("; ".join(cli.problems)[:300])
        table.add_row("CLI", "failed", problems, "", "", end_section=True)

    target = f">= {http_load.RPS_TARGET:,.0f}/s, p99 <= {http_load.P99_TARGET_MS:.0f} ms"
    for i, r in enumerate(http):
        section = "HTTP" if i == 0 else ""
        name = (
            f"{r.backend}, {r.workers} worker{'s' if r.workers > 1 else ''}, {r.connections} conns"
        )
        if r.error:
            table.add_row(section, name, escape(f"failed: {r.error}"[:200]), target, "")
            continue
        check = "consistent" if r.stored_consistent else "MISMATCH"
        value = (
            f"{r.rps:,.0f} screens/s  p50 {r.p50_ms:.1f} ms  p99 {r.p99_ms:.1f} ms  "
            f"non-2xx {r.non2xx}  errors {r.socket_errors}  decisions stored {r.stored:,} for "
            f"{r.ok:,} ok ({check})  cores: server {r.cores(r.server_cpu_s):.2f}, db "
            f"{r.cores(r.database_cpu_s):.2f}, other {r.cores(r.other_cpu_s):.2f}"
            f"{' NOISY' if r.noisy else ''}"
        )
        if r.failure:
            value += f"  ({r.failure})"
        table.add_row(section, name, escape(value), target, _mark(r.meets_targets))
    if http:
        table.add_row("", "load generator", http[0].tool, "", "")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="CLI runs of each command")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per HTTP run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of HTTP warm-up")
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--tool", choices=["wrk", "loadgen"], help="default: wrk if installed")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    if args.tool:
        os.environ["SHOPGUARD_BENCH_TOOL"] = args.tool

    started = time.perf_counter()
    info = machine()
    idle = background_load()
    info["busy before start"] = f"{idle:.2f} cores (other processes)"
    log(
        f"shopguard benchmarks, {info['date']}, {info['cpus (nproc)']} CPUs "
        f"({info['cpu model']}), commit {info['shopguard commit']}"
    )
    if idle > 0.2:
        log(f"warning: {idle:.2f} cores were busy before the start; figures may be low")

    console.rule("corpus")
    data = corpus.ensure()
    made = f"generated in {data.seconds:.1f} s" if data.seconds else "reused"
    log(f"{data.items} and {data.terms}: {made}")
    log(corpus.describe(data.items))

    cli: CliResult | None = None
    if not args.skip_cli:
        console.rule("CLI throughput")
        cli = cli_throughput.run(
            data.items,
            data.terms,
            runs=args.runs,
            startup_runs=args.startup_runs,
            log=log,
        )
        log(cli.report())

    http: list[LoadRun] = []
    if not args.skip_http:
        console.rule("HTTP load")
        http = http_load.run(
            data.items,
            pg_url=os.environ.get("SHOPGUARD_BENCH_PG"),
            workers=args.workers,
            connections=args.connections,
            seconds=args.duration,
            warmup=args.warmup,
            log=log,
        )

    console.rule("summary")
    console.print(summary_table(info, data, cli, http, time.perf_counter() - started))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
