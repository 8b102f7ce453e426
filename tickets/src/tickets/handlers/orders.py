"""What orders' events do to the catalog: lock, release or sell a listing; record sales.

Runs inside the listener's transaction (with its processed-event record), so an
event applies at most once; `advance` makes duplicates with new ids and
out-of-order arrivals harmless too.
"""

from __future__ import annotations

import logging

from pymongo.asynchronous.client_session import AsyncClientSession

from ticketing_common.events import OrderCancelled, OrderCompleted, OrderCreated
from tickets.domain.listings import Listing
from tickets.domain.sales import OrderLine, OrderRecord, OrderState, advance
from tickets.handlers import Catalog

log = logging.getLogger(__name__)

OrderEvent = OrderCreated | OrderCancelled | OrderCompleted


def record_of(event: OrderEvent, state: OrderState) -> OrderRecord:
    return OrderRecord(
        order_id=event.order_id,
        state=state,
        event_id=event.event_id,
        ticket_id=event.ticket.id if event.ticket else None,
        lines=tuple(
            OrderLine(item.ticket_type_id, item.quantity, item.unit_price, item.seat_id)
            for item in event.items
        ),
        expires_at=event.expires_at if isinstance(event, OrderCreated) else None,
    )


async def apply_order(catalog: Catalog, incoming: OrderRecord, session: AsyncClientSession) -> None:
    current = await catalog.orders.get(incoming.order_id, session)
    stored = advance(current, incoming)
    if stored is None:
        log.info(
            "order event changes nothing",
            extra={"orderId": incoming.order_id, "state": incoming.state},
        )
        return
    await catalog.orders.save(stored, session)
    if stored.ticket_id:
        await _apply_to_listing(catalog, stored, session)


def _listing_after(listing: Listing, record: OrderRecord) -> Listing | None:
    if record.state == "created":
        return listing.locked_by(record.order_id)
    if record.state == "cancelled":
        return listing.released_by(record.order_id)
    return listing.sold_to(record.order_id)


async def _apply_to_listing(
    catalog: Catalog, record: OrderRecord, session: AsyncClientSession
) -> None:
    assert record.ticket_id is not None
    listing = await catalog.listings.get(record.ticket_id, session)
    if listing is None:
        log.warning("order for an unknown listing", extra={"ticketId": record.ticket_id})
        return
    changed = _listing_after(listing, record)
    if changed is None:
        return
    if not await catalog.listings.replace_if_version(changed, listing.version, session):
        raise RuntimeError("listing changed inside the transaction")  # retried by the listener
    if changed.version != listing.version:
        await catalog.runtime.outbox.add(session, changed.updated_event())
