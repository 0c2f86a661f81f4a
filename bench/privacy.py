"""Information security over HTTP: order ingest (consignee sealed in the vault) and the masked
order listing.

    python bench/privacy.py [--quick] [--runs 3] [--duration 8] [--connections 16]
                            [--batch-connections 2] [--list-connections 4] [--store 100000]
                            [--workers 1] [--sqlite-only]

0. In-process, no database: vault seal (envelope-encrypt + blind index) and open of realistic
   consignees (bench/vault.py's core on a small sample; bench/vault.py has the full figures).
Then on SQLite (a fresh temporary file) and on the PostgreSQL of SHOPGUARD_BENCH_PG when it is
set (schema `public` dropped and re-created), with shops registered and keys created
in-process, `shopguard serve` started on a free loopback port and driven from this process by
bench/loadgen.py's keep-alive client:
1. POST /v1/orders, one order per request, `--connections` connections, `--runs` runs of
   `--duration` s after a short warm-up: orders/s, p50, p99.
2. POST /v1/orders/batch with 100 and with 1,000 orders per request (one transaction each),
   `--batch-connections` connections: orders/s, p50 and p99 per request.
3. The store is topped up (batches of 1,000) until it holds `--store` orders, a fifth of them
   other shops', then GET /v1/orders?merchant=&after=&limit=50 as the merchant, from `--list-connections`
   connections: keyset pages starting after a random one of the shop's order ids; p50, p99
   (on PostgreSQL after ANALYZE orders; the query plan is printed).
Every run checks that the orders table grew by exactly the orders acknowledged, and splits the
machine's CPU into server, database, this client and the rest.

Targets printed beside the figures: ingest >= 2,000 orders/s over HTTP on SQLite; masked
listing p99 <= 20 ms. Prints medians; never asserts. About 3 minutes on a 2-core machine with
PostgreSQL (`--quick`: about 1.5).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import http_load
import loadgen
import orjson
import vault as bench_vault
from common import background_load, machine, machine_busy_seconds, median
from main_job import _reset_pg
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from shopguard.enforcement.subjects import register_subject
from shopguard.platform.auth import create_key
from shopguard.platform.clock import SystemClock
from shopguard.platform.db import Database
from shopguard.privacy.keyring import new_keyring

console = Console(width=150, highlight=False)
HOST = http_load.HOST
RATE_TARGET = 2_000.0  # orders/s over HTTP on SQLite
P99_TARGET_MS = 20.0  # masked listing
SHOP = "shop-bench"
OTHER_SHOPS = [f"shop-other-{i}" for i in range(4)]
PAGE = 50
SEED = 5
# (province, city, district): municipalities repeat their own name at the city level.
PLACES = [("北京市", "北京市", "朝阳区"), ("上海市", "上海市", "浦东新区"),
          ("广东省", "广州市", "天河区"), ("浙江省", "杭州市", "西湖区"),
          ("四川省", "成都市", "武侯区"), ("湖北省", "武汉市", "洪山区"),
          ("江苏省", "苏州市", "工业园区"), ("广西壮族自治区", "南宁市", "青秀区")]  # fmt: skip
PRODUCTS = ["保温杯 500ml", "无线耳机", "儿童绘本套装", "有机绿茶 250g", "运动鞋 42码", "手机壳"]


def log(message: str) -> None:
    console.print(message, markup=False)


# --------------------------------------------------------------------------------------------
# Orders and requests.


def make_orders(n: int, shop: str, seed: int) -> list[dict[str, Any]]:
    """`n` deterministic, realistic orders of `shop` (consignees as bench/vault.py makes them)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        surname = rng.choice(bench_vault.DOUBLE) if rng.random() < 0.03 else None
        name = (surname or rng.choice(bench_vault.SURNAMES)) + "".join(
            rng.choice(bench_vault.GIVEN) for _ in range(rng.choice((1, 2)))
        )
        province, city, district = rng.choice(PLACES)
        detail = (
            f"{rng.choice(bench_vault.STREETS)}{rng.randint(1, 999)}号{rng.randint(1, 30)}栋"
            f"{rng.randint(1, 6)}单元{rng.randint(1, 33)}0{rng.randint(1, 4)}室"
        )
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
        out.append({
            "merchant": shop, "product": rng.choice(PRODUCTS),
            "amount_cents": rng.randint(500, 200_000),
            "consignee": {"name": name, "phone": phone, "address": {
                "province": province, "city": city, "district": district, "detail": detail}},
            "promised_ship_at": f"2026-12-{rng.randint(1, 28):02d}T12:00:00+00:00",
            "consumer": f"consumer-{i % 5000}",
        })  # fmt: skip
    return out


def http_request(method: str, path: str, port: int, key: str, body: bytes | None = None) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAuthorization: Bearer {key}\r\n"
    if body is None:
        return (head + "\r\n").encode()
    head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def single_requests(port: int, key: str, orders: list[dict[str, Any]]) -> list[bytes]:
    return [http_request("POST", "/v1/orders", port, key, orjson.dumps(o)) for o in orders]


def batch_requests(
    port: int, key: str, orders: list[dict[str, Any]], size: int, count: int
) -> list[bytes]:
    """`count` distinct batch bodies of `size` orders, cut from `orders` round the ring."""
    out = []
    for b in range(count):
        chunk = [orders[(b * size + i) % len(orders)] for i in range(size)]
        body = orjson.dumps({"orders": chunk})
        out.append(http_request("POST", "/v1/orders/batch", port, key, body))
    return out


# --------------------------------------------------------------------------------------------
# The client: bench/loadgen.py's keep-alive connections, in this process.


def _self_cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def drive(
    port: int, requests: list[bytes], connections: int, seconds: float
) -> tuple[loadgen.Tally, float]:
    """Keep `connections` connections busy with `requests` (rotating) for `seconds`; requests
    in flight at the deadline finish and are counted. The tally and the wall time."""

    async def go() -> tuple[loadgen.Tally, float]:
        tally = loadgen.Tally()
        t0 = time.perf_counter()
        tasks = [
            loadgen._connection(HOST, port, requests, n * 97, t0 + seconds, tally)
            for n in range(connections)
        ]
        await asyncio.wait_for(asyncio.gather(*tasks), seconds + loadgen.REQUEST_TIMEOUT + 20)
        return tally, time.perf_counter() - t0

    return asyncio.run(go())


def send_all(port: int, requests: list[bytes], connections: int) -> int:
    """Send each request exactly once over `connections` connections; the non-2xx count."""

    async def go() -> int:
        pending = iter(requests)
        failed = 0

        async def worker() -> None:
            nonlocal failed
            reader, writer = await asyncio.open_connection(HOST, port)
            try:
                for request in pending:  # shared: each request goes out once
                    status, _, close = await asyncio.wait_for(
                        loadgen._exchange(reader, writer, request), 120
                    )
                    failed += not 200 <= status < 300
                    if close:
                        writer.close()
                        reader, writer = await asyncio.open_connection(HOST, port)
            finally:
                writer.close()

        await asyncio.gather(*(worker() for _ in range(connections)))
        return failed

    return asyncio.run(go())


def probe(port: int, request: bytes) -> str:
    """One request by hand: what a failing run's non-2xx answers said."""

    async def go() -> str:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            body = await asyncio.wait_for(reader.read(300), 5)
            return f"a probe gets {head[9:12].decode()}: {body.decode('utf-8', 'replace')}"
        finally:
            writer.close()

    try:
        return asyncio.run(go())
    except Exception as exc:  # any failure is the answer
        return f"a probe fails: {exc}"


# --------------------------------------------------------------------------------------------
# Measured runs.


@dataclass
class Run:
    """One measured run: `load` carries requests, latencies and the CPU split."""

    load: http_load.LoadRun
    per_request: int  # orders per request (0: a read)
    stored: int = 0  # growth of the orders table
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def orders_per_s(self) -> float:
        return self.load.rps * self.per_request

    def pct(self, q: float) -> float:
        return loadgen._percentile(self.latencies_ms, q)

    @property
    def consistent(self) -> bool:
        return self.stored == self.load.ok * self.per_request

    def line(self) -> str:
        r = self.load
        if r.error:
            return f"FAILED: {r.error}"
        rate = f"{self.orders_per_s:8,.0f} orders/s  " if self.per_request else ""
        check = ""
        if self.per_request:
            ok = "ok" if self.consistent else "MISMATCH"
            check = f"; orders +{self.stored:,} for {r.ok * self.per_request:,} acknowledged ({ok})"
        return (
            f"{rate}{r.rps:7,.0f} req/s  p50 {self.pct(50):7.2f} ms  p99 {self.pct(99):7.2f} ms"
            f"  non-2xx {r.non2xx}  socket errors {r.socket_errors}{check}\n      "
            f"server CPU {r.server_cpu_s * 1000 / max(1, r.requests):.2f} ms/request; cores: "
            f"server {r.cores(r.server_cpu_s):.2f}, database {r.cores(r.database_cpu_s):.2f}, "
            f"client {r.cores(r.client_cpu_s):.2f}, other {r.cores(r.other_cpu_s):.2f}"
            f"{' (NOISY)' if r.noisy else ''}"
            + (f"\n      non-2xx answers: {r.failure}" if r.failure else "")
        )


def count_orders(url: str, merchant: str | None = None) -> int:
    where, args = (" WHERE merchant = ?", (merchant,)) if merchant else ("", ())
    query = f"SELECT count(*) FROM orders{where}"  # noqa: S608 - constant text, bound value
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)) as conn:
            return int(conn.execute(query, args).fetchone()[0])
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as conn:
        row = conn.execute(query.replace("?", "%s"), args).fetchone()
        return int(row[0]) if row else 0


def settle_listing(url: str, merchant: str, after: int) -> str:
    """PostgreSQL: ANALYZE orders first (as autovacuum would after a bulk load; without
    statistics the planner sorts every later order of the shop, ~20 ms a page at 100,000).
    The plan of one listing query, in one line."""
    query = (
        "SELECT * FROM orders WHERE id > {p} AND merchant = {p} ORDER BY id LIMIT "  # noqa: S608
        f"{PAGE}"
    )
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)) as conn:
            rows = conn.execute("EXPLAIN QUERY PLAN " + query.format(p="?"), (after, merchant))
            return "; ".join(str(r[-1]) for r in rows)
    import psycopg

    with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
        conn.execute("ANALYZE orders")
        rows = conn.execute("EXPLAIN " + query.format(p="%s"), (after, merchant)).fetchall()
        return "ANALYZE orders, then: " + "; ".join(str(r[0]).strip() for r in rows)


def order_ids(url: str, merchant: str) -> list[int]:
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)) as conn:
            query = "SELECT id FROM orders WHERE merchant = ?"
            return [int(r[0]) for r in conn.execute(query, (merchant,))]
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as conn:
        rows = conn.execute("SELECT id FROM orders WHERE merchant = %s", (merchant,)).fetchall()
        return [int(r[0]) for r in rows]


@dataclass
class Server:
    backend: str
    url: str
    port: int
    pgid: int
    workers: int


def measure(
    srv: Server, requests: list[bytes], connections: int, seconds: float, per_request: int
) -> Run:
    load = http_load.LoadRun(srv.backend, srv.workers, connections, "loadgen")
    run = Run(load, per_request)
    try:
        before = count_orders(srv.url) if per_request else 0
        (s0, d0), b0, c0 = http_load.cpu_seconds(srv.pgid), machine_busy_seconds(), _self_cpu()
        tally, load.seconds = drive(srv.port, requests, connections, seconds)
        (s1, d1), b1, c1 = http_load.cpu_seconds(srv.pgid), machine_busy_seconds(), _self_cpu()
        load.server_cpu_s = s1 - s0
        # SQLite runs inside the server: any postgres process busy meanwhile is other work
        load.database_cpu_s = d1 - d0 if srv.backend == "postgresql" else 0.0
        load.busy_cpu_s, load.client_cpu_s = b1 - b0, c1 - c0
        load.requests, load.non2xx = len(tally.latencies), tally.non2xx
        load.socket_errors = tally.connect + tally.read + tally.timeout
        run.latencies_ms = sorted(x * 1000 for x in tally.latencies)
        load.p50_ms, load.p99_ms = run.pct(50), run.pct(99)
        if per_request:
            run.stored = count_orders(srv.url) - before
        if load.non2xx:
            load.failure = probe(srv.port, requests[0])
    except Exception as exc:  # report and go on
        load.error = f"{type(exc).__name__}: {exc}"
    return run


@dataclass
class Series:
    """`runs` measured runs of one workload; the table shows their medians."""

    name: str
    per_request: int
    connections: int
    runs: list[Run] = field(default_factory=list)

    @property
    def good(self) -> list[Run]:
        return [r for r in self.runs if not r.load.error]

    def med(self, what: str) -> float:
        values = {
            "orders": [r.orders_per_s for r in self.good],
            "rps": [r.load.rps for r in self.good],
            "p50": [r.pct(50) for r in self.good],
            "p99": [r.pct(99) for r in self.good],
        }[what]
        return median(values)

    @property
    def clean(self) -> bool:
        return all(
            not r.load.non2xx and not r.load.socket_errors and (r.consistent or not r.per_request)
            for r in self.good
        )

    @property
    def noisy(self) -> bool:
        return any(r.load.noisy for r in self.good)

    def other_cores(self) -> float:
        return median([r.load.cores(r.load.other_cpu_s) for r in self.good])


def series(
    srv: Server,
    name: str,
    requests: list[bytes],
    *,
    per_request: int,
    connections: int,
    runs: int,
    seconds: float,
) -> Series:
    out = Series(name, per_request, connections)
    for i in range(runs):
        run = measure(srv, requests, connections, seconds, per_request)
        out.runs.append(run)
        log(f"  {name} run {i + 1}/{runs}: {run.line()}")
    return out


# --------------------------------------------------------------------------------------------
# One database.


@dataclass
class BackendResult:
    backend: str
    series: list[Series] = field(default_factory=list)
    store_orders: int = 0
    shop_orders: int = 0
    topup_s: float = 0.0
    topup_orders: int = 0
    problems: list[str] = field(default_factory=list)


def prepare(url: str) -> tuple[str, str]:
    """A migrated store with the shops registered: (merchant key of SHOP, admin key)."""
    clock = SystemClock()
    db = Database.open(url)
    try:
        for shop in [SHOP, *OTHER_SHOPS]:
            register_subject(
                db, shop, type="merchant", name=f"店铺 {shop}", clock=clock, actor="benchmark"
            )
        _, merchant = create_key(db, role="merchant", subject=SHOP, clock=clock, label="bench")
        _, admin = create_key(db, role="admin", subject=None, clock=clock, label="bench")
    finally:
        db.close()
    return merchant, admin


def top_up(srv: Server, admin: str, target: int, res: BackendResult) -> None:
    """Batches of 1,000 (admin key) until other shops hold a fifth of `target` orders and the
    store all of them, the other shops' batches spread among the shop's."""
    total, mine = count_orders(srv.url), count_orders(srv.url, SHOP)
    others = -(-max(0, target // 5 - (total - mine)) // 1000)
    own = -(-max(0, target - total - others * 1000) // 1000)
    if not others + own:
        return
    pool = {s: make_orders(1000, s, SEED + 10 + i) for i, s in enumerate([SHOP, *OTHER_SHOPS])}
    shops = [OTHER_SHOPS[i % len(OTHER_SHOPS)] for i in range(others)] + [SHOP] * own
    random.Random(SEED).shuffle(shops)
    batches = len(shops)
    requests = [
        http_request("POST", "/v1/orders/batch", srv.port, admin,
                     orjson.dumps({"orders": pool[shop]}))
        for shop in shops
    ]  # fmt: skip
    started = time.perf_counter()
    failed = send_all(srv.port, requests, 2)
    res.topup_s, res.topup_orders = time.perf_counter() - started, batches * 1000
    log(
        f"  topped up with {batches:,} batches of 1,000 in {res.topup_s:.1f} s "
        f"({res.topup_orders / res.topup_s:,.0f} orders/s); non-2xx {failed}"
    )
    if failed:
        res.problems.append(f"top-up: {failed} batches refused")


def bench_backend(backend: str, url: str, args: argparse.Namespace) -> BackendResult:
    res = BackendResult(backend)
    with tempfile.TemporaryDirectory(prefix=f"shopguard-bench-privacy-{backend}-") as tmp_dir:
        tmp = Path(tmp_dir)
        env = {**os.environ, "SHOPGUARD_DATA_DIR": str(tmp / "data"), "SHOPGUARD_DATABASE_URL": url}
        env.pop("SHOPGUARD_TEST_DATABASE_URL", None)
        merchant, admin = prepare(url)
        orders = make_orders(2000, SHOP, SEED)
        with http_load.serve(env, args.workers, tmp / "server.log") as (port, pgid):
            srv = Server(backend, url, port, pgid, args.workers)
            single = single_requests(port, merchant, orders[:400])
            drive(port, single, args.connections, args.warmup)
            res.series.append(
                series(srv, f"POST /v1/orders, {args.connections} conns", single, per_request=1,
                       connections=args.connections, runs=args.runs, seconds=args.duration)
            )  # fmt: skip
            for size in (100, 1000):
                batches = batch_requests(port, merchant, orders, size, max(2, 2000 // size))
                res.series.append(
                    series(srv, f"POST /v1/orders/batch x{size:,}, {args.batch_connections} conns",
                           batches, per_request=size, connections=args.batch_connections,
                           runs=args.runs, seconds=args.batch_duration)
                )  # fmt: skip
            top_up(srv, admin, args.store, res)
            res.store_orders, ids = count_orders(url), order_ids(url, SHOP)
            res.shop_orders = len(ids)
            log(f"  store: {res.store_orders:,} orders, {res.shop_orders:,} of {SHOP}")
            rng = random.Random(SEED)
            afters = [0, *rng.sample(ids, min(len(ids), 3000))]
            log(f"  listing plan: {settle_listing(url, SHOP, afters[len(afters) // 2])}")
            pages = [
                http_request("GET", f"/v1/orders?merchant={SHOP}&after={a}&limit={PAGE}", port,
                             merchant)
                for a in afters
            ]  # fmt: skip
            drive(port, pages, args.list_connections, 1.0)
            res.series.append(
                series(srv, f"GET /v1/orders limit={PAGE}, {args.list_connections} conns", pages,
                       per_request=0, connections=args.list_connections, runs=args.runs,
                       seconds=args.duration)
            )  # fmt: skip
    return res


# --------------------------------------------------------------------------------------------
# The summary.


def _mark(ok: bool) -> str:
    return "[green]yes[/]" if ok else "[red]NO[/]"


def _runs(values: Sequence[float], fmt: str) -> str:
    return ", ".join(format(v, fmt) for v in values)


def summary_table(
    info: dict[str, str],
    vault_rates: tuple[float, float, int],
    results: list[BackendResult],
    notes: list[str],
) -> Table:
    table = Table(
        title="shopguard privacy benchmark summary (medians)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    table.add_column("section", style="bold", no_wrap=True)
    table.add_column("figure", no_wrap=True)
    table.add_column("value")
    table.add_column("target", no_wrap=True)
    table.add_column("met", no_wrap=True)
    for i, (name, value) in enumerate(info.items()):
        table.add_row("machine" if i == 0 else "", name, value, "", "", end_section=False)
    table.add_section()
    seal, open_, n = vault_rates
    table.add_row("vault", f"seal in-process ({n:,} records)", f"{seal:,.0f} records/s", "", "")
    table.add_row("", f"open in-process ({n:,} records)", f"{open_:,.0f} records/s", "", "")
    table.add_section()
    rate_target = f">= {RATE_TARGET:,.0f} orders/s"
    p99_target = f"p99 <= {P99_TARGET_MS:g} ms"
    for res in results:
        section = res.backend
        for s in res.series:
            if not s.good:
                error = s.runs[0].load.error if s.runs else "no runs"
                table.add_row(section, s.name, escape(f"failed: {error}"[:200]), "", "")
                section = ""
                continue
            flags = ("" if s.clean else "  ERRORS/MISMATCH") + (
                f"  (other load {s.other_cores():.2f} cores)" if s.noisy else ""
            )
            latency = f"p50 {s.med('p50'):.2f} ms  p99 {s.med('p99'):.2f} ms"
            if s.per_request:
                value = (
                    f"{s.med('orders'):,.0f} orders/s  ({s.med('rps'):,.0f} req/s, {latency}; "
                    f"runs {_runs([r.orders_per_s for r in s.good], ',.0f')}){flags}"
                )
                ok = s.med("orders") >= RATE_TARGET and s.clean
                table.add_row(section, s.name, escape(value), rate_target, _mark(ok))
            else:
                value = (
                    f"{latency}  ({s.med('rps'):,.0f} pages/s; p99 runs "
                    f"{_runs([r.pct(99) for r in s.good], '.2f')} ms; store "
                    f"{res.store_orders:,} orders, {res.shop_orders:,} of the shop){flags}"
                )
                ok = s.med("p99") <= P99_TARGET_MS and s.clean
                table.add_row(section, s.name, escape(value), p99_target, _mark(ok))
            section = ""
        if res.topup_orders:
            table.add_row(
                section,
                "store top-up (admin, batches of 1,000, 2 conns)",
                f"{res.topup_orders:,} orders in {res.topup_s:.1f} s = "
                f"{res.topup_orders / res.topup_s:,.0f} orders/s (1 run)",
                "",
                "",
            )
        for p in res.problems:
            table.add_row("", "problem", escape(p[:200]), "", "")
        table.add_section()
    for note in notes:
        table.add_row("note", "", escape(note), "", "")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs, a smaller store")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per figure")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per run")
    parser.add_argument("--batch-duration", type=float, default=6.0, help="seconds per batch run")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=16, help="single-order ingest")
    parser.add_argument("--batch-connections", type=int, default=2)
    parser.add_argument("--list-connections", type=int, default=4)
    parser.add_argument("--store", type=int, default=100_000, help="orders before the listing")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore SHOPGUARD_BENCH_PG")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.batch_duration, args.warmup = 4.0, 3.0, 1.0
        args.store = min(args.store, 30_000)

    started = time.perf_counter()
    info = machine()
    idle = background_load()
    log(
        f"shopguard privacy benchmark, {info['date']}, {info['cpus (nproc)']} CPUs "
        f"({info['cpu model']}), commit {info['shopguard commit']}; "
        f"{idle:.2f} cores busy with other work before the start"
    )
    if idle > 0.2:
        log(f"warning: {idle:.2f} cores were busy before the start; figures will be low")

    console.rule("vault, in-process")
    n = 2_000 if args.quick else 5_000
    seal, open_ = bench_vault.bench_core(new_keyring(), bench_vault.consignees(n), args.runs)

    notes: list[str] = []
    results: list[BackendResult] = []
    backends: list[tuple[str, str]] = []
    db_dir = tempfile.TemporaryDirectory(prefix="shopguard-bench-privacy-db-")
    backends.append(("sqlite", f"sqlite:///{Path(db_dir.name) / 'shopguard.db'}"))
    pg = None if args.sqlite_only else os.environ.get("SHOPGUARD_BENCH_PG")
    if pg:
        http_load._require_loopback(pg)
        why = http_load.postgres_reachable(pg)
        if why:
            notes.append(f"postgresql skipped: {why}")
        else:
            backends.append(("postgresql", pg))
    else:
        notes.append("postgresql skipped (SHOPGUARD_BENCH_PG is not set or --sqlite-only)")
    with db_dir:
        for backend, url in backends:
            console.rule(backend)
            try:
                if backend == "postgresql":
                    _reset_pg(url)
                results.append(bench_backend(backend, url, args))
            except Exception as exc:  # report and go on with the other database
                log(f"  {backend}: FAILED: {exc}")
                results.append(BackendResult(backend, problems=[f"failed: {exc}"]))
    busy = background_load()
    info["other load (cores busy)"] = f"{idle:.2f} before, {busy:.2f} after"
    info["client"] = "bench/loadgen.py's asyncio keep-alive client, in this process"
    info["server"] = f"shopguard serve, {args.workers} worker(s)"
    info["benchmark wall time"] = f"{(time.perf_counter() - started) / 60:.1f} min"
    if any(r.backend == "postgresql" for r in results):
        notes.append(
            "PostgreSQL's CPU counts every postgres process on the machine (another "
            "server's too); the listing runs after ANALYZE orders"
        )
    if any(s.noisy for r in results for s in r.series):
        notes.append(
            "runs marked with 'other load' shared the machine with other processes "
            "(more than 0.25 cores): their figures are lower than on a quiet machine"
        )
    console.rule("summary")
    console.print(summary_table(info, (seal, open_, n), results, notes))


if __name__ == "__main__":
    main()
