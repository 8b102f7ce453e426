"""The client's only way to the API: the gateway, with the browser's cookie forwarded.

One `httpx.AsyncClient` is shared by every request, so it must never remember a
cookie: a session set for one user would otherwise be sent for the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.cookiejar import Cookie, CookieJar
from typing import Any
from urllib.parse import quote
from urllib.request import Request as UrllibRequest

import httpx
from fastapi import Request

from ticketing_common.config import Network
from ticketing_common.logs import request_id_var
from ticketing_common.proxies import came_over_https, client_address

log = logging.getLogger(__name__)

# The gateway answers these when the service behind a route is not running.
_UNAVAILABLE_STATUSES = {502, 503, 504}


class ServiceUnavailable(Exception):
    """The API part behind `path` cannot be reached right now."""

    def __init__(self, path: str) -> None:
        super().__init__(f"API unavailable: {path}")
        self.path = path


class _ForgetfulJar(CookieJar):
    """A cookie jar that stores nothing (cookies are relayed by hand, per request)."""

    def extract_cookies(self, response: Any, request: UrllibRequest) -> None:
        return None

    def set_cookie(self, cookie: Cookie) -> None:
        return None


@dataclass
class ApiError:
    message: str
    field: str | None = None


@dataclass
class ApiResponse:
    status: int
    body: Any
    headers: httpx.Headers
    set_cookies: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def errors(self) -> list[ApiError]:
        """The API's {"errors": [{"message", "field"?}]}, or one generic error."""
        raw = self.body.get("errors") if isinstance(self.body, dict) else None
        if isinstance(raw, list) and raw:
            return [
                ApiError(str(e.get("message", "Something went wrong")), e.get("field") or None)
                for e in raw
                if isinstance(e, dict)
            ]
        return [ApiError(f"Request failed ({self.status})")]


def create_http_client(base_url: str, timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url, timeout=timeout, cookies=httpx.Cookies(_ForgetfulJar())
    )


class Gateway:
    """Calls the API on behalf of the browser request that is being served.

    The API learns the browser's address and scheme as the trusted proxies in front of
    this client vouch for them (sign-in throttling counts per client address); the
    gateway must trust this client as a proxy to pass them on.
    """

    def __init__(self, http: httpx.AsyncClient, trusted_proxies: Sequence[Network] = ()) -> None:
        self.http = http
        self.trusted_proxies = tuple(trusted_proxies)

    def _forwarded(self, request: Request) -> dict[str, str]:
        https = came_over_https(request, self.trusted_proxies)
        return {
            "x-forwarded-for": client_address(request, self.trusted_proxies),
            "x-forwarded-proto": "https" if https else "http",
        }

    async def call(
        self,
        method: str,
        path: str,
        request: Request,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> ApiResponse:
        headers = {"accept": "application/json", **self._forwarded(request)}
        if cookie := request.headers.get("cookie"):
            headers["cookie"] = cookie
        if request_id := request_id_var.get():
            headers["x-request-id"] = request_id
        clean_params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        try:
            response = await self.http.request(
                method, path, params=clean_params, json=json, headers=headers
            )
        except httpx.TransportError as exc:
            log.warning("API unreachable", extra={"path": path, "error": repr(exc)})
            raise ServiceUnavailable(path) from exc
        if response.status_code in _UNAVAILABLE_STATUSES:
            raise ServiceUnavailable(path)
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        return ApiResponse(
            response.status_code,
            body,
            response.headers,
            response.headers.get_list("set-cookie"),
        )

    async def get(self, path: str, request: Request, **params: Any) -> ApiResponse:
        return await self.call("GET", path, request, params=params)


def api_path(template: str, *ids: str) -> str:
    """`api_path("/api/orders/{}", order_id)` with the id escaped, so it stays one segment."""
    return template.format(*(quote(i, safe="") for i in ids))
