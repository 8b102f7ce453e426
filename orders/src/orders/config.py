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
    ticket_key_secret: SecretStr = Field(min_length=32)
    # How stale an in-memory availability snapshot may get if a change notification is lost.
    availability_max_age_seconds: float = Field(default=2.0, gt=0)
