"""Composition root of the tickets service."""

from __future__ import annotations

from fastapi import FastAPI

from ticketing_common.app import Runtime, create_service_app
from ticketing_common.config import load_settings
from tickets.api.listings import router as listings_router
from tickets.api.shows import router as shows_router
from tickets.catalog import Catalog
from tickets.config import TicketsSettings
from tickets.feeds import follow_event_changes
from tickets.listeners import order_listeners


async def wire(app: FastAPI, runtime: Runtime) -> Catalog:
    settings = runtime.settings
    assert isinstance(settings, TicketsSettings)
    catalog = Catalog.open(runtime, settings.search_in_memory)
    await catalog.ensure_indexes()
    if catalog.index is not None:
        await follow_event_changes(catalog)
        await catalog.load_index()
    runtime.listeners.extend(order_listeners(catalog))
    return catalog


def create_app(settings: TicketsSettings | None = None) -> FastAPI:
    settings = settings or load_settings(TicketsSettings)
    return create_service_app(
        settings, title="Ticketing tickets", routers=[listings_router, shows_router], wire=wire
    )
