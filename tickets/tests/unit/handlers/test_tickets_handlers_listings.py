"""Unit tests: listing and repricing a resale ticket, against in-memory fakes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tickets_fakes import FakeCatalog
from tickets_samples import NOW

from ticketing_common.domain_errors import Conflict, Forbidden, NotFound, RuleViolation
from ticketing_common.events import TicketCreated, TicketUpdated
from tickets.domain.listings import Listing
from tickets.handlers.listings import create_listing, get_listing, update_listing


async def listed(catalog: FakeCatalog) -> Listing:
    listing = await create_listing(catalog, "seller", "  Concert ", 2050, NOW)
    catalog.published.clear()
    return listing


async def test_a_new_listing_is_stored_and_announced() -> None:
    catalog = FakeCatalog()
    listing = await create_listing(catalog, "seller", "  Concert ", 2050, NOW)
    assert await get_listing(catalog, listing.id) == listing
    assert (listing.title, listing.price, listing.version, listing.order_id) == (
        "Concert",
        2050,
        0,
        None,
    )
    [event] = catalog.published_as(TicketCreated)
    assert (event.ticket_id, event.price, event.user_id, event.version) == (
        listing.id,
        2050,
        "seller",
        0,
    )


async def test_the_seller_reprices_a_free_listing() -> None:
    catalog = FakeCatalog()
    listing = await listed(catalog)
    edited = await update_listing(catalog, listing.id, "seller", "Front row", 3000, 0)
    assert (edited.title, edited.price, edited.version) == ("Front row", 3000, 1)
    assert await get_listing(catalog, listing.id) == edited
    [event] = catalog.published_as(TicketUpdated)
    assert (event.price, event.version, event.order_id) == (3000, 1, None)


async def test_a_reserved_listing_cannot_be_repriced() -> None:
    catalog = FakeCatalog()
    listing = await listed(catalog)
    catalog.listings.rows[listing.id] = replace(listing, order_id="o1", version=1)
    with pytest.raises(RuleViolation, match="Cannot edit a reserved ticket"):
        await update_listing(catalog, listing.id, "seller", "Concert", 3000, None)
    assert catalog.published == []


async def test_only_the_seller_reprices() -> None:
    catalog = FakeCatalog()
    listing = await listed(catalog)
    with pytest.raises(Forbidden):
        await update_listing(catalog, listing.id, "someone-else", "Concert", 1, None)
    assert (await get_listing(catalog, listing.id)).price == 2050


async def test_a_stale_version_is_a_conflict() -> None:
    catalog = FakeCatalog()
    listing = await listed(catalog)
    with pytest.raises(Conflict, match="changed by someone else"):
        await update_listing(catalog, listing.id, "seller", "Concert", 3000, 7)
    assert catalog.published == []


async def test_a_lock_between_read_and_write_refuses_as_reserved() -> None:
    catalog = FakeCatalog()
    listing = await listed(catalog)

    def order_locks_it() -> None:
        catalog.listings.rows[listing.id] = replace(listing, order_id="o1", version=1)

    catalog.race = order_locks_it
    with pytest.raises(RuleViolation, match="Cannot edit a reserved ticket"):
        await update_listing(catalog, listing.id, "seller", "Concert", 3000, None)
    assert catalog.published == []


async def test_an_edit_between_read_and_write_is_a_conflict_not_a_lost_change() -> None:
    catalog = FakeCatalog()
    listing = await listed(catalog)

    def another_edit_wins() -> None:
        catalog.listings.rows[listing.id] = replace(listing, price=999, version=1)

    catalog.race = another_edit_wins
    with pytest.raises(Conflict):
        await update_listing(catalog, listing.id, "seller", "Concert", 3000, None)
    assert (await get_listing(catalog, listing.id)).price == 999


async def test_an_unknown_listing_is_not_found() -> None:
    with pytest.raises(NotFound, match="Ticket not found"):
        await get_listing(FakeCatalog(), "nope")
