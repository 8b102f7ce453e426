"""The expiration service's only state: scheduled messages kept by JetStream.

No database of its own and no polling loop: the broker stores each schedule durably
and publishes `expiration.complete` when it is due, across restarts of this service
and of nats-server.
"""

from __future__ import annotations

from datetime import datetime

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from expiration.domain import ScheduledExpiration, schedule_subject
from ticketing_common.events import STREAM_NAME, ExpirationComplete
from ticketing_common.messaging import Publisher


class ExpirationSchedules:
    def __init__(self, js: JetStreamContext, publisher: Publisher) -> None:
        self.js = js
        self.publisher = publisher

    async def put(self, scheduled: ScheduledExpiration) -> None:
        """Create or replace the order's schedule (waits for the stream's ack)."""
        await self.publisher.publish_raw(
            scheduled.subject,
            scheduled.event.to_json(),
            scheduled.message_id,
            scheduled.headers(),
        )

    async def pending(self, order_id: str) -> tuple[ExpirationComplete, datetime] | None:
        """The schedule still waiting for an order, or None once fired (the broker purges it)."""
        try:
            message = await self.js.get_last_msg(STREAM_NAME, schedule_subject(order_id))
        except NotFoundError:
            return None
        event = ExpirationComplete.model_validate_json(message.data or b"{}")
        return event, event.occurred_at
