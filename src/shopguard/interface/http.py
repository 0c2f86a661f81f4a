"""The HTTP edge every router shares: the calling principal, the runtime, JSON answers."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from shopguard.platform.auth import Principal
from shopguard.platform.context import PlatformContext


def json_response(body: Any, status: int = 200) -> Response:
    """A JSON body serialised with orjson (the routes' one way to answer)."""
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def app_runtime(request: Request) -> Any:
    """The runtime the composition root (api.py) put on the app. A capability's routes read it
    through their own context protocol (`runtime_of` in each routes module)."""
    return request.app.state.runtime


async def current_principal(request: Request) -> Principal:
    """The principal behind `Authorization: Bearer KEY`, or Unauthenticated (401).

    Cached keys are answered on the event loop; a lookup goes to a worker thread."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    key = token.strip() if scheme.lower() == "bearer" else ""
    rt: PlatformContext = app_runtime(request)
    authenticator = rt.authenticator
    cached = authenticator.cached(key)
    if cached is not None:
        return cached
    return await run_in_threadpool(authenticator.authenticate, key or None)
