"""Fixtures of the tickets tests: the real app on the embedded Mongo and NATS.

Being at the root of the tests, this also puts the shared helpers here
(`tickets_testkit`, `tickets_fakes`, `tickets_samples`) on the import path of every layer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from nats.aio.client import Client as NatsClient
from pymongo import AsyncMongoClient
from tickets_testkit import TicketsApi

from ticketing_common.mongo import Document
from ticketing_common.testing.http import serve
from tickets.config import TicketsSettings
from tickets.main import create_app


@pytest_asyncio.fixture(loop_scope="session")
async def tickets_api(
    service_settings: dict[str, Any],
    clean_stream: NatsClient,
    mongo_client: AsyncMongoClient[Document],
) -> AsyncIterator[TicketsApi]:
    settings = TicketsSettings(**service_settings)
    async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        yield TicketsApi(client, settings, clean_stream, mongo_client)
