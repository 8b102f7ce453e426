"""The schedule a hold becomes: subject, time format, deterministic payload."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from expiration.domain import (
    expiration_event_id,
    expiration_for,
    schedule_subject,
    schedule_time,
)
from ticketing_common.events import ExpirationComplete, OrderCreated


def _order(order_id: str = "65f0c0ffee0000000000abcd", **changes: object) -> OrderCreated:
    fields: dict[str, object] = {
        "order_id": order_id,
        "user_id": "u1",
        "version": 0,
        "amount": 2050,
        "expires_at": datetime(2026, 11, 21, 9, 53, 56, 123456, tzinfo=UTC),
    }
    fields.update(changes)
    return OrderCreated.model_validate(fields)


def test_schedule_time_rounds_up_to_the_next_millisecond() -> None:
    at = datetime(2026, 11, 21, 9, 53, 56, 123001, tzinfo=UTC)
    assert schedule_time(at) == "2026-11-21T09:53:56.124Z"


def test_schedule_time_keeps_an_exact_millisecond_and_carries_into_seconds() -> None:
    assert schedule_time(datetime(2026, 1, 1, 0, 0, 0, 5000, tzinfo=UTC)) == (
        "2026-01-01T00:00:00.005Z"
    )
    assert schedule_time(datetime(2026, 1, 1, 0, 0, 59, 999500, tzinfo=UTC)) == (
        "2026-01-01T00:01:00.000Z"
    )


def test_schedule_time_is_utc_whatever_the_input_zone() -> None:
    paris = timezone(timedelta(hours=1))
    assert schedule_time(datetime(2026, 11, 21, 10, 0, tzinfo=paris)) == (
        "2026-11-21T09:00:00.000Z"
    )


def test_one_schedule_subject_per_order_inside_the_stream() -> None:
    assert schedule_subject("abc") == "expiration.schedule.abc"
    assert schedule_subject("abc").startswith("expiration.")
    # Not the subject the orders service consumes.
    assert schedule_subject("abc") != "expiration.complete"


def test_the_scheduled_payload_is_the_expiration_event_with_a_stable_id() -> None:
    first = expiration_for(_order())
    again = expiration_for(_order(id="another-delivery-of-the-same-order"))
    assert first.event.id == again.event.id == expiration_event_id(first.order_id)
    assert first.event.to_json() == again.event.to_json()
    assert first.message_id == again.message_id
    parsed = ExpirationComplete.model_validate_json(first.event.to_json())
    assert parsed.order_id == "65f0c0ffee0000000000abcd"


def test_different_orders_get_different_event_ids() -> None:
    assert expiration_for(_order("a")).event.id != expiration_for(_order("b")).event.id


def test_headers_target_expiration_complete_at_the_expiry() -> None:
    headers = expiration_for(_order()).headers()
    assert headers == {
        "Nats-Schedule": "@at 2026-11-21T09:53:56.124Z",
        "Nats-Schedule-Target": "expiration.complete",
    }
