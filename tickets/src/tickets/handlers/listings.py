"""Use cases of resale listings: list a ticket, read it, edit it, withdraw it."""

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
    if listing is None or listing.withdrawn:
        raise NotFound("Ticket not found")  # a withdrawn listing is gone: read, edit, buy
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


async def withdraw_listing(uow: UnitOfWork, listing_id: str, user_id: str) -> Listing:
    """Withdraw a listing no order holds; an order's lock that wins the race between read
    and write makes it the reserved-ticket 400, never a withdrawn held listing."""
    current = await get_listing(uow, listing_id)
    withdrawn = current.withdrawn_by(user_id)

    async def save(tx: Transaction) -> None:
        if not await tx.listings.replace_if_version(withdrawn, current.version):
            raise ListingChanged()
        await tx.record(withdrawn.outgoing)

    try:
        await uow.commit(save)
    except ListingChanged:
        (await get_listing(uow, listing_id)).withdrawn_by(user_id)  # why, if it can say
        raise
    return withdrawn
