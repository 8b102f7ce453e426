"""Provider webhooks already handled, by their event id, behind the `WebhookEvents` port."""

from __future__ import annotations

import contextlib
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from ticketing_common.mongo import Document


class MongoWebhookEvents:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.events = db["webhook_events"]

    async def seen(self, event_id: str) -> bool:
        return await self.events.find_one({"_id": event_id}) is not None

    async def record(self, event_id: str, event_type: str, now: datetime) -> None:
        # A concurrent delivery may have recorded it first; the handlers are idempotent.
        with contextlib.suppress(DuplicateKeyError):
            await self.events.insert_one({"_id": event_id, "type": event_type, "receivedAt": now})
