"""Every error leaves a service as {"errors": [{"message", "field"?}]} with a 4xx/5xx status."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field
from pymongo.errors import ServerSelectionTimeoutError

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
from ticketing_common.errors import install_error_handlers, status_of

pytestmark = pytest.mark.asyncio(loop_scope="session")


class Venue(BaseModel):
    name: str = Field(min_length=1)


class Body(BaseModel):
    title: str = Field(min_length=1)
    venue: Venue


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, str]:
        if body.title == "taken":
            raise RuleViolation("Title in use", "title")
        return {"title": body.title}

    @app.get("/things/{thing_id}")
    async def show(thing_id: str) -> dict[str, str]:
        raise NotFound()

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail")

    return app


async def _call(method: str, path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, path, **kwargs)  # type: ignore[arg-type]


async def test_validation_error_names_the_nested_field() -> None:
    response = await _call("POST", "/things", json={"title": "x", "venue": {"name": ""}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "venue.name"


async def test_malformed_json_is_a_400_in_the_error_shape() -> None:
    response = await _call(
        "POST", "/things", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


async def test_app_error_carries_message_and_field() -> None:
    response = await _call("POST", "/things", json={"title": "taken", "venue": {"name": "Hall"}})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Title in use", "field": "title"}]}


async def test_not_found_and_unknown_route_share_the_shape() -> None:
    assert (await _call("GET", "/things/1")).json() == {"errors": [{"message": "Not found"}]}
    unknown = await _call("GET", "/nowhere")
    assert unknown.status_code == 404
    assert unknown.json() == {"errors": [{"message": "Not Found"}]}


async def test_unexpected_error_is_a_500_without_internals() -> None:
    response = await _call("GET", "/boom")
    assert response.status_code == 500
    assert "secret" not in response.text
    assert response.json() == {"errors": [{"message": "Something went wrong"}]}


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (RuleViolation("Bad"), 400),
        (NotAuthorized(), 401),
        (PaymentFailed("Declined"), 402),
        (Forbidden(), 403),
        (NotFound(), 404),
        (Conflict("Lost a race"), 409),
        (TooManyRequests("Slow down", retry_after=7), 429),
        (Unavailable(retry_after=2), 503),
    ],
)
async def test_each_kind_of_domain_error_has_its_status(error: DomainError, status: int) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/fail")
    async def fail() -> None:
        raise error

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/fail")
    assert response.status_code == status
    assert response.json() == {"errors": [{"message": error.message}]}
    if error.retry_after is not None:
        assert response.headers["retry-after"] == str(error.retry_after)
    else:
        assert "retry-after" not in response.headers


class _OutOfStock(Conflict):
    """A service's own kind inherits its status from the common one."""


async def test_a_subclass_takes_the_status_of_its_kind() -> None:
    assert status_of(_OutOfStock("Sold out")) == 409


async def test_an_unreachable_database_is_503_with_retry_after() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/orders")
    async def orders() -> None:
        raise ServerSelectionTimeoutError("127.0.0.1:27017: connection refused")

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/orders")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.json() == {"errors": [{"message": "Service temporarily unavailable"}]}
