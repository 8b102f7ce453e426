"""Settings of the expiration service (environment variables only)."""

from __future__ import annotations

from ticketing_common.config import BaseServiceSettings


class ExpirationSettings(BaseServiceSettings):
    service_name: str = "expiration"
