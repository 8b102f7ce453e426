"""The order aggregate: its statuses, the rules of each change and the event it records.

A change returns the changed order with its event; the store writes both at once, on
the condition that the stored order is still the one the change was decided on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from bson import ObjectId

from orders.domain.errors import (
    OrderAlreadyComplete,
    OrderNotFound,
    OrderNotPayable,
    PaymentInProgress,
)
from orders.domain.order_parts import IssuedTicket, Line, ListingRef, VoucherRef
from ticketing_common.events import (
    CancelReason,
    IssuedTicketRef,
    OrderCancelled,
    OrderCompleted,
    OrderCreated,
    OrderedTicket,
    OrderStatusValue,
)

PENDING: tuple[OrderStatusValue, ...] = ("created", "awaiting:payment")
# What ends even a paid order: what it bought is gone (and payments refunds).
VOIDS_SALES: frozenset[CancelReason] = frozenset({"event_cancelled", "listing_withdrawn"})
Kind = Literal["event", "listing"]


def new_order_id() -> str:
    """Order ids are ObjectId strings, like every id the services exchange."""
    return str(ObjectId())


@dataclass(frozen=True)
class Order:
    id: str
    user_id: str
    kind: Kind
    status: OrderStatusValue
    version: int
    created_at: datetime
    expires_at: datetime
    currency: str
    lines: list[Line] = field(default_factory=list)
    event_id: str | None = None
    event_name: str | None = None
    event_starts_at: datetime | None = None
    listing: ListingRef | None = None
    tickets: list[IssuedTicket] = field(default_factory=list)
    cancel_reason: CancelReason | None = None
    # The payment being turned into a sale; while set, only that payment decides the order.
    settling: str | None = None
    # When it was cancelled: the recovery sweep finds cancels whose release never ran.
    cancelled_at: datetime | None = None
    voucher: VoucherRef | None = None

    @property
    def amount(self) -> int:
        """The gross total: what the buyer pays (and payments charges)."""
        if self.listing is not None:
            return self.listing.price
        return sum(line.price.gross for line in self.lines)

    @property
    def tax(self) -> int:
        return sum(line.price.tax for line in self.lines)

    @property
    def net(self) -> int:
        return self.amount - self.tax

    @property
    def pending(self) -> bool:
        return self.status in PENDING

    @property
    def units(self) -> int:
        return 1 if self.listing else sum(line.quantity for line in self.lines)

    @property
    def signing_event_id(self) -> str:
        """What a ticket key is bound to: the event, or the listing for a resale."""
        return self.event_id or f"listing-{self.listing.id if self.listing else self.id}"

    def _payload(self) -> dict[str, object]:
        return {
            "order_id": self.id,
            "user_id": self.user_id,
            "version": self.version,
            "event_id": self.event_id,
            "ticket": OrderedTicket(id=self.listing.id, price=self.listing.price)
            if self.listing
            else None,
            "items": [line.as_item() for line in self.lines],
            "amount": self.amount,
            "currency": self.currency,
            "tax": self.tax,
            "voucher_code": self.voucher.code if self.voucher else None,
        }

    def created_event(self) -> OrderCreated:
        return OrderCreated(
            **self._payload(),
            status=self.status,
            expires_at=self.expires_at,
        )

    def cancel(
        self, reason: CancelReason, now: datetime, *, by_buyer: bool = False
    ) -> tuple[Order, OrderCancelled | None]:
        """Cancel an order → (cancelled order, its event); (self, None) when there is
        nothing to cancel.

        A completed order is cancelled only when what it bought is gone (its event was
        cancelled, its listing withdrawn): its tickets are void and the event says it was
        paid, so payments refunds. Otherwise it stays complete, and one being paid stays
        with its payment: the buyer is told why, for the system (expiry) they are no-ops.
        A cancelled order stays as it is (a redelivered cancel).
        """
        if self.status == "cancelled":
            return self, None
        if self.status == "complete":
            if by_buyer:
                raise OrderAlreadyComplete()
            if reason in VOIDS_SALES:
                return self._cancelled(reason, now)
            return self, None
        if self.settling:
            if by_buyer:
                raise PaymentInProgress()
            return self, None
        return self._cancelled(reason, now)

    def start_settling(self, payment_id: str) -> Order:
        """Mark a pending order as being paid, so a racing cancel leaves it alone; an order
        already being settled stays with its payment."""
        if not self.pending:
            raise OrderNotPayable(self.id, self.status)
        return self if self.settling else replace(self, settling=payment_id)

    def complete(self, tickets: list[IssuedTicket]) -> tuple[Order, OrderCompleted]:
        """The sale is made: the order is complete with its tickets."""
        if not self.pending or not self.settling:
            raise OrderNotPayable(self.id, self.status)
        done = replace(
            self, status="complete", version=self.version + 1, tickets=tickets, settling=None
        )
        # The keys travel with the event, so the buyer's mail can carry the tickets.
        issued = [
            IssuedTicketRef(id=t.id, key=t.key, ticket_type_id=t.ticket_type_id, seat_id=t.seat_id)
            for t in tickets
        ]
        event = OrderCompleted(**done._payload(), ticket_ids=[t.id for t in issued], tickets=issued)
        return done, event

    def hold_lost(self, now: datetime) -> tuple[Order, OrderCancelled]:
        """Paid after its hold expired and someone else took the units: no tickets, the
        order is cancelled as expired (and payments refunds)."""
        if not self.pending or not self.settling:
            raise OrderNotPayable(self.id, self.status)
        return self._cancelled("expired", now)

    def _cancelled(self, reason: CancelReason, now: datetime) -> tuple[Order, OrderCancelled]:
        cancelled = replace(
            self,
            status="cancelled",
            version=self.version + 1,
            cancel_reason=reason,
            settling=None,
            cancelled_at=now,
        )
        was_paid = self.status == "complete"
        return cancelled, OrderCancelled(**cancelled._payload(), reason=reason, was_paid=was_paid)


def owned_order(order: Order | None, user_id: str) -> Order:
    """The order if it is the user's; someone else's reads as missing."""
    if order is None or order.user_id != user_id:
        raise OrderNotFound()
    return order


def ticket_slots(order: Order) -> list[tuple[str | None, str | None]]:
    """(ticket type, seat) of each ticket to issue: one per seat or general-admission unit."""
    if order.listing is not None:
        return [(None, None)]
    return [
        (line.ticket_type_id, line.seat_id) for line in order.lines for _ in range(line.quantity)
    ]
