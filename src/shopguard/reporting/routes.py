"""HTTP routes of the yearly figures (thin: check the role, compute, render)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from shopguard.interface.http import app_runtime, current_principal, json_response
from shopguard.platform.auth import Principal, Role, require_role
from shopguard.platform.context import PlatformContext
from shopguard.platform.errors import InvalidInput
from shopguard.platform.metrics import Period, compute

# Under enforcement's tag, where the figures were first served: the API's shape is unchanged.
router = APIRouter(prefix="/v1", tags=["enforcement"])
Caller = Annotated[Principal, Depends(current_principal)]


@router.get("/metrics", summary="Every named figure for one calendar year, with its definition")
def figures(request: Request, principal: Caller, year: int) -> Response:
    require_role(principal, Role.ADMIN, Role.REVIEWER)
    if not 1970 <= year <= 9999:
        raise InvalidInput("year: expected a calendar year")
    rt: PlatformContext = app_runtime(request)
    with rt.db.engine.connect() as conn:
        return json_response(
            {"year": year, "metrics": compute(conn, Period.year(year), catalog=rt.metrics)}
        )
