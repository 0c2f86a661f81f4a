"""Information security's policy: who may reveal personal data and why, how fast, when access
volume becomes suspicious, and how long a privacy number lives. Plain data, validated on load."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from shopguard.platform.policy_files import load_model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Purpose(_Strict):
    """A reason to see a consignee in clear, and the roles that may give it."""

    roles: tuple[str, ...]
    title: str
    title_zh: str


class Window(_Strict):
    """At most `max` personal records reached per principal in `minutes`."""

    minutes: int = Field(gt=0)
    max: int = Field(gt=0)


class Baseline(_Strict):
    """Unusual against the principal's own habit: today's volume above `factor` times its
    daily mean over the last `days` days (counted once it has `min_days` of history), and at
    least `floor` records (small shops' small numbers are not alarming)."""

    days: int = Field(gt=0)
    min_days: int = Field(ge=1)
    factor: float = Field(gt=1)
    floor: int = Field(ge=0)


class Monitor(_Strict):
    """Records reached in clear (reveals, courier calls) are watched in `windows` and against
    the principal's habit; masked export rows, a different risk, in `export_windows`."""

    windows: tuple[Window, ...]
    export_windows: tuple[Window, ...]
    baseline: Baseline
    severity: str = "egregious"
    code: str = "privacy.data_trafficking"


class PrivacyPolicy(_Strict):
    purposes: dict[str, Purpose]
    reveal_rate: Window  # a hard per-principal limit on reveals (HTTP 429 beyond it)
    monitor: Monitor
    privacy_number_days: int = Field(gt=0)  # how long after delivery a privacy number works
    privacy_number_prefix: str = Field(pattern=r"^\d{3,7}$")
    export_max_rows: int = Field(gt=0)


def load_privacy(folder: Path | str) -> PrivacyPolicy:
    """The pack's privacy.yaml, validated (errors name the file and field)."""
    return load_model(Path(folder) / "privacy.yaml", PrivacyPolicy)
