"""Use cases of resale listings: list a ticket, edit it."""

from __future__ import annotations

from datetime import datetime

from bson import ObjectId
from pymongo.asynchronous.client_session import AsyncClientSession

from ticketing_common.domain_errors import Conflict, NotFound, RuleViolation
from tickets.domain.listings import Listing
from tickets.handlers import Catalog


async def create_listing(
    catalog: Catalog, user_id: str, title: str, price: int, now: datetime
) -> Listing:
    listing = Listing(str(ObjectId()), title.strip(), price, user_id, created_at=now)

    async def save(session: AsyncClientSession) -> None:
        await catalog.listings.insert(listing, session)
        await catalog.runtime.outbox.add(session, listing.created_event())

    await catalog.commit(save)
    return listing


async def get_listing(catalog: Catalog, listing_id: str) -> Listing:
    listing = await catalog.listings.get(listing_id)
    if listing is None:
        raise NotFound("Ticket not found")
    return listing


async def update_listing(
    catalog: Catalog,
    listing_id: str,
    user_id: str,
    title: str,
    price: int,
    expected_version: int | None,
) -> Listing:
    """Edit a listing; a concurrent edit or lock between read and write gives 409 (or the
    reserved-ticket 400), never a silently lost change."""
    current = await get_listing(catalog, listing_id)
    edited = current.edited(user_id, title, price, expected_version)

    async def save(session: AsyncClientSession) -> None:
        if not await catalog.listings.replace_if_version(edited, current.version, session):
            raise Conflict("The ticket was changed by someone else; reload and try again")
        await catalog.runtime.outbox.add(session, edited.updated_event())

    try:
        await catalog.commit(save)
    except Conflict:
        latest = await catalog.listings.get(listing_id)
        if latest is not None and latest.order_id is not None:
            raise RuleViolation("Cannot edit a reserved ticket") from None
        raise
    return edited
