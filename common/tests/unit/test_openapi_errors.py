"""The OpenAPI document states the error answers the services really give."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from ticketing_common.auth import CurrentUser, OptionalUser
from ticketing_common.openapi_errors import error_responses, install_error_docs
from ticketing_common.paging import PageDep

router = APIRouter(prefix="/api/things")


class ThingIn(BaseModel):
    title: str


@router.get("")
async def search(page: PageDep, user: OptionalUser) -> list[str]:
    return []


@router.post("", status_code=201)
async def create(body: ThingIn, user: CurrentUser) -> dict[str, str]:
    return {}


@router.get("/{thing_id}")
async def read(thing_id: str) -> dict[str, str]:
    return {}


@router.delete("/{thing_id}")
async def delete(thing_id: str, user: CurrentUser) -> dict[str, str]:
    return {}


@router.post("/login", responses=error_responses(429))
async def login(body: ThingIn) -> dict[str, str]:
    return {}


def _document() -> dict[str, Any]:
    app = FastAPI()
    app.include_router(router)
    install_error_docs(app)
    return app.openapi()


def _statuses(document: dict[str, Any], path: str, method: str) -> set[str]:
    return {code for code in document["paths"][path][method]["responses"] if code >= "400"}


def test_bad_input_is_documented_as_400_in_the_error_shape_never_422() -> None:
    document = _document()
    for operations in document["paths"].values():
        for operation in operations.values():
            assert "422" not in operation["responses"]
    bad = document["paths"]["/api/things"]["post"]["responses"]["400"]
    assert bad["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert schemas["ErrorItem"]["properties"].keys() == {"message", "field"}


def test_each_route_lists_what_it_can_answer() -> None:
    document = _document()
    assert _statuses(document, "/api/things", "get") == {"400", "503"}
    assert _statuses(document, "/api/things", "post") == {
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "503",
    }
    assert _statuses(document, "/api/things/{thing_id}", "get") == {"400", "404", "503"}
    assert _statuses(document, "/api/things/{thing_id}", "delete") == {
        "400",
        "401",
        "403",
        "404",
        "409",
        "503",
    }
    assert "429" in _statuses(document, "/api/things/login", "post")


def test_the_document_is_built_once() -> None:
    app = FastAPI()
    app.include_router(router)
    install_error_docs(app)
    assert app.openapi() is app.openapi()
