"""What the stream says: messages on a subject (with the time the stream stored each),
expiry schedules per order, the durable consumers and whether they have caught up; and a
publish that is retried, under the same `Nats-Msg-Id`, until the stream acknowledges it.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import datetime

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, ConsumerInfo, DeliverPolicy, PubAck

from ticketing_common.events import STREAM_NAME

SCHEDULES = "expiration.schedule."


@dataclass(frozen=True)
class StreamMessage:
    seq: int
    subject: str
    data: bytes
    stored_at: datetime

    def field(self, name: str) -> object:
        """A top-level field of the JSON payload (None for a payload that is not an object)."""
        try:
            payload = json.loads(self.data)
        except ValueError:
            return None
        return payload.get(name) if isinstance(payload, dict) else None


async def messages_on(js: JetStreamContext, subject: str) -> list[StreamMessage]:
    """Every message the stream holds on `subject`, read by a throw-away consumer."""
    config = ConsumerConfig(
        deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE, inactive_threshold=60
    )
    subscription = await js.pull_subscribe(subject, stream=STREAM_NAME, config=config)
    found: list[StreamMessage] = []
    try:
        if (await subscription.consumer_info()).num_pending == 0:
            return found
        while True:
            for msg in await subscription.fetch(500, timeout=5):
                meta = msg.metadata
                found.append(
                    StreamMessage(meta.sequence.stream, msg.subject, msg.data, meta.timestamp)
                )
                if meta.num_pending == 0:
                    return found
    finally:
        await subscription.unsubscribe()


async def schedules(js: JetStreamContext) -> dict[str, int]:
    """Order id -> messages on its expiry schedule subject (1 while pending, 0 once fired)."""
    info = await js.stream_info(STREAM_NAME, subjects_filter=f"{SCHEDULES}>")
    subjects = info.state.subjects or {}
    return {subject.removeprefix(SCHEDULES): count for subject, count in subjects.items()}


async def durables(js: JetStreamContext) -> dict[str, ConsumerInfo]:
    """The services' durable consumers by name (throw-away readers left out)."""
    infos = await js.consumers_info(STREAM_NAME)
    return {i.name: i for i in infos if i.config.durable_name}


async def consumer_figures(js: JetStreamContext, subject: str) -> dict[str, dict[str, int]]:
    """Per durable consumer of `subject`: deliveries, how far it has acknowledged, and
    what is redelivered or pending now."""
    figures = {}
    for name, info in (await durables(js)).items():
        if info.config.filter_subject == subject:
            figures[name] = {
                "delivered": info.delivered.consumer_seq if info.delivered else 0,
                "acknowledged_through": info.ack_floor.consumer_seq if info.ack_floor else 0,
                "redelivered_now": info.num_redelivered or 0,
                "pending": (info.num_pending or 0) + (info.num_ack_pending or 0),
            }
    return figures


async def caught_up(js: JetStreamContext) -> bool:
    """Every durable consumer has had and acknowledged (or terminated) every message."""
    infos = await durables(js)
    return all(i.num_pending == 0 and i.num_ack_pending == 0 for i in infos.values())


async def stream_leader(js: JetStreamContext) -> str | None:
    info = await js.stream_info(STREAM_NAME)
    return info.cluster.leader if info.cluster else None


async def publish_acked(
    js: JetStreamContext, subject: str, payload: bytes, msg_id: str, within: float = 30.0
) -> tuple[PubAck | None, int]:
    """Publish until the stream acknowledges (a failover may take a few tries) → (the ack,
    or None if none came within `within` seconds; the failed tries)."""
    deadline = time.monotonic() + within
    failures = 0
    while time.monotonic() < deadline:
        try:
            ack = await js.publish(
                subject, payload, stream=STREAM_NAME, headers={"Nats-Msg-Id": msg_id}, timeout=3
            )
        except Exception:  # no ack is what is counted, whatever the cause
            failures += 1
            await asyncio.sleep(0.2)
        else:
            return ack, failures
    return None, failures
