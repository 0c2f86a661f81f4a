"""The error tree. Every error has a stable `code`; the HTTP edge maps them to problem+json.

ShopguardError
 ├── InvalidInput      (422) bad data from a caller; carries the offending fields
 │    └── MalformedInput (400) not even parseable (broken JSON)
 ├── Unauthenticated   (401) missing, unknown or revoked API key
 ├── Forbidden         (403) the role may not do this
 ├── NotFound          (404)
 ├── Conflict          (409)
 ├── Gone              (410) existed once, no longer usable (an expired privacy number)
 ├── RateLimited       (429) too many of one thing too fast
 ├── PolicyError       (500 at run time; exit 2 at load) a broken policy pack
 ├── ConfigError       (500) the environment or a configured file is unusable (e.g. no master key)
 └── VaultError        (500) the personal-data vault cannot do it: unknown key, altered record
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One offending field: where it is (`loc`) and what is wrong with it."""

    loc: str
    msg: str
    line: int | None = None


@dataclass
class ShopguardError(Exception):
    """Base of every error shopguard raises on purpose."""

    detail: str
    errors: list[FieldError] = field(default_factory=list)
    code: str = "error"
    status: int = 500
    title: str = "Internal error"

    def __str__(self) -> str:
        return self.detail


@dataclass
class InvalidInput(ShopguardError):
    code: str = "invalid_input"
    status: int = 422
    title: str = "Invalid input"


@dataclass
class MalformedInput(InvalidInput):
    code: str = "malformed_json"
    status: int = 400
    title: str = "Malformed JSON"


@dataclass
class Unauthenticated(ShopguardError):
    code: str = "unauthenticated"
    status: int = 401
    title: str = "Unauthenticated"


@dataclass
class Forbidden(ShopguardError):
    code: str = "forbidden"
    status: int = 403
    title: str = "Forbidden"


@dataclass
class NotFound(ShopguardError):
    code: str = "not_found"
    status: int = 404
    title: str = "Not found"


@dataclass
class Conflict(ShopguardError):
    code: str = "conflict"
    status: int = 409
    title: str = "Conflict"


@dataclass
class Gone(ShopguardError):
    code: str = "gone"
    status: int = 410
    title: str = "Gone"


@dataclass
class RateLimited(ShopguardError):
    code: str = "rate_limited"
    status: int = 429
    title: str = "Too many requests"


@dataclass
class PolicyError(ShopguardError):
    """A policy pack that cannot be loaded; `detail` names the file and rule."""

    code: str = "policy_error"
    status: int = 500
    title: str = "Policy pack error"


@dataclass
class ConfigError(ShopguardError):
    """The configuration cannot work (e.g. production without a master key); `detail` names the
    setting or file, never a secret value."""

    code: str = "config_error"
    status: int = 500
    title: str = "Configuration error"


@dataclass
class VaultError(ShopguardError):
    """The personal-data vault refused: a key it does not have, a record that fails
    authentication, a rotation it cannot perform. Never carries key material or personal data."""

    code: str = "vault_error"
    status: int = 500
    title: str = "Personal-data vault error"
