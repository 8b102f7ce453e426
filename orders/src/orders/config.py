"""Settings of the orders service (environment variables only)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, SecretStr, model_validator

from orders.domain.key_ring import KeyRing, key_ring
from orders.domain.signed_keys import KID_PATTERN
from ticketing_common.config import BaseServiceSettings


class KeySettingInvalid(Exception):
    """A ticket-key setting that cannot be used: the service does not start."""


class OrdersSettings(BaseServiceSettings):
    service_name: str = "orders"
    # A resale listing has no event to take a hold time from.
    listing_hold_minutes: float = Field(default=15, gt=0)
    # Overrides every hold length (events and listings); tests use a couple of seconds.
    hold_seconds_override: float | None = Field(default=None, gt=0)
    # One buyer holds at most this many maximum-size orders of an event at once.
    buyer_cap_factor: int = Field(default=4, ge=1)
    # Verifies the HMAC keys of tickets issued before Ed25519 keys (orders.domain.keys);
    # required, like JWT_KEY (`make dev` generates one under .data/).
    ticket_key_secret: SecretStr = Field(min_length=32)
    # Signs the key of every issued ticket (orders.domain.signed_keys): the base64 of a
    # 32-byte Ed25519 seed, and its key id. Unset, a key derived from TICKET_KEY_SECRET
    # signs (under the same id), so a deployment without one still signs consistently.
    ticket_signing_key: SecretStr | None = None
    ticket_signing_key_id: str = Field(default="k1", pattern=KID_PATTERN)
    # Keys retired by a rotation that still verify, as JSON: {"<kid>": "<base64 of the raw
    # 32-byte public key>"} (GET /api/orders/ticket-keys shows the active one's).
    ticket_retired_public_keys: dict[str, str] = Field(default_factory=dict)
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
    # The waiting list (orders.domain.waitlist): how long a hold made for the first buyer
    # in line lasts (never past the event's end; HOLD_SECONDS_OVERRIDE overrides it too),
    # and how often every replica offers what a crash left unoffered.
    waitlist_offer_minutes: float = Field(default=30, gt=0)
    waitlist_sweep_seconds: float = Field(default=5, gt=0)

    def key_ring(self) -> KeyRing:
        signing = self.ticket_signing_key
        return key_ring(
            signing.get_secret_value() if signing else None,
            self.ticket_signing_key_id,
            self.ticket_retired_public_keys,
            self.ticket_key_secret.get_secret_value().encode(),
        )

    @model_validator(mode="after")
    def _keys_are_usable(self) -> Self:
        try:
            self.key_ring()
        except ValueError as error:
            # Not a ValueError: pydantic would print every setting's value with it.
            raise KeySettingInvalid(
                f"TICKET_SIGNING_KEY / TICKET_RETIRED_PUBLIC_KEYS: {error}"
            ) from None
        return self
