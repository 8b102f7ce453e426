"""Unit tests: a resale listing's edit rules and its locks by orders."""

from __future__ import annotations

import pytest

from ticketing_common.domain_errors import Conflict, Forbidden, RuleViolation
from ticketing_common.events import TicketCancelled
from tickets.domain.listings import Listing


def test_listing_locks_releases_and_sells_by_order() -> None:
    listing = Listing("l1", "Ticket", 2000, "seller")
    locked = listing.locked_by("o1")
    assert locked is not None
    assert (locked.order_id, locked.version) == ("o1", 1)
    assert locked.released_by("o0") is None  # a stale cancel of another order
    with pytest.raises(RuleViolation, match="reserved"):
        locked.edited("seller", "T", 1, None)
    released = locked.released_by("o1")
    assert released is not None
    assert (released.order_id, released.version) == (None, 2)
    sold = locked.sold_to("o1")
    assert sold is not None
    assert sold.sold
    assert sold.version == 1
    with pytest.raises(Forbidden):
        listing.edited("someone-else", "T", 1, None)
    with pytest.raises(Conflict):
        listing.edited("seller", "T", 1, expected_version=3)


def test_a_hold_taken_before_orders_saw_a_reprice_wins_at_its_own_price() -> None:
    listing = Listing("l1", "Ticket", 5000, "seller")
    # The seller repriced to 1.00; orders had not seen it yet and held at 50.00.
    repriced = listing.edited("seller", "Ticket", 100, None)

    locked = repriced.locked_by("o1", price=5000)

    assert locked is not None
    assert (locked.order_id, locked.price, locked.version) == ("o1", 5000, 2)
    (event,) = [e for e in locked.outgoing if e.version == 2]
    assert (event.price, event.order_id) == (5000, "o1")


def test_a_hold_at_the_current_price_only_locks() -> None:
    listing = Listing("l1", "Ticket", 100, "seller", version=1)
    locked = listing.after_order("o1", "created", 100)
    assert locked is not None
    assert (locked.order_id, locked.price) == ("o1", 100)
    sold_elsewhere = Listing("l2", "Ticket", 100, "seller").after_order("o2", "completed", 700)
    assert sold_elsewhere is not None
    assert (sold_elsewhere.sold, sold_elsewhere.price) == (True, 700)


def test_only_the_seller_withdraws_a_listing_no_order_holds() -> None:
    listing = Listing("l1", "Ticket", 2000, "seller", version=2)
    with pytest.raises(Forbidden, match="Only the seller may withdraw"):
        listing.withdrawn_by("someone-else")
    locked = listing.locked_by("o1")
    assert locked is not None
    with pytest.raises(RuleViolation, match="Cannot withdraw a reserved ticket"):
        locked.withdrawn_by("seller")
    with pytest.raises(RuleViolation, match="Cannot withdraw a reserved ticket"):
        Listing("l2", "Ticket", 2000, "seller", sold=True).withdrawn_by("seller")

    withdrawn = listing.withdrawn_by("seller")

    assert (withdrawn.withdrawn, withdrawn.version) == (True, 3)
    (event,) = withdrawn.outgoing
    assert isinstance(event, TicketCancelled)
    assert (event.ticket_id, event.version, event.user_id) == ("l1", 3, "seller")
    # Orders ends any order of a withdrawn listing: the catalog's record locks nothing.
    assert withdrawn.after_order("o1", "created") is None
    assert withdrawn.after_order("o1", "completed") is None
