"""Publishing events to JetStream with their id as `Nats-Msg-Id`."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from nats.js import JetStreamContext

from ticketing_common.events import STREAM_NAME, Event

# How long the acks of a batch published together may take, all of them.
BATCH_ACK_SECONDS = 10.0
# One message to publish: subject, payload, id.
Outgoing = tuple[str, bytes, str]


class Publisher:
    def __init__(self, js: JetStreamContext) -> None:
        self._js = js

    async def publish(self, event: Event) -> None:
        await self.publish_raw(str(event.subject), event.to_json(), event.id)

    async def publish_raw(
        self, subject: str, payload: bytes, msg_id: str, headers: dict[str, str] | None = None
    ) -> None:
        """Publish and wait for the stream's ack; a duplicate id is acknowledged, not stored."""
        await self._js.publish(
            subject,
            payload,
            stream=STREAM_NAME,
            headers={"Nats-Msg-Id": msg_id, **(headers or {})},
        )

    async def publish_many_raw(self, messages: Sequence[Outgoing]) -> None:
        """Publish in order without waiting for each ack before the next (a relay's batch:
        one at a time, an expiry wave's cancellations reached the stream seconds late);
        returns once the stream acknowledged every one, and raises if any was refused
        or unanswered (the caller sends the batch again: the ids make repeats harmless)."""
        acks = [
            await self._js.publish_async(
                subject, payload, stream=STREAM_NAME, headers={"Nats-Msg-Id": msg_id}
            )
            for subject, payload, msg_id in messages
        ]
        await asyncio.wait_for(asyncio.gather(*acks), BATCH_ACK_SECONDS)
