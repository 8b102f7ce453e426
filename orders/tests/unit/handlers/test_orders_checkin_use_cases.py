"""Door check-in, on in-memory fakes: a genuine key is valid once, only for the event's
organizer (a resale ticket: its seller)."""

from __future__ import annotations

import pytest
from orders_fakes import NOW, FakeUnit, general_type

from orders.domain.errors import NotOrganizer
from orders.domain.keys import sign_ticket_key
from orders.handlers.checkin import verify_ticket
from orders.handlers.holds import hold_general, hold_listing
from orders.handlers.settlement import settle_payment


async def _issued_key(uow: FakeUnit, order_id: str) -> str:
    await settle_payment(uow, order_id, "p1", NOW)
    order = await uow.orders.get(order_id)
    assert order is not None
    return order.tickets[0].key


async def test_a_ticket_checks_in_once_and_only_for_the_organizer() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga"))
    key = await _issued_key(uow, (await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW)).order.id)

    with pytest.raises(NotOrganizer):
        await verify_ticket(uow, key, "buyer", NOW)
    assert await verify_ticket(uow, key, "organizer", NOW) == "valid"
    assert await verify_ticket(uow, key, "organizer", NOW) == "already_used"


async def test_forged_and_re_signed_keys_are_invalid() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga"))
    key = await _issued_key(uow, (await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW)).order.id)
    ticket_id, event_id, _, _ = key.split(".")

    assert await verify_ticket(uow, "garbage", "organizer", NOW) == "invalid"
    resigned = sign_ticket_key(uow.key_secret, ticket_id, event_id)
    assert await verify_ticket(uow, resigned, "organizer", NOW) == "invalid"


async def test_a_resale_ticket_is_checked_in_by_its_seller() -> None:
    uow = FakeUnit()
    uow.add_listing("seller")
    key = await _issued_key(uow, (await hold_listing(uow, "buyer", "t1", NOW)).order.id)

    assert await verify_ticket(uow, key, "seller", NOW) == "valid"
