"""What every use case works with, wired once in `main.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from orders.availability import AvailabilityProjection
from orders.availability.deltas import order_delta
from orders.config import OrdersSettings
from orders.domain.order import Order
from orders.handlers.ga_claims import ga_type_ids
from orders.store.catalog import CatalogStore
from orders.store.inventory import InventoryStore, listing_unit_id, seat_unit_id
from orders.store.orders import OrderStore
from orders.store.replica import ReplicaStore
from ticketing_common.outbox import EmbeddedOutboxRelay


@dataclass
class OrdersContext:
    settings: OrdersSettings
    orders: OrderStore
    catalog: CatalogStore
    inventory: InventoryStore
    replica: ReplicaStore
    availability: AvailabilityProjection
    relay: EmbeddedOutboxRelay

    def hold_length(self, minutes: float) -> timedelta:
        override = self.settings.hold_seconds_override
        return timedelta(seconds=override) if override else timedelta(minutes=minutes)

    @property
    def key_secret(self) -> bytes:
        return self.settings.ticket_key_secret.get_secret_value().encode()

    async def published(self, order: Order) -> None:
        """After an order write: relay its events now and refresh availability everywhere."""
        self.relay.wake(order.id)
        if order.event_id:
            await self.availability.changed(order.event_id, order_delta(order))


def unit_ids(order: Order) -> list[str]:
    if order.listing is not None:
        return [listing_unit_id(order.listing.id)]
    assert order.event_id is not None
    return [seat_unit_id(order.event_id, line.seat_id) for line in order.lines if line.seat_id]


async def release_inventory(ctx: OrdersContext, order: Order) -> None:
    """Give back whatever the order holds; idempotent, so safe on every retry."""
    if units := unit_ids(order):
        await ctx.inventory.release_units(units, order.id)
    if order.event_id is not None and (types := ga_type_ids(order)):
        await ctx.inventory.ga.release(order.event_id, types, order.id)
