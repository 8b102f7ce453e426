"""The one error shape of every service: {"errors": [{"message", "field"?}]}.

One handler renders every `DomainError` with the status of its kind; validation
errors are 400 with a sentence naming the field and the field's path; a database that
cannot be reached is 503 with `Retry-After`, never 500. An error nothing else handled is
a 500 in the error shape that leaves the connection usable (`ContainUnexpectedErrors`).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from ticketing_common.asgi import HttpMiddleware
from ticketing_common.domain_errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotAuthorized,
    NotFound,
    PaymentFailed,
    RuleViolation,
    TooManyRequests,
    Unavailable,
)
from ticketing_common.validation_messages import human_message

log = logging.getLogger(__name__)
# How long a client is told to wait when the database cannot be reached.
DATABASE_RETRY_AFTER_SECONDS = 2


# Each kind of domain error and the status it is answered with.
STATUS_OF: dict[type[DomainError], int] = {
    RuleViolation: 400,
    NotAuthorized: 401,
    PaymentFailed: 402,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooManyRequests: 429,
    Unavailable: 503,
}


def status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_OF:
            return STATUS_OF[kind]
    return 400


def error_body(message: str, field: str | None = None) -> dict[str, list[dict[str, str]]]:
    error = {"message": message}
    if field:
        error["field"] = field
    return {"errors": [error]}


def _field_of(loc: tuple[int | str, ...]) -> str | None:
    # ("body", "venue", "name") -> "venue.name"; the location kind is not part of the field.
    parts = [str(p) for p in loc[1:]] if loc and loc[0] in {"body", "query", "path"} else []
    return ".".join(parts) or (str(loc[-1]) if loc else None)


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return JSONResponse(
        error_body(exc.message, exc.field), status_code=status_of(exc), headers=headers
    )


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        message = human_message(err)
        field = _field_of(tuple(err.get("loc", ())))
        errors.append({"message": message, "field": field} if field else {"message": message})
    return JSONResponse({"errors": errors}, status_code=400)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse(
        error_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


async def _database_unreachable(request: Request, exc: Exception) -> JSONResponse:
    # The database is restarting or out of reach: a moment's wait, not a server fault.
    log.warning("database unreachable", extra={"path": request.url.path, "error": str(exc)})
    return await _domain_error(request, Unavailable(retry_after=DATABASE_RETRY_AFTER_SECONDS))


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    return JSONResponse(error_body("Something went wrong"), status_code=500)


class ContainUnexpectedErrors(HttpMiddleware):
    """ASGI middleware: an unhandled error becomes a 500 in the error shape, and stops here.

    Starlette's outermost handler re-raises after answering, and uvicorn then closes
    the connection, so the next request on it (through the gateway: a 502) failed too.
    Caught here, the exchange ends normally and the connection stays usable. An error
    after the response has begun cannot be answered and is passed on.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            if started:
                raise
            log.exception("unhandled error", extra={"path": scope.get("path")})
            response = JSONResponse(error_body("Something went wrong"), status_code=500)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ConnectionFailure, _database_unreachable)
    app.add_exception_handler(Exception, _unexpected_error)
