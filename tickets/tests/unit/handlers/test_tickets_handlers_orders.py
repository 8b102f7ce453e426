"""Unit tests: orders' events lock, release and sell a listing, whatever their order or
repetition, against in-memory fakes (each applied in a transaction, as the listener does)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

import pytest
from tickets_fakes import FakeCatalog

from ticketing_common.events import TicketUpdated
from tickets.domain.listings import Listing
from tickets.domain.sales import OrderLine, OrderRecord, OrderState
from tickets.handlers.orders import apply_order, apply_orders


def order(state: OrderState, order_id: str = "o1", ticket_id: str | None = "l1") -> OrderRecord:
    return OrderRecord(order_id, state, None, ticket_id)


def catalog_with_listing() -> FakeCatalog:
    catalog = FakeCatalog()
    catalog.listings.rows["l1"] = Listing("l1", "Concert", 2050, "seller")
    return catalog


async def apply(catalog: FakeCatalog, record: OrderRecord) -> None:
    await catalog.commit(lambda tx: apply_order(tx, record))


def listing(catalog: FakeCatalog) -> Listing:
    return catalog.listings.rows["l1"]


def updates(catalog: FakeCatalog) -> list[tuple[str | None, int]]:
    return [(e.order_id, e.version) for e in catalog.published_as(TicketUpdated)]


async def test_created_locks_and_cancelled_unlocks_once_each() -> None:
    catalog = catalog_with_listing()
    await apply(catalog, order("created"))
    await apply(catalog, order("created"))  # a duplicate under a new event id
    assert (listing(catalog).order_id, listing(catalog).version) == ("o1", 1)
    await apply(catalog, order("cancelled"))
    await apply(catalog, order("cancelled"))
    assert (listing(catalog).order_id, listing(catalog).version) == (None, 2)
    assert updates(catalog) == [("o1", 1), (None, 2)]


async def test_a_cancel_before_its_create_leaves_the_listing_free() -> None:
    catalog = catalog_with_listing()
    await apply(catalog, order("cancelled"))
    await apply(catalog, order("created"))  # late: the order is already over
    assert (listing(catalog).order_id, listing(catalog).version) == (None, 0)
    assert catalog.published == []


async def test_completion_sells_the_locked_listing_without_a_new_version() -> None:
    catalog = catalog_with_listing()
    await apply(catalog, order("created"))
    await apply(catalog, order("completed"))
    await apply(catalog, order("cancelled"))  # a terminal order stays terminal
    assert (listing(catalog).sold, listing(catalog).order_id, listing(catalog).version) == (
        True,
        "o1",
        1,
    )
    assert updates(catalog) == [("o1", 1)]


async def test_a_completion_seen_before_its_create_still_sells_and_is_published() -> None:
    catalog = catalog_with_listing()
    await apply(catalog, order("completed"))
    await apply(catalog, order("created"))
    assert (listing(catalog).sold, listing(catalog).order_id, listing(catalog).version) == (
        True,
        "o1",
        1,
    )
    assert updates(catalog) == [("o1", 1)]


async def test_a_late_cancel_of_an_older_order_keeps_the_newer_hold() -> None:
    catalog = catalog_with_listing()
    await apply(catalog, order("created", "o1"))
    await apply(catalog, order("cancelled", "o1"))
    await apply(catalog, order("created", "o2"))
    await apply(catalog, order("cancelled", "o1"))
    assert (listing(catalog).order_id, listing(catalog).version) == ("o2", 3)


async def test_a_listing_changed_inside_the_transaction_rolls_everything_back() -> None:
    catalog = catalog_with_listing()
    catalog.listings.lose_next_write = True  # a seller's edit committed first
    with pytest.raises(RuntimeError):
        await apply(catalog, order("created"))
    assert catalog.orders.rows == {}  # retried by the listener from scratch
    assert catalog.published == []


async def test_orders_of_shows_and_unknown_listings_are_only_recorded() -> None:
    catalog = catalog_with_listing()
    show_order = replace(order("created", "o1", None), lines=(OrderLine("t1", 2, 500),))
    await apply(catalog, show_order)
    await apply(catalog, order("created", "o2", "gone"))
    assert set(catalog.orders.rows) == {"o1", "o2"}
    assert catalog.published == []


async def test_a_batch_applies_in_arrival_order_with_one_read_and_one_write() -> None:
    catalog = catalog_with_listing()
    reads, writes = [], []
    get_many, save_many = catalog.orders.get_many, catalog.orders.save_many

    async def counted_get(order_ids: list[str]) -> dict[str, OrderRecord]:
        reads.append(order_ids)
        return await get_many(order_ids)

    async def counted_save(records: list[OrderRecord], stored: Collection[str]) -> None:
        writes.append([r.order_id for r in records])
        await save_many(records, stored)

    catalog.orders.get_many = counted_get  # type: ignore[method-assign]
    catalog.orders.save_many = counted_save  # type: ignore[method-assign]
    batch = [
        order("created"),
        order("created", "o2", None),
        order("cancelled", "o3", None),  # before its create: stays cancelled
        order("created", "o3", None),
        order("completed"),
    ]

    await catalog.commit(lambda tx: apply_orders(tx, batch))

    assert reads == [["o1", "o2", "o3"]]
    assert writes == [["o1", "o2", "o3"]]
    states = {i: r.state for i, r in catalog.orders.rows.items()}
    assert states == {"o1": "completed", "o2": "created", "o3": "cancelled"}
    assert listing(catalog).sold is True
    assert updates(catalog) == [("o1", 1)]
