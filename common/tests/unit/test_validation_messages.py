"""Validation messages are sentences that name their field, and still carry `field`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import httpx
import pytest
from fastapi import FastAPI, Query
from pydantic import AwareDatetime, BaseModel, EmailStr, Field, ValidationError

from ticketing_common.errors import install_error_handlers
from ticketing_common.validation_messages import field_label, human_message


class Seat(BaseModel):
    label: str = Field(min_length=1)


class Listing(BaseModel):
    title: str = Field(min_length=1, max_length=5)
    price: Decimal = Field(gt=0, decimal_places=2)
    starts_at: AwareDatetime | None = None
    email: EmailStr | None = None
    status: Literal["active", "all"] = "active"
    seats: list[Seat] = []
    tags: list[str] = Field(default=[], max_length=2)


def _messages(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        Listing.model_validate(data)
    return [human_message({**e, "loc": ("body", *e["loc"])}) for e in refused.value.errors()]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "price": 1}, "Title must not be empty"),
        ({"title": "too long", "price": 1}, "Title must be at most 5 characters"),
        ({"price": 1}, "Title is required"),
        ({"title": "T", "price": 0}, "Price must be greater than 0"),
        ({"title": "T", "price": "lots"}, "Price must be a number"),
        ({"title": "T", "price": "1.234"}, "Price must have at most 2 decimal places"),
        ({"title": "T", "price": 1, "starts_at": "2030-01-01T10:00"}, "Starts at must include"),
        ({"title": "T", "price": 1, "starts_at": "soon"}, "Starts at must be a date and time"),
        ({"title": "T", "price": 1, "email": "nope"}, "Email must be a valid email address"),
        ({"title": "T", "price": 1, "status": "x"}, "Status must be 'active' or 'all'"),
        ({"title": "T", "price": 1, "seats": [{"label": ""}]}, "Label must not be empty"),
        ({"title": "T", "price": 1, "seats": "A1"}, "Seats must be a list"),
        ({"title": "T", "price": 1, "tags": ["a", "b", "c"]}, "Tags must have at most 2 items"),
    ],
)
def test_each_problem_is_a_sentence_about_its_field(data: dict[str, Any], message: str) -> None:
    assert any(m.startswith(message) for m in _messages(data)), _messages(data)


@pytest.mark.parametrize(
    ("loc", "label"),
    [
        (("body", "startsAt"), "Starts at"),
        (("query", "pageSize"), "Page size"),
        (("body", "items", 0, "quantity"), "Quantity"),
        (("body", "seating", "rows", 3, "seats", "list[constrained-str]", 2), "Seats"),
        (("body", "max_per_order"), "Max per order"),
        (("body",), "Request body"),
    ],
)
def test_the_label_is_the_last_named_element_of_the_location(
    loc: tuple[int | str, ...], label: str
) -> None:
    assert field_label(loc) == label


def test_an_unmapped_kind_still_names_its_field() -> None:
    error = {"type": "url_parsing", "loc": ("body", "website"), "msg": "Input should be a URL"}
    assert human_message(error) == "Website: input should be a URL"


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/api/tickets")
    async def create(body: Listing) -> dict[str, str]:
        return {"title": body.title}

    @app.get("/api/tickets")
    async def listed(page: int = Query(1, ge=1, le=100_000)) -> list[str]:
        return []

    return app


async def _call(method: str, path: str, **kwargs: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, path, **kwargs)


async def test_an_empty_title_says_so_and_names_the_field() -> None:
    response = await _call("POST", "/api/tickets", json={"title": "", "price": 10})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Title must not be empty", "field": "title"}]}


async def test_a_page_past_the_bound_says_so() -> None:
    response = await _call("GET", "/api/tickets", params={"page": 10**18})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"message": "Page must be at most 100000", "field": "page"}]
    }
