"""The shape of the plain ASGI middlewares every app puts in front of its routes.

Plain ASGI rather than Starlette's `BaseHTTPMiddleware`, which runs each request in an
extra task behind memory streams (measured under a flash sale: real CPU per request).
Only HTTP exchanges are handled; anything else (lifespan) passes straight through.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware(ABC):
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One HTTP exchange; pass it on with `self.app(scope, receive, send)`."""
