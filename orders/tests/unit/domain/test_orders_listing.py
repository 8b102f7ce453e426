"""A resale listing: who may buy it, and the order a buyer gets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from orders.domain import OwnTicket
from orders.domain.holds import HoldWindow
from orders.domain.listing import Listing
from orders.domain.order_parts import ListingRef

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
LISTING = Listing(id="t1", title="Resale seat", price=1550, currency="usd", seller_id="seller")


def test_a_seller_cannot_buy_their_own_ticket() -> None:
    with pytest.raises(OwnTicket, match="You cannot buy your own ticket") as refused:
        LISTING.order_for("seller", HoldWindow(NOW + timedelta(minutes=15)), NOW)
    assert refused.value.field == "ticketId"


def test_a_buyer_gets_a_pending_order_for_the_listing() -> None:
    order = LISTING.order_for("buyer", HoldWindow(NOW + timedelta(minutes=15)), NOW)
    assert (order.kind, order.status, order.user_id, order.currency) == (
        "listing",
        "created",
        "buyer",
        "usd",
    )
    assert order.listing == ListingRef("t1", "Resale seat", 1550)
    assert order.expires_at == NOW + timedelta(minutes=15)
    assert order.amount == 1550
