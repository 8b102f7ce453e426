"""A resale listing as orders replicates it: one ticket, sold by one user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orders.domain.errors import OwnTicket
from orders.domain.holds import HoldWindow
from orders.domain.order import Order, new_order_id
from orders.domain.order_parts import ListingRef


@dataclass(frozen=True)
class Listing:
    id: str
    title: str
    price: int
    currency: str
    seller_id: str

    def ensure_buyable_by(self, buyer_id: str) -> None:
        if buyer_id == self.seller_id:
            raise OwnTicket()

    def order_for(self, buyer_id: str, window: HoldWindow, now: datetime) -> Order:
        """The buyer's new order for this listing (a seller cannot buy their own)."""
        self.ensure_buyable_by(buyer_id)
        return Order(
            id=new_order_id(),
            user_id=buyer_id,
            kind="listing",
            status="created",
            version=0,
            created_at=now,
            expires_at=window.expires_at,
            currency=self.currency,
            listing=ListingRef(self.id, self.title, self.price),
        )
