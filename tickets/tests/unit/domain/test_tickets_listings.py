"""Unit tests: a resale listing's edit rules and its locks by orders."""

from __future__ import annotations

import pytest

from ticketing_common.domain_errors import Conflict, Forbidden, RuleViolation
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
