"""`shopguard demo`: the main job end to end on the embedded default. Two simulated years of a
marketplace through screening, enforcement, review and appeals, then the yearly report in both
languages and every format, and the headline figures on the terminal."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from shopguard.interface.cli_support import errors_to_exit, fail

console = Console(highlight=False)


def _fmt(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def _change(change: float | None) -> str:
    if change is None:
        return ""
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    return f"{arrow} {abs(change):.0%}"


def demo_command(
    year: Annotated[
        int, typer.Option(help="the report's year (the year before is simulated too)")
    ] = 2025,
    scale: Annotated[str, typer.Option(help="tiny, small or medium")] = "small",
    seed: Annotated[int, typer.Option(help="the same seed gives the same marketplace")] = 1,
) -> None:
    """Simulate two marketplace years into a fresh demo store and write the yearly report."""
    # start-up time: the simulator and the report load only when the demo runs
    from shopguard.platform.config import get_settings
    from shopguard.reporting.figures import build
    from shopguard.reporting.render import render
    from shopguard.runtime import Runtime
    from shopguard.simulation.driver import simulate
    from shopguard.simulation.world import SCALES

    if scale not in SCALES:
        raise fail(f"--scale: expected tiny, small or medium, got {scale!r}")
    if not 1971 <= year <= 9999:
        raise fail(f"--year: expected a calendar year, got {year}")
    settings = get_settings()
    folder = settings.data_dir / "demo"
    shutil.rmtree(folder, ignore_errors=True)  # each demo starts from an empty marketplace
    folder.mkdir(parents=True)
    demo_settings = settings.model_copy(
        update={"data_dir": folder, "database_url": f"sqlite:///{folder / 'shopguard.db'}"}
    )
    rt = Runtime(settings=demo_settings)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn()]  # fmt: skip
    written: list[Path] = []
    with (
        errors_to_exit(),
        Progress(*columns, console=console, disable=not sys.stdout.isatty()) as bar,
    ):
        for y in (year - 1, year):
            task = bar.add_task(f"simulating {y} ({scale})", total=365)

            def tick(done: int, total: int, task: Any = task) -> None:
                bar.update(task, completed=done, total=total)

            summary = simulate(
                rt.db, year=y, scale=scale, seed=seed, policy=rt.policy,
                enforcement=rt.enforcement, ring=rt.keyring, privacy=rt.privacy, progress=tick,
            )  # fmt: skip
            if not sys.stdout.isatty():
                console.print(
                    f"simulated {y}: {summary.attempts:,} publish attempts in {summary.seconds:.0f} s"
                )
        task = bar.add_task("writing the report", total=8)
        with rt.db.engine.connect() as conn:
            data = build(conn, year, policy_version=rt.policy.version, catalog=rt.metrics)
        reports = folder / "reports"
        reports.mkdir()
        for lang in ("zh", "en"):
            for fmt in ("html", "pdf", "md", "json"):
                path = reports / f"shopguard-{year}-{lang}.{fmt}"
                path.write_bytes(render(data, fmt, lang))
                written.append(path)
                bar.advance(task)
    table = Table(title=f"shopguard — consumer protection in {year} (simulated, {scale}, seed {seed})",
                  title_justify="left")  # fmt: skip
    table.add_column("figure")
    table.add_column(str(year), justify="right")
    table.add_column(str(year - 1), justify="right")
    table.add_column("change", justify="right")
    for fid in data["headlines"]:
        f = data["figures"][fid]
        table.add_row(f["title_en"], _fmt(f["value"], f["unit"]), _fmt(f["previous"], f["unit"]),
                      _change(f["change"]))  # fmt: skip
    console.print(table)
    console.print(f"report: [bold]{written[0]}[/bold]")
    console.print(f"also: {reports}/ (zh and en; html, pdf, md, json)")
