"""The orders domain: orders, hold rules, seating, ticket keys — no I/O."""

from orders.domain.errors import (
    EventNotFound,
    EventUnavailable,
    NotEnoughTickets,
    OrderAlreadyComplete,
    OrderNotFound,
    OrderNotPayable,
    OwnTicket,
    PaymentInProgress,
)
from ticketing_common.domain_errors import RuleViolation

__all__ = [
    "EventNotFound",
    "EventUnavailable",
    "NotEnoughTickets",
    "OrderAlreadyComplete",
    "OrderNotFound",
    "OrderNotPayable",
    "OwnTicket",
    "PaymentInProgress",
    "RuleViolation",
]
