"""The error tree. Every error has a stable `code`; the HTTP edge maps them to problem+json.

ShopguardError
 ├── InvalidInput      (422) bad data from a caller; carries the offending fields
 │    └── MalformedInput (400) not even parseable (broken JSON)
 ├── Unauthenticated   (401) missing, unknown or revoked API key
 ├── Forbidden         (403) the role may not do this
 ├── NotFound          (404)
 ├── Conflict          (409)
 └── PolicyError       (500 at run time; exit 2 at load) a broken policy pack
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
class PolicyError(ShopguardError):
    """A policy pack that cannot be loaded; `detail` names the file and rule."""

    code: str = "policy_error"
    status: int = 500
    title: str = "Policy pack error"
