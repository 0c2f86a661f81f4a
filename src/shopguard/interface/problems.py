"""RFC 9457 problem+json: the one place errors become HTTP responses."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from shopguard.platform.errors import ShopguardError
from shopguard.text.pii import mask_text

log = logging.getLogger("shopguard.http")
PROBLEM = "application/problem+json"
TYPE_BASE = "https://shopguard.dev/problems/"


def problem(status: int, title: str, detail: str, code: str, **extra: Any) -> Response:
    body = {"type": TYPE_BASE + code, "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM, headers=headers)


def _validation_errors(exc: RequestValidationError) -> tuple[int, list[dict[str, str]], str]:
    errors = []
    status = 422
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        if loc and loc[0] == "body":
            loc = loc[1:]
        if err.get("type") == "json_invalid":
            status = 400
        # The message only: input values may carry personal data and are never echoed.
        errors.append({"field": ".".join(loc) or "(body)", "message": str(err.get("msg", ""))})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return status, errors, detail


def install(app: FastAPI) -> None:
    """Register problem+json handlers for our errors, validation, HTTP errors and crashes."""

    @app.exception_handler(ShopguardError)
    async def _ours(_: Request, exc: ShopguardError) -> Response:
        # A detail may name what the caller asked for (an id, a code); whatever personal data
        # that carries is masked, as everywhere else outside the vault.
        extra: dict[str, Any] = {}
        if exc.errors:
            extra["errors"] = [{"field": e.loc, "message": mask_text(e.msg)} for e in exc.errors]
        return problem(exc.status, exc.title, mask_text(exc.detail), exc.code, **extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> Response:
        status, errors, detail = _validation_errors(exc)
        title = "Malformed JSON" if status == 400 else "Invalid input"
        code = "malformed_json" if status == 400 else "invalid_input"
        return problem(status, title, detail, code, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> Response:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        return problem(exc.status_code, title, str(exc.detail), f"http_{exc.status_code}")

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> Response:
        # Log the type only: messages of unexpected errors may quote input.
        log.error("unhandled %s", type(exc).__name__)
        return problem(500, "Internal error", "an unexpected error occurred", "internal")
