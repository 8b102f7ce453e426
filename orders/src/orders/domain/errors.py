"""Rule violations the domain raises; the API renders them as 4xx errors."""

from __future__ import annotations


class RuleViolation(Exception):
    """A request breaks a business rule (rendered as 400, with the field when known)."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class EventUnavailable(RuleViolation):
    """The event is unknown (404), cancelled or ended (400)."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message, "eventId")
        self.status_code = status_code


class NotEnoughTickets(RuleViolation):
    status_code = 409

    def __init__(self, requested: int, available: int, field: str | None = None) -> None:
        super().__init__(
            f"Requested amount of tickets ({requested}) not available. "
            f"Only {max(0, available)} available.",
            field,
        )
        self.requested = requested
        self.available = max(0, available)
