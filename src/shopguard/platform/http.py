"""Request-level helpers shared by every router: the runtime and the calling principal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from shopguard.platform.auth import Principal

if TYPE_CHECKING:
    from shopguard.runtime import Runtime


def json_response(body: Any, status: int = 200) -> Response:
    """A JSON body serialised with orjson (the routes' one way to answer)."""
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def runtime_of(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


async def current_principal(request: Request) -> Principal:
    """The principal behind `Authorization: Bearer KEY`, or Unauthenticated (401).

    Cached keys are answered on the event loop; a lookup goes to a worker thread."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    key = token.strip() if scheme.lower() == "bearer" else ""
    authenticator = runtime_of(request).authenticator
    cached = authenticator.cached(key)
    if cached is not None:
        return cached
    return await run_in_threadpool(authenticator.authenticate, key or None)
