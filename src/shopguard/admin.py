"""Operator commands that span the platform: API keys, the audit chain, policy packs, every
metric, and the HTTP server. A shell: it may use everything below it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from shopguard.interface.cli_support import errors_to_exit, fail
from shopguard.runtime import Runtime, load_policy

console = Console(highlight=False)
keys_app = typer.Typer(help="API keys (stored hashed; printed once).", no_args_is_help=True)
policy_app = typer.Typer(help="Policy packs.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit chain; exit 1 naming the first edited or missing entry."""
    # start-up time: the database stack loads only for the command that uses it
    from shopguard.platform import audit

    rt = Runtime()
    with errors_to_exit(), rt.db.engine.connect() as conn:
        verdict = audit.verify(conn)
    if not verdict.ok:
        console.print(f"audit log BROKEN at entry {verdict.bad_id}: {verdict.problem}")
        raise typer.Exit(1)
    console.print(f"audit log intact: {verdict.entries} entries, chain verified")


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="admin, reviewer, cs_agent, merchant, creator, ...")],
    subject: Annotated[
        str | None, typer.Option(help="the shop, creator, rights holder or consumer id")
    ] = None,
    label: Annotated[str | None, typer.Option(help="a note on what the key is for")] = None,
) -> None:
    """Create an API key and print it once (last line, last word)."""
    # start-up time: the database stack loads only for the command that uses it
    from shopguard.platform import auth

    rt = Runtime()
    with errors_to_exit():
        principal, key = auth.create_key(
            rt.db, role=role, subject=subject, clock=rt.clock, label=label
        )
    scope = f" for {principal.subject}" if principal.subject else ""
    typer.echo(
        f"created {principal.role.value} key {principal.key_id}{scope}; it is shown only once:",
        err=True,
    )
    typer.echo(key)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="the key id (2nd part of the key)")],
) -> None:
    """Revoke a key by its id."""
    # start-up time: the database stack loads only for the command that uses it
    from shopguard.platform import auth

    rt = Runtime()
    with errors_to_exit():
        auth.revoke_key(rt.db, key_id, clock=rt.clock)
    typer.echo(f"revoked {key_id}")


@policy_app.command("check")
def policy_check(
    pack: Annotated[Path | None, typer.Argument(help="pack folder (default: cn-default)")] = None,
) -> None:
    """Load and validate a pack; print its version and rule count."""
    with errors_to_exit():
        compiled = load_policy(pack) if pack else Runtime().policy
    console.print(
        f"{compiled.version}: {len(compiled.rules)} rules, {len(compiled.payloads)} terms"
    )


def serve_command(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs)."""
    import uvicorn  # start-up time: the web server loads only for serve

    with errors_to_exit():
        rt = Runtime()
        # The vault's keys: production refuses to start without one; the embedded default
        # creates a key file once, before workers race to.
        rt.keyring  # noqa: B018
        rt.db  # migrate once before workers start  # noqa: B018
    if workers > 1:
        uvicorn.run(
            "shopguard.api:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,
        )
    else:
        from shopguard.api import create_app  # start-up time: FastAPI loads only for serve

        with errors_to_exit():
            app = create_app()
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def metrics_command(
    year: Annotated[int, typer.Option(help="the calendar year")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON with each definition")] = False,
) -> None:
    """Every named figure for one year, computed from the store."""
    # start-up time: the database stack loads only for the command that uses it
    from shopguard.platform.metrics import Period, compute

    if not 1970 <= year <= 9999:
        raise fail(f"--year: expected a calendar year, got {year}")
    rt = Runtime()
    with rt.db.engine.connect() as conn:
        figures = compute(conn, Period.year(year), catalog=rt.metrics)
    if as_json:
        sys.stdout.write(orjson.dumps(figures, option=orjson.OPT_INDENT_2).decode() + "\n")
        return

    table = Table(title=f"shopguard figures, {year}", title_justify="left")
    table.add_column("metric", style="bold")
    table.add_column("value")
    for mid, figure in figures.items():
        value = figure["value"]
        shown = (
            "\n".join(f"{k}: {orjson.dumps(v).decode()}" for k, v in value.items())
            if isinstance(value, dict)
            else orjson.dumps(value).decode()
        )
        table.add_row(f"{figure['title']}\n[dim]{mid}[/dim]", shown)
    console.print(table)
