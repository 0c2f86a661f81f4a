"""`shopguard report`: the yearly consumer-protection report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from shopguard.interface.cli_support import err_console, fail
from shopguard.screening.context import runtime

FORMATS = ("html", "md", "json", "pdf")
LANGS = ("zh", "en")


def report_command(
    ctx: typer.Context,
    year: Annotated[int, typer.Option(help="the calendar year")],
    format: Annotated[str, typer.Option("--format", help="html, md, json or pdf")] = "html",
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
    output: Annotated[
        str | None, typer.Option(help="where to write it; - for stdout (default: the data folder)")
    ] = None,
) -> None:
    """Compute every figure of one year from the store and write the report; prints its path."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.reporting.figures import build
    from shopguard.reporting.render import render

    if format not in FORMATS:
        raise fail(f"--format: expected one of {', '.join(FORMATS)}, got {format!r}")
    if lang not in LANGS:
        raise fail(f"--lang: expected zh or en, got {lang!r}")
    if not 1970 <= year <= 9999:
        raise fail(f"--year: expected a calendar year, got {year}")
    rt = runtime(ctx)
    with err_console.status(f"computing the {year} figures"), rt.db.engine.connect() as conn:
        data = build(conn, year, policy_version=rt.policy.version, catalog=rt.metrics)
    body = render(data, format, lang)
    if output == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    path = (
        Path(output)
        if output
        else rt.settings.data_dir / "reports" / f"shopguard-{year}-{lang}.{format}"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    if data["empty"]:
        err_console.print(f"[yellow]no activity recorded for {year}[/yellow]: the report says so")
    typer.echo(str(path.resolve()))
