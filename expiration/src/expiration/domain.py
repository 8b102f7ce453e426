"""What a hold's expiry looks like as a JetStream scheduled message; no I/O here.

One schedule subject per order: publishing again to it replaces the schedule, so a
redelivered `order.created` never schedules twice. The payload is the very
`expiration.complete` event the broker will publish when it is due; its envelope id
is derived from the order, so even a schedule that fires twice (an `order.created`
redelivered after its expiry already fired) carries the same id and the consumers'
processed-event records apply it once.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ticketing_common.events import ExpirationComplete, OrderCreated, Subject

SCHEDULE_SUBJECT_PREFIX = "expiration.schedule."
# uuid5 namespace of expiration event ids: same order -> same event id, on every replica.
_EXPIRATION_IDS = uuid.UUID("6f1d7a52-4f4e-4b8e-9a55-0c2b8f7e1a01")


def schedule_subject(order_id: str) -> str:
    return f"{SCHEDULE_SUBJECT_PREFIX}{order_id}"


def expiration_event_id(order_id: str) -> str:
    return uuid.uuid5(_EXPIRATION_IDS, order_id).hex


def schedule_time(at: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, rounded up: a hold never expires before its time.

    nats-server accepts fractional seconds in `@at`; truncating to whole seconds
    would fire up to a second early.
    """
    at = at.astimezone(UTC)
    whole_ms = math.ceil(at.microsecond / 1000)
    at = at.replace(microsecond=0) + timedelta(milliseconds=whole_ms)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class ScheduledExpiration:
    """One scheduled message: where it lives, when it fires, what it publishes."""

    order_id: str
    expires_at: datetime
    event: ExpirationComplete

    @property
    def subject(self) -> str:
        return schedule_subject(self.order_id)

    @property
    def message_id(self) -> str:
        # De-duplicates a re-sent schedule inside the stream's duplicate window.
        return f"schedule-{self.order_id}-{schedule_time(self.expires_at)}"

    def headers(self) -> dict[str, str]:
        return {
            "Nats-Schedule": f"@at {schedule_time(self.expires_at)}",
            "Nats-Schedule-Target": str(Subject.EXPIRATION_COMPLETE),
        }


def expiration_for(order: OrderCreated) -> ScheduledExpiration:
    event = ExpirationComplete(
        id=expiration_event_id(order.order_id),
        order_id=order.order_id,
        occurred_at=order.expires_at,
    )
    return ScheduledExpiration(order.order_id, order.expires_at, event)
