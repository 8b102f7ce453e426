"""The one error vocabulary: what a rule, a lookup or a permission check raises.

Domain code, handlers and routes of every service raise these; nothing here knows
HTTP. `ticketing_common.errors` maps each kind to its status and the error shape.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request cannot be served as asked; `field` names the input it is about."""

    default_message = "Invalid request"

    def __init__(
        self,
        message: str | None = None,
        field: str | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)
        self.field = field
        self.retry_after = retry_after


class RuleViolation(DomainError):
    """The request breaks a business rule or is malformed (400)."""


class NotAuthorized(DomainError):
    """No valid session (401)."""

    default_message = "Not authorized"


class PaymentFailed(DomainError):
    """The payment provider refused or could not be reached (402)."""


class Forbidden(DomainError):
    """Signed in, but not allowed to touch this object (403)."""

    default_message = "Forbidden"


class NotFound(DomainError):
    """Unknown, or someone else's and so indistinguishable from unknown (404)."""

    default_message = "Not found"


class Conflict(DomainError):
    """The request lost a race or contradicts the current state (409)."""


class TooManyRequests(DomainError):
    """Throttled; `retry_after` says in how many seconds to try again (429)."""


class Unavailable(DomainError):
    """A dependency is down for a moment; try again after `retry_after` seconds (503)."""

    default_message = "Service temporarily unavailable"
