"""The FastAPI application: mounts each capability's router."""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from pydantic.json_schema import models_json_schema

from shopguard import __version__
from shopguard.enforcement.routes import publishing_router
from shopguard.enforcement.routes import router as enforcement_router
from shopguard.interface import problems
from shopguard.platform import audit
from shopguard.privacy.routes import OrderIn
from shopguard.privacy.routes import router as privacy_router
from shopguard.reporting.routes import router as reporting_router
from shopguard.runtime import Runtime
from shopguard.screening.schemas import ItemIn


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """Build the app around `runtime` (a default one reads the environment)."""
    rt = runtime or Runtime()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        rt.writer.close()  # commit what is queued before the process exits

    app = FastAPI(
        lifespan=lifespan,
        title="shopguard",
        version=__version__,
        description="Screening, enforcement and consumer protection for e-commerce marketplaces.",
    )
    app.state.runtime = rt
    problems.install(app)

    @app.get("/v1/health", tags=["platform"], summary="Liveness and the loaded policy version")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__, "policy_version": rt.policy.version}

    app.include_router(publishing_router)
    app.include_router(enforcement_router)
    app.include_router(reporting_router)
    app.include_router(privacy_router)
    _register_schemas(app)
    # Load the policy and open the database before the first request, not during it; a new
    # policy version is a configuration change and goes in the audit log.

    rt.keyring  # noqa: B018 - no master key in production: refuse to start, not fail later
    rt.privacy  # noqa: B018 - the privacy policy is checked at start-up too
    with rt.db.transaction() as conn:
        audit.record_policy(conn, version=rt.policy.version, at=rt.clock.now(), principal="serve")
    # The compiled policy is tens of thousands of long-lived objects; moving them out of the
    # collector's reach keeps full collections (and the latency spikes they cause) short.
    gc.collect()
    gc.freeze()
    # The event loop and the decision writer share the GIL; a short switch interval keeps a
    # writer that has finished its I/O from waiting up to 5 ms behind a busy loop.
    sys.setswitchinterval(0.0005)
    return app


def _register_schemas(app: FastAPI) -> None:
    """Schemas used by routes that validate their own body (see screening.routes.screen)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            _, defs = models_json_schema(
                [(ItemIn, "validation"), (OrderIn, "validation")],
                ref_template="#/components/schemas/{model}",
            )
            spec.setdefault("components", {}).setdefault("schemas", {}).update(
                defs.get("$defs", {})
            )
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
