"""Settings of the orders service (environment variables only)."""

from __future__ import annotations

from pydantic import Field, SecretStr

from ticketing_common.config import BaseServiceSettings


class OrdersSettings(BaseServiceSettings):
    service_name: str = "orders"
    # A resale listing has no event to take a hold time from.
    listing_hold_minutes: float = Field(default=15, gt=0)
    # Overrides every hold length (events and listings); tests use a couple of seconds.
    hold_seconds_override: float | None = Field(default=None, gt=0)
    # Signs the anti-fraud key of every issued ticket; required, like JWT_KEY
    # (`make dev` generates one under .data/).
    # One buyer holds at most this many maximum-size orders of an event at once.
    buyer_cap_factor: int = Field(default=4, ge=1)
    ticket_key_secret: SecretStr = Field(min_length=32)
    # How stale an in-memory availability snapshot may get if a change notification is lost.
    availability_max_age_seconds: float = Field(default=2.0, gt=0)
    # How stale an event definition a hold reads from memory may get if a change
    # notification is lost (orders.store.catalog_cache).
    event_cache_seconds: float = Field(default=1.0, gt=0)
    # Recovery of units a crash left claimed (orders.domain.recovery): a claim older than
    # the grace with no order behind it is fenced and freed, as is one of a cancelled
    # order; every replica sweeps this often. Such units are free again within
    # grace + 2 * sweep (20 s by default). The grace is also the longest a hold may take
    # between its claim and its order write before it is refused (503).
    abandoned_hold_grace_seconds: float = Field(default=10, gt=0)
    abandoned_hold_sweep_seconds: float = Field(default=5, gt=0)
