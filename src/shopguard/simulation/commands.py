"""`shopguard simulate`: a synthetic marketplace year through the real engine."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shopguard.interface.cli_support import err_console, errors_to_exit, fail
from shopguard.privacy.context import runtime

console = Console(highlight=False)


def simulate_command(
    ctx: typer.Context,
    year: Annotated[int, typer.Option(help="the calendar year to simulate")],
    scale: Annotated[
        str, typer.Option(help="tiny (seconds), small (about a minute), medium")
    ] = "tiny",
    seed: Annotated[int, typer.Option(help="the same seed gives the same marketplace")] = 1,
) -> None:
    """Generate a deterministic marketplace year and run it through screening, enforcement,
    review and appeals into the configured store."""

    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.simulation.driver import simulate
    from shopguard.simulation.world import SCALES

    if scale not in SCALES:
        raise fail(f"--scale: expected tiny, small or medium, got {scale!r}")
    if not 1970 <= year <= 9999:
        raise fail(f"--year: expected a calendar year, got {year}")
    if seed < 0:
        raise fail(f"--seed: expected 0 or more, got {seed}")
    rt = runtime(ctx)
    columns = [TextColumn(f"simulating {year} ({scale})"), BarColumn(), MofNCompleteColumn(),
               TextColumn("days"), TimeElapsedColumn()]  # fmt: skip
    with (
        errors_to_exit(),
        Progress(*columns, console=err_console, disable=not sys.stderr.isatty()) as bar,
    ):
        task = bar.add_task("days", total=366)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        summary = simulate(
            rt.db, year=year, scale=scale, seed=seed, policy=rt.policy,
            enforcement=rt.enforcement, ring=rt.keyring, privacy=rt.privacy, progress=tick,
        )  # fmt: skip
    table = Table(title=f"simulated {year}: {scale}, seed {seed}", title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in (
        ("publish attempts", summary.attempts),
        ("  of which re-published after a block", summary.republished),
        ("blocked", summary.blocked),
        ("held for review", summary.held),
        ("violations recorded", summary.violations),
        ("review decisions", summary.reviews),
        ("appeals filed", summary.appeals),
        ("appeals upheld", summary.appeals_upheld),
        ("orders placed (consignees encrypted)", summary.orders),
        ("consignee reveals granted", summary.reveals),
        ("order messages", summary.messages),
        ("principals locked for data harvesting", summary.locked),
        ("events stored (all years)", summary.stored_events),
    ):
        table.add_row(label, f"{value:,}")
    console.print(table)
    console.print(
        f"{summary.seconds:.1f} s; store: {rt.settings.resolved_database_url().split('@')[-1]}"
    )
