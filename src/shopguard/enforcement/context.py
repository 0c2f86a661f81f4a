"""What enforcement's routes and commands need from the composition root: the enforcement
policy (points, caps, ladders), on top of screening's context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import typer

from shopguard.interface.cli_support import command_runtime
from shopguard.screening.context import ScreeningContext

if TYPE_CHECKING:
    from shopguard.enforcement.model import EnforcementPolicy


class EnforcementContext(ScreeningContext, Protocol):
    @property
    def enforcement(self) -> EnforcementPolicy: ...


def runtime(ctx: typer.Context) -> EnforcementContext:
    """The runtime of an enforcement command."""
    rt: EnforcementContext = command_runtime(ctx)
    return rt
