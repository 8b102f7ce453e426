"""The orders service's own kinds of the common error vocabulary."""

from __future__ import annotations

from ticketing_common.domain_errors import (
    Conflict,
    Forbidden,
    NotFound,
    RuleViolation,
    Unavailable,
)


class EventUnavailable(RuleViolation):
    """The event is cancelled or has ended."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "eventId")


class EventNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Event not found", "eventId")


class HoldCapReached(RuleViolation):
    """One buyer may hold only so many tickets of an event at once (no hoarding)."""

    def __init__(self, held: int, cap: int) -> None:
        super().__init__(
            f"You already hold {held} tickets for this event and may hold at most {cap} "
            "at once: pay for or cancel your open orders first",
            "eventId",
        )


class NotEnoughTickets(Conflict):
    def __init__(self, requested: int, available: int, field: str | None = None) -> None:
        super().__init__(
            f"Requested amount of tickets ({requested}) not available. "
            f"Only {max(0, available)} available.",
            field,
        )
        self.requested = requested
        self.available = max(0, available)


class OrderNotFound(NotFound):
    """No such order, or someone else's: the two are indistinguishable."""

    def __init__(self) -> None:
        super().__init__("Order not found")


class OrderAlreadyComplete(RuleViolation):
    def __init__(self) -> None:
        super().__init__("Cannot cancel a completed order")


class PaymentInProgress(RuleViolation):
    """The order is being settled: a buyer's cancel would race the payment."""

    def __init__(self) -> None:
        super().__init__("Payment for this order is being processed")


class OrderNotPayable(Conflict):
    """Only a pending order is settled, and only one being settled completes."""

    def __init__(self, order_id: str, status: str) -> None:
        super().__init__(f"Order {order_id} cannot be paid: it is {status}")


class OwnTicket(RuleViolation):
    def __init__(self) -> None:
        super().__init__("You cannot buy your own ticket", "ticketId")


class NotOrganizer(Forbidden):
    def __init__(self) -> None:
        super().__init__("Only the event's organizer can check tickets in")


class OrderIdTaken(Exception):
    """An order's id is taken already: the recovery sweep fenced it off (its claims were
    older than the grace with no order behind them — see orders.domain.recovery)."""


class HoldTooSlow(Unavailable):
    """The hold's claims were taken back by the recovery sweep before its order was
    recorded; nothing is held, a new try starts afresh."""

    def __init__(self) -> None:
        super().__init__("The hold took too long; please try again", retry_after=1)
