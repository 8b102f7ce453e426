"""Size limits on what a request may send, answered in the error shape.

Headers over `max_header_bytes` are 431; a body over `max_body_bytes` is 413, refused
before it is read when `Content-Length` announces it, or as soon as a chunked body
passes the limit. A body left unread is not worth draining, so that answer closes the
connection (`Connection: close` tells the client, or the gateway, not to reuse it).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ticketing_common.asgi import HttpMiddleware
from ticketing_common.errors import error_body

BODY_TOO_LARGE = "Request body too large"
HEADERS_TOO_LARGE = "Request headers too large"


class RequestTooLarge(HTTPException):
    """Raised while a body is read past its limit; rendered by the HTTP error handler."""

    def __init__(self) -> None:
        super().__init__(413, BODY_TOO_LARGE, headers={"Connection": "close"})


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length before we run
    return None


def _header_bytes(scope: Scope) -> int:
    # As on the wire: "name: value\r\n" per header.
    return sum(len(name) + len(value) + 4 for name, value in scope["headers"])


class RequestLimits(HttpMiddleware):
    """Enforcing the header and body limits of one app."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_header_bytes: int) -> None:
        super().__init__(app)
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _header_bytes(scope) > self.max_header_bytes:
            await _refuse(scope, receive, send, 431, HEADERS_TOO_LARGE)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await _refuse(scope, receive, send, 413, BODY_TOO_LARGE)
            return
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise RequestTooLarge()
            return message

        return counted


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    response = JSONResponse(
        error_body(message), status_code=status, headers={"Connection": "close"}
    )
    await response(scope, receive, send)
