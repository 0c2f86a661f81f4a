"""The composition root: settings, database, policy, clock and authenticator wired once, and the
one object that gives every capability what its context protocol asks for."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from shopguard.platform.clock import Clock, SystemClock
from shopguard.platform.config import Settings, get_settings
from shopguard.text.compiler import CompiledPolicy, compile_policy
from shopguard.text.policy import load_pack

if TYPE_CHECKING:  # start-up time: the database stack (SQLAlchemy, Alembic) loads when used
    from shopguard.enforcement.model import EnforcementPolicy
    from shopguard.platform.auth import Authenticator
    from shopguard.platform.db import Database
    from shopguard.platform.metrics import Metric
    from shopguard.privacy.context import PrivacyContext
    from shopguard.privacy.keyring import Keyring
    from shopguard.privacy.model import PrivacyPolicy
    from shopguard.screening.writer import DecisionWriter


def load_policy(path: Path | str) -> CompiledPolicy:
    """Load, validate and compile a policy pack folder."""
    return compile_policy(load_pack(path))


def load_metrics() -> Mapping[str, Metric]:
    """Every capability's metric definitions, registered with the platform's registry."""
    # start-up time: the metric modules build SQLAlchemy queries; only figures need them
    import shopguard.enforcement.metrics  # noqa: F401 - enforcement's figures
    import shopguard.privacy.metrics  # noqa: F401 - information security's
    import shopguard.screening.metrics  # noqa: F401 - screening's
    import shopguard.simulation.metrics  # noqa: F401 - the simulator's ground truth
    from shopguard.platform.metrics import REGISTRY

    return REGISTRY


@dataclass
class Runtime:
    """Everything a request or command needs; built lazily so cheap commands stay cheap."""

    settings: Settings = field(default_factory=get_settings)
    clock: Clock = field(default_factory=SystemClock)
    policy_path: Path | None = None

    @cached_property
    def db(self) -> Database:
        # start-up time: SQLAlchemy and Alembic load with the first command that opens the store
        from shopguard.platform.db import Database

        return Database.open(self.settings.resolved_database_url())

    @cached_property
    def policy(self) -> CompiledPolicy:
        return load_policy(self.policy_path or self.settings.policy)

    @cached_property
    def enforcement(self) -> EnforcementPolicy:
        # start-up time: as for db (the model is small; its package's store is not)
        from shopguard.enforcement.model import load_enforcement

        return load_enforcement(self.policy_path or self.settings.policy)

    @cached_property
    def privacy(self) -> PrivacyPolicy:
        # start-up time: as for enforcement
        from shopguard.privacy.model import load_privacy

        return load_privacy(self.policy_path or self.settings.policy)

    @cached_property
    def authenticator(self) -> Authenticator:
        # start-up time: as for db
        from shopguard.platform.auth import Authenticator

        return Authenticator(self.db, cache_seconds=self.settings.key_cache_seconds)

    @cached_property
    def writer(self) -> DecisionWriter:
        # start-up time: as for db
        from shopguard.screening.writer import DecisionWriter

        return DecisionWriter(self.db)

    @cached_property
    def keyring(self) -> Keyring:
        """The vault's master keyring; a notice (a key file was just created) goes to the log."""
        # start-up time: the keyring brings the cryptography package
        from shopguard.privacy.keyring import load_keyring

        ring, notice = load_keyring(self.settings)
        if notice:
            logging.getLogger("shopguard.vault").warning("%s", notice)
        return ring

    @cached_property
    def metrics(self) -> Mapping[str, Metric]:
        return load_metrics()


if TYPE_CHECKING:
    # mypy proves here that the runtime gives the widest capability context (privacy's, which
    # includes enforcement's, screening's and the platform's) everything it asks for.
    def _satisfies(rt: Runtime) -> PrivacyContext:
        return rt
