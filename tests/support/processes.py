"""Run the real CLI and the real HTTP server as a user would, in subprocesses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def cli_env(db_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPGUARD_")}
    env.update(SHOPGUARD_DATABASE_URL=db_url, SHOPGUARD_DATA_DIR=str(data_dir))
    return env


def run_cli(
    args: list[str], *, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`shopguard ARGS` with `stdin`; never raises on a non-zero exit."""
    return subprocess.run(
        [sys.executable, "-m", "shopguard", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str
    log: Path

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=10)


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[Server]:
    """`shopguard serve` on a free loopback port until the block ends."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "shopguard",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {log.read_text()}")
            time.sleep(0.1)
        yield Server(base, log)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
