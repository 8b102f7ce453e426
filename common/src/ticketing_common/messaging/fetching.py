"""Pulling a listener's next batch from its durable consumer."""

from __future__ import annotations

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext

# How long taking what else is there may wait when nothing more is (a pull that finds
# nothing lingers until it expires).
DRAIN_SECONDS = 0.01


async def next_batch(subscription: JetStreamContext.PullSubscription, size: int) -> list[Msg]:
    """Wait up to a second for one message, then take at once what else is there (up to
    `size`). A single `fetch(size)` waits on after its first message until the batch is
    full or the second has passed: when events trickle in (an expiry wave), each could
    wait most of a second before it was handled. Raises a timeout when none came."""
    first = await subscription.fetch(1, timeout=1)
    if size == 1:
        return first
    try:
        return first + await subscription.fetch(size - 1, timeout=DRAIN_SECONDS)
    except (NatsTimeoutError, TimeoutError):
        return first
