"""Helpers for this service's tests: a signed-in HTTP client and waits on the stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from nats.aio.client import Client as NatsClient
from pymongo import AsyncMongoClient

from ticketing_common.auth import SessionUser, issue_token
from ticketing_common.events import STREAM_NAME
from ticketing_common.mongo import Document
from tickets.config import TicketsSettings


@dataclass
class TicketsApi:
    client: httpx.AsyncClient
    settings: TicketsSettings
    nats: NatsClient
    db_client: AsyncMongoClient[Document]

    def cookie(self, user_id: str) -> dict[str, str]:
        token = issue_token(SessionUser(id=user_id, email=f"{user_id}@example.com"), self.settings)
        # A header, not httpx's per-request cookies (deprecated).
        return {"Cookie": f"{self.settings.cookie_name}={token}"}

    async def last_message(self, subject: str, **expected: object) -> dict[str, Any]:
        """The newest message on `subject` (with the `expected` fields), waiting for the relay."""
        js = self.nats.jetstream()
        for _ in range(200):
            try:
                msg = await js.get_last_msg(STREAM_NAME, subject)
            except Exception:  # nothing on the subject yet
                msg = None
            if msg is not None:
                data: dict[str, Any] = json.loads(msg.data or b"{}")
                if all(data.get(key) == value for key, value in expected.items()):
                    return data
            await asyncio.sleep(0.05)
        raise AssertionError(f"nothing published on {subject} with {expected}")

    async def processed(self, durable: str, event_id: str) -> None:
        """Wait until the listener `durable` has committed the event `event_id`."""
        records = self.db_client[self.settings.database_name]["processed_events"]
        await eventually(lambda: records.find_one({"_id": f"{durable}:{event_id}"}))


async def eventually(check: Callable[[], Awaitable[object]], seconds: float = 10.0) -> Any:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        if result := await check():
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)
