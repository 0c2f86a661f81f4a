"""CLI commands of enforcement (thin: parse, call the service, render)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from shopguard.platform.cli_support import errors_to_exit
from shopguard.runtime import Runtime

console = Console(highlight=False)
subjects_app = typer.Typer(help="Merchants (shops) and creators.", no_args_is_help=True)


@subjects_app.command("add")
def add(
    subject_id: Annotated[str, typer.Argument(help="the shop or creator id")],
    type: Annotated[str, typer.Option("--type", help="merchant or creator")],
    name: Annotated[str, typer.Option(help="display name")],
    followers: Annotated[int, typer.Option(help="followers (creators)")] = 0,
) -> None:
    """Register a merchant or creator for enforcement."""
    from shopguard.enforcement import service

    rt = Runtime()
    with errors_to_exit():
        service.register_subject(
            rt.db,
            subject_id,
            type=type,
            name=name,
            followers=followers,
            clock=rt.clock,
            actor="cli",
        )
    console.print(f"registered {type} {subject_id}")


@subjects_app.command("violation")
def violation(
    subject_id: Annotated[str, typer.Argument(help="the shop or creator id")],
    code: Annotated[str, typer.Option(help="violation code, e.g. claim.medical")],
    severity: Annotated[str, typer.Option(help="general, serious or egregious")],
    source: Annotated[
        str, typer.Option(help="reviewer, lab, ip_complaint, automatic")
    ] = "reviewer",
) -> None:
    """Record a violation: points, and any sanction the points cross."""
    from shopguard.enforcement import service

    rt = Runtime()
    with errors_to_exit():
        applied = service.apply_violation(
            rt.db, subject_id, code=code, severity=severity, source=source,
            policy=rt.enforcement, clock=rt.clock, actor="cli",
        )  # fmt: skip
    fired = ", ".join(applied.sanctions) or "no new sanction"
    console.print(f"violation {applied.violation_id}: +{applied.points} points; {fired}")


@subjects_app.command("standing")
def standing(subject_id: Annotated[str, typer.Argument(help="the shop or creator id")]) -> None:
    """Points in the window and sanctions in force, derived from the ledger."""
    from shopguard.enforcement import service

    rt = Runtime()
    with errors_to_exit():
        now = service.get_standing(rt.db, subject_id, policy=rt.enforcement, clock=rt.clock)
    points = ", ".join(f"{t}: {p}" for t, p in sorted(now.points.items())) or "none"
    console.print(f"{subject_id}: points {points}; {'BLOCKED' if now.blocked else 'may sell'}")
    for s in now.sanctions:
        until = s.until.isoformat() if s.until else "for good"
        console.print(f"  {s.sanction.value} since {s.since.isoformat()} until {until}")


statements_app = typer.Typer(
    help="Statements of reasons (EU DSA Transparency Database layout).", no_args_is_help=True
)


@statements_app.command("export")
def export(
    year: Annotated[int | None, typer.Option(help="only this calendar year")] = None,
) -> None:
    """Every statement of reasons as JSONL, one per line, ready to file."""
    import sys

    import orjson

    from shopguard.enforcement import service

    rt = Runtime()
    with errors_to_exit():
        rows = service.export_statements(rt.db, year=year, policy=rt.enforcement)
    out = sys.stdout.buffer
    for row in rows:
        out.write(orjson.dumps(row) + b"\n")
    out.flush()
