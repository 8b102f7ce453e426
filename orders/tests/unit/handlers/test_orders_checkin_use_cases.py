"""Door check-in, on in-memory fakes: a genuine key is valid once, only for the event's
organizer (a resale ticket: its seller); refused once its order or event is cancelled
or its event has ended; keys issued before (HMAC) still pass until the event ends."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from orders_fakes import NOW, FakeUnit, general_type

from orders.domain.errors import NotOrganizer
from orders.domain.keys import sign_ticket_key
from orders.domain.order_parts import IssuedTicket
from orders.domain.signed_keys import TicketClaims
from orders.handlers.checkin import verify_ticket
from orders.handlers.event_cancellation import cancel_event_orders
from orders.handlers.holds import hold_general, hold_listing
from orders.handlers.settlement import settle_payment


async def _issued_key(uow: FakeUnit, order_id: str) -> str:
    await settle_payment(uow, order_id, "p1", NOW)
    order = await uow.orders.get(order_id)
    assert order is not None
    return order.tickets[0].key


async def _bought(uow: FakeUnit) -> str:
    return await _issued_key(uow, (await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW)).order.id)


async def _verdict(uow: FakeUnit, key: str, user: str = "organizer", at: datetime = NOW) -> str:
    return (await verify_ticket(uow, key, user, at)).verdict


async def test_a_ticket_checks_in_once_and_only_for_the_organizer() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga"))
    key = await _bought(uow)

    with pytest.raises(NotOrganizer):
        await verify_ticket(uow, key, "buyer", NOW)
    check = await verify_ticket(uow, f"  {key} ", "organizer", NOW)
    assert check.verdict == "valid"
    assert check.ticket is not None
    assert check.ticket.ticket_type_id == "ga"
    assert await _verdict(uow, key) == "already_used"


async def test_forged_and_re_signed_keys_are_invalid() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga"))
    key = await _bought(uow)
    claims = uow.ticket_keys.read(key)
    assert isinstance(claims, TicketClaims)

    assert await _verdict(uow, "garbage") == "invalid"
    # Genuinely signed, but not the key that was issued for that ticket.
    resigned = uow.ticket_keys.sign(replace(claims, seat_id="A-1"))
    assert await _verdict(uow, resigned) == "invalid"
    other_order = uow.ticket_keys.sign(replace(claims, order_id="o2"))
    assert await _verdict(uow, other_order) == "invalid"


async def test_a_resale_ticket_is_checked_in_by_its_seller() -> None:
    uow = FakeUnit()
    uow.add_listing("seller")
    key = await _issued_key(uow, (await hold_listing(uow, "buyer", "t1", NOW)).order.id)

    assert await _verdict(uow, key, "seller") == "valid"


async def test_a_ticket_of_a_cancelled_event_is_refused() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga"))
    key = await _bought(uow)

    await cancel_event_orders(uow, "e1", NOW)

    check = await verify_ticket(uow, key, "organizer", NOW)
    assert (check.verdict, check.cancel_reason) == ("cancelled", "event_cancelled")


async def test_a_ticket_is_refused_once_its_event_has_ended() -> None:
    uow = FakeUnit()
    event = uow.add_event(NOW, general_type("ga"))
    key = await _bought(uow)

    assert await _verdict(uow, key, at=event.ends_at) == "expired"
    assert await _verdict(uow, key, at=event.ends_at - timedelta(seconds=1)) == "valid"


async def test_a_legacy_hmac_key_passes_until_its_event_ends() -> None:
    uow = FakeUnit()
    event = uow.add_event(NOW, general_type("ga"))
    await _bought(uow)
    (order,) = uow.orders.stored.values()
    legacy = sign_ticket_key(uow.ticket_keys.legacy_secret, "old-ticket", "e1")
    issued = [IssuedTicket("old-ticket", legacy, "ga")]
    uow.orders.stored[order.id] = replace(order, tickets=issued)  # issued before Ed25519

    assert await _verdict(uow, legacy, at=event.ends_at) == "expired"
    assert await _verdict(uow, legacy) == "valid"
    assert await _verdict(uow, legacy) == "already_used"
