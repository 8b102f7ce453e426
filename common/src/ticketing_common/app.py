"""The composition root every service shares: connections, outbox relay, listeners, health.

A service calls `create_service_app` with its settings, routers and a `wire`
hook that builds its own adapters and listeners from the opened connections and
returns the service's container, which routes reach through `wiring.container_of`.
Every service also gets the HTTP guards (`edge`), the error handlers and the error
answers in its OpenAPI document, and follows sign-outs into `app.state.revocations`
before it takes requests.
Stopping is bounded: streaming routes end as soon as the server begins to stop
(`app.state.shutdown`, see `shutdown`); then listeners stop, relays publish what is
pending, NATS drains and Mongo closes.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from pymongo.asynchronous.database import AsyncDatabase

from ticketing_common.asgi import HttpMiddleware
from ticketing_common.config import BaseServiceSettings
from ticketing_common.edge import install_http_guards
from ticketing_common.errors import install_error_handlers
from ticketing_common.logs import configure_logging
from ticketing_common.messaging import Listener, Publisher, connect_nats, ensure_stream
from ticketing_common.mongo import Document, MongoClient, connect_mongo
from ticketing_common.openapi_errors import install_error_docs
from ticketing_common.outbox import Outbox, OutboxRelay
from ticketing_common.revocation import Revocations
from ticketing_common.revocation_feed import RevocationFeed
from ticketing_common.shutdown import ShutdownSignal

log = logging.getLogger(__name__)
DRAIN_SECONDS = 5.0


@dataclass
class Runtime:
    """Everything opened at start-up; lives on `app.state.runtime`."""

    settings: BaseServiceSettings
    mongo: MongoClient
    db: AsyncDatabase[Document]
    nats: NatsClient
    js: JetStreamContext
    publisher: Publisher
    outbox: Outbox
    relay: OutboxRelay
    listeners: list[Listener[Any]] = field(default_factory=list)
    # Run at shutdown, last added first, after listeners stop and before NATS and
    # Mongo close (e.g. a provider's HTTP client, a service's own relay).
    on_shutdown: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


# Builds the service's adapters and listeners; returns its container (see `wiring`).
Wire = Callable[[FastAPI, Runtime], Awaitable[object]]


async def _open_runtime(settings: BaseServiceSettings) -> Runtime:
    mongo = connect_mongo(settings.mongo_uri)
    db = mongo[settings.database_name]
    nc = await connect_nats(settings.nats_url, settings.service_name)
    js = nc.jetstream()
    await ensure_stream(js, settings.nats_stream_replicas)
    publisher = Publisher(js)
    outbox = Outbox(db["outbox"])
    await outbox.ensure_indexes()
    relay = OutboxRelay(outbox, publisher, settings.outbox_poll_seconds)
    return Runtime(settings, mongo, db, nc, js, publisher, outbox, relay)


def create_service_app(
    settings: BaseServiceSettings,
    *,
    title: str,
    routers: Sequence[APIRouter],
    wire: Wire | None = None,
    fast_paths: Sequence[type[HttpMiddleware]] = (),
) -> FastAPI:
    """A service: its guards, error handlers and routers, and the runtime `wire` builds
    on. `fast_paths` answer hot reads inside the guards, before the routers."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.service_name, settings.log_level)
        runtime = await _open_runtime(settings)
        app.state.runtime = runtime
        # Streams end when the server begins to stop, not after it waited for them.
        app.state.shutdown = shutdown = ShutdownSignal()
        shutdown.install()
        try:
            await _follow_sign_outs(app, runtime)
            if wire:
                app.state.container = await wire(app, runtime)
            runtime.relay.start()
            for listener in runtime.listeners:
                await listener.start()
            # What start-up built lives as long as the process: out of the collector's
            # sight, so a full collection scans what requests left, not every module.
            gc.freeze()
            log.info("service started", extra={"frozenObjects": gc.get_freeze_count()})
            yield
        finally:
            # Also after a failed start: what `wire` started is stopped, nothing leaks.
            shutdown.stop()  # stopped without a signal (tests, embedding): end streams too
            shutdown.uninstall()
            await _stop_runtime(runtime)

    app = FastAPI(title=title, lifespan=lifespan)
    app.state.settings = settings
    app.state.revocations = Revocations()
    for fast_path in fast_paths:  # added first: innermost, inside the guards
        app.add_middleware(fast_path)
    install_http_guards(app, settings)
    install_error_handlers(app)
    install_error_docs(app)
    app.include_router(health_router)
    for router in routers:
        app.include_router(router)
    return app


async def _follow_sign_outs(app: FastAPI, runtime: Runtime) -> None:
    """Read the sign-outs of one token lifetime back, then keep following them."""
    lookback = timedelta(seconds=runtime.settings.jwt_ttl_seconds)
    feed = RevocationFeed(runtime.js, app.state.revocations, lookback)
    runtime.on_shutdown.append(feed.stop)
    await feed.start()


async def _stop_runtime(runtime: Runtime) -> None:
    """Listeners stop (no new writes), relays publish what is pending, NATS drains: bounded."""
    await asyncio.gather(*(listener.stop() for listener in runtime.listeners))
    log.info("listeners stopped", extra={"listeners": len(runtime.listeners)})
    for close in reversed(runtime.on_shutdown):
        await close()
    await runtime.relay.stop()
    await _close_nats(runtime.nats)
    await runtime.mongo.close()
    log.info("service stopped")


async def _close_nats(nc: NatsClient) -> None:
    """Drain (finish what is in flight), but never let a stuck drain hold up shutdown."""
    try:
        await asyncio.wait_for(nc.drain(), DRAIN_SECONDS)
    except Exception:
        log.warning("nats drain did not finish; closing the connection")
        await nc.close()


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]

health_router = APIRouter(tags=["health"])


@health_router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@health_router.get("/readyz")
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    checks = {"nats": runtime.nats.is_connected}
    try:
        await runtime.db.command("ping")
        checks["mongo"] = True
    except Exception:
        checks["mongo"] = False
    ready = all(checks.values())
    return JSONResponse({"ready": ready, **checks}, status_code=200 if ready else 503)
