"""Sign up, sign in and sign out: the client posts to auth and relays its cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from client.cookies import clear_session, for_browser
from client.forms import NO_ERRORS, FormErrors
from client.gateway import ServiceUnavailable
from client.web import GatewayDep, form_fields, redirect, render, safe_next

router = APIRouter(tags=["account"])

_FIELDS = ("email", "password")


def _form(request: Request, page: str, errors: FormErrors, status: int, **values: str) -> Response:
    return render(
        request,
        "account.html",
        None,
        status_code=status,
        page=page,
        errors=errors,
        email=values.get("email", ""),
        next=safe_next(values.get("next")),
    )


@router.get("/signup")
async def signup_page(request: Request, next: str | None = None) -> Response:
    return _form(request, "signup", NO_ERRORS, 200, next=next or "/")


@router.get("/signin")
async def signin_page(request: Request, next: str | None = None) -> Response:
    return _form(request, "signin", NO_ERRORS, 200, next=next or "/")


async def _authenticate(request: Request, gateway: GatewayDep, page: str) -> Response:
    form = await form_fields(request)
    credentials = {"email": form.get("email", ""), "password": form.get("password", "")}
    try:
        api = await gateway.call("POST", f"/api/users/{page}", request, json=credentials)
    except ServiceUnavailable:
        errors = FormErrors.single("Sign-in is unavailable right now, try again shortly")
        return _form(request, page, errors, 503, **form)
    if not api.ok:
        return _form(request, page, FormErrors.of_api(api.errors, _FIELDS), api.status, **form)
    return redirect(safe_next(form.get("next")), for_browser(request, api.set_cookies))


@router.post("/signup")
async def signup(request: Request, gateway: GatewayDep) -> Response:
    return await _authenticate(request, gateway, "signup")


@router.post("/signin")
async def signin(request: Request, gateway: GatewayDep) -> Response:
    return await _authenticate(request, gateway, "signin")


@router.post("/signout")
async def signout(request: Request, gateway: GatewayDep) -> Response:
    try:
        api = await gateway.call("POST", "/api/users/signout", request)
        cookies = api.set_cookies
    except ServiceUnavailable:
        cookies = []
    response = redirect("/", for_browser(request, cookies))
    if not cookies:
        # Auth is down: clear the session cookie ourselves so signing out still works.
        clear_session(request, response)
    return response
