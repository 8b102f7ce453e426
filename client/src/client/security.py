"""Security headers on every page of the web app.

The pages load only their own scripts and styles (no inline code) and talk only to
their own origin (forms, the availability stream), so the policy allows nothing else
(the checkout page alone adds Stripe.js, whose answer's own policy this keeps);
no page may be framed (clickjacking), types are not sniffed, and another site learns
at most this origin from a link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}


def content_security_policy(extra: Mapping[str, Iterable[str]] | None = None) -> str:
    """The policy above, with `extra` sources added (the checkout's card form: Stripe.js)."""
    directives = {name: list(sources) for name, sources in _POLICY.items()}
    for name, sources in (extra or {}).items():
        directives.setdefault(name, ["'self'"]).extend(sources)
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


CONTENT_SECURITY_POLICY = content_security_policy()
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # frame-ancestors for current browsers, this for older ones.
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        is_http = scope["type"] == "http"
        await self.app(scope, receive, _adding_headers(send) if is_http else send)


def _adding_headers(send: Send) -> Send:
    async def with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in SECURITY_HEADERS.items():
                headers.setdefault(name, value)
        await send(message)

    return with_headers
