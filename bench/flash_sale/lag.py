"""How far the consumers of the hold's events are behind, and how many events were
published, read from the broker alone.

A durable consumer is named `<service>-<subject>` (the listener base class), so a
service's lag is the sum of num_pending (not yet delivered) and num_ack_pending
(delivered, not yet acked) over its consumers. Caught up also needs every hold's
`order.created` in the stream (orders' outbox relay may still hold some back).
"""

from __future__ import annotations

from nats.js import JetStreamContext

from bench.flash_sale.plan import CONSUMING_SERVICES
from bench.support import seconds_or_none
from ticketing_common.events import STREAM_NAME

ORDER_CREATED = "order.created"
ORDER_COMPLETED = "order.completed"
CATCH_UP_LIMIT = 300.0


async def consumer_lag(
    js: JetStreamContext, services: tuple[str, ...] = CONSUMING_SERVICES
) -> dict[str, int]:
    """Messages each of `services` still has to process."""
    lag = dict.fromkeys(services, 0)
    for info in await js.consumers_info(STREAM_NAME):
        service = (info.name or "").split("-", 1)[0]
        if service in lag:
            lag[service] += (info.num_pending or 0) + (info.num_ack_pending or 0)
    return lag


async def messages_on(js: JetStreamContext, subject: str) -> int:
    info = await js.stream_info(STREAM_NAME, subjects_filter=subject)
    return int((info.state.subjects or {}).get(subject, 0))


async def seconds_to_catch_up(js: JetStreamContext, created_expected: int) -> float | None:
    """Seconds until `created_expected` order.created are in the stream and no consumer lags
    (None: not within CATCH_UP_LIMIT)."""

    async def caught_up() -> bool:
        if await messages_on(js, ORDER_CREATED) < created_expected:
            return False
        return not any((await consumer_lag(js)).values())

    return await seconds_or_none(caught_up, CATCH_UP_LIMIT)


async def seconds_until_published(
    js: JetStreamContext, subject: str, expected: int
) -> float | None:
    """Seconds until `expected` messages are on `subject` (None: not within CATCH_UP_LIMIT).

    Read from the broker, so waiting costs the database nothing: an order's
    order.completed is written with its status (orders' embedded outbox) and published
    right after, so the count of them is the count of complete orders, a relay pass late.
    """

    async def published() -> bool:
        return await messages_on(js, subject) >= expected

    return await seconds_or_none(published, CATCH_UP_LIMIT)
