"""Liveness and readiness; ready means the gateway answers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from client.web import GatewayDep

router = APIRouter(tags=["health"])

# A path the gateway routes to auth: asking for "/" would route back to this client.
_PROBE_PATH = "/api/users/currentuser"


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(gateway: GatewayDep) -> JSONResponse:
    try:
        # Any HTTP answer, even a 502 for a stopped service, proves the gateway is up.
        await gateway.http.get(_PROBE_PATH, timeout=2.0)
        reachable = True
    except Exception:
        reachable = False
    return JSONResponse(
        {"ready": reachable, "gateway": reachable}, status_code=200 if reachable else 503
    )
