"""Composition root of the orders service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI

from orders.api.availability import router as availability_router
from orders.api.availability_reads import AvailabilityReads
from orders.api.orders import router as orders_router
from orders.api.vouchers import router as vouchers_router
from orders.api.waitlist import router as waitlist_router
from orders.availability import AvailabilityProjection
from orders.config import OrdersSettings
from orders.container import OrdersContainer
from orders.listeners import LISTENERS
from orders.store.catalog import CatalogStore
from orders.store.catalog_cache import CachedCatalog
from orders.store.claims import ClaimStore
from orders.store.inventory import InventoryStore
from orders.store.orders import OrderStore
from orders.store.replica import ReplicaStore
from orders.store.vouchers import VoucherStore
from orders.store.waitlist import WaitlistStore
from orders.sweeper import AbandonedHoldSweeper
from orders.waitlist_listeners import WAITLIST_LISTENERS
from orders.waitlist_sweeper import WaitlistSweeper
from ticketing_common.app import Runtime, create_service_app
from ticketing_common.config import load_settings
from ticketing_common.embedded_outbox import EmbeddedOutboxRelay


def wire_for(settings: OrdersSettings) -> Callable[[FastAPI, Runtime], Awaitable[OrdersContainer]]:
    async def wire(app: FastAPI, runtime: Runtime) -> OrdersContainer:
        orders = OrderStore(runtime.db, settings.abandoned_hold_grace_seconds)
        inventory = InventoryStore(runtime.db)
        catalog = CatalogStore(runtime.db)
        await orders.ensure_indexes()
        await inventory.ensure_indexes()
        vouchers = VoucherStore(runtime.db)
        await vouchers.ensure_indexes()
        waitlist = WaitlistStore(runtime.db)
        await waitlist.ensure_indexes()
        poll, creations = settings.outbox_poll_seconds, orders.creations
        relay = EmbeddedOutboxRelay(orders.orders, runtime.publisher, poll, creations=creations)
        await relay.ensure_indexes()
        availability = AvailabilityProjection(
            catalog, inventory, runtime.nats, settings.availability_max_age_seconds
        )
        await availability.start()
        events = CachedCatalog(catalog, settings.event_cache_seconds)
        availability.definition_listeners.append(events.invalidate)
        container = OrdersContainer(
            settings,
            orders,
            events,
            inventory,
            ReplicaStore(runtime.db),
            availability,
            relay,
            ClaimStore(runtime.db),
            vouchers=vouchers,
            waitlist=waitlist,
        )
        availability.release_listeners.append(container.group_claims.released)
        relay.start()
        sweeper = AbandonedHoldSweeper(
            container,
            settings.abandoned_hold_grace_seconds,
            settings.abandoned_hold_sweep_seconds,
        )
        sweeper.start()
        lines = WaitlistSweeper(
            container, settings.abandoned_hold_grace_seconds, settings.waitlist_sweep_seconds
        )
        lines.start()
        # Stopped before NATS and Mongo close (the runtime runs these last-added first).
        runtime.on_shutdown.append(availability.stop)
        runtime.on_shutdown.append(relay.stop)
        runtime.on_shutdown.append(sweeper.stop)
        runtime.on_shutdown.append(lines.stop)
        for listener in LISTENERS + WAITLIST_LISTENERS:
            runtime.listeners.append(
                listener(settings.service_name, runtime.js, runtime.db, container)
            )
        return container

    return wire


def create_app(settings: OrdersSettings | None = None) -> FastAPI:
    settings = settings or load_settings(OrdersSettings)
    return create_service_app(
        settings,
        title="Ticketing orders",
        # The waiting list first: its /api/orders/waitlist is no order id.
        routers=[waitlist_router, orders_router, availability_router, vouchers_router],
        wire=wire_for(settings),
        fast_paths=[AvailabilityReads],
    )
