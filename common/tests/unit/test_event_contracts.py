"""Contract tests: every event's JSON matches its golden file, and the golden file parses back.

Regenerate the golden files only for an additive change:
`python common/tests/unit/test_event_contracts.py`.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from ticketing_common.events import (
    EVENT_TYPES,
    Event,
    EventCreated,
    EventUpdated,
    ExpirationComplete,
    IssuedTicketRef,
    OrderCancelled,
    OrderCompleted,
    OrderCreated,
    OrderedTicket,
    OrderItem,
    PaymentCreated,
    PaymentFailed,
    PaymentRefunded,
    SeatDefinition,
    SeatRowDefinition,
    Subject,
    TicketCancelled,
    TicketCreated,
    TicketTypeDefinition,
    TicketUpdated,
    UserCreated,
    UserSignedOut,
    WaitlistOffered,
    seat_id,
)

AT = datetime(2026, 11, 21, 10, 0, 0, tzinfo=UTC)
STARTS = datetime(2027, 3, 1, 19, 30, tzinfo=UTC)
ENDS = datetime(2027, 3, 1, 22, 0, tzinfo=UTC)
ENVELOPE = {"id": "evt-0001", "occurred_at": AT}

_inventory = {
    "event_id": "64b000000000000000000001",
    "organizer_id": "64a000000000000000000001",
    "name": "Night at the Opera",
    "starts_at": STARTS,
    "ends_at": ENDS,
    "hold_minutes": 10,
    "currency": "eur",
    "ticket_types": [
        TicketTypeDefinition(id="stalls", name="Stalls", price=4550, quantity=2, max_per_order=4)
    ],
    "seats": [
        SeatDefinition(
            id="A-1-1", section="A", row="1", label="1", index=0, ticket_type_id="stalls"
        ),
        SeatDefinition(
            id="A-1-2", section="A", row="1", label="2", index=1, ticket_type_id="stalls"
        ),
    ],
    "seat_rows": [
        SeatRowDefinition(section="Box 1", row="A", ticket_type_id="stalls", labels=["L", "R"])
    ],
    "version": 3,
}
_order = {
    "order_id": "64c000000000000000000001",
    "user_id": "64a000000000000000000002",
    "version": 1,
    "event_id": "64b000000000000000000001",
    "items": [OrderItem(ticket_type_id="stalls", quantity=1, unit_price=4550, seat_id="A-1-2")],
    "amount": 4550,
    "currency": "eur",
}
_listing = {
    "ticket_id": "64d000000000000000000001",
    "title": "Front row, resale",
    "price": 2050,
    "user_id": "64a000000000000000000003",
    "version": 2,
}

SAMPLES: list[Event] = [
    UserCreated(**ENVELOPE, user_id="64a000000000000000000001", email="ada@example.com"),
    EventCreated(**ENVELOPE, **_inventory),
    EventUpdated(**ENVELOPE, **{**_inventory, "status": "cancelled", "version": 4}),
    TicketCreated(**ENVELOPE, **_listing),
    TicketUpdated(**ENVELOPE, **_listing, order_id="64c000000000000000000002"),
    OrderCreated(**ENVELOPE, **_order, expires_at=datetime(2026, 11, 21, 10, 10, tzinfo=UTC)),
    OrderCancelled(**ENVELOPE, **_order, reason="expired"),
    OrderCompleted(
        **ENVELOPE,
        **{**_order, "event_id": None, "items": [], "amount": 2050, "version": 2},
        ticket=OrderedTicket(id="64d000000000000000000001", price=2050),
        ticket_ids=["64e000000000000000000001"],
        tickets=[IssuedTicketRef(id="64e000000000000000000001", key="k1.payload.signature")],
    ),
    ExpirationComplete(**ENVELOPE, order_id="64c000000000000000000001"),
    PaymentCreated(
        **ENVELOPE,
        payment_id="64f000000000000000000001",
        order_id="64c000000000000000000001",
        amount=4550,
        currency="eur",
        provider_ref="pi_123",
    ),
    PaymentFailed(
        **ENVELOPE,
        order_id="64c000000000000000000001",
        reason="insufficient_funds",
        message="Payment failed due to not enough money",
    ),
    PaymentRefunded(
        **ENVELOPE,
        payment_id="64f000000000000000000001",
        order_id="64c000000000000000000001",
        refund_id="re_123",
        amount=4550,
        currency="eur",
    ),
    UserSignedOut(
        **ENVELOPE,
        user_id="64a000000000000000000001",
        session_id="5f0c1d2e3a4b5c6d7e8f901234567890",
        everywhere=True,
        generation=2,
        expires_at=datetime(2026, 11, 21, 18, 0, tzinfo=UTC),
    ),
    TicketCancelled(**ENVELOPE, **{**_listing, "version": 3}),
    WaitlistOffered(
        **ENVELOPE,
        entry_id="650000000000000000000001",
        order_id="64c000000000000000000003",
        user_id="64a000000000000000000002",
        event_id="64b000000000000000000001",
        event_name="Night at the Opera",
        ticket_type_id="stalls",
        ticket_type_name="Stalls",
        quantity=2,
        amount=9100,
        currency="eur",
        expires_at=datetime(2026, 11, 21, 10, 30, tzinfo=UTC),
    ),
]


GOLDEN = Path(__file__).parent / "golden"


def _golden(event: Event) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((GOLDEN / f"{event.subject}.json").read_text())
    return loaded


def test_every_subject_has_a_model_and_a_sample() -> None:
    assert set(EVENT_TYPES) == set(Subject)
    assert {s.subject for s in SAMPLES} == set(Subject)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: str(e.subject))
def test_event_serializes_to_its_golden_json(event: Event) -> None:
    assert json.loads(event.to_json()) == _golden(event)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: str(e.subject))
def test_golden_json_parses_back_to_the_same_event(event: Event) -> None:
    parsed = EVENT_TYPES[event.subject].model_validate_json(json.dumps(_golden(event)))
    assert parsed == event


def test_envelope_is_generated_when_not_given() -> None:
    first = UserCreated(user_id="u1", email="a@b.c")
    second = UserCreated(user_id="u1", email="a@b.c")
    assert first.id != second.id
    assert first.occurred_at.tzinfo is not None
    assert first.to_document()["schemaVersion"] == 1


def test_unknown_fields_are_ignored_so_additions_stay_compatible() -> None:
    payload = {**_golden(SAMPLES[0]), "addedLater": True}
    assert UserCreated.model_validate(payload).email == "ada@example.com"


def test_missing_or_wrong_typed_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        UserCreated.model_validate({"id": "x", "occurredAt": "2026-01-01T00:00:00Z"})
    broken = {**_golden(SAMPLES[5]), "amount": "lots"}
    with pytest.raises(ValidationError):
        OrderCreated.model_validate(broken)


def test_seat_rows_expand_to_derived_ids_and_positions() -> None:
    row = SeatRowDefinition(
        section=" Main Floor ", row="A", ticket_type_id="t1", labels=["1", "2b"]
    )
    assert [(s.id, s.index, s.label, s.ticket_type_id) for s in row.expand()] == [
        ("Main_Floor-A-1", 0, "1", "t1"),
        ("Main_Floor-A-2b", 1, "2b", "t1"),
    ]
    assert seat_id("Balcony (left)", "row 1", "#7") == "Balcony_left-row_1-7"
    assert seat_id("  ", "A", "!") == "_-A-_"


def test_all_seats_reads_old_and_new_forms_in_layout_order() -> None:
    created = SAMPLES[1]
    assert isinstance(created, EventCreated)
    assert [s.id for s in created.all_seats()] == ["A-1-1", "A-1-2", "Box_1-A-L", "Box_1-A-R"]
    assert created.seated_type_ids() == {"stalls"}
    old = {k: v for k, v in _golden(created).items() if k != "seatRows"}
    parsed = EventCreated.model_validate(old)
    assert [s.id for s in parsed.all_seats()] == ["A-1-1", "A-1-2"]
    rows_only = EventCreated.model_validate({**_golden(created), "seats": []})
    assert [s.index for s in rows_only.all_seats()] == [0, 1]
    assert rows_only.all_seats()[1] == SeatDefinition(
        id="Box_1-A-R", section="Box 1", row="A", label="R", index=1, ticket_type_id="stalls"
    )


def test_a_seat_row_needs_labels() -> None:
    with pytest.raises(ValidationError):
        SeatRowDefinition.model_validate(
            {"section": "A", "row": "1", "ticketTypeId": "t1", "labels": []}
        )


def test_naive_timestamps_are_rejected() -> None:
    payload = {**_golden(SAMPLES[0]), "occurredAt": "2026-11-21T10:00:00"}
    with pytest.raises(ValidationError):
        UserCreated.model_validate(payload)


if __name__ == "__main__":
    for sample in SAMPLES:
        path = GOLDEN / f"{sample.subject}.json"
        path.write_text(json.dumps(json.loads(sample.to_json()), indent=2) + "\n")
    sys.exit(0)
