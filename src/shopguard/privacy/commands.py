"""`shopguard vault`: the personal-data vault's master keys: status, rotation, retirement."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shopguard.interface.cli_support import err_console, errors_to_exit, fail
from shopguard.privacy.context import runtime

console = Console(highlight=False)
vault_app = typer.Typer(
    help="The personal-data vault: master keys, their rotation and retirement.",
    no_args_is_help=True,
)


@vault_app.command("status")
def vault_status(ctx: typer.Context) -> None:
    """Records per master key, the active key and where the keyring comes from (exit 1 when
    records are wrapped under a key the keyring lacks)."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.privacy import rotation

    rt = runtime(ctx)
    with errors_to_exit(), rt.db.engine.connect() as conn:
        st = rotation.status(conn, rt.keyring)
    table = Table(title="vault master keys", title_justify="left")
    table.add_column("key")
    table.add_column("role")
    table.add_column("records", justify="right")
    for key_id in sorted(set(st.key_ids) | set(st.records)):
        role = "active" if key_id == st.active else "old" if key_id in st.key_ids else "MISSING"
        table.add_row(key_id, role, f"{st.records.get(key_id, 0):,}")
    console.print(table)
    console.print(f"{st.total:,} records; active key {st.active}; keyring: {st.source}")
    if st.unknown:
        raise fail(
            f"{sum(st.records[k] for k in st.unknown):,} records are wrapped under "
            f"{', '.join(st.unknown)}, which the keyring does not hold: they cannot be read",
            1,
        )


@vault_app.command("rotate")
def vault_rotate(
    ctx: typer.Context,
    batch: Annotated[int, typer.Option(help="records re-wrapped per transaction")] = 500,
    rewrap_only: Annotated[
        bool,
        typer.Option(
            "--rewrap-only",
            help="add no key; re-wrap every record under the current active key (finishes an "
            "interrupted rotation, or step 2 with SHOPGUARD_MASTER_KEY)",
        ),
    ] = False,
    new_keyring_out: Annotated[
        Path | None,
        typer.Option(
            help="write the keyring with a new active key to this new file (mode 0600) and "
            "re-wrap nothing (step 1 with SHOPGUARD_MASTER_KEY)",
        ),
    ] = None,
) -> None:
    """Rotate the master key without downtime: add a new active key to the key file (old keys
    stay readable), then re-wrap every record's data key under it in short batches.

    With the keyring in SHOPGUARD_MASTER_KEY (which shopguard cannot rewrite),
    rotate in two steps: `vault rotate --new-keyring-out FILE`; install FILE's
    contents as SHOPGUARD_MASTER_KEY for every shopguard process and restart
    them; then `vault rotate --rewrap-only`. Afterwards `vault retire OLD_KEY`
    removes the old key from the keyring."""

    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.privacy import rotation
    from shopguard.privacy.keyring import read_keyring_file

    if batch < 1:
        raise fail(f"--batch: expected 1 or more, got {batch}")
    if rewrap_only and new_keyring_out is not None:
        raise fail("--rewrap-only and --new-keyring-out are two separate steps; give one")
    if new_keyring_out is not None and new_keyring_out.exists():
        raise fail(f"--new-keyring-out: {new_keyring_out} already exists; name a new file")
    rt = runtime(ctx)
    columns = [TextColumn("re-wrapping"), BarColumn(), MofNCompleteColumn(),
               TextColumn("records"), TimeElapsedColumn()]  # fmt: skip
    with errors_to_exit():
        ring = rt.keyring
        if ring.path is None and not rewrap_only and new_keyring_out is None:
            raise fail(rotation.ENV_ROTATE_HELP)
        with Progress(*columns, console=err_console, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("records", total=None)

            def tick(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            count = rotation.rotate(
                rt.db, ring, batch=batch, clock=rt.clock, progress=tick,
                rewrap_only=rewrap_only, new_keyring_out=new_keyring_out, principal="cli",
            )  # fmt: skip
        if new_keyring_out is not None:
            active = read_keyring_file(new_keyring_out).active
            console.print(
                f"wrote the keyring with new active key {active} to {new_keyring_out}; install "
                "its contents as SHOPGUARD_MASTER_KEY for every shopguard process, restart "
                "them, then run `shopguard vault rotate --rewrap-only` and delete the file"
            )
            return
        active = read_keyring_file(ring.path).active if ring.path else ring.active
    console.print(f"re-wrapped {count:,} records under key {active}")


@vault_app.command("retire")
def vault_retire(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="the old key's id (see `vault status`)")],
    new_keyring_out: Annotated[
        Path | None,
        typer.Option(
            help="with SHOPGUARD_MASTER_KEY: write the keyring without the key to this new "
            "file (mode 0600) for you to install",
        ),
    ] = None,
) -> None:
    """Remove an old master key from the keyring once no record is wrapped under it. Retire a
    key only when every shopguard process runs on the new active key."""
    # start-up time: services bring the database stack, loaded only by the command that runs
    from shopguard.privacy import rotation

    if new_keyring_out is not None and new_keyring_out.exists():
        raise fail(f"--new-keyring-out: {new_keyring_out} already exists; name a new file")
    rt = runtime(ctx)
    with errors_to_exit():
        remaining = rotation.retire(
            rt.db, key_id, source=rt.keyring, clock=rt.clock,
            new_keyring_out=new_keyring_out, principal="cli",
        )  # fmt: skip
    where = new_keyring_out or remaining.path
    console.print(f"retired key {key_id}; the keyring at {where} keeps {', '.join(remaining.keys)}")
