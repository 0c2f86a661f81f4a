"""CLI commands of screening and PII scanning (thin: parse, call the core, render)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.table import Table

from shopguard.interface.cli_support import (
    err_console,
    errors_to_exit,
    fail,
    lines_with_progress,
    open_input,
)
from shopguard.platform.errors import InvalidInput
from shopguard.screening.batch import decode, default_jobs, screen_stream
from shopguard.screening.context import ScreeningContext, runtime
from shopguard.text.compiler import compile_policy
from shopguard.text.model import Decision, Item
from shopguard.text.pii import find_pii, mask_text
from shopguard.text.policy import load_pack

InputArg = Annotated[str, typer.Argument(help="JSONL file, or - for standard input")]


def screen_command(
    ctx: typer.Context,
    file: InputArg = "-",
    policy: Annotated[
        Path | None, typer.Option("--policy", help="policy pack folder (default: cn-default)")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="report bad lines on stderr and go on")
    ] = False,
    store: Annotated[
        bool, typer.Option("--store", help="also store every decision (one transaction)")
    ] = False,
    summary: Annotated[
        bool, typer.Option("--summary", help="print a table of actions and codes on stderr")
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0, help="worker processes (0: one per core)")
    ] = 0,
) -> None:
    """Screen JSONL items: one decision line out per item line in, in order."""
    with errors_to_exit():
        compiled = compile_policy(load_pack(policy)) if policy else runtime(ctx).policy
    out = sys.stdout.buffer
    pending: list[tuple[Item, Decision]] = []
    skipped = 0
    keep = store or summary
    with open_input(file) as (stream, size):
        lines = lines_with_progress(stream, size, "screening")
        for result in screen_stream(lines, compiled, jobs=jobs or default_jobs(), keep=keep):
            for part in result.parts:
                if isinstance(part, bytes):
                    out.write(part)
                    continue
                if not skip_invalid:
                    out.flush()
                    raise fail(part.detail)
                err_console.print(f"skipped {part.detail}", highlight=False, markup=False)
                skipped += 1
            pending.extend(result.kept)
    out.flush()
    if store:
        _store(runtime(ctx), pending)
    if skipped:
        err_console.print(f"{skipped} invalid line(s) skipped", highlight=False)
    if summary:
        _summary([d for _, d in pending], compiled.version)


def _summary(decisions: list[Decision], version: str) -> None:

    actions = Counter(d.action.value for d in decisions)
    codes = Counter(code for d in decisions for code in d.codes)
    table = Table(title=f"{len(decisions)} items screened with {version}")
    table.add_column("outcome")
    table.add_column("items", justify="right")
    for action in ("allow", "review", "block"):
        table.add_row(f"[bold]{action}[/]", str(actions.get(action, 0)))
    for code, n in sorted(codes.items()):
        table.add_row(f"  {code}", str(n))
    err_console.print(table)


def _store(rt: ScreeningContext, pending: list[tuple[Item, Decision]]) -> None:
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.platform import audit
    from shopguard.screening.service import store_decisions

    with errors_to_exit(), rt.db.transaction() as conn:
        if pending:
            version = pending[0][1].policy_version
            audit.record_policy(conn, version=version, at=rt.clock.now(), principal="cli")
        store_decisions(conn, pending, principal=None, clock=rt.clock)
    err_console.print(f"stored {len(pending)} decision(s)", highlight=False)


def pii_scan_command(file: InputArg = "-") -> None:
    """Find phones, ID and bank-card numbers and e-mails; print entities and the masked text."""
    out = sys.stdout.buffer
    with open_input(file) as (stream, size):
        for lineno, raw in enumerate(lines_with_progress(stream, size, "scanning"), 1):
            if not raw.strip():
                continue
            with errors_to_exit():
                data = decode(raw, lineno)
                if not isinstance(data, dict):
                    raise InvalidInput(f"line {lineno}: expected a JSON object")
                text = data.get("text")
                if not isinstance(text, str):
                    raise InvalidInput(f"line {lineno}: field text: a string is required")
                if "id" not in data:
                    raise InvalidInput(f"line {lineno}: field id: required")
            entities = find_pii(text)
            record = {
                "id": data["id"],
                "entities": [
                    {"type": e.type.value, "start": e.start, "end": e.end, "text": e.masked}
                    for e in entities
                ],
                "masked": mask_text(text, entities),
            }
            out.write(orjson.dumps(record) + b"\n")
    out.flush()
