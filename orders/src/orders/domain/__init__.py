"""The orders domain: orders, hold rules, seating, ticket keys — no I/O."""

from orders.domain.errors import EventNotFound, EventUnavailable, NotEnoughTickets
from ticketing_common.domain_errors import RuleViolation

__all__ = ["EventNotFound", "EventUnavailable", "NotEnoughTickets", "RuleViolation"]
