"""Rendering: the Jinja environment (autoescaped), the shared gateway and the current user."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from client import formatting
from client.gateway import Gateway, ServiceUnavailable
from client.payment_form import is_test_key

_HERE = Path(__file__).parent
STATIC_DIR = _HERE / "static"

# Autoescape on for every template: all user content (names, titles, errors) is escaped.
_env = Environment(loader=FileSystemLoader(_HERE / "templates"), autoescape=True)
_env.filters["money"] = formatting.money
_env.filters["datetime"] = formatting.format_datetime
_env.filters["countdown"] = formatting.format_countdown
_env.globals["seconds_left"] = formatting.seconds_left
_env.tests["stripe_test_key"] = is_test_key
templates = Jinja2Templates(env=_env)


async def get_gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


async def current_user(request: Request, gateway: GatewayDep) -> dict[str, Any] | None:
    """The signed-in user as the auth service sees it; signed out when auth is down."""
    if not request.cookies:
        return None
    try:
        response = await gateway.get("/api/users/currentuser", request)
    except ServiceUnavailable:
        return None
    user = response.body.get("currentUser") if isinstance(response.body, dict) else None
    return user if isinstance(user, dict) else None


UserDep = Annotated[dict[str, Any] | None, Depends(current_user)]


def render(
    request: Request,
    name: str,
    user: dict[str, Any] | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, {"user": user, **context}, status_code=status_code
    )


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: "/orders" yes, "//evil.example" or "https://..." no."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default


def redirect(url: str, set_cookies: list[str] | None = None) -> RedirectResponse:
    """A 303 (POST -> GET), relaying the API's Set-Cookie headers unchanged to the browser."""
    response = RedirectResponse(url, status_code=303)
    for cookie in set_cookies or []:
        response.headers.append("set-cookie", cookie)
    return response


def sign_in_first(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/signin?{urlencode({'next': target})}", status_code=303)


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form as stripped strings (repeated names: see `form_lists`)."""
    form = await request.form()
    return {key: value.strip() for key, value in form.items() if isinstance(value, str)}


async def form_lists(request: Request, *names: str) -> dict[str, list[str]]:
    form = await request.form()
    return {name: [v.strip() for v in form.getlist(name) if isinstance(v, str)] for name in names}
