"""The personal-data vault: how fast consignees are sealed and opened, stored, and re-wrapped.

    python bench/vault.py [--records 20000] [--runs 5] [--stored 100000] [--store-runs 3]

1. In-process, no database: seal (envelope-encrypt + blind-index) and open realistic
   consignees (Chinese name, mobile phone, address), `--records` per run, median of `--runs`.
2. SQLite (a fresh temporary file, migrated): `seal_many` of `--stored` records in
   transactions of 5,000 (median of `--store-runs`, fresh file each), `open_many` of all of
   them in chunks of 1,000, then `rotate` (a new master key, every data key re-wrapped in
   batches of 500) `--store-runs` times on the same store.

Prints records/s (medians) and the cores other processes kept busy; never asserts. About a
minute on a 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import background_load, machine, median
from rich.console import Console
from rich.table import Table

from shopguard.platform.clock import SystemClock
from shopguard.platform.db import Database
from shopguard.privacy import rotation, vault
from shopguard.privacy.keyring import Keyring, new_keyring, write_keyring

console = Console(width=120, highlight=False)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
DOUBLE = ["欧阳", "司马", "诸葛", "上官", "东方"]
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰子涵浩然雨桐欣怡梓萱"
CITIES = [("北京市", "朝阳区"), ("上海市", "浦东新区"), ("广东省广州市", "天河区"),
          ("浙江省杭州市", "西湖区"), ("四川省成都市", "武侯区"), ("湖北省武汉市", "洪山区")]  # fmt: skip
STREETS = ["建国路", "人民大道", "中山北路", "解放西路", "科技园南区", "文三路", "天府大道"]
SEAL_BATCH = 5_000
OPEN_CHUNK = 1_000


def consignees(n: int, seed: int = 7) -> list[dict[str, str]]:
    """`n` deterministic, realistic consignees."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        surname = rng.choice(DOUBLE) if rng.random() < 0.03 else rng.choice(SURNAMES)
        name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        province, district = rng.choice(CITIES)
        address = (
            f"{province}{district}{rng.choice(STREETS)}{rng.randint(1, 999)}号"
            f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(1, 33)}0{rng.randint(1, 4)}室"
        )
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
        out.append({"name": name, "phone": phone, "address": address})
    return out


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def bench_core(ring: Keyring, people: list[dict[str, str]], runs: int) -> tuple[float, float]:
    """Median records/s of sealing and of opening, in-process."""
    rows: list[dict[str, object]] = []

    def seal() -> None:
        rows.clear()
        for i, fields in enumerate(people):
            row = vault.encrypt_record(ring, vault.new_record_id(), f"order:{i}", fields)
            row["blind_index"] = vault.blind_index(ring, fields["phone"])
            rows.append(row)

    def open_() -> None:
        for row in rows:
            vault.decrypt_record(ring, row)

    seal_times, open_times = [], []
    for _ in range(runs):
        seal_times.append(timed(seal))
        open_times.append(timed(open_))
    console.print(f"  seal: {', '.join(f'{len(people) / t:,.0f}' for t in seal_times)} /s")
    console.print(f"  open: {', '.join(f'{len(people) / t:,.0f}' for t in open_times)} /s")
    return len(people) / median(seal_times), len(people) / median(open_times)


def bench_store(people: list[dict[str, str]], stored: int, runs: int) -> tuple[float, float, float]:
    """Median records/s of seal_many into SQLite, open_many, and rotation re-wraps."""
    clock = SystemClock()
    records = [
        (f"order:{i}", people[i % len(people)], people[i % len(people)]["phone"])
        for i in range(stored)
    ]
    seal_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="sg-vault-bench-") as tmp:
        db: Database | None = None
        ring = new_keyring(Path(tmp) / "vault.key")
        write_keyring(Path(tmp) / "vault.key", ring)
        for run in range(runs):
            if db is not None:
                db.close()
            db = Database.open(f"sqlite:///{tmp}/vault-{run}.db")

            def seal(store: Database = db) -> None:
                for start in range(0, stored, SEAL_BATCH):
                    with store.transaction() as conn:
                        vault.seal_many(
                            conn, ring, records[start : start + SEAL_BATCH], now=clock.now()
                        )

            seal_times.append(timed(seal))
        assert db is not None
        console.print(f"  seal_many: {', '.join(f'{stored / t:,.0f}' for t in seal_times)} /s")
        with db.engine.connect() as conn:
            ids = list(conn.execute(vault.vault_records.select().with_only_columns(
                vault.vault_records.c.id)).scalars())  # fmt: skip

        def open_all(store: Database = db) -> None:
            with store.engine.connect() as conn:
                for start in range(0, len(ids), OPEN_CHUNK):
                    vault.open_many(conn, ring, ids[start : start + OPEN_CHUNK])

        open_time = timed(open_all)
        console.print(f"  open_many: {stored / open_time:,.0f} /s")
        rotate_rates = []
        for _ in range(runs):
            started = time.perf_counter()
            moved = rotation.rotate(db, ring, batch=500, clock=clock)
            rotate_rates.append(moved / (time.perf_counter() - started))
        console.print(f"  rotate: {', '.join(f'{r:,.0f}' for r in rotate_rates)} re-wrapped/s")
        db.close()
    return stored / median(seal_times), stored / open_time, median(rotate_rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--store-runs", type=int, default=3)
    args = parser.parse_args()
    idle = background_load()
    started = time.perf_counter()
    people = consignees(args.records)
    console.print(f"[bold]in-process[/]: {args.records:,} consignees x {args.runs} runs")
    seal_rate, open_rate = bench_core(new_keyring(), people, args.runs)
    console.print(f"[bold]SQLite[/]: {args.stored:,} records x {args.store_runs} runs")
    stored_rate, opened_rate, rotate_rate = bench_store(people, args.stored, args.store_runs)
    busy = background_load()

    table = Table(title=f"vault benchmark ({machine()['date']})", title_justify="left")
    table.add_column("what")
    table.add_column("median", justify="right")
    table.add_row("seal in-process (encrypt + blind index)", f"{seal_rate:,.0f} records/s")
    table.add_row("open in-process (decrypt)", f"{open_rate:,.0f} records/s")
    table.add_row(f"seal_many into SQLite ({SEAL_BATCH:,} per transaction)",
                  f"{stored_rate:,.0f} records/s")  # fmt: skip
    table.add_row(f"open_many from SQLite ({OPEN_CHUNK:,} per call, 1 run)",
                  f"{opened_rate:,.0f} records/s")  # fmt: skip
    table.add_row(f"rotate on SQLite ({args.stored:,} records, batches of 500)",
                  f"{rotate_rate:,.0f} re-wrapped/s")  # fmt: skip
    table.add_row("other load (cores busy, before / after)", f"{idle:.2f} / {busy:.2f}")
    table.add_row("total time", f"{time.perf_counter() - started:.0f} s")
    console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in machine().items()))


if __name__ == "__main__":
    main()
