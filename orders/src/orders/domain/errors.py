"""The orders service's own kinds of the common error vocabulary."""

from __future__ import annotations

from ticketing_common.domain_errors import Conflict, NotFound, RuleViolation


class EventUnavailable(RuleViolation):
    """The event is cancelled or has ended."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "eventId")


class EventNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Event not found", "eventId")


class NotEnoughTickets(Conflict):
    def __init__(self, requested: int, available: int, field: str | None = None) -> None:
        super().__init__(
            f"Requested amount of tickets ({requested}) not available. "
            f"Only {max(0, available)} available.",
            field,
        )
        self.requested = requested
        self.available = max(0, available)
