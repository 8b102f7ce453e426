"""The one error shape of every service: {"errors": [{"message", "field"?}]}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class AppError(Exception):
    """An error a route raises on purpose; rendered with its status and message."""

    status_code = 400

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.headers = headers

    def serialize(self) -> list[dict[str, str]]:
        error = {"message": self.message}
        if self.field:
            error["field"] = self.field
        return [error]


class BadRequest(AppError):
    status_code = 400


class NotAuthorized(AppError):
    status_code = 401

    def __init__(self, message: str = "Not authorized") -> None:
        super().__init__(message)


class Forbidden(AppError):
    status_code = 403

    def __init__(self, message: str = "Forbidden") -> None:
        super().__init__(message)


class NotFound(AppError):
    status_code = 404

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)


class Conflict(AppError):
    status_code = 409


class PaymentFailed(AppError):
    status_code = 402


class TooManyRequests(AppError):
    status_code = 429


def error_body(message: str, field: str | None = None) -> dict[str, list[dict[str, str]]]:
    error = {"message": message}
    if field:
        error["field"] = field
    return {"errors": [error]}


def _field_of(loc: tuple[int | str, ...]) -> str | None:
    # ("body", "venue", "name") -> "venue.name"; the location kind is not part of the field.
    parts = [str(p) for p in loc[1:]] if loc and loc[0] in {"body", "query", "path"} else []
    return ".".join(parts) or (str(loc[-1]) if loc else None)


async def _app_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return JSONResponse(
        {"errors": exc.serialize()}, status_code=exc.status_code, headers=exc.headers
    )


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        message = str(err.get("msg", "Invalid value")).removeprefix("Value error, ")
        field = _field_of(tuple(err.get("loc", ())))
        errors.append({"message": message, "field": field} if field else {"message": message})
    return JSONResponse({"errors": errors}, status_code=400)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse(
        error_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    return JSONResponse(error_body("Something went wrong"), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
