"""Imports every capability's tables so migrations and tests see the whole schema."""

from shopguard.enforcement import store as enforcement_store  # noqa: F401
from shopguard.platform import audit, auth_store  # noqa: F401
from shopguard.platform.meta import metadata
from shopguard.privacy import store as privacy_store  # noqa: F401
from shopguard.privacy import vault  # noqa: F401
from shopguard.screening import store as screening_store  # noqa: F401
from shopguard.simulation import store as simulation_store  # noqa: F401

__all__ = ["metadata"]
