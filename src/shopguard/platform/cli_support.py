"""Helpers for Typer commands: opening FILE|-, progress on a terminal, exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from shopguard.platform.errors import InvalidInput, NotFound, PolicyError, ShopguardError

err_console = Console(stderr=True)

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print `message` on stderr and return the Exit to raise."""
    err_console.print(f"[red]error:[/red] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """Map our errors to exit codes: bad input (including an unknown id) and broken packs
    exit 2, the rest 1."""
    from shopguard.privacy.pii import mask_text  # an error may quote input: mask what it holds

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
