"""Fixtures of the payments suites: the app on the test servers, a buyer, payment events;
the use cases on in-memory fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import pytest_asyncio
from bson import ObjectId
from nats.aio.client import Client as NatsClient
from payments_fakes import FakeWorld
from payments_testkit import Buyer, ServeApp, StreamRecorder

from payments.config import PaymentsSettings
from payments.main import create_app
from payments.provider import PaymentProvider
from ticketing_common.messaging import Publisher
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.http import serve


@pytest_asyncio.fixture(loop_scope="session")
async def payment_events(clean_stream: NatsClient) -> AsyncIterator[StreamRecorder]:
    recorder = StreamRecorder()
    sub = await clean_stream.jetstream().subscribe(
        "payment.>", ordered_consumer=True, cb=recorder.on_message
    )
    yield recorder
    await sub.unsubscribe()


@pytest.fixture
def payments_settings(
    service_settings: dict[str, Any], embedded_servers: Endpoints
) -> PaymentsSettings:
    return PaymentsSettings(
        **service_settings,
        stripe_secret_key="sk_test_embedded",
        stripe_api_base=embedded_servers.stripe_url,
        stripe_max_network_retries=0,
        refund_claim_seconds=2,
    )


@pytest.fixture
def serve_payments(payments_settings: PaymentsSettings) -> ServeApp:
    """Serve the payments app, optionally with changed settings or another provider."""

    @asynccontextmanager
    async def start(provider: PaymentProvider | None = None, **changes: Any) -> AsyncIterator[str]:
        settings = payments_settings.model_copy(update=changes)
        async with serve(create_app(settings, provider)) as base_url:
            yield base_url

    return start


@pytest.fixture
def buyer(payments_settings: PaymentsSettings, clean_stream: NatsClient) -> Buyer:
    return Buyer(str(ObjectId()), payments_settings, Publisher(clean_stream.jetstream()))


@pytest.fixture
def other_buyer(payments_settings: PaymentsSettings, clean_stream: NatsClient) -> Buyer:
    return Buyer(str(ObjectId()), payments_settings, Publisher(clean_stream.jetstream()))


@pytest.fixture
def world() -> FakeWorld:
    """The payments use cases on in-memory fakes, with a clock that moves when told."""
    return FakeWorld()
