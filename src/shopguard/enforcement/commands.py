"""CLI commands of enforcement (thin: parse, call the service, render)."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import orjson
import typer
from rich.console import Console

from shopguard.enforcement.context import runtime
from shopguard.interface.cli_support import errors_to_exit, fail, lines_with_progress, open_input

console = Console(highlight=False)
subjects_app = typer.Typer(help="Merchants (shops) and creators.", no_args_is_help=True)


@subjects_app.command("add")
def add(
    ctx: typer.Context,
    subject_id: Annotated[str, typer.Argument(help="the shop or creator id")],
    type: Annotated[str, typer.Option("--type", help="merchant or creator")],
    name: Annotated[str, typer.Option(help="display name")],
    followers: Annotated[int, typer.Option(help="followers (creators)")] = 0,
) -> None:
    """Register a merchant or creator for enforcement."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.enforcement import subjects

    rt = runtime(ctx)
    with errors_to_exit():
        subjects.register_subject(
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
    ctx: typer.Context,
    subject_id: Annotated[str, typer.Argument(help="the shop or creator id")],
    code: Annotated[str, typer.Option(help="violation code, e.g. claim.medical")],
    severity: Annotated[str, typer.Option(help="general, serious or egregious")],
    source: Annotated[
        str, typer.Option(help="reviewer, lab, ip_complaint, automatic")
    ] = "reviewer",
) -> None:
    """Record a violation: points, and any sanction the points cross."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.enforcement import violations

    rt = runtime(ctx)
    with errors_to_exit():
        applied = violations.apply_violation(
            rt.db, subject_id, code=code, severity=severity, source=source,
            policy=rt.enforcement, clock=rt.clock, actor="cli",
        )  # fmt: skip
    fired = ", ".join(applied.sanctions) or "no new sanction"
    console.print(f"violation {applied.violation_id}: +{applied.points} points; {fired}")


@subjects_app.command("standing")
def standing(
    ctx: typer.Context, subject_id: Annotated[str, typer.Argument(help="the shop or creator id")]
) -> None:
    """Points in the window and sanctions in force, derived from the ledger."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.enforcement import subjects

    rt = runtime(ctx)
    with errors_to_exit():
        now = subjects.get_standing(rt.db, subject_id, policy=rt.enforcement, clock=rt.clock)
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
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(help="only this calendar year")] = None,
) -> None:
    """Every statement of reasons as JSONL, one per line, ready to file."""

    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.enforcement import transparency

    rt = runtime(ctx)
    with errors_to_exit():
        rows = transparency.export_statements(rt.db, year=year, policy=rt.enforcement)
    out = sys.stdout.buffer
    for row in rows:
        out.write(orjson.dumps(row) + b"\n")
    out.flush()


violations_app = typer.Typer(help="Violations in bulk.", no_args_is_help=True)


@violations_app.command("import")
def import_violations(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="JSONL of violations, or - for stdin")] = "-",
    actor: Annotated[str, typer.Option("--as", help="who records them (audited)")] = "cli",
) -> None:
    """Apply violations in one transaction: {"subject", "code", "severity", "source"?, "item_id"?,
    "evidence"?, "at"?} per line. A bad line (named with its field) applies nothing."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.enforcement.batch import apply_lines

    rt = runtime(ctx)
    with errors_to_exit(), open_input(file) as (stream, size):
        result = apply_lines(
            rt.db, lines_with_progress(stream, size, "applying"), policy=rt.enforcement,
            clock=rt.clock, actor=actor,
        )  # fmt: skip
    fired = ", ".join(f"{k}: {v}" for k, v in sorted(result.sanctions.items())) or "none"
    console.print(
        f"{result.violations} violations applied (+{result.points} points, {result.held} held "
        f"for review); sanctions: {fired}"
    )


review_app = typer.Typer(help="The review queue.", no_args_is_help=True)


@review_app.command("list")
def review_list(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="open, second or decided")] = None,
    limit: Annotated[int, typer.Option(help="at most this many")] = 50,
) -> None:
    """Queued items, oldest first."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.enforcement import review

    rt = runtime(ctx)
    for row in review.list_items(rt.db, state=state, limit=limit):
        console.print(orjson.dumps(row).decode(), markup=False)


@review_app.command("claim")
def review_claim(
    ctx: typer.Context,
    actor: Annotated[str, typer.Option("--as", help="the reviewer")],
    why: Annotated[str | None, typer.Option(help="only items queued for this reason")] = None,
) -> None:
    """Lease the oldest item you may decide and print it (exit 1 when there is none)."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.enforcement import review

    rt = runtime(ctx)
    with errors_to_exit():
        item = review.claim(rt.db, reviewer=actor, why=why, policy=rt.enforcement, clock=rt.clock)
    if item is None:
        console.print("nothing to review")
        raise typer.Exit(1)
    console.print(orjson.dumps(item).decode(), markup=False)


@review_app.command("decide")
def review_decide(
    ctx: typer.Context,
    item: Annotated[int, typer.Argument(help="the review item id")],
    outcome: Annotated[str, typer.Option(help="confirm, overturn or change")],
    reason: Annotated[str, typer.Option(help="why (the affected party reads it)")],
    actor: Annotated[str, typer.Option("--as", help="the reviewer holding the lease")],
    code: Annotated[str | None, typer.Option(help="with change: the right code")] = None,
    severity: Annotated[str | None, typer.Option(help="with change: the right severity")] = None,
) -> None:
    """Decide a leased item."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.enforcement import review

    rt = runtime(ctx)
    with errors_to_exit():
        result = review.decide(
            rt.db, item, outcome=outcome, reason=reason, reviewer=actor, policy=rt.enforcement,
            clock=rt.clock, code=code, severity=severity,
        )  # fmt: skip
    console.print(f"review item {item}: {result['state']} ({outcome})")


@review_app.command("sample")
def review_sample(
    ctx: typer.Context,
    day: Annotated[str, typer.Option(help="YYYY-MM-DD: the day whose decisions are sampled")],
) -> None:
    """Queue the QA sample of one day's automatic decisions (once per day)."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.enforcement import review

    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise fail(f"--day: expected YYYY-MM-DD, got {day!r}") from None
    rt = runtime(ctx)
    with errors_to_exit():
        n = review.sample_day(rt.db, when, policy=rt.enforcement, clock=rt.clock, actor="cli")
    console.print(f"{n} decisions of {day} queued for QA")
