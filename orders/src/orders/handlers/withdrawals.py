"""ticket.cancelled in: a resale listing its seller withdrew is never held again.

The catalog refuses to withdraw a listing it knows to be locked by an order, but it
learns of a hold only through `order.created`: a hold taken just before the withdrawal
may reach orders' replica first. So the withdrawal is applied in two steps, each
idempotent: the listing is flagged (every later hold is refused: "Ticket not found"),
then whatever still holds it is ended — a pending order is cancelled
(`listing_withdrawn`), a paid one too (payments refunds), a hold whose order was never
recorded is fenced off — until the unit is retired. An order being paid is waited for.
"""

from __future__ import annotations

import logging
from datetime import datetime

from orders.domain.holds import VersionDecision, version_decision
from orders.domain.units import listing_unit_id
from orders.handlers.lifecycle import RACE_RETRIES, cancel_order
from orders.handlers.ports import OrdersUnit
from ticketing_common.events import TicketCancelled
from ticketing_common.messaging import RetryLater

log = logging.getLogger(__name__)


async def withdraw_listing(uow: OrdersUnit, event: TicketCancelled, now: datetime) -> None:
    current = await uow.replica.listing_version(event.ticket_id)
    decision = version_decision(current, event.version, creates=False)
    if decision is VersionDecision.WAIT:
        raise RetryLater(f"listing {event.ticket_id} v{event.version} after v{current}")
    if decision is VersionDecision.APPLY:
        await uow.replica.withdraw_listing(event)
    # Also on a redelivery (IGNORE): a crash may have come between the two steps.
    for _ in range(RACE_RETRIES):
        holder = await uow.replica.retire_listing(event.ticket_id, now)
        if holder is None:
            log.info("listing withdrawn", extra={"ticket_id": event.ticket_id})
            return
        await _end_hold(uow, event.ticket_id, holder, now)
    raise RetryLater(f"listing {event.ticket_id} kept being held")


async def _end_hold(uow: OrdersUnit, ticket_id: str, order_id: str, now: datetime) -> None:
    """End what `order_id` holds of the withdrawn listing."""
    order = await uow.orders.get(order_id)
    if order is None:
        # A hold whose order is not recorded (yet): fence its id so it never will be.
        if await uow.orders.fence(order_id, now):
            await uow.inventory.release_units([listing_unit_id(ticket_id)], order_id)
        return
    ended = await cancel_order(uow, order_id, "listing_withdrawn", now)
    if ended.status != "cancelled":
        raise RetryLater(f"order {order_id} of withdrawn listing {ticket_id} is being paid")
    log.warning(
        "order of a withdrawn listing cancelled",
        extra={"order_id": order_id, "ticket_id": ticket_id, "status": order.status},
    )
