"""Enforcement ledger: bulk violation import rate and standing lookups under load.

    python bench/enforcement.py [--violations 1000000] [--subjects 100000] [--runs 3]
                                [--duration 15] [--connections 8 32] [--workers 1]
                                [--threads 4] [--inproc-seconds 10] [--skip-http]
                                [--skip-lookups] [--skip-cli] [--sqlite-only] [--profile]

On SQLite (a fresh temporary file) and on PostgreSQL when SHOPGUARD_BENCH_PG is set (schema
`public` dropped and re-created, then migrated by `Database.open`):

1. Batch apply. 100,000 subjects are registered (2/3 merchants, 1/3 creators with heavy-tailed
   followers), then 1,000,000 violation lines (realistic code mix, Zipf-like repeat offenders,
   non-decreasing `at` over the year up to today 00:00 UTC) are applied with
   `batch.apply_lines` in-process, `--runs` times, each on a fresh database. The lines are
   generated once and cached in bench/.cache/enforcement/ (same seed, same day: same bytes).
2. Standing lookups, on the last run's ledger. `shopguard serve` answers
   GET /v1/subjects/{id}/standing for uniformly random subject ids, driven by wrk
   (bench/standing.lua) at 8 and 32 connections; then 4 threads call `get_standing`
   in-process. Reports requests/s, p50 and p99.
3. Once more through the CLI on a fresh database, `shopguard violations import FILE`: the
   end-to-end figure, start-up and migration check included.
4. A summary table with the machine and the date.

Prints; never asserts. Targets: >= 20,000 violations/s; standing p99 <= 5 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import http_load
import orjson
from common import HERE, ROOT, background_load, machine, median, shopguard_bin
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from shopguard.enforcement import store
from shopguard.enforcement.batch import BatchResult, apply_lines
from shopguard.enforcement.model import EnforcementPolicy, load_enforcement
from shopguard.enforcement.subjects import get_standing
from shopguard.platform import bulk
from shopguard.platform.auth import create_key
from shopguard.platform.clock import SystemClock
from shopguard.platform.db import Database, make_engine

PACK = ROOT / "policies" / "cn-default"
CACHE = HERE / ".cache" / "enforcement"
STANDING_LUA = HERE / "standing.lua"
RATE_TARGET = 20_000.0  # violations/s
P99_TARGET_MS = 5.0
GENERATOR = 1  # bump when the generator changes: cached files are then regenerated
SEED = 20240917
YEAR = timedelta(days=365)

# Code mix of a year of findings (share of lines); late shipment and absolute terms dominate.
CODES: dict[str, float] = {
    "ad.absolute_term": 0.27,
    "service.late_shipment": 0.16,
    "claim.efficacy_guarantee": 0.12,
    "diversion.off_platform": 0.10,
    "claim.medical": 0.09,
    "marketing.sob_story": 0.08,
    "ip.counterfeit_signal": 0.08,
    "pii.exposure": 0.06,
    "goods.prohibited": 0.04,
}
SEVERITIES: dict[str, float] = {"general": 0.78, "serious": 0.2195, "egregious": 0.0005}
SOURCES: dict[str, float] = {"automatic": 0.72, "reviewer": 0.25, "lab": 0.03}
SOURCE_OVERRIDES: dict[str, dict[str, float]] = {
    "ip.counterfeit_signal": {"ip_complaint": 0.6, "automatic": 0.3, "reviewer": 0.1},
    "service.late_shipment": {"automatic": 1.0},
}
ZIPF_S, ZIPF_Q = 1.1, 25.0  # weight of the r-th worst offender: (r + q) ** -s

console = Console(width=150, highlight=False)


def log(message: str) -> None:
    console.print(message, markup=False)


# --------------------------------------------------------------------------------------------
# The workload: subjects and a year of violations (deterministic for a seed and a day).


@dataclass
class Workload:
    subjects: list[dict[str, Any]]
    lines: Path
    violations: int
    anchor: datetime  # the last possible `at`: today 00:00 UTC
    stats: dict[str, Any]
    seconds: float = 0.0  # to generate; 0 when reused from the cache

    @property
    def ids(self) -> list[str]:
        return [s["id"] for s in self.subjects]


def make_subjects(count: int, seed: int, created_at: datetime) -> list[dict[str, Any]]:
    """2/3 merchants (shops), 1/3 creators; followers heavy-tailed (Pareto), creators' more."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        if i % 3 == 2:
            followers = min(int(200 * rng.paretovariate(1.16)), 50_000_000)
            out.append({"id": f"creator-{i:06d}", "type": "creator", "name": f"达人 {i}"})
        else:
            followers = min(int(20 * rng.paretovariate(1.5)), 5_000_000)
            out.append({"id": f"shop-{i:06d}", "type": "merchant", "name": f"店铺 {i}"})
        out[-1].update(followers=followers, created_at=created_at)
    return out


def _pick(rng: random.Random, table: dict[str, float], k: int) -> list[str]:
    return rng.choices(list(table), weights=list(table.values()), k=k)


def generate(path: Path, ids: list[str], count: int, anchor: datetime, seed: int) -> dict[str, Any]:
    """Write `count` violation lines to `path`; returns what they look like."""
    rng = random.Random(seed)
    offenders = ids[:]
    rng.shuffle(offenders)  # the worst offenders are merchants and creators alike
    cum = list(itertools.accumulate((r + ZIPF_Q) ** -ZIPF_S for r in range(1, len(ids) + 1)))
    who = rng.choices(offenders, cum_weights=cum, k=count)
    codes = _pick(rng, CODES, count)
    severities = _pick(rng, SEVERITIES, count)
    span = int(YEAR.total_seconds())
    offsets = sorted(rng.randrange(span) for _ in range(count))  # non-decreasing `at`
    start = anchor - YEAR
    sources = {code: _pick(rng, SOURCE_OVERRIDES.get(code, SOURCES), count) for code in CODES}
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as out:
        for i in range(count):
            code = codes[i]
            line: dict[str, Any] = {
                "subject": who[i],
                "code": code,
                "severity": severities[i],
                "source": sources[code][i],
                "at": (start + timedelta(seconds=offsets[i] + 1)).isoformat(),
            }
            if line["source"] == "automatic":
                line["item_id"] = f"item-{rng.randrange(10**9):09d}"
            out.write(orjson.dumps(line) + b"\n")
    tmp.replace(path)
    per = Counter(who)
    counts = sorted(per.values())
    return {
        "offenders": len(per),
        "max_per_subject": counts[-1],
        "median_per_offender": counts[len(counts) // 2],
        "p99_per_offender": counts[int(len(counts) * 0.99)],
        "top_1pct_share": sum(counts[-max(1, len(ids) // 100) :]) / count,
        "egregious": severities.count("egregious"),
        "codes": dict(Counter(codes).most_common()),
    }


def workload(subjects: int, violations: int, seed: int = SEED) -> Workload:
    now = datetime.now(UTC)
    anchor = now.replace(hour=0, minute=0, second=0, microsecond=0)
    subs = make_subjects(subjects, seed, anchor - 2 * YEAR)
    CACHE.mkdir(parents=True, exist_ok=True)
    stem = f"violations-g{GENERATOR}-s{seed}-{subjects}x{violations}-{anchor:%Y%m%d}"
    path, manifest = CACHE / f"{stem}.jsonl", CACHE / f"{stem}.json"
    if path.is_file() and manifest.is_file():
        return Workload(subs, path, violations, anchor, json.loads(manifest.read_text()))
    for old in CACHE.glob(f"violations-g*-{subjects}x{violations}-*"):
        old.unlink()  # yesterday's file: its year ends a day early
    started = time.perf_counter()
    stats = generate(path, [s["id"] for s in subs], violations, anchor, seed + 1)
    manifest.write_text(json.dumps(stats, indent=1))
    return Workload(subs, path, violations, anchor, stats, time.perf_counter() - started)


def describe(w: Workload) -> str:
    s = w.stats
    made = f"generated in {w.seconds:.1f} s" if w.seconds else "reused"
    codes = ", ".join(f"{c} {n / w.violations:.0%}" for c, n in s["codes"].items())
    return (
        f"{w.lines} ({w.lines.stat().st_size / 1e6:.0f} MB, {made}): {w.violations:,} violations "
        f"up to {w.anchor:%Y-%m-%d}, {len(w.subjects):,} subjects of which {s['offenders']:,} "
        f"offend; per offender median {s['median_per_offender']}, p99 {s['p99_per_offender']}, "
        f"max {s['max_per_subject']:,}; worst 1% of subjects {s['top_1pct_share']:.0%} of lines; "
        f"egregious (held) {s['egregious']:,}\n  codes: {codes}"
    )


# --------------------------------------------------------------------------------------------
# Databases.


@dataclass
class Store:
    backend: str  # sqlite or postgresql
    url: str

    def fresh(self) -> Database:
        """An empty, migrated database at `url`."""
        if self.backend == "postgresql":
            from sqlalchemy import text

            engine = make_engine(self.url)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
        else:
            path = Path(self.url.removeprefix("sqlite:///"))
            for suffix in ("", "-wal", "-shm", ".writelock"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return Database.open(self.url)


def register(db: Database, subjects: list[dict[str, Any]], chunk: int = 10_000) -> float:
    """Register every subject in one transaction; the seconds it took."""
    started = time.perf_counter()
    with db.transaction() as conn:
        for i in range(0, len(subjects), chunk):
            bulk.insert_many(conn, store.subjects, subjects[i : i + chunk], ids=False)
    return time.perf_counter() - started


def database_cpu(backend: str) -> float:
    """CPU seconds of PostgreSQL's processes so far (0 for SQLite, which runs in-process).
    Every postgres process on the machine counts: a test server running meanwhile shows up."""
    return http_load.cpu_seconds(os.getpgid(0))[1] if backend == "postgresql" else 0.0


# --------------------------------------------------------------------------------------------
# 1. Batch apply.


@dataclass
class ApplyRun:
    seconds: float
    violations: int
    cpu_s: float = 0.0  # this process
    db_cpu_s: float = 0.0  # PostgreSQL's backends

    @property
    def rate(self) -> float:
        return self.violations / self.seconds if self.seconds else 0.0


@dataclass
class BackendResult:
    backend: str
    register_s: list[float] = field(default_factory=list)
    runs: list[ApplyRun] = field(default_factory=list)
    last: BatchResult | None = None
    cli: ApplyRun | None = None
    cli_output: str = ""
    http: list[http_load.LoadRun] = field(default_factory=list)
    inproc: Lookups | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return median([r.rate for r in self.runs])


def _self_cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def apply_once(
    db: Database, w: Workload, policy: EnforcementPolicy
) -> tuple[ApplyRun, BatchResult]:
    backend = db.engine.dialect.name
    cpu0, db0 = _self_cpu(), database_cpu(backend)
    started = time.perf_counter()
    with w.lines.open("rb") as fh:
        result = apply_lines(db, fh, policy=policy, clock=SystemClock(), actor="benchmark")
    seconds = time.perf_counter() - started
    run = ApplyRun(seconds, result.violations, _self_cpu() - cpu0, database_cpu(backend) - db0)
    return run, result


def cli_import(st: Store, w: Workload, env: dict[str, str]) -> tuple[ApplyRun, str]:
    """`shopguard violations import FILE` in a fresh process, start-up included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    db0 = database_cpu(st.backend)
    started = time.perf_counter()
    done = subprocess.run(
        [shopguard_bin(), "violations", "import", str(w.lines), "--as", "benchmark"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise RuntimeError(f"violations import exited {done.returncode}: {tail}")
    out = " ".join(done.stdout.split())
    applied = int(out.split(" ", 1)[0]) if out[:1].isdigit() else 0
    return ApplyRun(seconds, applied, cpu, database_cpu(st.backend) - db0), out


def _fmt_run(r: ApplyRun) -> str:
    db = f", PostgreSQL {r.db_cpu_s:.1f} s" if r.db_cpu_s >= 0.05 else ""
    return (
        f"{r.violations:,} in {r.seconds:.1f} s = {r.rate:,.0f} violations/s "
        f"(CPU: shopguard {r.cpu_s:.1f} s{db})"
    )


def bench_apply(st: Store, w: Workload, policy: EnforcementPolicy, runs: int) -> BackendResult:
    """`runs` in-process applies, each on a fresh database; the last one's ledger stays."""
    res = BackendResult(st.backend)
    for i in range(runs):
        db = st.fresh()
        try:
            res.register_s.append(register(db, w.subjects))
            run, res.last = apply_once(db, w, policy)
        finally:
            db.close()
        res.runs.append(run)
        log(
            f"  {st.backend} run {i + 1}/{runs}: apply_lines {_fmt_run(run)}; "
            f"{len(w.subjects):,} subjects registered in {res.register_s[-1]:.1f} s"
        )
    if res.last:
        sanctions = ", ".join(f"{k} {v:,}" for k, v in res.last.sanctions.most_common())
        log(
            f"  {st.backend}: +{res.last.points:,} points, {res.last.held:,} held for review; "
            f"sanctions: {sanctions or 'none'}"
        )
    return res


def bench_cli(st: Store, w: Workload, env: dict[str, str], res: BackendResult) -> None:
    """Once through the CLI, on a fresh database (after the lookups: it replaces their ledger)."""
    db = st.fresh()
    try:
        register(db, w.subjects)
    finally:
        db.close()
    try:
        res.cli, res.cli_output = cli_import(st, w, env)
        log(f"  {st.backend} CLI `shopguard violations import`: {_fmt_run(res.cli)}")
        if res.cli.violations != w.violations:
            res.problems.append(f"CLI said: {res.cli_output[:200]}")
    except Exception as exc:  # report and go on
        res.problems.append(f"CLI import: {exc}")
        log(f"  {st.backend} CLI import FAILED: {exc}")


def profile_apply(st: Store, w: Workload, policy: EnforcementPolicy, top: int = 25) -> None:
    db = st.fresh()
    try:
        register(db, w.subjects)
        prof = cProfile.Profile()
        prof.enable()
        run, _ = apply_once(db, w, policy)
        prof.disable()
    finally:
        db.close()
    log(f"  {st.backend} profiled run (slower than unprofiled): {_fmt_run(run)}")
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    log(buf.getvalue())


# --------------------------------------------------------------------------------------------
# 2. Standing lookups.


@dataclass
class Lookups:
    threads: int
    seconds: float
    latencies_ms: list[float]
    errors: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(len(xs) * q))] if xs else float("nan")

    @property
    def p99(self) -> float:
        return self.pct(0.99)

    def report(self) -> str:
        return (
            f"{len(self.latencies_ms):,} calls, {self.rate:,.0f}/s, p50 {self.pct(0.5):.2f} ms, "
            f"p99 {self.p99:.2f} ms, max {max(self.latencies_ms, default=0):.1f} ms, "
            f"errors {self.errors}"
        )


def lookups_in_process(
    db: Database, ids: list[str], policy: EnforcementPolicy, threads: int, seconds: float
) -> Lookups:
    """`threads` threads calling get_standing on random ids for `seconds`."""
    clock = SystemClock()
    lat: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    start = threading.Barrier(threads + 1)
    stop_at = [0.0]

    def work(n: int) -> None:
        rng = random.Random(SEED + n)
        mine = lat[n]
        start.wait()
        while (t0 := time.perf_counter()) < stop_at[0]:
            try:
                get_standing(db, rng.choice(ids), policy=policy, clock=clock)
            except Exception:  # counted, not fatal: the figure says how many
                errors[n] += 1
            mine.append((time.perf_counter() - t0) * 1000)

    for sid in ids[:200]:  # warm the connection pool and the caches a little
        get_standing(db, sid, policy=policy, clock=clock)
    pool = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(threads)]
    for t in pool:
        t.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start.wait()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - began
    return Lookups(threads, elapsed, [x for xs in lat for x in xs], sum(errors))


def probe(port: int, key: str, subject: str) -> str:
    request = urllib.request.Request(
        f"http://{http_load.HOST}:{port}/v1/subjects/{subject}/standing",
        headers={"Authorization": f"Bearer {key}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
            return f"a probe gets {answer.status}: {answer.read(200).decode('utf-8', 'replace')}"
    except urllib.error.HTTPError as exc:
        return f"a probe gets {exc.code}: {exc.read().decode('utf-8', 'replace')[:200]}"
    except OSError as exc:
        return f"a probe fails: {exc}"


def lookups_http(
    st: Store,
    w: Workload,
    env: dict[str, str],
    tmp: Path,
    *,
    workers: list[int],
    connections: list[int],
    seconds: float,
    warmup: float,
) -> list[http_load.LoadRun]:
    db = Database.open(st.url)
    try:
        _, key = create_key(db, role="reviewer", subject=None, clock=SystemClock(), label="bench")
    finally:
        db.close()
    key_file, ids_file = tmp / "key", tmp / "ids.txt"
    key_file.write_text(key + "\n", "utf-8")
    ids_file.write_text("\n".join(w.ids) + "\n", "utf-8")
    runs: list[http_load.LoadRun] = []
    for n in workers:
        try:
            with http_load.serve(env, n, tmp / f"server-{st.backend}-{n}.log") as (port, pgid):
                http_load.drive(
                    port, key_file, ids_file, min(connections), warmup, script=STANDING_LUA
                )
                for c in connections:
                    run = http_load.LoadRun(st.backend, n, c, "wrk")
                    try:
                        (s0, d0), b0 = http_load.cpu_seconds(pgid), http_load.machine_busy_seconds()
                        summary, run.client_cpu_s = http_load.drive(
                            port, key_file, ids_file, c, seconds, script=STANDING_LUA
                        )
                        (s1, d1), b1 = http_load.cpu_seconds(pgid), http_load.machine_busy_seconds()
                        run.server_cpu_s, run.database_cpu_s = s1 - s0, d1 - d0
                        run.busy_cpu_s = b1 - b0
                        run.seconds = summary["duration_us"] / 1e6
                        run.requests = int(summary["requests"])
                        run.non2xx = int(summary["status"])
                        run.socket_errors = int(
                            summary["connect"] + summary["read"] + summary["write"]
                            + summary["timeout"]
                        )  # fmt: skip
                        run.p50_ms, run.p90_ms = summary["p50"] / 1000, summary["p90"] / 1000
                        run.p99_ms, run.max_ms = summary["p99"] / 1000, summary["max"] / 1000
                        if run.non2xx:
                            run.failure = probe(port, key, w.ids[0])
                    except Exception as exc:  # report and go on
                        run.error = str(exc)
                    runs.append(run)
                    log("  " + http_report(run))
        except Exception as exc:  # the server did not start
            for c in connections:
                runs.append(http_load.LoadRun(st.backend, n, c, "wrk", error=str(exc)))
                log("  " + http_report(runs[-1]))
    return runs


def http_report(r: http_load.LoadRun) -> str:
    name = f"{r.backend}, {r.workers} worker{'s' if r.workers > 1 else ''}, {r.connections} conns"
    if r.error:
        return f"{name}: FAILED: {r.error}"
    return (
        f"{name}: {r.rps:,.0f} req/s  p50 {r.p50_ms:.2f} ms  p90 {r.p90_ms:.2f} ms  "
        f"p99 {r.p99_ms:.2f} ms  max {r.max_ms:.0f} ms  non-2xx {r.non2xx}  socket errors "
        f"{r.socket_errors}; cores: server {r.cores(r.server_cpu_s):.2f}, db "
        f"{r.cores(r.database_cpu_s):.2f}, wrk {r.cores(r.client_cpu_s):.2f}, other "
        f"{r.cores(r.other_cpu_s):.2f}{' NOISY' if r.noisy else ''}"
        + (f" ({r.failure})" if r.failure else "")
    )


# --------------------------------------------------------------------------------------------
# The benchmark.


@contextmanager
def stores(pg_url: str | None, problems: list[str]) -> Iterator[list[Store]]:
    with tempfile.TemporaryDirectory(prefix="shopguard-bench-enforcement-") as tmp:
        out = [Store("sqlite", f"sqlite:///{Path(tmp) / 'ledger.db'}")]
        if pg_url:
            http_load._require_loopback(pg_url)
            why = http_load.postgres_reachable(pg_url)
            if why:
                problems.append(f"postgresql skipped: {why}")
            else:
                out.append(Store("postgresql", pg_url))
        else:
            problems.append("postgresql skipped (SHOPGUARD_BENCH_PG is not set)")
        yield out


def bench_backend(
    st: Store, w: Workload, policy: EnforcementPolicy, args: argparse.Namespace
) -> BackendResult:
    with tempfile.TemporaryDirectory(prefix=f"shopguard-bench-enf-{st.backend}-") as tmp_dir:
        tmp = Path(tmp_dir)
        env = {
            **os.environ,
            "SHOPGUARD_DATA_DIR": str(tmp / "data"),
            "SHOPGUARD_DATABASE_URL": st.url,
            "SHOPGUARD_POLICY": str(PACK),
        }
        env.pop("SHOPGUARD_TEST_DATABASE_URL", None)
        console.rule(f"{st.backend}: batch apply")
        res = bench_apply(st, w, policy, args.runs)
        if res.runs and not args.skip_lookups:
            console.rule(f"{st.backend}: standing lookups (on the ledger of the last run)")
            if args.skip_http:
                pass
            elif http_load.load_tool() != "wrk":
                res.problems.append("HTTP lookups skipped: wrk is not installed")
                log("  HTTP lookups skipped: wrk is not installed (apt-get install wrk)")
            else:
                res.http = lookups_http(
                    st, w, env, tmp, workers=args.workers, connections=args.connections,
                    seconds=args.duration, warmup=args.warmup,
                )  # fmt: skip
            db = Database.open(st.url)
            try:
                res.inproc = lookups_in_process(
                    db, w.ids, policy, args.threads, args.inproc_seconds
                )
            finally:
                db.close()
            log(f"  in-process get_standing, {args.threads} threads: {res.inproc.report()}")
        if not args.skip_cli:
            console.rule(f"{st.backend}: CLI import")
            bench_cli(st, w, env, res)
    return res


def _mark(ok: bool) -> str:
    return "[green]yes[/]" if ok else "[red]NO[/]"


def summary_table(
    info: dict[str, str], w: Workload, results: list[BackendResult], problems: list[str]
) -> Table:
    table = Table(
        title="shopguard enforcement benchmark summary",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    table.add_column("section", style="bold", no_wrap=True)
    table.add_column("figure", no_wrap=True)
    table.add_column("value")
    table.add_column("target", no_wrap=True)
    table.add_column("met", no_wrap=True)
    for i, (name, value) in enumerate(info.items()):
        table.add_row("machine" if i == 0 else "", name, value, "", "")
    s = w.stats
    table.add_row(
        "workload",
        "subjects / violations",
        f"{len(w.subjects):,} subjects ({s['offenders']:,} offend, worst {s['max_per_subject']:,} "
        f"violations), {w.violations:,} violations over the year to {w.anchor:%Y-%m-%d}",
        "",
        "",
        end_section=True,
    )
    rate_target = f">= {RATE_TARGET:,.0f}/s"
    p99_target = f"p99 <= {P99_TARGET_MS:g} ms"
    for res in results:
        section = res.backend
        if res.runs:
            rates = ", ".join(f"{r.rate:,.0f}" for r in res.runs)
            table.add_row(
                section,
                f"apply_lines, median of {len(res.runs)}",
                f"{res.rate:,.0f} violations/s  (runs: {rates}; median "
                f"{median([r.seconds for r in res.runs]):.1f} s)",
                rate_target,
                _mark(res.rate >= RATE_TARGET),
            )
            section = ""
        if res.cli:
            table.add_row(
                section,
                "CLI violations import (1 run)",
                f"{res.cli.rate:,.0f} violations/s  ({res.cli.seconds:.1f} s incl. start-up)",
                rate_target,
                _mark(res.cli.rate >= RATE_TARGET),
            )
            section = ""
        for r in res.http:
            name = f"HTTP standing, {r.workers} worker(s), {r.connections} conns"
            if r.error:
                table.add_row(section, name, escape(f"failed: {r.error}"[:200]), p99_target, "")
            else:
                value = (
                    f"{r.rps:,.0f} req/s  p50 {r.p50_ms:.2f} ms  p99 {r.p99_ms:.2f} ms  "
                    f"non-2xx {r.non2xx}  errors {r.socket_errors}"
                    f"{'  NOISY' if r.noisy else ''}"
                )
                ok = r.p99_ms <= P99_TARGET_MS and not r.non2xx
                table.add_row(section, name, escape(value), p99_target, _mark(ok))
            section = ""
        if res.inproc:
            i = res.inproc
            table.add_row(
                section,
                f"get_standing in-process, {i.threads} threads",
                f"{i.rate:,.0f} calls/s  p50 {i.pct(0.5):.2f} ms  p99 {i.p99:.2f} ms  "
                f"errors {i.errors}",
                p99_target,
                _mark(i.p99 <= P99_TARGET_MS and not i.errors),
            )
        for p in res.problems:
            table.add_row("", "problem", escape(p[:200]), "", "")
        table.add_section()
    for p in problems:
        table.add_row("note", "", escape(p), "", "")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--violations", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="in-process apply runs per database")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per HTTP run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of HTTP warm-up")
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--workers", type=int, nargs="+", default=[1], help="server processes")
    parser.add_argument("--threads", type=int, default=4, help="in-process lookup threads")
    parser.add_argument("--inproc-seconds", type=float, default=10.0)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-lookups", action="store_true", help="batch apply only")
    parser.add_argument("--skip-cli", action="store_true", help="no `violations import` run")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore SHOPGUARD_BENCH_PG")
    parser.add_argument(
        "--profile", action="store_true", help="one cProfile'd apply per database, then stop"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    info = machine()
    idle = background_load()
    info["busy before start"] = f"{idle:.2f} cores (other processes)"
    log(
        f"shopguard enforcement benchmark, {info['date']}, {info['cpus (nproc)']} CPUs "
        f"({info['cpu model']}), commit {info['shopguard commit']}"
    )
    if idle > 0.2:
        log(f"warning: {idle:.2f} cores were busy before the start; figures may be low")

    console.rule("workload")
    w = workload(args.subjects, args.violations)
    log(describe(w))
    policy = load_enforcement(PACK)

    problems: list[str] = []
    results: list[BackendResult] = []
    pg_url = None if args.sqlite_only else os.environ.get("SHOPGUARD_BENCH_PG")
    with stores(pg_url, problems) as backends:
        for st in backends:
            if args.profile:
                console.rule(f"{st.backend}: profile")
                profile_apply(st, w, policy)
                continue
            try:
                results.append(bench_backend(st, w, policy, args))
            except Exception as exc:  # report and go on with the other database
                log(f"  {st.backend}: FAILED: {exc}")
                results.append(BackendResult(st.backend, problems=[f"failed: {exc}"]))
    if args.profile:
        return
    info["benchmark wall time"] = f"{(time.perf_counter() - started) / 60:.1f} min"
    console.rule("summary")
    console.print(summary_table(info, w, results, problems))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
