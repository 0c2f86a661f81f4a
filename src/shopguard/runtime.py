"""The composition root: settings, database, policy, clock and authenticator wired once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from shopguard.platform.clock import Clock, SystemClock
from shopguard.platform.config import Settings, get_settings
from shopguard.screening.engine import CompiledPolicy, compile_policy
from shopguard.screening.policy import load_pack

if TYPE_CHECKING:  # the database stack (SQLAlchemy, Alembic) loads only when a command needs it
    from shopguard.enforcement.model import EnforcementPolicy
    from shopguard.platform.auth import Authenticator
    from shopguard.platform.db import Database
    from shopguard.privacy.keyring import Keyring
    from shopguard.privacy.model import PrivacyPolicy
    from shopguard.screening.writer import DecisionWriter


def load_policy(path: Path | str) -> CompiledPolicy:
    """Load, validate and compile a policy pack folder."""
    return compile_policy(load_pack(path))


@dataclass
class Runtime:
    """Everything a request or command needs; built lazily so cheap commands stay cheap."""

    settings: Settings = field(default_factory=get_settings)
    clock: Clock = field(default_factory=SystemClock)
    policy_path: Path | None = None

    @cached_property
    def db(self) -> Database:
        from shopguard.platform.db import Database

        return Database.open(self.settings.resolved_database_url())

    @cached_property
    def policy(self) -> CompiledPolicy:
        return load_policy(self.policy_path or self.settings.policy)

    @cached_property
    def enforcement(self) -> EnforcementPolicy:
        from shopguard.enforcement.model import load_enforcement

        return load_enforcement(self.policy_path or self.settings.policy)

    @cached_property
    def privacy(self) -> PrivacyPolicy:
        from shopguard.privacy.model import load_privacy

        return load_privacy(self.policy_path or self.settings.policy)

    @cached_property
    def authenticator(self) -> Authenticator:
        from shopguard.platform.auth import Authenticator

        return Authenticator(self.db, cache_seconds=self.settings.key_cache_seconds)

    @cached_property
    def writer(self) -> DecisionWriter:
        from shopguard.screening.writer import DecisionWriter

        return DecisionWriter(self.db)

    @cached_property
    def keyring(self) -> Keyring:
        """The vault's master keyring; a notice (a key file was just created) goes to the log."""
        import logging

        from shopguard.privacy.keyring import load_keyring

        ring, notice = load_keyring(self.settings)
        if notice:
            logging.getLogger("shopguard.vault").warning("%s", notice)
        return ring
