"""Resale listings (the original "tickets"): one ticket, one seller, one price.

A listing locked by an order (`order_id` set) cannot be edited; every change that
other services replicate (price, title, lock) bumps `version`, and each bump is
published as `ticket.updated`, so replicas that apply updates in version order
never wait on a version they will not see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ticketing_common.domain_errors import Conflict, Forbidden, RuleViolation
from ticketing_common.events import TicketCreated, TicketUpdated

TITLE_MAX = 200


@dataclass(frozen=True)
class Listing:
    id: str
    title: str
    price: int  # minor units
    user_id: str
    version: int = 0
    order_id: str | None = None
    sold: bool = False
    currency: str = "usd"
    created_at: datetime | None = None

    def created_event(self) -> TicketCreated:
        return TicketCreated(
            ticket_id=self.id,
            title=self.title,
            price=self.price,
            currency=self.currency,
            user_id=self.user_id,
            version=self.version,
        )

    def updated_event(self) -> TicketUpdated:
        return TicketUpdated(
            ticket_id=self.id,
            title=self.title,
            price=self.price,
            currency=self.currency,
            user_id=self.user_id,
            version=self.version,
            order_id=self.order_id,
        )

    def edited(self, user_id: str, title: str, price: int, expected_version: int | None) -> Listing:
        """The listing repriced / retitled by its seller."""
        if user_id != self.user_id:
            raise Forbidden("Only the seller may edit this ticket")
        if self.order_id is not None:
            raise RuleViolation("Cannot edit a reserved ticket")
        if expected_version is not None and expected_version != self.version:
            raise Conflict("The ticket was changed by someone else; reload and try again")
        return replace(self, title=title.strip(), price=price, version=self.version + 1)

    # Effects of orders. Each returns None when nothing changes, so nothing is published.

    def locked_by(self, order_id: str) -> Listing | None:
        """Orders decides holds: when it says this order holds the listing, it does."""
        if self.sold or self.order_id == order_id:
            return None
        return replace(self, order_id=order_id, version=self.version + 1)

    def released_by(self, order_id: str) -> Listing | None:
        """Only the order holding the listing can release it (a late cancel of an older
        order must not unlock a newer hold)."""
        if self.sold or self.order_id != order_id:
            return None
        return replace(self, order_id=None, version=self.version + 1)

    def sold_to(self, order_id: str) -> Listing | None:
        if self.sold:
            return None
        if self.order_id == order_id:
            return replace(self, sold=True)  # local only: the replica already has this lock
        return replace(self, order_id=order_id, sold=True, version=self.version + 1)
