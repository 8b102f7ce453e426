"""The waiting list's rules: what the public may buy while a line waits, what the end of
an offered order makes of its entry, and what the sweep makes of an old offer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from orders_fakes import NOW, FakeUnit, general_type

from orders.domain.waitlist import TicketsOnSale, ended_status, join, offer_after, public_free


def test_the_public_may_buy_nothing_while_anyone_waits() -> None:
    assert public_free(3, line_waiting=False) == 3
    assert public_free(3, line_waiting=True) == 0
    assert public_free(0, line_waiting=False) == 0


def test_joining_needs_a_type_the_public_cannot_buy() -> None:
    event = FakeUnit().add_event(NOW, general_type())
    ticket_type = event.ticket_types[0]
    with pytest.raises(TicketsOnSale):
        join(event, ticket_type, "b", 2, 1, NOW)
    entry = join(event, ticket_type, "b", 2, 0, NOW)
    assert (entry.status, entry.joined_at, entry.order_id) == ("waiting", NOW, None)
    offered = entry.offered("o1", NOW + timedelta(minutes=30), NOW)
    assert (offered.status, offered.order_id, offered.offered_at) == ("offered", "o1", NOW)


def test_an_offered_orders_end_names_the_entrys_end() -> None:
    assert ended_status("expired") == "lapsed"
    assert ended_status("cancelled_by_buyer") == "declined"
    assert ended_status("event_cancelled") == "closed"


def test_the_sweep_requeues_an_offer_whose_order_was_never_recorded() -> None:
    assert offer_after(None) == "waiting"
    assert offer_after("abandoned") == "waiting"
    assert offer_after("complete") == "accepted"
    assert offer_after("cancelled") == "lapsed"
    assert offer_after("created") is None
    assert offer_after("awaiting:payment") is None
