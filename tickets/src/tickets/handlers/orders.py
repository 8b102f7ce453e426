"""What orders' events do to the catalog: lock, release or sell a listing; record sales.

Runs inside the listener's transaction (with its processed-event record), so an
event applies at most once; `advance` makes duplicates with new ids and
out-of-order arrivals harmless too.
"""

from __future__ import annotations

import logging

from tickets.domain.sales import OrderRecord, advance
from tickets.handlers.ports import Transaction

log = logging.getLogger(__name__)


async def apply_order(tx: Transaction, incoming: OrderRecord) -> None:
    await apply_orders(tx, [incoming])


async def apply_orders(tx: Transaction, incoming: list[OrderRecord]) -> None:
    """Apply a fetched batch in arrival order: one read and one write of order records
    for the whole batch (a sale brings thousands); a listing's lock is applied as each
    of its orders' events comes."""
    known = await tx.orders.get_many(sorted({record.order_id for record in incoming}))
    recorded = set(known)
    changed: dict[str, OrderRecord] = {}
    for record in incoming:
        stored = advance(known.get(record.order_id), record)
        if stored is None:
            log.info(
                "order event changes nothing",
                extra={"orderId": record.order_id, "state": record.state},
            )
            continue
        known[record.order_id] = changed[record.order_id] = stored
        if stored.ticket_id:
            await _apply_to_listing(tx, stored.ticket_id, stored)
    if changed:
        await tx.orders.save_many(list(changed.values()), recorded)


async def _apply_to_listing(tx: Transaction, listing_id: str, record: OrderRecord) -> None:
    listing = await tx.listings.get(listing_id)
    if listing is None:
        log.warning("order for an unknown listing", extra={"ticketId": listing_id})
        return
    changed = listing.after_order(record.order_id, record.state, record.ticket_price)
    if changed is None:
        return
    if not await tx.listings.replace_if_version(changed, listing.version):
        raise RuntimeError("listing changed inside the transaction")  # retried by the listener
    await tx.record(changed.outgoing)
