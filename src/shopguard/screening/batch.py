"""Screening a JSONL stream in order, on one core or several.

Lines are read in chunks; each chunk is screened by a worker process (forked, so the compiled
policy is shared, not reloaded) and results come back in input order. A result is either the
decision line to print (with the item and decision when the caller keeps them) or the line's
validation error, so the caller decides whether to stop or skip.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice

import orjson

from shopguard.platform.errors import FieldError, InvalidInput
from shopguard.screening.schemas import parse_item
from shopguard.text.compiler import CompiledPolicy
from shopguard.text.engine import screen_item
from shopguard.text.model import Decision, Item

CHUNK = 2000


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """A chunk's outcome: runs of decision lines (bytes) between invalid lines (errors), in
    order, plus the (item, decision) pairs when the caller keeps them."""

    parts: list[bytes | InvalidInput]
    kept: list[tuple[Item, Decision]]


def decode(raw: bytes, lineno: int) -> object:
    """One JSONL line as a Python value, or InvalidInput naming the line."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(
            f"line {lineno}: not valid JSON ({exc.msg})",
            [FieldError(loc="(line)", msg="not valid JSON", line=lineno)],
        ) from None


def screen_lines(chunk: list[tuple[int, bytes]], policy: CompiledPolicy, keep: bool) -> ChunkResult:
    """Screen numbered raw lines; blank lines give nothing."""
    parts: list[bytes | InvalidInput] = []
    run: list[bytes] = []
    kept: list[tuple[Item, Decision]] = []
    for lineno, raw in chunk:
        if not raw.strip():
            continue
        try:
            item = parse_item(decode(raw, lineno), line=lineno)
        except InvalidInput as exc:
            if run:
                parts.append(b"".join(run))
                run = []
            parts.append(exc)
            continue
        decision = screen_item(item, policy)
        run.append(orjson.dumps(decision.as_dict()))
        run.append(b"\n")
        if keep:
            kept.append((item, decision))
    if run:
        parts.append(b"".join(run))
    return ChunkResult(parts, kept)


# Set in the parent just before forking; workers inherit it instead of reloading the pack.
_WORKER: tuple[CompiledPolicy, bool] | None = None


def _work(chunk: list[tuple[int, bytes]]) -> ChunkResult:
    assert _WORKER is not None  # noqa: S101 - set before the pool forks
    return screen_lines(chunk, *_WORKER)


def _chunks(lines: Iterable[bytes]) -> Iterator[list[tuple[int, bytes]]]:
    numbered = enumerate(lines, 1)
    while chunk := list(islice(numbered, CHUNK)):
        yield chunk


def default_jobs() -> int:
    """Worker processes to use: the cores this process may run on."""
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def screen_stream(
    lines: Iterable[bytes], policy: CompiledPolicy, *, jobs: int, keep: bool
) -> Iterator[ChunkResult]:
    """Chunk results in input order, using up to `jobs` processes."""
    global _WORKER
    chunks = _chunks(lines)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    everything = chain([first], [second] if second else [], chunks)
    if jobs <= 1 or second is None:  # small input: forking would cost more than it saves
        for chunk in everything:
            yield screen_lines(chunk, policy, keep)
        return
    _WORKER = (policy, keep)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(_work, everything, chunksize=1)
