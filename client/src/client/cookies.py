"""The session cookie as the browser gets it from this client.

Auth sets the cookie on the client's own call to the API, which may be plain http
inside the deployment although the browser used https: the client makes a relayed
cookie Secure itself whenever `COOKIE_SECURE` (or, unset, the browser's scheme) says so.
"""

from __future__ import annotations

from fastapi import Request, Response

from client.config import ClientSettings
from ticketing_common.proxies import wants_secure_cookie
from ticketing_common.wiring import settings_of


def _secure(request: Request) -> bool:
    settings = settings_of(request, ClientSettings)
    return wants_secure_cookie(request, settings.cookie_secure, settings.trusted_proxies)


def _has_secure(cookie: str) -> bool:
    return any(part.strip().lower() == "secure" for part in cookie.split(";")[1:])


def for_browser(request: Request, set_cookies: list[str]) -> list[str]:
    """The API's Set-Cookie values, each made Secure where the browser's cookie must be."""
    if not _secure(request):
        return set_cookies
    return [cookie if _has_secure(cookie) else f"{cookie}; Secure" for cookie in set_cookies]


def clear_session(request: Request, response: Response) -> None:
    """Clear the session cookie with the attributes auth set it with."""
    response.delete_cookie(
        settings_of(request, ClientSettings).cookie_name,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
