"""Request-level helpers shared by every router: the runtime and the calling principal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from shopguard.platform.auth import Principal

if TYPE_CHECKING:
    from shopguard.runtime import Runtime


def runtime_of(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def current_principal(request: Request) -> Principal:
    """The principal behind `Authorization: Bearer KEY`, or Unauthenticated (401)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    return runtime_of(request).authenticator.authenticate(token or None)
