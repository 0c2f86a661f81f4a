"""What screening's commands need from the composition root: the compiled policy and the
group-commit decision writer, on top of the platform's context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import typer

from shopguard.interface.cli_support import command_runtime
from shopguard.platform.context import PlatformContext

if TYPE_CHECKING:  # start-up time: the writer brings the database stack
    from shopguard.screening.writer import DecisionWriter
    from shopguard.text.compiler import CompiledPolicy


class ScreeningContext(PlatformContext, Protocol):
    @property
    def policy(self) -> CompiledPolicy: ...

    @property
    def writer(self) -> DecisionWriter: ...


def runtime(ctx: typer.Context) -> ScreeningContext:
    """The runtime of a screening command."""
    rt: ScreeningContext = command_runtime(ctx)
    return rt
