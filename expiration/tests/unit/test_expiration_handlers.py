"""Scheduling a hold's expiry, against an in-memory schedule store keyed like JetStream's
(one schedule subject per order, replaced on re-publish)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from expiration.domain import ScheduledExpiration, schedule_subject
from expiration.handlers import schedule_expiration
from ticketing_common.events import OrderCreated

EXPIRES = datetime(2026, 11, 21, 9, 53, 56, tzinfo=UTC)


class FakeSchedules:
    def __init__(self) -> None:
        self.by_subject: dict[str, ScheduledExpiration] = {}

    async def put(self, scheduled: ScheduledExpiration) -> None:
        self.by_subject[scheduled.subject] = scheduled


def order(order_id: str, expires_at: datetime = EXPIRES) -> OrderCreated:
    return OrderCreated(
        order_id=order_id, user_id="u1", version=0, amount=2050, expires_at=expires_at
    )


async def test_each_order_gets_one_schedule_at_its_expiry_even_when_delivered_twice() -> None:
    schedules = FakeSchedules()
    await schedule_expiration(order("o1"), schedules)
    await schedule_expiration(order("o1"), schedules)
    await schedule_expiration(order("o2", EXPIRES + timedelta(minutes=5)), schedules)
    assert sorted(schedules.by_subject) == [schedule_subject("o1"), schedule_subject("o2")]
    first = schedules.by_subject[schedule_subject("o1")]
    assert (first.order_id, first.expires_at, first.event.order_id) == ("o1", EXPIRES, "o1")
