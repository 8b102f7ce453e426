"""The pytest plugin every test suite loads (see the root pyproject.toml).

The embedded servers start once per session on free ports with in-memory storage;
each test gets a fresh database name and a purged stream. With
`TICKETING_TESTCONTAINERS=1` and a Docker engine, Mongo and NATS run as containers
(`mongo` as a one-node replica set, `nats -js`) instead.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from nats.aio.client import Client as NatsClient
from nats.js.errors import NotFoundError

from ticketing_common.devstack import StackSettings, Supervisor
from ticketing_common.devstack.cluster import cluster_stack, free_port_base
from ticketing_common.devstack.parts import Part, build_parts, infrastructure_parts
from ticketing_common.events import STREAM_NAME
from ticketing_common.messaging import connect_nats, ensure_stream
from ticketing_common.mongo import MongoClient, connect_mongo
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.http import free_port

TEST_JWT_KEY = "test-signing-key-that-is-long-enough-0123456789"


def _stack_settings(tmp: Path) -> StackSettings:
    ports = {
        f"{name}_port": free_port()
        for name in (
            "gateway",
            "mongo",
            "nats",
            "stripe",
            "client",
            "auth",
            "tickets",
            "orders",
            "expiration",
            "payments",
            "notifications",
            "smtp",
        )
    }
    return StackSettings.model_validate(
        {"data_dir": tmp, "in_memory": True, "log_level": "WARNING", **ports}
    )


def _endpoints(settings: StackSettings) -> Endpoints:
    return Endpoints(
        mongo_uri=settings.mongo_uri, nats_url=settings.nats_url, stripe_url=settings.stripe_url
    )


@pytest.fixture(scope="session")
def embedded_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoints]:
    if os.environ.get("TICKETING_TESTCONTAINERS") == "1":
        from ticketing_common.testing.containers import container_endpoints

        yield from container_endpoints()
        return
    settings = _stack_settings(tmp_path_factory.mktemp("embedded"))
    supervisor = Supervisor(
        infrastructure_parts(settings), settings.data_dir / "logs", "127.0.0.1", lambda _: None
    )
    try:
        supervisor.start_all()
        yield _endpoints(settings)
    finally:
        supervisor.stop_all()


def _topology(settings: StackSettings) -> tuple[StackSettings, list[Part]]:
    if os.environ.get("TICKETING_E2E_TOPOLOGY") == "cluster":
        base = free_port_base(settings.host, settings.cluster_replicas)
        return cluster_stack(settings.model_copy(update={"cluster_port_base": base}))
    return settings, build_parts(settings)


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole system behind the gateway, on servers of its own; yields the gateway URL.

    Its own broker and database keep integration tests (which purge the stream and
    drop consumers) from disturbing the services' durable consumers. With
    `TICKETING_E2E_TOPOLOGY=cluster`, the topology of `make cluster` runs instead (three
    NATS nodes, two replicas of each service) on a free range of ports.
    """
    settings = _stack_settings(tmp_path_factory.mktemp("stack"))
    settings = settings.model_copy(update={"extra_env": {"JWT_KEY": TEST_JWT_KEY}})
    settings, parts = _topology(settings)
    supervisor = Supervisor(parts, settings.data_dir / "logs", "127.0.0.1", lambda _: None)
    try:
        supervisor.start_all()
        yield f"http://127.0.0.1:{settings.gateway_port}"
    finally:
        supervisor.stop_all()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def mongo_client(embedded_servers: Endpoints) -> AsyncIterator[MongoClient]:
    client = connect_mongo(embedded_servers.mongo_uri)
    yield client
    await client.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def nats_client(embedded_servers: Endpoints) -> AsyncIterator[NatsClient]:
    nc = await connect_nats(embedded_servers.nats_url, "tests")
    await ensure_stream(nc.jetstream())
    yield nc
    await nc.close()


@pytest.fixture
def database_name() -> str:
    return f"test_{uuid.uuid4().hex[:12]}"


@pytest_asyncio.fixture(loop_scope="session")
async def clean_stream(nats_client: NatsClient) -> NatsClient:
    """A purged stream with no consumers, so a test sees only what it caused."""
    js = nats_client.jetstream()
    try:
        consumers = await js.consumers_info(STREAM_NAME)
    except NotFoundError:
        consumers = []
    for consumer in consumers:
        # A stopped app's ephemeral consumer (its sign-out feed) may go by itself meanwhile.
        with contextlib.suppress(NotFoundError):
            await js.delete_consumer(STREAM_NAME, consumer.name)
    await js.purge_stream(STREAM_NAME)
    return nats_client


@pytest.fixture
def service_settings(embedded_servers: Endpoints, database_name: str) -> dict[str, Any]:
    """Keyword arguments for any service's settings, pointed at the test servers."""
    return {
        "mongo_uri": embedded_servers.mongo_uri,
        "nats_url": embedded_servers.nats_url,
        "mongo_db": database_name,
        "jwt_key": TEST_JWT_KEY,
        "outbox_poll_seconds": 0.2,
    }
