"""Structured logs: one JSON object a line, carrying the current request or event id."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from ticketing_common.asgi import HttpMiddleware

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
event_id_var: ContextVar[str | None] = ContextVar("event_id", default=None)

_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}
# A caller's request id is kept only if it looks like one (a UUID, a hex or base64url
# token): anything longer or with other characters is replaced, never echoed or logged.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Probes are not logged: they would drown the requests.
_QUIET_PATHS = frozenset({"/healthz", "/readyz"})
_access = logging.getLogger("access")


def request_id_of(header: str | None) -> str:
    """The caller's `X-Request-Id` when it is a plausible id, else a new one."""
    if header and _REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if request_id := request_id_var.get():
            entry["requestId"] = request_id
        if event_id := event_id_var.get():
            entry["eventId"] = event_id
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(service: str, level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    # Added, not replacing: a test runner's capture handlers stay in place.
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # Request lines are logged by the middleware below, with the request id.
    logging.getLogger("uvicorn.access").disabled = True


@contextlib.contextmanager
def event_context(event_id: str) -> Iterator[None]:
    token = event_id_var.set(event_id)
    try:
        yield
    finally:
        event_id_var.reset(token)


class RequestLogging(HttpMiddleware):
    """A request id for the request's logs, echoed as `X-Request-Id`, and one access
    line when the answer starts (a stream is logged when it opens)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        header = Headers(scope=scope).get("x-request-id")
        request_id = request_id_of(header)
        path = scope["path"]

        async def logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-Id"] = request_id
                if path not in _QUIET_PATHS:
                    _access.info(
                        "request",
                        extra={
                            "method": scope["method"],
                            "path": path,
                            "status": message["status"],
                        },
                    )
            await send(message)

        token = request_id_var.set(request_id)
        try:
            await self.app(scope, receive, logged)
        finally:
            request_id_var.reset(token)
