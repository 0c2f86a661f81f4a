"""HTTP load: POST /v1/screen on SQLite and PostgreSQL, one and two workers, 16 and 64 connections.

    python bench/http_load.py [--duration 20] [--warmup 3] [--connections 16 64] [--workers 1 2]

For each store (SQLite in a fresh temporary folder; PostgreSQL at $SHOPGUARD_BENCH_PG when set)
an admin key is created with `shopguard keys create`, `shopguard serve` is started on a free
loopback port, and a second process (wrk with bench/screen.lua, or bench/loadgen.py when wrk is
missing) sends realistic items from the corpus over keep-alive connections for a fixed time
after a short warm-up. Reports requests/s, p50/p99, non-2xx responses, and checks that the
decisions table grew by the number of successful requests. Prints; never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import corpus
from common import HERE, ROOT, machine_busy_seconds, shopguard_bin, verdict

HOST = "127.0.0.1"
RPS_TARGET = 1_000.0
P99_TARGET_MS = 25.0
NOISE_CORES = 0.25  # more "other" CPU than this during a run marks it as disturbed
BODIES = 400  # distinct request bodies, spread evenly over the corpus
LUA = HERE / "screen.lua"
LOADGEN = HERE / "loadgen.py"


@dataclass
class LoadRun:
    backend: str
    workers: int
    connections: int
    tool: str
    seconds: float = 0.0
    requests: int = 0
    non2xx: int = 0
    socket_errors: int = 0
    p50_ms: float = float("nan")
    p90_ms: float = float("nan")
    p99_ms: float = float("nan")
    max_ms: float = float("nan")
    stored: int = 0  # growth of the decisions table over the run
    server_cpu_s: float = 0.0  # shopguard serve and its workers
    client_cpu_s: float = 0.0  # the load generator
    database_cpu_s: float = 0.0  # PostgreSQL's processes (SQLite runs inside the server)
    busy_cpu_s: float = 0.0  # the whole machine; what is left is the kernel and other work
    error: str | None = None  # the run could not be made
    failure: str | None = None  # what a non-2xx answer said

    @property
    def label(self) -> str:
        return f"{self.backend}, {self.workers} worker(s), {self.connections} conns"

    @property
    def ok(self) -> int:
        return self.requests - self.non2xx

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def stored_consistent(self) -> bool:
        # wrk stops counting at the deadline while the server may still finish the requests
        # in flight (at most one per connection); loadgen lets them finish, so it is exact.
        slack = self.connections if self.tool == "wrk" else 0
        return 0 <= self.stored - self.ok <= slack

    @property
    def meets_targets(self) -> bool:
        return self.rps >= RPS_TARGET and self.p99_ms <= P99_TARGET_MS

    def report(self) -> str:
        if self.error:
            return f"  {self.label}: FAILED: {self.error}"
        check = "ok" if self.stored_consistent else "MISMATCH"
        return (
            f"  {self.label:<36} {self.rps:7,.0f} screens/s  p50 {self.p50_ms:6.1f} ms  "
            f"p99 {self.p99_ms:7.1f} ms  non-2xx {self.non2xx}  socket errors {self.socket_errors}"
            f"\n      decisions stored +{self.stored:,} for {self.ok:,} successful requests "
            f"({check}); {self.cpu_split()}"
            + (f"\n      non-2xx answers: {self.failure}" if self.failure else "")
        )

    def cores(self, cpu_seconds: float) -> float:
        return cpu_seconds / self.seconds if self.seconds else 0.0

    @property
    def other_cpu_s(self) -> float:
        known = self.server_cpu_s + self.client_cpu_s + self.database_cpu_s
        return max(0.0, self.busy_cpu_s - known)

    @property
    def noisy(self) -> bool:
        """Other work (tests, builds ...) took a noticeable share of the machine."""
        return self.cores(self.other_cpu_s) > NOISE_CORES

    def cpu_split(self) -> str:
        per_request = self.server_cpu_s * 1000 / self.requests if self.requests else float("nan")
        return (
            f"CPU cores busy: server {self.cores(self.server_cpu_s):.2f}, database "
            f"{self.cores(self.database_cpu_s):.2f}, load generator "
            f"{self.cores(self.client_cpu_s):.2f}, kernel and other processes "
            f"{self.cores(self.other_cpu_s):.2f}{' (NOISY)' if self.noisy else ''}; "
            f"server CPU {per_request:.2f} ms/request"
        )


# --------------------------------------------------------------------------------------------
# The store: counting decisions without going through the server.


def _require_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in (None, "", "localhost", "::1") and not host.startswith("127."):
        raise SystemExit(f"refusing to benchmark a non-loopback database host: {host}")


def count_decisions(url: str) -> int:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(path, timeout=30)) as conn:
            return int(conn.execute("SELECT count(*) FROM decisions").fetchone()[0])
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as conn:
        row = conn.execute("SELECT count(*) FROM decisions").fetchone()
        return int(row[0]) if row else 0


def settled_count(url: str, timeout: float = 15.0) -> int:
    """The decision count once it has stopped moving (requests in flight have landed)."""
    last, stable, deadline = -1, 0, time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = count_decisions(url)
        stable = stable + 1 if now == last else 0
        if stable >= 2:
            return now
        last = now
        time.sleep(0.3)
    return last


def postgres_reachable(url: str) -> str | None:
    """None when PostgreSQL answers at `url`, else why not."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means: skip this store and say why
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
    return None


# --------------------------------------------------------------------------------------------
# The server.


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def cpu_seconds(pgid: int) -> tuple[float, float]:
    """User + system CPU of the live processes (a) in process group `pgid`, the server and its
    workers, and (b) named postgres, the database's backends."""
    tick = os.sysconf("SC_CLK_TCK")
    group = database = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            comm, rest = stat.read_text().rsplit(")", 1)
        except (OSError, ValueError):
            continue
        # after "(comm)": state ppid pgrp ... utime stime cutime cstime (12th to 15th)
        fields = rest.split()
        if int(fields[2]) == pgid:
            group += int(fields[11]) + int(fields[12])
        elif comm.endswith("(postgres"):
            # with the children it has reaped: backends of connections opened and closed
            database += sum(int(f) for f in fields[11:15])
    return group / tick, database / tick


def _tail(path: Path, lines: int = 8) -> str:
    try:
        return "\n".join(path.read_text("utf-8", "replace").strip().splitlines()[-lines:])
    except OSError:
        return ""


@contextmanager
def serve(env: dict[str, str], workers: int, log: Path) -> Iterator[tuple[int, int]]:
    """A running `shopguard serve`: yields (port, process group id); stopped on exit."""
    port = free_port()
    argv = [shopguard_bin(), "serve", "--host", HOST, "--port", str(port)]
    argv += ["--workers", str(workers)]
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited {proc.returncode}: {_tail(log)}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/v1/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not healthy after 90 s: {_tail(log)}")
            time.sleep(0.2)
        yield port, proc.pid
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


def create_key(env: dict[str, str]) -> str:
    done = subprocess.run(
        [shopguard_bin(), "keys", "create", "--role", "admin", "--label", "benchmark"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        reason = " | ".join(done.stderr.strip().splitlines()[-2:])
        raise RuntimeError(f"keys create exited {done.returncode}: {reason}")
    return lines[-1].strip()


# --------------------------------------------------------------------------------------------
# The load generator (a second process).


def load_tool() -> str:
    """wrk when installed, else bench/loadgen.py; SHOPGUARD_BENCH_TOOL=wrk|loadgen forces one."""
    forced = os.environ.get("SHOPGUARD_BENCH_TOOL")
    if forced in ("wrk", "loadgen"):
        return forced
    return "wrk" if shutil.which("wrk") else "loadgen"


def drive(
    port: int,
    key_file: Path,
    bodies: Path,
    connections: int,
    seconds: float,
    *,
    script: Path = LUA,
) -> tuple[dict[str, float], float]:
    """Run the load generator; its summary (latencies in µs) and the CPU seconds it used.
    `script` is wrk's Lua script (given KEY_FILE and `bodies`); loadgen only sends screens."""
    if load_tool() == "wrk":
        argv = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds:g}s"]
        argv += ["--timeout", "10s", "--latency", "-s", str(script), f"http://{HOST}:{port}"]
        argv += ["--", str(key_file), str(bodies)]
        marker = "WRK_JSON "
    else:
        argv = [sys.executable, str(LOADGEN), "--host", HOST, "--port", str(port)]
        argv += ["--key-file", str(key_file), "--bodies", str(bodies)]
        argv += ["--connections", str(connections), "--duration", str(seconds)]
        marker = "LOAD_JSON "
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=seconds + 60, check=False, cwd=ROOT
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    for line in done.stdout.splitlines():
        if line.startswith(marker):
            return json.loads(line.removeprefix(marker)), cpu
    raise RuntimeError(f"{argv[0]} exited {done.returncode}: {done.stderr.strip()[-400:]}")


def probe(port: int, key_file: Path, bodies: Path) -> str:
    """One request by hand, to say what a failing run's non-2xx answers were."""
    body = bodies.read_bytes().split(b"\n", 1)[0]
    request = urllib.request.Request(
        f"http://{HOST}:{port}/v1/screen",
        data=body,
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {key_file.read_text('utf-8').strip()}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (http, loopback)
            return f"a probe now gets {answer.status}"
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:200]
        return f"a probe gets {exc.code}: {detail}"
    except OSError as exc:
        return f"a probe fails: {exc}"


def write_bodies(items: Path, path: Path, count: int = BODIES) -> None:
    """`count` items spread evenly over the corpus, one JSON object per line."""
    with items.open("rb") as fh:
        lines = fh.readlines()
    step = max(1, len(lines) // count)
    path.write_bytes(b"".join(lines[::step][:count]))


# --------------------------------------------------------------------------------------------
# The benchmark.


def _measure(
    run: LoadRun, url: str, port: int, pgid: int, key_file: Path, bodies: Path, seconds: float
) -> None:
    before = settled_count(url)
    (server0, db0), busy0 = cpu_seconds(pgid), machine_busy_seconds()
    summary, run.client_cpu_s = drive(port, key_file, bodies, run.connections, seconds)
    (server1, db1), busy1 = cpu_seconds(pgid), machine_busy_seconds()
    run.server_cpu_s, run.database_cpu_s = server1 - server0, db1 - db0
    run.busy_cpu_s = busy1 - busy0
    run.stored = settled_count(url) - before
    run.seconds = summary["duration_us"] / 1e6
    run.requests = int(summary["requests"])
    run.non2xx = int(summary["status"])
    run.socket_errors = int(
        summary["connect"] + summary["read"] + summary["write"] + summary["timeout"]
    )
    run.p50_ms, run.p90_ms = summary["p50"] / 1000, summary["p90"] / 1000
    run.p99_ms, run.max_ms = summary["p99"] / 1000, summary["max"] / 1000
    if run.non2xx:
        run.failure = probe(port, key_file, bodies)


def bench_backend(
    backend: str,
    url: str,
    items: Path,
    *,
    workers: list[int],
    connections: list[int],
    seconds: float,
    warmup: float,
    log: Callable[[str], None] = print,
) -> list[LoadRun]:
    _require_loopback(url)
    runs: list[LoadRun] = []
    tool = load_tool()
    with tempfile.TemporaryDirectory(prefix=f"shopguard-bench-{backend}-") as tmp_dir:
        tmp = Path(tmp_dir)
        env = {**os.environ, "SHOPGUARD_DATA_DIR": str(tmp / "data"), "SHOPGUARD_DATABASE_URL": url}
        env.pop("SHOPGUARD_TEST_DATABASE_URL", None)
        key_file, bodies = tmp / "key", tmp / "bodies.jsonl"
        write_bodies(items, bodies)
        try:
            key_file.write_text(create_key(env) + "\n", "utf-8")
            log(f"  {backend}: key created; {count_decisions(url):,} decisions stored before")
        except Exception as exc:  # report and go on with the other store
            return [
                LoadRun(backend, w, c, tool, error=str(exc)) for w in workers for c in connections
            ]
        for w in workers:
            try:
                with serve(env, w, tmp / f"server-{w}.log") as (port, pgid):
                    drive(port, key_file, bodies, min(connections), warmup)
                    for c in connections:
                        run = LoadRun(backend, w, c, tool)
                        try:
                            _measure(run, url, port, pgid, key_file, bodies, seconds)
                        except Exception as exc:  # report and go on
                            run.error = str(exc)
                        runs.append(run)
                        log(run.report())
            except Exception as exc:  # the server did not start: report every run it owed
                for c in connections:
                    runs.append(LoadRun(backend, w, c, tool, error=str(exc)))
                    log(runs[-1].report())
    return runs


def run(
    items: Path,
    *,
    pg_url: str | None = None,
    workers: list[int] | None = None,
    connections: list[int] | None = None,
    seconds: float = 20.0,
    warmup: float = 3.0,
    log: Callable[[str], None] = print,
) -> list[LoadRun]:
    workers = workers or [1, 2]
    connections = connections or [16, 64]
    log(f"  load generator: {load_tool()}; {seconds:g} s per run after a {warmup:g} s warm-up")
    results: list[LoadRun] = []
    with tempfile.TemporaryDirectory(prefix="shopguard-bench-sqlite-db-") as db_dir:
        url = f"sqlite:///{Path(db_dir) / 'shopguard.db'}"
        results += bench_backend(
            "sqlite",
            url,
            items,
            workers=workers,
            connections=connections,
            seconds=seconds,
            warmup=warmup,
            log=log,
        )
    if pg_url:
        _require_loopback(pg_url)
        why = postgres_reachable(pg_url)
        if why:
            log(f"  postgresql: skipped, {why}")
            results += [
                LoadRun("postgresql", w, c, load_tool(), error=f"unreachable: {why}")
                for w in workers
                for c in connections
            ]
        else:
            results += bench_backend(
                "postgresql",
                pg_url,
                items,
                workers=workers,
                connections=connections,
                seconds=seconds,
                warmup=warmup,
                log=log,
            )
    else:
        log("  postgresql: skipped (SHOPGUARD_BENCH_PG is not set)")
    return results


def report(results: list[LoadRun]) -> str:
    rows = [
        f"HTTP POST /v1/screen (targets: >= {RPS_TARGET:,.0f} screens/s and p99 <= "
        f"{P99_TARGET_MS:.0f} ms):"
    ]
    for r in results:
        rows.append(r.report())
        if not r.error:
            rows.append(f"      {verdict(r.meets_targets)}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per server")
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--tool", choices=["wrk", "loadgen"], help="default: wrk if installed")
    args = parser.parse_args()
    if args.tool:
        os.environ["SHOPGUARD_BENCH_TOOL"] = args.tool
    data = corpus.ensure()
    results = run(
        data.items,
        pg_url=os.environ.get("SHOPGUARD_BENCH_PG"),
        workers=args.workers,
        connections=args.connections,
        seconds=args.duration,
        warmup=args.warmup,
    )
    print(report(results))


if __name__ == "__main__":
    main()
