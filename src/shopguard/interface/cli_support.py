"""The CLI edge every command shares: the runtime, opening FILE|-, progress on a terminal, and
exit codes with error details masked (an error may quote input)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from shopguard.platform.errors import InvalidInput, NotFound, PolicyError, ShopguardError
from shopguard.text.pii import mask_text

err_console = Console(stderr=True)

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print `message` on stderr and return the Exit to raise."""
    err_console.print(f"[red]error:[/red] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


def command_runtime(ctx: typer.Context) -> Any:
    """The runtime of this command, built by the factory the composition root (cli.py) put on
    the context. A capability's commands read it through their own context protocol."""
    factory = ctx.obj
    if not callable(factory):
        raise RuntimeError("shopguard commands run under shopguard.cli, which wires the runtime")
    return factory()


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """Map our errors to exit codes: bad input (including an unknown id) and broken packs
    exit 2, the rest 1."""
    try:
        yield
    except (InvalidInput, PolicyError, NotFound) as exc:
        raise fail(mask_text(exc.detail), EXIT_BAD_INPUT) from None
    except ShopguardError as exc:
        raise fail(mask_text(exc.detail), EXIT_FAILURE) from None


@contextmanager
def open_input(name: str) -> Iterator[tuple[BinaryIO, int | None]]:
    """(binary stream, size in bytes if known) for a path or '-' (stdin)."""
    if name == "-":
        yield sys.stdin.buffer, None
        return
    path = Path(name)
    if not path.is_file():
        raise fail(f"{name}: no such file")
    with path.open("rb") as fh:
        yield fh, path.stat().st_size


def lines_with_progress(stream: BinaryIO, size: int | None, label: str) -> Iterator[bytes]:
    """The stream's lines; a Rich progress bar on stderr when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield from stream
        return
    columns = [TextColumn(label), BarColumn(), DownloadColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task(label, total=size)
        for line in stream:
            progress.advance(task, len(line))
            yield line
