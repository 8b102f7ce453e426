"""Use cases of resale listings: list a ticket, read it, edit it."""

from __future__ import annotations

from datetime import datetime

from bson import ObjectId

from ticketing_common.domain_errors import NotFound
from tickets.domain.listings import Listing, ListingChanged
from tickets.handlers.ports import Stores, Transaction, UnitOfWork


async def create_listing(
    uow: UnitOfWork, user_id: str, title: str, price: int, now: datetime
) -> Listing:
    listing = Listing.listed(str(ObjectId()), user_id, title, price, now)

    async def save(tx: Transaction) -> None:
        await tx.listings.insert(listing)
        await tx.record(listing.outgoing)

    await uow.commit(save)
    return listing


async def get_listing(stores: Stores, listing_id: str) -> Listing:
    listing = await stores.listings.get(listing_id)
    if listing is None:
        raise NotFound("Ticket not found")
    return listing


async def update_listing(
    uow: UnitOfWork,
    listing_id: str,
    user_id: str,
    title: str,
    price: int,
    expected_version: int | None,
) -> Listing:
    """Edit a listing; a concurrent edit or lock between read and write gives 409 (or the
    reserved-ticket 400), never a silently lost change."""
    current = await get_listing(uow, listing_id)
    edited = current.edited(user_id, title, price, expected_version)

    async def save(tx: Transaction) -> None:
        if not await tx.listings.replace_if_version(edited, current.version):
            raise ListingChanged()
        await tx.record(edited.outgoing)

    try:
        await uow.commit(save)
    except ListingChanged:
        # Lost a race: the listing's own rules, against what won, say why.
        if (latest := await uow.listings.get(listing_id)) is not None:
            latest.check_editable(user_id, current.version)
        raise
    return edited
