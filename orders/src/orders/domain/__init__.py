"""Business rules of orders: holds, seat runs, ticket keys, replica ordering — no I/O."""

from orders.domain.errors import EventUnavailable, NotEnoughTickets, RuleViolation

__all__ = ["EventUnavailable", "NotEnoughTickets", "RuleViolation"]
