"""The order aggregate: amounts, recorded events and the rules of each change."""

from __future__ import annotations

from typing import Any

import pytest
from order_builders import NOW, held_order

from orders.domain import (
    OrderAlreadyComplete,
    OrderNotFound,
    OrderNotPayable,
    PaymentInProgress,
)
from orders.domain.order import Order, owned_order, ticket_slots
from orders.domain.order_parts import IssuedTicket, Line, ListingRef
from ticketing_common.events import CancelReason


def order(**changes: Any) -> Order:
    lines = [Line("ga", 2, 2050), Line("vip", 1, 9900, "A-1")]
    return held_order("o1", "u1", **{"lines": lines, **changes})


def test_order_amount_events_and_transitions() -> None:
    pending = order()
    assert pending.amount == 2 * 2050 + 9900
    assert pending.pending
    created = pending.created_event()
    assert created.amount == pending.amount
    assert created.expires_at == pending.expires_at
    cancelled, event = pending.cancel("expired", NOW)
    assert event is not None
    assert cancelled.status == "cancelled"
    assert cancelled.version == 1
    assert event.reason == "expired"
    assert cancelled.cancelled_at == NOW
    assert ticket_slots(pending) == [("ga", None), ("ga", None), ("vip", "A-1")]


def test_listing_order_carries_the_ticket() -> None:
    resale = order(kind="listing", event_id=None, lines=[], listing=ListingRef("t9", "Seat", 1550))
    event = resale.created_event()
    assert event.ticket is not None
    assert event.ticket.price == 1550
    assert event.amount == 1550
    assert resale.signing_event_id == "listing-t9"
    assert ticket_slots(resale) == [(None, None)]


def test_a_buyer_cannot_cancel_a_completed_order_and_expiry_leaves_it() -> None:
    done = order(status="complete", version=3)
    with pytest.raises(OrderAlreadyComplete, match="Cannot cancel a completed order"):
        done.cancel("cancelled_by_buyer", NOW, by_buyer=True)
    assert done.cancel("expired", NOW) == (done, None)


@pytest.mark.parametrize("reason", ["event_cancelled", "listing_withdrawn"])
def test_a_completed_order_ends_when_what_it_bought_is_gone(reason: CancelReason) -> None:
    done = order(status="complete", version=3)

    cancelled, event = done.cancel(reason, NOW)

    assert (cancelled.status, cancelled.version, cancelled.cancel_reason) == (
        "cancelled",
        4,
        reason,
    )
    assert event is not None
    assert (event.reason, event.was_paid, event.version) == (reason, True, 4)
    assert cancelled.cancel(reason, NOW) == (cancelled, None)  # a redelivery
    pending_event = order().cancel(reason, NOW)[1]
    assert pending_event is not None
    assert not pending_event.was_paid


def test_an_order_being_paid_stays_with_its_payment() -> None:
    paying = order(settling="p1")
    with pytest.raises(PaymentInProgress, match="Payment for this order is being processed"):
        paying.cancel("cancelled_by_buyer", NOW, by_buyer=True)
    assert paying.cancel("expired", NOW) == (paying, None)


def test_a_cancelled_order_stays_cancelled_with_its_first_reason() -> None:
    cancelled, _ = order().cancel("cancelled_by_buyer", NOW, by_buyer=True)
    again, event = cancelled.cancel("expired", NOW)
    assert event is None
    assert again is cancelled
    assert again.cancel_reason == "cancelled_by_buyer"


def test_the_buyer_cancels_a_pending_order() -> None:
    cancelled, event = order(status="awaiting:payment").cancel(
        "cancelled_by_buyer", NOW, by_buyer=True
    )
    assert (cancelled.status, cancelled.cancel_reason, cancelled.version) == (
        "cancelled",
        "cancelled_by_buyer",
        1,
    )
    assert event is not None
    assert event.reason == "cancelled_by_buyer"


def test_settling_then_completing_issues_the_tickets() -> None:
    pending = order()
    settling = pending.start_settling("p1")
    assert settling.settling == "p1"
    assert settling.start_settling("p2") is settling  # the first payment keeps it
    tickets = [IssuedTicket("t1", "k1", "ga"), IssuedTicket("t2", "k2", "ga")]
    done, event = settling.complete(tickets)
    assert (done.status, done.version, done.settling, done.tickets) == (
        "complete",
        1,
        None,
        tickets,
    )
    assert event.ticket_ids == ["t1", "t2"]
    # The keys travel with the event (the buyer's mail carries the tickets).
    assert [(t.id, t.key) for t in event.tickets] == [(t.id, t.key) for t in tickets]


def test_only_a_pending_order_being_settled_completes_or_loses_its_hold() -> None:
    with pytest.raises(OrderNotPayable):
        order().complete([])
    with pytest.raises(OrderNotPayable):
        order(status="cancelled").start_settling("p1")
    with pytest.raises(OrderNotPayable):
        order(status="complete", settling="p1").hold_lost(NOW)
    lost, event = order(settling="p1").hold_lost(NOW)
    assert (lost.status, lost.cancel_reason, lost.settling) == ("cancelled", "expired", None)
    assert lost.cancelled_at == NOW
    assert event.reason == "expired"


def test_someone_elses_order_reads_as_missing() -> None:
    mine = order()
    assert owned_order(mine, "u1") is mine
    with pytest.raises(OrderNotFound, match="Order not found"):
        owned_order(mine, "u2")
    with pytest.raises(OrderNotFound):
        owned_order(None, "u1")
