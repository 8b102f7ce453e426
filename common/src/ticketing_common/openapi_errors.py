"""The OpenAPI document states the error answers every service really gives.

FastAPI documents bad input as 422 `HTTPValidationError`; our services answer 400 with
`{"errors": [{"message", "field"}]}`. This rewrites each operation once, from what its
route declares: input (query, path, header or cookie parameters, or a method that
carries a body) can be 400; a body can be 413; a session dependency can be 401; an
object named by the path, the body or a required query parameter can be 404 and, for a
signed-in caller, 403; a
signed-in change can lose a race (409). Any status a route lists itself (429 on a
throttled route, 402 on a payment) gets the error schema too. Every operation but the
health checks can be 503 (a database out of reach).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.routing import BaseRoute

from ticketing_common.auth import current_session

ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}
ERROR_SCHEMAS: dict[str, Any] = {
    "ErrorItem": {
        "type": "object",
        "required": ["message"],
        "properties": {"message": {"type": "string"}, "field": {"type": "string"}},
    },
    "ErrorResponse": {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/components/schemas/ErrorItem"},
            }
        },
    },
}
DESCRIPTIONS = {
    400: "Bad input: each error names its field; or a business rule refused it",
    401: "Not signed in, or the session has ended",
    402: "The payment was refused",
    403: "Signed in, but not allowed to touch this object",
    404: "Not found (someone else's objects are not found either)",
    409: "Lost a race, or contradicts the current state",
    413: "Request body too large",
    429: "Too many attempts; Retry-After says when to try again",
    503: "Briefly unavailable; Retry-After says when to try again",
}
BODY_METHODS = {"POST", "PUT", "PATCH"}
CHANGE_METHODS = BODY_METHODS | {"DELETE"}
HEALTH_PATHS = {"/healthz", "/readyz"}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that can also answer `statuses` (e.g. 429 when throttled)."""
    return {status: {"description": DESCRIPTIONS.get(status, "Error")} for status in statuses}


def _needs_session(dependant: Dependant) -> bool:
    return dependant.call is current_session or any(
        _needs_session(sub) for sub in dependant.dependencies
    )


def statuses_of(route: RouteContext, method: str) -> set[int]:
    """The error statuses a route (as included, prefix and all) can answer."""
    if route.path_format in HEALTH_PATHS:
        return set()
    params = get_flat_params(route.dependant)
    body = route.body_field is not None or method in BODY_METHODS
    # An object is named by the path, the body, or a query parameter it cannot do without.
    required_query = any(param.field_info.is_required() for param in route.dependant.query_params)
    names_object = bool(route.dependant.path_params) or route.body_field is not None
    names_object = names_object or required_query
    statuses = {503}
    if params or body:
        statuses.add(400)
    if body:
        statuses.add(413)
    if names_object:
        statuses.add(404)
    if _needs_session(route.dependant):
        statuses.add(401)
        if names_object:
            statuses.add(403)
        if method in CHANGE_METHODS:
            statuses.add(409)
    return statuses


def _operations(routes: Sequence[BaseRoute]) -> Iterator[tuple[RouteContext, str]]:
    # Included routers stay nested in the app's routes: walk them as FastAPI's own
    # document builder does.
    for route in iter_route_contexts(routes):
        if isinstance(route.original_route, APIRoute) and route.include_in_schema:
            for method in sorted(route.methods or ()):
                yield route, method


def document_errors(schema: dict[str, Any], routes: Sequence[BaseRoute]) -> None:
    """Rewrite `schema` in place: 422 becomes 400 and every error status gets its shape."""
    for route, method in _operations(routes):
        operation = schema.get("paths", {}).get(route.path_format, {}).get(method.lower())
        if operation is None:
            continue
        responses = operation.setdefault("responses", {})
        responses.pop("422", None)
        declared = {int(code) for code in responses if str(code).isdigit() and int(code) >= 400}
        for status in sorted(statuses_of(route, method) | declared):
            entry = responses.setdefault(str(status), {})
            entry.setdefault("description", DESCRIPTIONS.get(status, "Error"))
            entry["content"] = {"application/json": {"schema": ERROR_REF}}
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas.update(ERROR_SCHEMAS)


def install_error_docs(app: FastAPI) -> None:
    """Make `app.openapi()` return the document with the real error answers."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document_errors(build(), app.routes)
        return build()

    app.openapi = openapi  # type: ignore[method-assign]
