"""Catalog events in, replica changes out — in version order."""

from __future__ import annotations

import logging
import time
from datetime import datetime

from orders.domain.holds import VersionDecision, version_decision
from orders.handlers.event_cancellation import cancel_event_orders
from orders.handlers.ports import OrdersUnit
from ticketing_common.events import EventCreated, EventUpdated, TicketCreated, TicketUpdated
from ticketing_common.messaging import RetryLater

log = logging.getLogger(__name__)


async def apply_event_definition(
    uow: OrdersUnit, event: EventCreated | EventUpdated, now: datetime
) -> None:
    current = await uow.catalog.version_of(event.event_id)
    decision = version_decision(current, event.version, creates=isinstance(event, EventCreated))
    if decision is VersionDecision.WAIT:
        raise RetryLater(f"event {event.event_id} v{event.version} after v{current}")
    if decision is VersionDecision.IGNORE:
        log.info("stale event definition ignored", extra={"event_id": event.event_id})
        if event.status == "cancelled":
            # A redelivery finishes a cancellation a crash or a payment interrupted.
            await cancel_event_orders(uow, event.event_id, now)
        return
    # Inventory first, version last: a crash in between re-applies everything (idempotent).
    started = time.monotonic()
    shards = await uow.replica.apply_counters(event)
    changes = await uow.replica.apply_inventory(event)
    if changes.inserted or changes.updated or changes.removed:
        log.info(
            "seat map applied",
            extra={
                "event_id": event.event_id,
                "inserted": changes.inserted,
                "updated": changes.updated,
                "removed": changes.removed,
                "seconds": round(time.monotonic() - started, 3),
            },
        )
    await uow.catalog.save_event(event, shards)
    if event.status == "cancelled":
        await cancel_event_orders(uow, event.event_id, now)
    # A changed definition: every replica reloads the event's availability.
    await uow.availability.changed(event.event_id)


async def apply_listing(uow: OrdersUnit, event: TicketCreated | TicketUpdated) -> None:
    current = await uow.replica.listing_version(event.ticket_id)
    decision = version_decision(current, event.version, creates=isinstance(event, TicketCreated))
    if decision is VersionDecision.WAIT:
        raise RetryLater(f"listing {event.ticket_id} v{event.version} after v{current}")
    if decision is VersionDecision.APPLY:
        await uow.replica.apply_listing(event)
