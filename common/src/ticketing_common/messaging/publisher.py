"""Publishing events to JetStream with their id as `Nats-Msg-Id`."""

from __future__ import annotations

from nats.js import JetStreamContext

from ticketing_common.events import STREAM_NAME, Event


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
