"""Imports every capability's tables so migrations and tests see the whole schema."""

from shopguard.enforcement import store as enforcement_store  # noqa: F401
from shopguard.platform import audit, auth_store  # noqa: F401
from shopguard.platform.meta import metadata
from shopguard.screening import store as screening_store  # noqa: F401
from shopguard.simulation import store as simulation_store  # noqa: F401

__all__ = ["metadata"]
