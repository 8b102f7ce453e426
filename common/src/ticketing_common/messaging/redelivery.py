"""When a listener gives an event back to the broker: too early, or its handling failed."""

from __future__ import annotations


class RetryLater(Exception):
    """Raised by a handler whose event came too early (e.g. a version gap); retried later."""


def redelivery_delay(attempt: int) -> float:
    """Back-off before redelivery: 0.5 s doubling per attempt, capped at 30 s."""
    return float(min(30.0, 0.5 * 2 ** max(0, attempt - 1)))
