"""What information security's routes and commands need from the composition root: the privacy
policy and the vault's master keyring, on top of enforcement's context (harvesters get
violations)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import typer

from shopguard.enforcement.context import EnforcementContext
from shopguard.interface.cli_support import command_runtime

if TYPE_CHECKING:
    from shopguard.privacy.keyring import Keyring
    from shopguard.privacy.model import PrivacyPolicy


class PrivacyContext(EnforcementContext, Protocol):
    @property
    def privacy(self) -> PrivacyPolicy: ...

    @property
    def keyring(self) -> Keyring: ...


def runtime(ctx: typer.Context) -> PrivacyContext:
    """The runtime of a privacy command."""
    rt: PrivacyContext = command_runtime(ctx)
    return rt
