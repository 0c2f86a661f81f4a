"""The one place that reads the environment (SHOPGUARD_* variables)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_policy_dir() -> Path:
    """The bundled default pack: `policies/cn-default` next to the package or installed with it."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "policies" / "cn-default"
        if candidate.is_dir():
            return candidate
    return here.parent.parent / "policies" / "cn-default"


class Settings(BaseSettings):
    """Runtime configuration; every field maps to a SHOPGUARD_<NAME> environment variable."""

    model_config = SettingsConfigDict(env_prefix="SHOPGUARD_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path.cwd() / "data")
    database_url: str | None = None
    policy: Path = Field(default_factory=_default_policy_dir)
    key_cache_seconds: float = 5.0
    # "production" refuses to start without a master key; "development" (the embedded default)
    # creates a key file in the data folder when none is given.
    env: Literal["development", "production"] = "development"
    master_key: str | None = Field(default=None, repr=False)  # base64 keyring, see privacy.keyring
    master_key_file: Path | None = None  # default: <data_dir>/vault.key

    def resolved_master_key_file(self) -> Path:
        """Where the personal-data vault's keyring lives when it is not in the environment."""
        return self.master_key_file or self.data_dir / "vault.key"

    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'shopguard.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process."""
    return Settings()
