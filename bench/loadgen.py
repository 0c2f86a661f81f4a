"""A small HTTP/1.1 keep-alive load generator: the fallback when `wrk` is not installed.

    python bench/loadgen.py --port P --key-file K --bodies B [--connections 16] [--duration 20]

Each connection sends POST /v1/screen, waits for the whole response, then sends the next body
(rotating through BODIES, one JSON object per line). New requests stop at the deadline and the
ones in flight finish, so every counted request is complete. Prints one line,
`LOAD_JSON {...}`, in the same shape as bench/screen.lua's `WRK_JSON` (latencies in µs).
Loopback only; bounded by --duration plus a hard timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

REQUEST_TIMEOUT = 10.0


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    non2xx: int = 0
    connect: int = 0
    read: int = 0
    timeout: int = 0
    bytes: int = 0


def build_requests(host: str, port: int, key: str, bodies: list[bytes]) -> list[bytes]:
    head = (
        f"POST /v1/screen HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: application/json\r\nAuthorization: Bearer {key}\r\n"
    ).encode()
    return [head + b"Content-Length: %d\r\n\r\n" % len(b) + b for b in bodies]


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, int, bool]:
    """Send one request; (status, bytes read, server wants to close)."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    close = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            close = True
    body = await reader.readexactly(length)
    return status, len(head) + len(body), close


async def _connection(
    host: str, port: int, requests: list[bytes], offset: int, deadline: float, tally: Tally
) -> None:
    i = offset
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < deadline:
        if writer is None or reader is None:
            try:
                reader, writer = await asyncio.open_connection(host, port)
            except OSError:
                tally.connect += 1
                await asyncio.sleep(0.05)
                continue
        request = requests[i % len(requests)]
        i += 1
        t0 = time.perf_counter()
        try:
            status, size, close = await asyncio.wait_for(
                _exchange(reader, writer, request), REQUEST_TIMEOUT
            )
        except TimeoutError:
            tally.timeout += 1
            close = True
        except (OSError, asyncio.IncompleteReadError, ValueError):
            tally.read += 1
            close = True
        else:
            tally.latencies.append(time.perf_counter() - t0)
            tally.bytes += size
            if not 200 <= status < 300:
                tally.non2xx += 1
        if close:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def _percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


async def drive(
    host: str, port: int, key: str, bodies: list[bytes], connections: int, duration: float
) -> dict[str, float]:
    requests = build_requests(host, port, key, bodies)
    tally = Tally()
    t0 = time.perf_counter()
    deadline = t0 + duration
    tasks = [_connection(host, port, requests, n * 97, deadline, tally) for n in range(connections)]
    await asyncio.wait_for(asyncio.gather(*tasks), duration + REQUEST_TIMEOUT + 20)
    elapsed = time.perf_counter() - t0
    ordered = sorted(tally.latencies)
    us = 1e6
    return {
        "requests": len(ordered),
        "duration_us": elapsed * us,
        "bytes": tally.bytes,
        "connect": tally.connect,
        "read": tally.read,
        "write": 0,
        "status": tally.non2xx,
        "timeout": tally.timeout,
        "p50": _percentile(ordered, 50) * us,
        "p90": _percentile(ordered, 90) * us,
        "p99": _percentile(ordered, 99) * us,
        "max": (ordered[-1] if ordered else float("nan")) * us,
        "mean": (statistics.fmean(ordered) if ordered else float("nan")) * us,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key-file", type=Path, required=True)
    parser.add_argument("--bodies", type=Path, required=True)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0)
    args = parser.parse_args()
    if not args.host.startswith("127.") and args.host not in ("localhost", "::1"):
        raise SystemExit("loadgen only targets loopback addresses")
    key = args.key_file.read_text("utf-8").strip()
    bodies = [line for line in args.bodies.read_bytes().splitlines() if line.strip()]
    result = asyncio.run(drive(args.host, args.port, key, bodies, args.connections, args.duration))
    print("LOAD_JSON " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
