"""What the composition root hands every route and command: settings, clock, database, the key
authenticator and the metric catalogue. Each capability widens this protocol with what it needs
(`screening.context`, ...); `runtime.Runtime` is the one object that satisfies them all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # start-up time: the database stack loads only when a command uses it
    from shopguard.platform.auth import Authenticator
    from shopguard.platform.clock import Clock
    from shopguard.platform.config import Settings
    from shopguard.platform.db import Database
    from shopguard.platform.metrics import Metric


class PlatformContext(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def db(self) -> Database: ...

    @property
    def authenticator(self) -> Authenticator: ...

    @property
    def metrics(self) -> Mapping[str, Metric]:
        """Every metric definition the capabilities registered."""
        ...
