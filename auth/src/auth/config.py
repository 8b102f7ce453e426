"""Settings of the auth service (environment variables only)."""

from __future__ import annotations

from pydantic import Field

from ticketing_common.config import BaseServiceSettings


class AuthSettings(BaseServiceSettings):
    service_name: str = "auth"
    # Failed sign-ins allowed per account (from any client) within the window, and per
    # client address (for any account); raise the latter where many users share an
    # address (a large NAT) and TRUSTED_PROXIES cannot tell them apart.
    signin_max_failures: int = Field(default=5, ge=1)
    signin_max_failures_per_client: int = Field(default=5, ge=1)
    signin_window_seconds: int = Field(default=60, ge=1)
