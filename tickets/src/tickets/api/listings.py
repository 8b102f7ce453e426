"""Routes of resale listings: the original ticketing `/api/tickets` API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from ticketing_common.auth import CurrentUser
from ticketing_common.domain_errors import RuleViolation
from ticketing_common.events import utc_now
from ticketing_common.money import to_major, to_minor
from ticketing_common.paging import PageDep, add_paging_headers
from ticketing_common.schemas import CamelModel
from tickets.api.deps import CatalogDep, Price
from tickets.api.text import trimmed
from tickets.domain.listings import TITLE_MAX, Listing
from tickets.handlers.listings import (
    create_listing,
    get_listing,
    update_listing,
    withdraw_listing,
)

router = APIRouter(prefix="/api/tickets", tags=["tickets"])


class ListingIn(CamelModel):
    title: Annotated[str, trimmed(TITLE_MAX)]
    price: Price


class ListingUpdateIn(ListingIn):
    version: int | None = None  # optional optimistic-concurrency check (also If-Match)


class ListingOut(CamelModel):
    id: str
    title: str
    price: float
    user_id: str
    version: int
    order_id: str | None = None

    @classmethod
    def of(cls, listing: Listing) -> ListingOut:
        return cls(
            id=listing.id,
            title=listing.title,
            price=to_major(listing.price),
            user_id=listing.user_id,
            version=listing.version,
            order_id=listing.order_id,
        )


def _expected_version(body: ListingUpdateIn, if_match: str | None) -> int | None:
    if body.version is not None:
        return body.version
    if if_match is None:
        return None
    try:
        return int(if_match.strip().removeprefix("W/").strip('"'))
    except ValueError:
        raise RuleViolation("If-Match must be the ticket's version", "If-Match") from None


@router.post("", status_code=status.HTTP_201_CREATED)
async def create(body: ListingIn, user: CurrentUser, catalog: CatalogDep) -> ListingOut:
    listing = await create_listing(catalog, user.id, body.title, to_minor(body.price), utc_now())
    return ListingOut.of(listing)


@router.get("")
async def list_available(
    request: Request, response: Response, page: PageDep, catalog: CatalogDep
) -> list[ListingOut]:
    listings, total = await catalog.listings.list_available(page.skip, page.size)
    add_paging_headers(request, response, page, total)
    return [ListingOut.of(listing) for listing in listings]


@router.get("/{listing_id}")
async def show(listing_id: str, catalog: CatalogDep) -> ListingOut:
    return ListingOut.of(await get_listing(catalog, listing_id))


@router.put("/{listing_id}")
async def update(
    listing_id: str,
    body: ListingUpdateIn,
    user: CurrentUser,
    catalog: CatalogDep,
    if_match: Annotated[str | None, Header()] = None,
) -> ListingOut:
    listing = await update_listing(
        catalog,
        listing_id,
        user.id,
        body.title,
        to_minor(body.price),
        _expected_version(body, if_match),
    )
    return ListingOut.of(listing)


@router.delete("/{listing_id}", status_code=status.HTTP_204_NO_CONTENT)
async def withdraw(listing_id: str, user: CurrentUser, catalog: CatalogDep) -> Response:
    """The seller withdraws a listing no order holds (then it is gone: 404 everywhere)."""
    await withdraw_listing(catalog, listing_id, user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
