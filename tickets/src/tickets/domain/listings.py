"""Resale listings (the original "tickets"): one ticket, one seller, one price.

Only the seller edits a listing, never while an order holds it (`order_id` set), and
with a version check when the seller sends one. Every change that other services
replicate (price, title, lock) bumps `version` and records a `ticket.updated`, so
replicas that apply updates in version order never wait on a version they will not see.
The seller may withdraw a listing no order holds: its last version, `ticket.cancelled`;
a withdrawn listing is kept (order events may still name it) but is gone for everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ticketing_common.domain_errors import Conflict, Forbidden, RuleViolation
from ticketing_common.events import Event, TicketCancelled, TicketCreated, TicketUpdated
from tickets.domain.sales import OrderState

TITLE_MAX = 200


class ListingChanged(Conflict):
    default_message = "The ticket was changed by someone else; reload and try again"


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
    withdrawn: bool = False
    # The events this object's changes cause, for the outbox; never stored with the listing.
    outgoing: tuple[Event, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def listed(
        cls, listing_id: str, seller_id: str, title: str, price: int, now: datetime
    ) -> Listing:
        """A new listing, recording the `ticket.created` replicas start from."""
        listing = cls(listing_id, title.strip(), price, seller_id, created_at=now)
        return replace(listing, outgoing=(listing.created_event(),))

    def created_event(self) -> TicketCreated:
        return TicketCreated(**self._event_fields())

    def updated_event(self) -> TicketUpdated:
        return TicketUpdated(**self._event_fields(), order_id=self.order_id)

    def _event_fields(self) -> dict[str, object]:
        return {
            "ticket_id": self.id,
            "title": self.title,
            "price": self.price,
            "currency": self.currency,
            "user_id": self.user_id,
            "version": self.version,
        }

    def check_editable(self, user_id: str, expected_version: int | None) -> None:
        """Refuse an edit by anyone but the seller, of a reserved listing, or of a version
        other than the one the seller read (in that order)."""
        if user_id != self.user_id:
            raise Forbidden("Only the seller may edit this ticket")
        if self.order_id is not None:
            raise RuleViolation("Cannot edit a reserved ticket")
        if expected_version is not None and expected_version != self.version:
            raise ListingChanged()

    def withdrawn_by(self, user_id: str) -> Listing:
        """The listing withdrawn by its seller, recording `ticket.cancelled`; never while an
        order holds or bought it."""
        if user_id != self.user_id:
            raise Forbidden("Only the seller may withdraw this ticket")
        if self.order_id is not None or self.sold:
            raise RuleViolation("Cannot withdraw a reserved ticket")
        withdrawn = replace(self, withdrawn=True, version=self.version + 1)
        event = TicketCancelled(**withdrawn._event_fields())
        return replace(withdrawn, outgoing=(*self.outgoing, event))

    def edited(self, user_id: str, title: str, price: int, expected_version: int | None) -> Listing:
        """The listing repriced / retitled by its seller."""
        self.check_editable(user_id, expected_version)
        return self._next_version(title=title.strip(), price=price)

    # Effects of orders. Each returns None when nothing changes, so nothing is published.

    def after_order(
        self, order_id: str, state: OrderState, price: int | None = None
    ) -> Listing | None:
        """What the catalog's record of an order in `state` (paying `price`) does to this
        listing."""
        if self.withdrawn or state == "refunded":
            # Withdrawn: orders ends any order of it; a refund leaves a sale's record as is.
            return None
        if state == "created":
            return self.locked_by(order_id, price)
        if state == "cancelled":
            return self.released_by(order_id)
        return self.sold_to(order_id, price)

    def locked_by(self, order_id: str, price: int | None = None) -> Listing | None:
        """Orders decides holds: when it says this order holds the listing, it does — at
        the price the order pays. A reprice the catalog accepted before it learnt of the
        hold, but that orders had not seen when it took the hold, is undone: the hold and
        the reprice cannot both win, and the hold was decided first."""
        if self.sold or self.order_id == order_id:
            return None
        return self._next_version(order_id=order_id, price=self._held_price(price))

    def released_by(self, order_id: str) -> Listing | None:
        """Only the order holding the listing can release it (a late cancel of an older
        order must not unlock a newer hold)."""
        if self.sold or self.order_id != order_id:
            return None
        return self._next_version(order_id=None)

    def sold_to(self, order_id: str, price: int | None = None) -> Listing | None:
        if self.sold:
            return None
        if self.order_id == order_id:
            return replace(self, sold=True)  # local only: the replica already has this lock
        return self._next_version(order_id=order_id, sold=True, price=self._held_price(price))

    def _held_price(self, price: int | None) -> int:
        return self.price if price is None else price

    def _next_version(self, **changes: Any) -> Listing:
        changed = replace(self, **changes, version=self.version + 1)
        return replace(changed, outgoing=(*self.outgoing, changed.updated_event()))
